"""What a recruiter does on a result: decide, generate a report, another attempt, the view link,
the auto-retry setting; every JobMojito error path through the sandbox's fault switches."""

import datetime as dt

import pytest
from django.utils import timezone

from recruiting.models import AttemptRequest, Interview, InterviewResult, ResultReview
from tests.recruiting.views.results.conftest import decide, scored

pytestmark = pytest.mark.django_db


def follow_html(response, client):
    assert response.status_code == 302, response.status_code
    return client.get(response["Location"]).content.decode()


# --- POST only, login -----------------------------------------------------------------------------

@pytest.mark.parametrize("action", ["decide", "generate-report", "another-attempt", "view-link"])
def test_actions_are_post_only_and_need_a_login(client, recruiter_client, action):
    result = scored()
    assert recruiter_client.get(f"/results/{result.pk}/{action}/").status_code == 405
    client.logout()
    response = client.post(f"/results/{result.pk}/{action}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- review decisions -----------------------------------------------------------------------------

def test_deciding_records_the_decision_note_who_and_when(recruiter_client, recruiter):
    result = scored()
    response = recruiter_client.post(f"/results/{result.pk}/decide/", {"decision": "advance", "note": " Strong "})
    html = follow_html(response, recruiter_client)
    review = ResultReview.objects.get(result=result)
    assert (review.decision, review.note, review.decided_by) == ("advance", "Strong", recruiter)
    assert timezone.now() - review.decided_at < dt.timedelta(minutes=1)
    assert "Decision saved: Advance" in html


def test_changing_a_decision_keeps_one_review(recruiter_client, recruiter):
    result = scored()
    decide(result, "hold", recruiter)
    recruiter_client.post(f"/results/{result.pk}/decide/", {"decision": "reject"})
    assert ResultReview.objects.get(result=result).decision == "reject"
    assert ResultReview.objects.count() == 1


def test_an_unknown_decision_keeps_the_note_and_says_so(recruiter_client):
    result = scored()
    response = recruiter_client.post(f"/results/{result.pk}/decide/", {"decision": "promote", "note": "typed"})
    html = response.content.decode()
    assert response.status_code == 400 and "Select a valid choice" in html and "typed</textarea>" in html
    assert not ResultReview.objects.exists()


def test_deciding_in_the_queue_opens_the_next_waiting_result_and_ends_on_the_queue(recruiter_client):
    now = timezone.now()
    first = scored(remote_updated_at=now - dt.timedelta(days=3))
    second = scored(remote_updated_at=now - dt.timedelta(days=2))
    response = recruiter_client.post(f"/results/{first.pk}/decide/", {"decision": "shortlist", "next": "queue"})
    assert response["Location"] == f"/results/{second.pk}/?queue=1"
    response = recruiter_client.post(f"/results/{second.pk}/decide/", {"decision": "reject", "next": "queue"})
    assert response["Location"] == "/results/?review=pending"
    assert "Nothing else is waiting for review." in follow_html(response, recruiter_client)


def test_a_decided_result_leaves_the_queue_and_the_badge(recruiter_client):
    result = scored()
    assert 'title="1 waiting"' in recruiter_client.get("/results/").content.decode()
    recruiter_client.post(f"/results/{result.pk}/decide/", {"decision": "advance"})
    html = recruiter_client.get("/results/?review=pending").content.decode()
    assert "Nothing to review" in html and 'title="1 waiting"' not in html
    assert [r.pk for r in recruiter_client.get("/results/?decision=advance").context["page"]] == [result.pk]


# --- reports ----------------------------------------------------------------------------------------

def test_generating_a_pdf_stores_it_and_it_downloads(recruiter_client, taken, media):
    result = taken("submit")
    response = recruiter_client.post(f"/results/{result.pk}/generate-report/", {"export_type": "pdf", "template": "modern"})
    assert "The PDF report is ready" in follow_html(response, recruiter_client)
    download = recruiter_client.get(f"/results/{result.pk}/report.pdf")
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_generating_html_shows_it_sanitised(recruiter_client, taken, media):
    result = taken("submit")
    response = recruiter_client.post(f"/results/{result.pk}/generate-report/", {"export_type": "html"})
    assert response["Location"] == f"/results/{result.pk}/report/"
    html = recruiter_client.get(response["Location"]).content.decode()
    assert "Interview report" in html and "<script" not in html.split('id="main"')[1].split("</main>")[0]


def test_generating_json_shows_the_data(recruiter_client, taken):
    result = taken("submit")
    response = recruiter_client.post(f"/results/{result.pk}/generate-report/", {"export_type": "json"})
    assert response.status_code == 200 and 'id="report-json"' in response.content.decode()


def test_an_unknown_report_format_is_refused_on_the_field(recruiter_client):
    result = scored()
    response = recruiter_client.post(f"/results/{result.pk}/generate-report/", {"export_type": "docx"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("what,fault,words", [
    ("token", None, "JobMojito refused the API token. Check MOJITO_API_TOKEN"),
    ("forbidden", None, "The API token is not allowed to do this"),
    ("job-interview-pdf", 404, "JobMojito no longer has this result"),
    ("job-interview-pdf", 409, "JobMojito refused because of the current state"),
    ("5xx", None, "JobMojito did not answer. Nothing was lost"),
    ("job-interview-pdf", "timeout", "JobMojito did not answer"),  # job-interview-pdf is safe to repeat
])
def test_report_errors_are_put_in_words(recruiter_client, taken, inject, media, what, fault, words):
    result = taken("submit")
    inject(what, fault)
    response = recruiter_client.post(f"/results/{result.pk}/generate-report/", {"export_type": "pdf"})
    html = response.content.decode()
    assert words in html, html[:2000]
    assert not InterviewResult.objects.get(pk=result.pk).report
    assert "test-token" not in html


def test_a_422_on_a_report_field_goes_on_that_field_and_keeps_the_choice(recruiter_client, taken, inject):
    result = taken("submit")
    inject("job-interview-pdf", (422, "template"))
    response = recruiter_client.post(f"/results/{result.pk}/generate-report/", {"export_type": "pdf", "template": "classic"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Injected 422 for job-interview-pdf." in html and '<option value="classic" selected>' in html


# --- another attempt ----------------------------------------------------------------------------------

def test_another_attempt_on_a_submitted_result_reopens_it(recruiter_client, recruiter, taken, sandbox):
    result = taken("submit")
    html = follow_html(recruiter_client.post(f"/results/{result.pk}/another-attempt/"), recruiter_client)
    assert "JobMojito re-opened the interview" in html
    assert sandbox.state.results[result.mojito_id]["status"] == "draft"
    request = AttemptRequest.objects.get()
    assert (request.kind, request.requested_by, request.automatic) == ("reopen", recruiter, False)


def test_another_attempt_after_an_abandoned_one_sends_the_invitation_again(recruiter_client, taken, sandbox):
    result = taken("abandon")
    assert result.coach_status == "abandoned"
    html = follow_html(recruiter_client.post(f"/results/{result.pk}/another-attempt/"), recruiter_client)
    assert "the invitation was sent again" in html
    assert AttemptRequest.objects.get().kind == "resend"
    # The candidate can take it again: the sandbox lets the same invitation start a new attempt.
    sandbox.complete(result.invitation.mojito_id, outcome="submit")


def test_another_attempt_when_none_remain_says_why_and_sends_nothing(recruiter_client, taken):
    result = taken("abandon")
    AttemptRequest.objects.create(result=result, invitation=result.invitation, kind="resend")
    AttemptRequest.objects.create(result=result, invitation=result.invitation, kind="resend")
    html = follow_html(recruiter_client.post(f"/results/{result.pk}/another-attempt/"), recruiter_client)
    assert "No other attempt was requested. No attempts left" in html
    assert AttemptRequest.objects.count() == 2


@pytest.mark.parametrize("what,fault,words", [
    ("token", None, "Check MOJITO_API_TOKEN"),
    ("job-interview-result-request-another-attempt", (422, "interview_result_id"), "JobMojito refused the request"),
    ("job-interview-result-request-another-attempt", 404, "JobMojito no longer has this result"),
    ("5xx", None, "JobMojito did not answer"),
    ("drop", None, "JobMojito did not confirm in time"),
])
def test_another_attempt_errors_are_put_in_words_and_nothing_is_recorded(recruiter_client, taken, inject, what, fault, words):
    result = taken("submit")
    inject(what, fault)
    html = follow_html(recruiter_client.post(f"/results/{result.pk}/another-attempt/"), recruiter_client)
    assert words in html
    assert not AttemptRequest.objects.exists()


# --- recruiter view link ------------------------------------------------------------------------------

def test_the_view_link_is_shown_to_copy(recruiter_client, taken):
    result = taken("submit")
    response = recruiter_client.post(f"/results/{result.pk}/view-link/")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="result-view-url"' in html and "data-copy" in html
    url = response.context["view_url"]
    assert url.startswith("http") and url.replace("&", "&amp;") in html


@pytest.mark.parametrize("what,fault,words", [
    ("token", None, "Check MOJITO_API_TOKEN"),
    ("forbidden", None, "not allowed to do this"),
    ("job-interview-token", 500, "JobMojito did not answer"),
    ("job-interview-token", "timeout", "JobMojito did not"),
])
def test_view_link_errors(recruiter_client, taken, inject, what, fault, words):
    result = taken("submit")
    inject(what, fault)
    assert words in follow_html(recruiter_client.post(f"/results/{result.pk}/view-link/"), recruiter_client)


# --- the interview's auto-retry setting -----------------------------------------------------------------

def test_the_auto_retry_setting_is_off_by_default_and_can_be_switched(recruiter_client):
    result = scored()
    interview = result.interview
    assert interview.auto_retry_failed is False
    back = f"/results/{result.pk}/"
    response = recruiter_client.post(f"/results/interviews/{interview.pk}/auto-retry/", {"enabled": "on", "back": back})
    assert response["Location"] == back and Interview.objects.get(pk=interview.pk).auto_retry_failed is True
    assert "invited again automatically" in recruiter_client.get(back).content.decode()
    response = recruiter_client.post(f"/results/interviews/{interview.pk}/auto-retry/", {"back": "https://evil.example/"})
    assert response["Location"] == "/results/" and Interview.objects.get(pk=interview.pk).auto_retry_failed is False
    assert recruiter_client.get(f"/results/interviews/{interview.pk}/auto-retry/").status_code == 405


def test_the_auto_retry_setting_can_be_posted_from_any_page_with_a_next_within_this_site(recruiter_client):
    """The interview page (or any other) posts ``enabled`` + ``next`` and comes back to itself."""
    interview = scored().interview
    url = f"/results/interviews/{interview.pk}/auto-retry/"
    page = f"/interviews/{interview.pk}/?tab=settings"
    response = recruiter_client.post(url, {"enabled": "on", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    assert Interview.objects.get(pk=interview.pk).auto_retry_failed is True
    assert "invited again automatically" in recruiter_client.get(response["Location"], follow=True).content.decode()
    for outside in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)",
                    "http://evil.example@testserver.evil/"):
        response = recruiter_client.post(url, {"enabled": "on", "next": outside})
        assert response["Location"] == "/results/", outside
    assert recruiter_client.post(url, {"next": "http://testserver/interviews/"})["Location"] == "http://testserver/interviews/"
    assert Interview.objects.get(pk=interview.pk).auto_retry_failed is False
    assert recruiter_client.post("/results/interviews/999999/auto-retry/", {"next": page}).status_code == 404
    from django.test import Client

    anonymous = Client().post(url, {"enabled": "on", "next": page})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert Interview.objects.get(pk=interview.pk).auto_retry_failed is False


def test_the_result_page_posts_the_setting_with_next_back_to_itself(recruiter_client):
    result = scored()
    html = recruiter_client.get(f"/results/{result.pk}/").content.decode()
    assert f'action="/results/interviews/{result.interview.pk}/auto-retry/"' in html
    assert f'name="next" value="/results/{result.pk}/"' in html
