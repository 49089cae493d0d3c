"""Two (or more) workers upserting the same remote object at once leave one row.

Runs on PostgreSQL (CI); SQLite serialises writers on the whole file, so the race cannot happen there.
"""

import threading

import pytest
from django.db import connection, connections

from recruiting.models import Candidate, Interview, InterviewResult, TranscriptRow
from recruiting.services.upserts import candidate_upsert, interview_upsert_from_payload, result_upsert_from_payload

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (row locks and concurrent inserts); CI runs the suite on PostgreSQL",
    ),
]

WORKERS = 6


def run_concurrently(fn, n=WORKERS):
    barrier = threading.Barrier(n)
    errors, results = [], []

    def worker(i):
        try:
            barrier.wait(timeout=10)
            results.append(fn(i))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    return results


def test_same_result_upserted_by_concurrent_workers_leaves_one_row():
    payload = {"id": "res-race", "interview_id": "int-race", "question_set_id": "int-race", "status": "active",
               "interview_status": "completed", "processing_status": "completed", "profile_interview_id": None,
               "profile_id": None, "score": 5.0, "candidate_email": "race@example.com", "candidate_name": "Race"}
    details = {"status": "completed", "transcript": [{"id": "t1", "is_answer": True, "answer": "a"}]}
    results = run_concurrently(lambda i: result_upsert_from_payload(payload, details=details).pk)
    assert len(set(results)) == 1
    assert InterviewResult.objects.count() == 1
    assert Interview.objects.count() == 1
    assert Candidate.objects.count() == 1
    assert TranscriptRow.objects.count() == 1


def test_same_interview_upserted_concurrently_leaves_one_row():
    payload = {"name": "Race", "status": "active", "questions": [{"question": "Q1"}, {"question": "Q2"}]}
    results = run_concurrently(lambda i: interview_upsert_from_payload(payload, mojito_id="int-race-2").pk)
    assert len(set(results)) == 1 and Interview.objects.count() == 1
    assert Interview.objects.get().questions.count() == 2


def test_same_candidate_upserted_concurrently_leaves_one_row():
    results = run_concurrently(lambda i: candidate_upsert(email=f" Same@Example.com{' ' * i}", name=f"N{i}").pk)
    assert len(set(results)) == 1 and Candidate.objects.count() == 1


def test_concurrent_states_end_at_the_highest_rank():
    base = {"id": "res-rank", "interview_id": "int-rank", "question_set_id": "int-rank", "profile_interview_id": None}
    states = [
        {"status": "draft", "interview_status": "ongoing", "processing_status": "new"},
        {"status": "draft", "interview_status": "completed", "processing_status": "new"},
        {"status": "active", "interview_status": "completed", "processing_status": "processing"},
        {"status": "active", "interview_status": "completed", "processing_status": "completed", "score": 8.0},
    ]
    run_concurrently(lambda i: result_upsert_from_payload({**base, **states[i % len(states)]}).pk, n=8)
    result = InterviewResult.objects.get()
    assert (result.status, result.processing_status, result.score) == ("active", "completed", 8.0)
