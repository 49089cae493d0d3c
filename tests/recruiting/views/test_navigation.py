import pytest

pytestmark = pytest.mark.django_db


def test_it_marks_the_current_area_and_links_every_area(recruiter_client):
    response = recruiter_client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    for label in ("Overview", "Interviews", "Candidates", "Results", "To review", "Pre-screening",
                  "Knowledge", "Activity", "Webhooks", "Operations console"):
        assert f">{label}" in html, label
    assert 'aria-current="page" class="current">Overview' in html
    assert "<title>Overview" in html


def test_it_loads_htmx_from_the_app_not_a_cdn(recruiter_client):
    html = recruiter_client.get("/").content.decode()
    assert "/static/vendor/htmx/htmx.min.js" in html
    assert "<script>" not in html and "style=" not in html  # strict CSP: nothing inline


def test_an_anonymous_request_goes_to_login(client):
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
