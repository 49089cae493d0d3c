"""Result sync, another attempt, reports and view links against the in-process sandbox."""

import pytest

from mojito.errors import NotFound
from recruiting.models import InterviewResult
from recruiting.services import candidates, results as svc

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MOJITO_REPORT_HOSTS = ["127.0.0.1"]  # where the sandbox serves its signed report URLs
    return tmp_path


@pytest.fixture
def submitted(remote_interview, sandbox):
    """(invitation, interview_result_id) of a candidate who took and submitted the interview."""
    invitation = candidates.candidates_register(interview=remote_interview, email="taker@example.com", name="Taker")
    return invitation, sandbox.complete(invitation.mojito_id, outcome="submit")


def test_sync_stores_result_transcript_and_links_the_invitation(submitted, sandbox):
    invitation, result_id = submitted
    result = svc.result_sync(mojito_id=result_id)

    remote = sandbox.state.results[result_id]
    assert result.interview == invitation.interview
    assert result.invitation == invitation and result.candidate == invitation.candidate
    assert result.status == remote["status"] and result.coach_status == remote["coach_status"]
    assert result.score == pytest.approx(remote["score"])
    assert result.transcript_rows.count() == len(remote["transcript"]) > 0
    assert InterviewResult.objects.count() == 1


def test_sync_is_idempotent_and_accepts_the_webhook_alias(submitted):
    _, result_id = submitted
    first = svc.result_sync(mojito_id=result_id)
    second = svc.result_sync(result_mojito_id=result_id)
    assert first.pk == second.pk and InterviewResult.objects.count() == 1


def test_sync_of_an_abandoned_attempt(remote_interview, sandbox):
    invitation = candidates.candidates_register(interview=remote_interview, email="quitter@example.com")
    result = svc.result_sync(mojito_id=sandbox.complete(invitation.mojito_id, outcome="abandon"))
    assert result.coach_status == "abandoned" and result.invitation == invitation


def test_sync_unknown_result_raises_not_found(sandbox):
    with pytest.raises(NotFound):
        svc.result_sync(mojito_id="00000000-0000-4000-8000-00000000dead")


def test_request_another_attempt_reopens_remotely_and_locally(submitted, sandbox):
    _, result_id = submitted
    result = svc.result_sync(mojito_id=result_id)
    assert result.status == "active"

    reopened = svc.result_request_another_attempt(result=result)

    assert sandbox.state.results[result_id]["status"] == "draft"
    assert reopened.pk == result.pk and reopened.status == "draft"
    stored = InterviewResult.objects.get(pk=result.pk)
    assert stored.status == "draft"
    assert stored.coach_status == (sandbox.state.results[result_id]["coach_status"] or "")


def test_pdf_report_is_downloaded_and_stored(submitted, media, spy):
    _, result_id = submitted
    result = svc.result_sync(mojito_id=result_id)

    stored = svc.report_generate(result=result, export_type="pdf", template="modern",
                                 toggles={"transcript": True, "analytics": False})

    assert spy.bodies("job-interview-pdf")[-1]["store_file"] is True
    assert spy.bodies("job-interview-pdf")[-1]["template"] == "modern"
    with stored.report.open("rb") as handle:
        assert handle.read(4) == b"%PDF"
    assert stored.report.name.endswith(".pdf")
    assert InterviewResult.objects.get(pk=result.pk).report.name == stored.report.name
    downloads = [(url, auth) for url, auth in spy.urls_with_auth if "/reports/" in url]
    assert downloads and not any(auth for _, auth in downloads)  # the API token stays with the API host


def test_html_report_is_stored(submitted, media):
    _, result_id = submitted
    stored = svc.report_generate(result=svc.result_sync(mojito_id=result_id), export_type="html")
    with stored.report.open("rb") as handle:
        assert b"<html" in handle.read().lower()


def test_json_report_is_returned(submitted, media):
    _, result_id = submitted
    export = svc.report_generate(result=svc.result_sync(mojito_id=result_id), export_type="json")
    assert export["results"]


def test_report_download_refuses_other_hosts(submitted, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.MOJITO_REPORT_HOSTS = []  # the sandbox's report host is not allowed
    _, result_id = submitted
    with pytest.raises(svc.ReportDownloadRefused):
        svc.report_generate(result=svc.result_sync(mojito_id=result_id), export_type="pdf")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://169.254.169.254/latest/meta-data",
                                 "ftp://sandbox.invalid/x.pdf"])
def test_download_guard(sandbox, settings, url):
    settings.MOJITO_REPORT_HOSTS = ["127.0.0.1"]
    with pytest.raises(svc.ReportDownloadRefused):
        svc.download_report(url)


def test_result_view_url(submitted):
    _, result_id = submitted
    url = svc.result_view_url(result=svc.result_sync(mojito_id=result_id))
    assert url.startswith("http") and "token" in url


def test_sync_finds_the_interview_in_the_result_list_when_details_do_not_name_it(submitted, monkeypatch, spy):
    invitation, result_id = submitted
    # job-interview-details names neither the interview nor the candidate (spec), so the link
    # comes from the merchant-result-list row.
    details = svc.get_client().get_interview_result_details(result_id)
    assert not {"interview_id", "profile_interview_id", "candidate_email"} & set(details)
    result = svc.result_sync(mojito_id=result_id)
    assert result.interview == invitation.interview and result.invitation == invitation
    assert spy.count("merchant-result-list") >= 1


@pytest.mark.parametrize("allowed, url, ok", [
    (None, "https://momsbvnltsydezmoesqt.supabase.co/storage/v1/r.pdf", True),
    ([".reports.example.com"], "https://eu.reports.example.com/r.pdf", True),
    ([".reports.example.com"], "https://reports.example.com.evil.test/r.pdf", False),
    (["files.example.com"], "https://other.example.com/r.pdf", False),
])
def test_report_host_allow_list(sandbox, settings, allowed, url, ok):
    if allowed is None:
        del settings.MOJITO_REPORT_HOSTS
    else:
        settings.MOJITO_REPORT_HOSTS = allowed
    from recruiting.services.client import get_client

    if ok:
        assert svc._check_url(url, get_client()) is False  # allowed, but no token to a non-API host
    else:
        with pytest.raises(svc.ReportDownloadRefused):
            svc._check_url(url, get_client())
