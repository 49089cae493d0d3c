"""Reconcile a page at a time: the queries per page do not grow with the new results in it, one
details request per new result, and what a page creates equals what the one-row upsert creates."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recruiting.models import Candidate, InterviewResult, TranscriptRow
from recruiting.services import mirror_sync as sync
from recruiting.services.upserts import result_upsert_from_payload
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
