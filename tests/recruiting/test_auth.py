"""Every page but login, health, the webhook, candidate pages and static files requires a login."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PUBLIC_PREFIXES = ("accounts/login/", "admin/login/", "healthz", "mojito/webhooks/", "apply/", "candidate/", "static/",
                   "jobs/")


def iter_paths(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from iter_paths(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            if "<" in route or "(?P" in route or "^" in route:
                continue  # needs arguments; covered by the view's own tests
            yield "/" + route


@pytest.mark.django_db
def test_anonymous_requests_redirect_to_login(client):
    paths = [p for p in iter_paths(get_resolver().url_patterns) if not p.lstrip("/").startswith(PUBLIC_PREFIXES)]
    assert "/" in paths and "/admin/" in paths
    for path in paths:
        response = client.get(path)
        assert response.status_code == 302, path
        assert "login" in response["Location"], path


@pytest.mark.django_db
def test_the_candidate_pages_are_public_but_their_settings_are_not(client):
    assert client.get("/jobs/").status_code == 200
    response = client.get("/jobs/settings/1/")
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.django_db
def test_login_page_is_public_and_login_works(client, django_user_model):
    django_user_model.objects.create_user("recruiter", password="a-long-password-123")
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": "recruiter", "password": "a-long-password-123"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_wrong_password_keeps_username_and_explains(client, django_user_model):
    django_user_model.objects.create_user("recruiter", password="a-long-password-123")
    response = client.post(reverse("login"), {"username": "recruiter", "password": "nope"})
    assert response.status_code == 200
    assert b'value="recruiter"' in response.content
    assert b"correct username and password" in response.content


@pytest.mark.django_db
def test_pages_carry_security_headers(client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    for directive in ("frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"):
        assert directive in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_logout_is_post_only(admin_client):
    assert admin_client.get(reverse("logout")).status_code == 405
    assert admin_client.post(reverse("logout")).status_code == 302
