"""A person logs in, sees the dashboard and the operations console, under the enforced CSP."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def csp_violations(page):
    return [m.text for m in page.console_messages if "Content Security Policy" in m.text or "Refused to" in m.text]


def test_login_dashboard_and_admin_work_in_a_real_browser(page, live_server, django_user_model):
    django_user_model.objects.create_superuser("operator", "op@example.com", "a-long-password-123")
    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url  # anonymous → login

    page.fill("#id_username", "operator")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    assert page.locator(".error").first.is_visible()
    assert page.input_value("#id_username") == "operator"  # what was typed is kept

    page.fill("#id_password", "a-long-password-123")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    assert page.locator("h1").inner_text() == "Overview"  # the dashboard's start page

    page.click("text=Operations console")
    page.wait_for_url(live_server.url + "/admin/")
    assert page.locator("#site-name").is_visible()
    assert csp_violations(page) == []

    page.goto(live_server.url + "/")
    page.click("form.logout button")
    page.wait_for_url("**/accounts/login/")
    page.goto(live_server.url + "/admin/")
    assert "login" in page.url
