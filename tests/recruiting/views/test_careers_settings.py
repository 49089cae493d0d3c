"""The dashboard's candidate-page settings (/jobs/settings/<interview>/) and the sections the
interview and candidate pages include."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from recruiting.models import Application, CareerPage
from recruiting.services.careers import application_submit
from recruiting.services import client as client_service
from tests.recruiting.services.conftest import SpyTransport
from tests.support.careers import ACCEPTED_RESUME, make_interview, make_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def spy(sandbox):
    transport = SpyTransport(sandbox.transport())
    client_service.use_transport(transport)
    return transport


@pytest.fixture
def interview(sandbox):
    return make_interview()


def url(interview):
    return f"/jobs/settings/{interview.pk}/"


def form_data(**overrides):
    data = {"enabled": "on", "slug": "backend-engineer", "country_code": "gb", "description_long": "Long text.",
            "ai_notice": "", "allowed_origins": "https://careers.example.com/\n", "embedding": "on"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_it_requires_a_login(client, interview):
    response = client.get(url(interview))
    assert response.status_code == 302 and "/accounts/login/" in response.headers["Location"]


def test_it_offers_a_default_address(recruiter_client, interview):
    response = recruiter_client.get(url(interview))
    assert response.status_code == 200
    assert 'value="backend-engineer"' in response.content.decode()
    assert response.headers["X-Frame-Options"] == "DENY"


def test_it_saves_the_settings_and_switches_embedding_on(recruiter_client, interview):
    response = recruiter_client.post(url(interview), form_data())

    assert response.status_code == 302
    page = CareerPage.objects.get(interview=interview)
    assert page.enabled and page.slug == "backend-engineer" and page.country_code == "GB"
    assert page.origins == ["https://careers.example.com"]
    interview.refresh_from_db()
    assert interview.embed_id and interview.embed_signing_key


@pytest.mark.parametrize("field,value,message", [
    ("slug", "settings", "is reserved"),
    ("allowed_origins", "careers.example.com/jobs", "is not an origin"),
    ("country_code", "G1", "two-letter country code"),
])
def test_bad_input_is_refused_on_its_field_keeping_what_was_typed(recruiter_client, interview, field, value, message):
    response = recruiter_client.post(url(interview), form_data(**{field: value, "description_long": "Keep me."}))
    body = response.content.decode()
    assert response.status_code == 422
    assert message in body and "Keep me." in body
    assert not CareerPage.objects.exists()


def test_a_taken_address_is_refused(recruiter_client, interview, sandbox):
    make_page(make_interview(name="Other"), slug="taken")
    response = recruiter_client.post(url(interview), form_data(slug="taken"))
    assert response.status_code == 422
    assert "already exists" in response.content.decode()


@pytest.mark.parametrize("status,words", [
    (503, "JobMojito did not answer"),
    (401, "MOJITO_API_TOKEN"),
    (403, "MOJITO_API_TOKEN"),
    ("timeout_before_send", "JobMojito did not answer"),
])
def test_a_failing_embed_switch_keeps_the_settings_and_says_why(recruiter_client, interview, spy, status, words):
    spy.faults["job-interview-set-state"] = [status] * 10
    response = recruiter_client.post(url(interview), form_data(), follow=True)
    body = response.content.decode()
    assert words in body and "embedding switch was not changed" in body
    assert CareerPage.objects.filter(interview=interview, enabled=True).exists()
    interview.refresh_from_db()
    assert not interview.embed_id


def test_a_refused_embed_switch_names_the_field(recruiter_client, interview, spy):
    spy.faults["job-interview-set-state"] = [422]
    response = recruiter_client.post(url(interview), form_data(), follow=True)
    assert "JobMojito refused" in response.content.decode()


def test_post_only_to_the_right_methods(recruiter_client, interview):
    assert recruiter_client.delete(url(interview)).status_code == 405


def test_an_unknown_interview_is_a_404(recruiter_client, db):
    assert recruiter_client.get("/jobs/settings/999999/").status_code == 404


# --- the sections included by the interview and candidate pages ----------------------------------
def render(template, **context):
    request = RequestFactory().get("/interviews/1/")
    return Template(template).render(Context({"request": request, **context}))


def add_applications(page, n, start=0):
    for i in range(start, start + n):
        application, _ = application_submit(page=page, name=f"Person {i}", email=f"p{i}@example.com",
                                            country_code="GB", resume_text=ACCEPTED_RESUME)
        Application.objects.filter(pk=application.pk).update(state="decided", decision="ai_accept")


def test_the_interview_section_offers_setup_when_there_is_no_page(interview):
    html = render('{% include "dashboard/interviews/_candidate_pages.html" %}', interview=interview)
    assert "Set up" in html and f"/jobs/settings/{interview.pk}/" in html


def test_the_interview_section_shows_settings_snippet_and_applications(sandbox):
    page = make_page(embedded=True, origins="https://careers.example.com")
    add_applications(page, 2)
    html = render('{% include "dashboard/interviews/_candidate_pages.html" %}', interview=page.interview)
    assert "/jobs/backend-engineer/" in html and "On (signed embed)" in html
    assert "https://careers.example.com" in html
    assert "&lt;iframe src=&quot;http://testserver/jobs/backend-engineer/?embed=1&quot;" in html
    assert "careers-embed.js" in html and 'allow=&quot;camera; microphone; fullscreen; autoplay&quot;' in html
    assert "Person 0" in html and "Person 1" in html and "AI accept" in html


def test_the_sections_make_the_same_queries_for_1_and_50_applications(sandbox):
    page = make_page()
    candidate_of = {}

    def count(template, **ctx):
        with CaptureQueriesContext(connection) as captured:
            render(template, **ctx)
        return len(captured.captured_queries)

    add_applications(page, 1)
    few = count('{% include "dashboard/interviews/_candidate_pages.html" %}', interview=page.interview)
    add_applications(page, 49, start=1)
    many = count('{% include "dashboard/interviews/_candidate_pages.html" %}', interview=page.interview)
    assert few == many
    candidate_of["c"] = Application.objects.first().candidate
    assert count('{% include "dashboard/candidates/_applications.html" %}', candidate=candidate_of["c"]) <= 2


def test_the_candidate_section_lists_their_applications(sandbox):
    page = make_page()
    add_applications(page, 1)
    candidate = Application.objects.get().candidate
    html = render('{% include "dashboard/candidates/_applications.html" %}', candidate=candidate)
    assert "Backend engineer" in html and "AI accept" in html
