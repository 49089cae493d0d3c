"""Reconcile a page at a time: the queries per page do not grow with the new results in it, one
details request per new result, and what a page creates equals what the one-row upsert creates."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recruiting.models import Candidate, InterviewResult, TranscriptRow
from recruiting.services import mirror_sync as sync
from recruiting.services.upserts import parse_remote_datetime, result_upsert_from_payload
from tests.recruiting.conftest import make_interview, make_invitation
from tests.recruiting.test_sync import fake  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _statements(captured) -> int:
    """SQL statements besides the call log's one INSERT per request and savepoints."""
    return sum(1 for q in captured.captured_queries
               if "mojito_apicall" not in q["sql"] and not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT")))


def _reconcile_queries(fake, n: int) -> int:  # noqa: F811
    fake.results.clear()
    interview = fake.add_interview()
    for _ in range(n):
        fake.add_result(interview)
    fake.calls.clear()
    with CaptureQueriesContext(connection) as captured:
        report = sync.results_reconcile(full=True, page_size=100)
    assert report.results_created == n and not report.errors
    assert fake.calls["job-interview-details"] == n  # one per new result, none for the ones held
    return _statements(captured)


def test_a_page_of_new_results_costs_the_same_queries_for_5_as_for_30(fake):  # noqa: F811
    # (30, not 100: SQLite's 999-parameter limit splits a larger INSERT of results into batches)
    five = _reconcile_queries(fake, 5)
    InterviewResult.objects.all().delete()
    Candidate.objects.all().delete()
    thirty = _reconcile_queries(fake, 30)
    assert thirty == five
    assert TranscriptRow.objects.count() == 30 * 2


def test_a_page_creates_what_the_one_row_upsert_creates(fake):  # noqa: F811
    interview = fake.add_interview()
    result_ids = [fake.add_result(interview) for _ in range(3)]
    sync.results_reconcile(full=True)
    paged = {r.mojito_id: r for r in InterviewResult.objects.select_related("candidate", "interview")}
    rows = {rid: dict(fake.results[rid]) for rid in result_ids}
    InterviewResult.objects.all().delete()
    Candidate.objects.all().delete()
    for rid in result_ids:
        result_upsert_from_payload(rows[rid], details=fake.details(rid), mojito_id=rid)
    one_by_one = {r.mojito_id: r for r in InterviewResult.objects.select_related("candidate", "interview")}
    fields = ("status", "coach_status", "processing_status", "score", "state_rank", "profile_interview_id",
              "remote_updated_at", "ai_analysis_recruiter", "raw")
    for rid in result_ids:
        assert {f: getattr(paged[rid], f) for f in fields} == {f: getattr(one_by_one[rid], f) for f in fields}
        assert paged[rid].candidate.email == one_by_one[rid].candidate.email
        assert paged[rid].interview.mojito_id == one_by_one[rid].interview.mojito_id == interview


def test_a_result_stored_meanwhile_goes_through_the_one_row_upsert(fake, monkeypatch):  # noqa: F811
    interview = fake.add_interview()
    raced = fake.add_result(interview)
    fake.add_result(interview)
    original = sync._fetch_details

    def fetch_and_race(client, ids):
        fetched = original(client, ids)
        result_upsert_from_payload(fake.results[raced], details=fetched[raced], mojito_id=raced)  # a webhook
        return fetched

    monkeypatch.setattr(sync, "_fetch_details", fetch_and_race)
    report = sync.results_reconcile(full=True)
    assert not report.errors and InterviewResult.objects.count() == 2
    assert report.results_created + report.results_updated + report.results_unchanged == 2


# --- deferred details: list rows first, details after ------------------------------------------


def test_a_deferred_reconcile_stores_the_list_rows_without_fetching_details(fake):  # noqa: F811
    interview = fake.add_interview()
    result_ids = [fake.add_result(interview) for _ in range(4)]
    fake.calls.clear()
    report = sync.results_reconcile(full=True, defer_details=True)
    assert fake.calls["job-interview-details"] == 0
    assert report.results_created == 4 and report.details_deferred == 4 and report.detail_fetches == 0
    stored = {r.mojito_id: r for r in InterviewResult.objects.all()}
    assert set(stored) == set(result_ids) and all(r.details_pending for r in stored.values())
    row = fake.results[result_ids[0]]
    assert (stored[result_ids[0]].status, stored[result_ids[0]].score) == (row["status"], row["score"])
    assert TranscriptRow.objects.count() == 0


def test_pending_details_are_fetched_once_and_equal_a_full_reconcile(fake):  # noqa: F811
    interview = fake.add_interview()
    result_ids = [fake.add_result(interview) for _ in range(3)]
    sync.results_reconcile(full=True, defer_details=True)
    fake.calls.clear()
    report = sync.results_fetch_pending_details()
    assert fake.calls["job-interview-details"] == 3 and report.detail_fetches == 3 and not report.errors
    assert not InterviewResult.objects.filter(details_pending=True).exists()
    deferred = {r.mojito_id: r for r in InterviewResult.objects.all()}
    assert TranscriptRow.objects.count() == 3 * 2
    fake.calls.clear()
    assert sync.results_fetch_pending_details().detail_fetches == 0 and fake.calls["job-interview-details"] == 0
    InterviewResult.objects.all().delete()
    Candidate.objects.all().delete()
    sync.results_reconcile(full=True)
    direct = {r.mojito_id: r for r in InterviewResult.objects.all()}
    fields = ("status", "coach_status", "processing_status", "score", "state_rank", "ai_analysis_recruiter",
              "remote_updated_at", "details_pending")
    for rid in result_ids:
        assert {f: getattr(deferred[rid], f) for f in fields} == {f: getattr(direct[rid], f) for f in fields}


def test_a_failed_details_fetch_stays_pending_and_is_reported(fake, monkeypatch):  # noqa: F811
    from mojito.errors import ServerError

    interview = fake.add_interview()
    result_ids = [fake.add_result(interview) for _ in range(2)]
    sync.results_reconcile(full=True, defer_details=True)
    real = sync._fetch_details

    def one_fails(client, ids):
        out = real(client, ids)
        out[result_ids[0]] = ServerError("JobMojito answered 503")
        return out

    monkeypatch.setattr(sync, "_fetch_details", one_fails)
    report = sync.results_fetch_pending_details()
    assert report.detail_fetches == 1 and len(report.errors) == 1 and result_ids[0] in report.errors[0]
    assert list(InterviewResult.objects.filter(details_pending=True).values_list("mojito_id", flat=True)) == [
        result_ids[0]]
    monkeypatch.setattr(sync, "_fetch_details", real)
    assert sync.results_fetch_pending_details().detail_fetches == 1
    assert not InterviewResult.objects.filter(details_pending=True).exists()


def test_the_periodic_reconcile_leaves_nothing_pending(fake):  # noqa: F811
    interview = fake.add_interview()
    for _ in range(3):
        fake.add_result(interview)
    report = sync.reconcile_all(full=True)
    assert report.results_created == 3 and report.details_deferred == 3 and report.detail_fetches == 3
    assert not InterviewResult.objects.filter(details_pending=True).exists()
    assert TranscriptRow.objects.count() == 6


def test_a_page_starts_the_invitations_of_its_results_at_their_first_attempt(fake):  # noqa: F811
    interview_id = fake.add_interview()
    first, second = fake.add_result(interview_id), fake.add_result(interview_id)
    interview = make_interview(mojito_id=interview_id)
    pi = fake.results[first]["profile_interview_id"]
    fake.results[second]["profile_interview_id"] = pi  # a second attempt of the same invitation
    fake.results[first]["created_at"], fake.results[second]["created_at"] = "2026-11-02T09:00:00Z", "2026-11-01T09:00:00Z"
    invitation = make_invitation(interview=interview, mojito_id=pi)
    untouched = make_invitation(interview=interview)
    sync.results_reconcile(full=True)
    invitation.refresh_from_db()
    untouched.refresh_from_db()
    assert InterviewResult.objects.filter(invitation=invitation).count() == 2
    assert invitation.started_at == parse_remote_datetime("2026-11-01T09:00:00Z")
    assert untouched.started_at is None
