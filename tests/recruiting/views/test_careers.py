"""The public candidate pages: /jobs/, /jobs/<slug>/, /jobs/<slug>/apply/ and the decision page."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from mojito import embed
from recruiting import tasks
from recruiting.models import Application, Candidate
from recruiting.services.careers import application_prescreen
from tests.support.careers import (
    ACCEPTED_RESUME,
    REJECTED_RESUME,
    REVIEW_RESUME,
    apply_data,
    make_interview,
    make_page,
    pdf_with_text,
    scanned_pdf,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def queued(monkeypatch):
    sent = []
    monkeypatch.setattr(tasks.application_prescreen_task, "delay", lambda pk: sent.append(pk))
    return sent


@pytest.fixture
def page(sandbox):
    return make_page(embedded=True)


def post_apply(client, page, **overrides):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(f"/jobs/{page.slug}/apply/", apply_data(page, **overrides))


# --- listing and job page ------------------------------------------------------------------------
def test_it_lists_open_positions_only(client, sandbox):
    open_page = make_page(make_interview(name="Backend engineer"), slug="backend")
    make_page(make_interview(name="Draft job", status="draft"), slug="draft-job")
    off = make_page(make_interview(name="Switched off"), slug="off")
    off.enabled = False
    off.save()

    response = client.get("/jobs/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Backend engineer" in body and f"/jobs/{open_page.slug}/" in body
    assert "Draft job" not in body and "Switched off" not in body
    assert str(open_page.interview.mojito_id) not in body  # the public slug, never JobMojito's id


def test_it_shows_an_empty_state_without_open_positions(client, db):
    response = client.get("/jobs/")
    assert response.status_code == 200
    assert "No open positions right now" in response.content.decode()


def test_it_hides_the_site_chrome_with_embed_1(client, page):
    full = client.get("/jobs/").content.decode()
    embedded = client.get("/jobs/?embed=1").content.decode()
    assert "careers-header" in full and "careers-header" not in embedded
    assert f"/jobs/{page.slug}/?embed=1" in embedded


def test_the_job_page_says_what_the_interview_is_like(client, page):
    response = client.get(f"/jobs/{page.slug}/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Backend engineer</h1>" in body
    assert "Remote" in body and "Python and Django." in body and "You will build our hiring platform." in body
    assert "AI interviewer" in body
    assert "up to 15 minutes" in body
    assert "There are 2 questions." in body
    assert "camera and a microphone" in body
    assert "makes the decision" in body
    assert "pre-screened by an AI" in body  # the default AI notice
    assert f'href="/jobs/{page.slug}/apply/"' in body


def test_the_job_page_shows_the_recruiters_ai_notice(client, page):
    page.ai_notice = "Our own words about the AI, edited by the recruiter."
    page.save()
    assert "Our own words about the AI" in client.get(f"/jobs/{page.slug}/").content.decode()


def test_an_unknown_or_switched_off_job_is_a_friendly_404(client, page):
    response = client.get("/jobs/no-such-job/")
    assert response.status_code == 404
    assert "This page is not available" in response.content.decode()
    page.enabled = False
    page.save()
    assert client.get(f"/jobs/{page.slug}/").status_code == 404
    assert client.get(f"/jobs/{page.slug}/apply/").status_code == 404


@pytest.mark.parametrize("url", ["/jobs/", "/jobs/{slug}/"])
def test_read_only_pages_answer_405_to_post(client, page, url):
    assert client.post(url.format(slug=page.slug)).status_code == 405


# --- headers: framing, caching, referrer, cookies ------------------------------------------------
def test_candidate_pages_may_be_framed_only_by_the_allowed_origins(client, sandbox, settings):
    settings.EMBED_ALLOWED_ORIGINS = ["https://careers.example.com"]
    page = make_page(origins="https://jobs.partner.example\n")
    for url in ("/jobs/", f"/jobs/{page.slug}/", f"/jobs/{page.slug}/apply/"):
        response = client.get(url)
        assert "X-Frame-Options" not in response.headers, url
        csp = response.headers["Content-Security-Policy"]
        ancestors = next(d for d in csp.split(";") if d.strip().startswith("frame-ancestors"))
        assert "https://careers.example.com" in ancestors, url
        assert response.headers["Cache-Control"].startswith("no-store")
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert not response.cookies, url
    # The page's own list applies to its pages only, not to the list of every job.
    assert "https://jobs.partner.example" in client.get(f"/jobs/{page.slug}/").headers["Content-Security-Policy"]
    assert "https://jobs.partner.example" not in client.get("/jobs/").headers["Content-Security-Policy"]


def test_without_allowed_origins_candidate_pages_cannot_be_framed(client, page, settings):
    settings.EMBED_ALLOWED_ORIGINS = []
    csp = client.get("/jobs/").headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/", "/"])
def test_staff_pages_still_deny_framing(client, db, url):
    response = client.get(url, follow=True)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


# --- apply ---------------------------------------------------------------------------------------
def test_apply_stores_the_application_first_and_queues_the_prescreen(client, page, queued):
    response = post_apply(client, page)

    application = Application.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"/jobs/a/{application.token}/")
    assert queued == [application.pk]
    assert application.state == Application.State.RECEIVED
    assert (application.name, application.email, application.country_code) == ("Ada Lovelace", "ada@example.com", "GB")
    assert application.resume_text == ACCEPTED_RESUME
    assert application.candidate == Candidate.objects.get(normalised_email="ada@example.com")
    assert len(application.token) >= 40


def test_apply_keeps_the_embed_layout(client, page, queued):
    response = post_apply(client, page, embed="1")
    assert "embed=1" in response.headers["Location"]


def test_apply_reads_a_pdf_resume(client, page, queued):
    upload = SimpleUploadedFile("cv.pdf", pdf_with_text("Backend engineer", "Python and Django, 10 years"),
                                content_type="application/pdf")
    response = post_apply(client, page, resume_text="", resume_file=upload)

    assert response.status_code == 302
    application = Application.objects.get()
    assert "Python and Django, 10 years" in application.resume_text
    assert application.resume_file_name == "cv.pdf"


def test_apply_refuses_an_oversized_file_and_keeps_what_was_typed(client, page, queued, settings):
    settings.RESUME_MAX_BYTES = 2048
    upload = SimpleUploadedFile("cv.txt", b"Python " * 1000, content_type="text/plain")
    response = post_apply(client, page, resume_text="", resume_file=upload, name="Grace Hopper")

    body = response.content.decode()
    assert response.status_code == 422
    assert "too large: the limit is 2 KB" in body
    assert 'value="Grace Hopper"' in body and 'value="ada@example.com"' in body and 'value="GB"' in body
    assert "choose it again" in body
    assert not Application.objects.exists() and not queued


def test_apply_refuses_a_pdf_that_is_not_a_pdf_by_its_content(client, page, queued):
    upload = SimpleUploadedFile("cv.pdf", b"Just some text pretending to be a PDF file, 10 years Python.",
                                content_type="application/pdf")
    response = post_apply(client, page, resume_text="", resume_file=upload)

    assert response.status_code == 422
    assert "“cv.pdf” is named like a PDF or Word file but its content is not" in response.content.decode()
    assert not Application.objects.exists()


def test_apply_refuses_a_file_of_another_type(client, page, queued):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    upload = SimpleUploadedFile("photo.png", png, content_type="image/png")
    response = post_apply(client, page, resume_text="", resume_file=upload)
    assert response.status_code == 422
    assert "is not a PDF, Word (.docx) or text file" in response.content.decode()


def test_apply_says_when_a_resume_has_no_readable_text(client, page, queued):
    upload = SimpleUploadedFile("scan.pdf", scanned_pdf(), content_type="application/pdf")
    response = post_apply(client, page, resume_text="", resume_file=upload, email="scan@example.com")

    body = response.content.decode()
    assert response.status_code == 422
    assert "has no readable text" in body and 'value="scan@example.com"' in body
    assert not Application.objects.exists()


def test_apply_needs_a_resume_and_consent(client, page, queued):
    response = post_apply(client, page, resume_text="", consent=None)
    body = response.content.decode()
    assert response.status_code == 422
    assert "Upload your résumé or paste its text." in body
    assert "Please tick this box to apply" in body
    assert not Application.objects.exists()


def test_apply_with_an_expired_or_foreign_form_token_asks_to_send_again(client, page, queued):
    response = post_apply(client, page, form_token="backend-engineer:forged:token")
    assert response.status_code == 422
    assert "This form has expired" in response.content.decode()
    assert not Application.objects.exists()


def test_a_bot_filling_the_honeypot_is_thanked_and_nothing_is_stored(client, page, queued):
    response = post_apply(client, page, website="http://spam.example")
    assert response.status_code == 200
    assert "We have your application." in response.content.decode()
    assert not Application.objects.exists() and not Candidate.objects.exists() and not queued


def test_a_candidate_who_already_applied_gets_their_application_back(client, page, queued):
    first = post_apply(client, page)
    again = post_apply(client, page, email="  ADA@example.com ", name="Ada L.")

    application = Application.objects.get()
    assert Application.objects.count() == 1 and queued == [application.pk]
    assert again.status_code == 302 and f"/jobs/a/{application.token}/" in again.headers["Location"]
    assert "again=1" in again.headers["Location"] and "new=1" in first.headers["Location"]
    assert "You have already applied" in client.get(again.headers["Location"]).content.decode()


def test_apply_is_rate_limited_per_address(client, page, queued, settings):
    settings.CAREERS_APPLY_RATE_IP = "2/h"
    post_apply(client, page, email="one@example.com")
    post_apply(client, page, email="two@example.com")
    response = post_apply(client, page, email="three@example.com", name="Third Person")

    body = response.content.decode()
    assert response.status_code == 429
    assert "Too many applications from here" in body and 'value="Third Person"' in body
    assert Application.objects.count() == 2


def test_apply_is_rate_limited_per_email(client, page, queued, settings):
    settings.CAREERS_APPLY_RATE_EMAIL = "2/h"
    for _ in range(2):
        post_apply(client, page, email="same@example.com", REMOTE_ADDR="10.0.0.1")
    response = client.post(f"/jobs/{page.slug}/apply/", apply_data(page, email="Same@Example.com"),
                           REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429


# --- the decision page ---------------------------------------------------------------------------
def decide(client, page, resume, **kwargs):
    post_apply(client, page, resume_text=resume, **kwargs)
    application = Application.objects.get(normalised_email=kwargs.get("email", "ada@example.com"))
    application_prescreen(application_id=application.pk)
    application.refresh_from_db()
    return application


def test_while_screening_the_page_polls(client, page, queued):
    post_apply(client, page)
    application = Application.objects.get()

    response = client.get(f"/jobs/a/{application.token}/")
    body = response.content.decode()
    assert "We are reading your résumé" in body
    assert f'hx-get="/jobs/a/{application.token}/"' in body and 'hx-trigger="every 2s"' in body

    fragment = client.get(f"/jobs/a/{application.token}/", HTTP_HX_REQUEST="true")
    assert fragment.content.decode().lstrip().startswith('<div id="application-status"')
    assert "HX-Refresh" not in fragment.headers


def test_once_decided_a_poll_reloads_the_page(client, page, queued):
    application = decide(client, page, ACCEPTED_RESUME)
    fragment = client.get(f"/jobs/a/{application.token}/", HTTP_HX_REQUEST="true")
    assert fragment.headers["HX-Refresh"] == "true"


def test_an_accepted_candidate_gets_the_interview_in_a_signed_iframe(client, page, queued, sandbox, settings):
    application = decide(client, page, ACCEPTED_RESUME)
    assert application.decision == "ai_accept"

    response = client.get(f"/jobs/a/{application.token}/")
    body = response.content.decode()
    assert "you can take the interview now" in body
    assert 'allow="camera; microphone; fullscreen; autoplay"' in body
    src = body.split('<iframe src="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert src.startswith(f"{settings.MOJITO_EMBED_BASE_URL}/embed?")
    query = {k: v[0] for k, v in parse_qs(urlsplit(src).query).items()}
    record = sandbox.state.embeds[query["embed_id"]]
    assert embed.verify(query["embed_id"], query["name"], query["email"], query["signature"],
                        record["embed_signing_key"]) == ("Ada Lovelace", "ada@example.com")
    assert record["embed_signing_key"] not in body
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(src))
    frame_src = next(d for d in response.headers["Content-Security-Policy"].split(";") if "frame-src" in d)
    assert origin in frame_src


def test_an_accepted_candidate_without_embedding_gets_their_interview_link(client, sandbox, queued):
    page = make_page(embedded=False)
    application = decide(client, page, ACCEPTED_RESUME)
    body = client.get(f"/jobs/a/{application.token}/").content.decode()
    assert application.invitation.interview_url
    assert f'<iframe src="{application.invitation.interview_url.replace("&", "&amp;")}"' in body


def test_a_rejected_candidate_gets_a_polite_message(client, page, queued):
    application = decide(client, page, REJECTED_RESUME)
    assert application.decision == "ai_reject"
    body = client.get(f"/jobs/a/{application.token}/").content.decode()
    assert "Thank you for applying" in body and "<iframe" not in body


def test_a_candidate_for_review_is_told_we_will_be_in_touch(client, page, queued):
    application = decide(client, page, REVIEW_RESUME)
    assert application.decision == "recruiter_action"
    body = client.get(f"/jobs/a/{application.token}/").content.decode()
    assert "we will be in touch" in body and "<iframe" not in body


def test_when_jobmojito_is_down_the_candidate_is_told_their_application_is_safe(client, page, queued, sandbox):
    post_apply(client, page)
    application = Application.objects.get()
    sandbox.state.config.fault_rate, sandbox.state.config.fault_kinds = 1.0, ["503"]
    with pytest.raises(Exception):
        application_prescreen(application_id=application.pk)

    body = client.get(f"/jobs/a/{application.token}/").content.decode()
    assert "We have your application" in body and "we will email you" in body
    assert 'hx-trigger="every 15s"' in body


def test_an_unknown_decision_link_is_a_404(client, db):
    assert client.get("/jobs/a/not-a-real-token/").status_code == 404


def test_the_decision_page_answers_405_to_post(client, page, queued):
    post_apply(client, page)
    application = Application.objects.get()
    assert client.post(f"/jobs/a/{application.token}/").status_code == 405


def test_a_form_shown_again_carries_a_fresh_token_that_works(client, page, queued):
    response = post_apply(client, page, form_token="expired")
    token = response.content.decode().split('name="form_token" value="', 1)[1].split('"', 1)[0]
    assert token != "expired"
    assert post_apply(client, page, form_token=token).status_code == 302


# --- language ------------------------------------------------------------------------------------
def test_the_page_language_follows_the_interview_where_a_translation_exists(client, page):
    interview = page.interview
    interview.language = "de"
    interview.save()

    response = client.get(f"/jobs/{page.slug}/")
    body = response.content.decode()
    assert '<html lang="de"' in body
    assert "So läuft das Interview ab" in body and "Auf diese Stelle bewerben" in body
    form = client.get(f"/jobs/{page.slug}/apply/").content.decode()
    assert "Vollständiger Name" in form and "Bewerbung absenden" in form


def test_a_language_without_a_translation_falls_back_to_english(client, page):
    interview = page.interview
    interview.language = "fi"
    interview.save()
    body = client.get(f"/jobs/{page.slug}/").content.decode()
    assert '<html lang="en-us"' in body and "What the interview is like" in body


def test_every_text_of_the_candidate_pages_is_marked_for_translation():
    """No bare text between tags in the candidate templates: everything goes through {% translate %}."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[3] / "templates" / "careers"
    for path in root.glob("*.html"):
        text = re.sub(r"{% blocktranslate.*?{% endblocktranslate %}", "", path.read_text(), flags=re.S)
        text = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", "", text, flags=re.S)
        text = re.sub(r"<(script|style)\b.*?</\1>", "", text, flags=re.S)
        bare = [t.strip() for t in re.findall(r">([^<>]+)<", text) if t.strip() and re.search(r"[A-Za-z]", t)]
        assert not bare, f"{path.name}: untranslated text {bare}"


def test_the_list_of_jobs_makes_the_same_queries_for_1_and_50_jobs(sandbox, assert_same_queries):
    from recruiting.models import CareerPage, Interview

    def make_rows(n):
        start = Interview.objects.count()
        for i in range(start, start + n):
            interview = Interview.objects.create(mojito_id=f"iv-{i}", name=f"Job {i}", status="active")
            CareerPage.objects.create(interview=interview, slug=f"job-{i}", enabled=True)

    assert_same_queries("/jobs/", make_rows)


def test_when_jobmojito_refused_the_candidate_is_told_a_person_will_be_in_touch(client, page, queued):
    post_apply(client, page)
    application = Application.objects.get()
    Application.objects.filter(pk=application.pk).update(state=Application.State.FAILED, last_error="refused")
    body = client.get(f"/jobs/a/{application.token}/").content.decode()
    assert "We have your application" in body and "will look at it and contact you by email" in body
    assert "keep trying" not in body and "hx-get" not in body
