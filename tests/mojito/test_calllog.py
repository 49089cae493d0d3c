"""Every logical call leaves one ApiCall row and one INFO line, and neither ever holds a secret."""

from __future__ import annotations

import logging

import httpx
import pytest
from django.db import DatabaseError, transaction

from mojito.errors import InvalidRequest, MojitoOutcomeUnknown, ServerError
from mojito.models import ApiCall
from tests.mojito.test_client_samples import (
    CALLS,
    INTERVIEW_ID,
    POSITION_ID,
    SAMPLES,
    SET_STATE_EMBED,
    SIGNING_KEY,
    TEMPLATE_ID,
    TOKEN,
    FakeClock,
    Recorder,
    make_client,
)


def _req():
    return httpx.Request("POST", "https://jm.example.test/x")


def logged_client(rec, **kwargs):
    return make_client(rec, record_calls=True, **kwargs)


@pytest.mark.django_db
def test_one_row_for_a_successful_call():
    clock = FakeClock()

    def slow(request):
        clock.now += 0.25
        return httpx.Response(200, json=SAMPLES["job-interview-get"])
    logged_client(Recorder(slow), clock=clock).get_interview_definition(INTERVIEW_ID)
    row = ApiCall.objects.get()
    assert (row.endpoint, row.method, row.status_code, row.attempts, row.ok) == (
        "job-interview-get", "GET", 200, 1, True)
    assert row.duration_ms == 250
    assert (row.error, row.error_field, row.outcome_unknown) == ("", "", False)


@pytest.mark.django_db
def test_one_row_for_a_call_with_retries_counts_every_attempt():
    rec = Recorder(httpx.ConnectError("refused", request=_req()), httpx.ConnectError("refused", request=_req()),
                   SAMPLES["job-interview-register-users"])
    client = logged_client(rec)
    client.register_users_for_interview(INTERVIEW_ID, [{"email": "a@example.com"}])
    row = ApiCall.objects.get()
    assert (row.endpoint, row.method, row.status_code, row.attempts, row.ok) == (
        "job-interview-register-users", "POST", 200, 3, True)
    assert row.duration_ms == int(sum(client.fake_clock.sleeps) * 1000)


@pytest.mark.django_db
def test_row_for_exhausted_5xx():
    rec = Recorder(httpx.Response(503, json={"error": "Service unavailable"}))
    with pytest.raises(ServerError):
        logged_client(rec, max_attempts=3).get_merchant_status()
    row = ApiCall.objects.get()
    assert (row.status_code, row.attempts, row.ok, row.error, row.outcome_unknown) == (
        503, 3, False, "Service unavailable", False)


@pytest.mark.django_db
def test_row_for_a_validation_error_keeps_the_field():
    rec = Recorder(httpx.Response(422, json={"error": "Field is required.", "name": "interview_template_id"}))
    with pytest.raises(InvalidRequest):
        CALLS["job-interview-create"](logged_client(rec))
    row = ApiCall.objects.get()
    assert (row.status_code, row.attempts, row.ok) == (422, 1, False)
    assert (row.error, row.error_field) == ("Field is required.", "interview_template_id")


@pytest.mark.django_db
def test_row_for_outcome_unknown_has_no_status():
    rec = Recorder(httpx.ReadTimeout("timed out", request=_req()))
    with pytest.raises(MojitoOutcomeUnknown):
        CALLS["job-interview-create"](logged_client(rec))
    row = ApiCall.objects.get()
    assert row.status_code is None
    assert (row.attempts, row.ok, row.outcome_unknown) == (1, False, True)
    assert "ReadTimeout" in row.error


@pytest.mark.django_db
def test_row_for_a_bad_200_body():
    rec = Recorder(httpx.Response(200, text="<html>", headers={"content-type": "text/html"}))
    with pytest.raises(Exception):
        logged_client(rec).get_merchant_status()
    row = ApiCall.objects.get()
    assert (row.status_code, row.ok) == (200, False)
    assert "not JSON" in row.error


@pytest.mark.django_db
def test_one_row_per_logical_call_for_every_endpoint():
    client = logged_client(Recorder(lambda r: httpx.Response(200, json=SAMPLES[r.url.path.rsplit("/", 1)[-1]])))
    for call in CALLS.values():
        call(client)
    assert ApiCall.objects.count() == len(CALLS)
    assert set(ApiCall.objects.values_list("endpoint", flat=True)) == set(CALLS)
    assert all(ApiCall.objects.values_list("ok", flat=True))


@pytest.mark.django_db
def test_record_calls_false_writes_nothing():
    make_client(Recorder(SAMPLES["merchant-status"]), record_calls=False).get_merchant_status()
    assert ApiCall.objects.count() == 0


def test_without_database_access_the_call_still_works(caplog):
    # No django_db mark: pytest-django blocks the database, like a context without DB access.
    caplog.set_level(logging.WARNING, logger="mojito.client")
    out = logged_client(Recorder(SAMPLES["merchant-status"])).get_merchant_status()
    assert out["merchant_id"]
    assert any("Could not record" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_a_database_error_while_recording_does_not_break_the_call(monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise DatabaseError("disk I/O error")
    monkeypatch.setattr(ApiCall.objects, "create", broken)
    caplog.set_level(logging.WARNING, logger="mojito.client")
    out = logged_client(Recorder(SAMPLES["merchant-status"])).get_merchant_status()
    assert out["merchant_id"]
    assert any("Could not record" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db(transaction=True)
def test_a_recording_failure_leaves_the_callers_transaction_usable(monkeypatch):
    real_create = ApiCall.objects.create

    def fail_once(**kwargs):
        monkeypatch.setattr(ApiCall.objects, "create", real_create)
        # a real failing statement inside the savepoint
        ApiCall.objects.create(endpoint="x" * 10, method="GET", duration_ms=-1)
    monkeypatch.setattr(ApiCall.objects, "create", fail_once)
    client = logged_client(Recorder(SAMPLES["merchant-status"]))
    with transaction.atomic():
        client.get_merchant_status()
        client.get_merchant_status()  # the second call records normally within the same transaction
        assert ApiCall.objects.count() == 1
    assert ApiCall.objects.count() == 1


# --- the log line -----------------------------------------------------------------------------

def test_one_info_line_per_call_with_endpoint_status_duration_attempts(caplog):
    caplog.set_level(logging.INFO, logger="mojito.client")
    rec = Recorder(httpx.Response(503, json={"error": "x"}), SAMPLES["job-interview-details"])
    make_client(rec).get_interview_result_details("result-id-in-query")
    infos = [r for r in caplog.records if r.name == "mojito.client" and r.levelno == logging.INFO]
    assert len(infos) == 1
    message = infos[0].getMessage()
    assert "job-interview-details" in message and "200" in message and "2 attempts" in message
    assert " ms" in message
    assert "result-id-in-query" not in message and "http" not in message  # endpoint name only, no URL
    assert infos[0].mojito_attempts == 2 and infos[0].mojito_status == 200


# --- secrets ----------------------------------------------------------------------------------

RESUME = "Résumé of Jane Q. Confidential, born 1990, phone +385 91 555 0101, salary expectations 99k"
FILE_BYTES = b"%PDF-1.4 BINARY-CV-CONTENT-zq81 Jane Confidential"
KB_BYTES = b"INTERNAL-HANDBOOK-CONTENT-77x"


@pytest.mark.django_db
def test_no_secret_reaches_logs_or_call_rows(caplog):
    caplog.set_level(logging.DEBUG)  # every logger, every level

    def reply(request):
        endpoint = request.url.path.rsplit("/", 1)[-1]
        if endpoint == "job-interview-set-state":
            return httpx.Response(200, json=SET_STATE_EMBED)
        if endpoint == "job-interview-create-for-candidate-with-token":
            return httpx.Response(200, json={**SAMPLES[endpoint], "embed_id": "e", "embed_signing_key": SIGNING_KEY})
        return httpx.Response(200, json=SAMPLES[endpoint])
    client = logged_client(Recorder(reply))

    client.pre_screen_resume_text(position_id=POSITION_ID, candidate_name="Jane", candidate_email="jane@example.com",
                                  candidate_resume=RESUME)
    client.pre_screen_resume_binary(position_id=POSITION_ID, candidate_name="Jane",
                                    candidate_email="jane@example.com", file=FILE_BYTES, filename="cv.pdf",
                                    form={"education": "masters"})
    client.upload_knowledge_base_document(knowledge_base_store_id="kb", file=KB_BYTES, filename="h.txt")
    created = client.create_interview(name="PM", location="remote", interview_template_id=TEMPLATE_ID,
                                      mojito_language_code="en", status="active", type="interview",
                                      visibility="merchant_public", is_embedded=True)
    assert created["embed_signing_key"] == SIGNING_KEY
    assert client.set_interview_state(INTERVIEW_ID, is_embedded=True)["embed_signing_key"] == SIGNING_KEY
    client.create_interview_for_candidate(candidate_name="Jane", candidate_email="jane@example.com",
                                          candidate_country_code="HR", candidate_resume=RESUME,
                                          position_def_set_id=POSITION_ID, is_embedded=True)

    # failures too: the error paths must not echo bodies either
    failing = logged_client(Recorder(httpx.ReadTimeout("t", request=_req())))
    with pytest.raises(MojitoOutcomeUnknown) as unknown:
        failing.pre_screen_resume_text(position_id=POSITION_ID, candidate_name="Jane",
                                       candidate_email="jane@example.com", candidate_resume=RESUME)
    retrying = logged_client(Recorder(httpx.Response(503, json={"error": "down"}), SAMPLES["invite-users"]))
    retrying.invite_users([{"email": "jane@example.com"}])

    secrets = [TOKEN, RESUME, FILE_BYTES.decode(), KB_BYTES.decode(), SIGNING_KEY, "salary expectations"]
    log_text = caplog.text + "\n".join(
        f"{r.getMessage()} {r.args!r} {r.__dict__!r}" for r in caplog.records)
    rows = list(ApiCall.objects.values())
    assert len(rows) == 8
    row_text = repr(rows)
    for secret in secrets:
        assert secret not in log_text
        assert secret not in row_text
        assert secret not in str(unknown.value)
    assert "Bearer" not in log_text


@pytest.mark.django_db
def test_a_buffered_threads_calls_wait_for_flush_and_go_into_one_insert():
    from django.db import connections

    from mojito.calllog import CallLogBuffer, buffered
    from mojito.calllog_db import calllog_alias

    buffer = CallLogBuffer()
    with buffered(buffer):
        client = logged_client(Recorder(SAMPLES["merchant-status"], SAMPLES["merchant-status"],
                                        SAMPLES["merchant-status"]))
        for _ in range(3):
            client.get_merchant_status()
        assert ApiCall.objects.count() == 0  # nothing written by the calling thread
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connections[calllog_alias()]) as captured:
        assert buffer.flush() == 3
    inserts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1 and len(captured.captured_queries) <= 3  # a savepoint around it at most
    assert list(ApiCall.objects.values_list("endpoint", "ok")) == [("merchant-status", True)] * 3
    assert buffer.flush() == 0  # each call is written once
    logged_client(Recorder(SAMPLES["merchant-status"])).get_merchant_status()  # after the block: written at once
    assert ApiCall.objects.count() == 4


def test_a_buffer_only_takes_the_calls_of_the_threads_inside_buffered(monkeypatch):
    import threading

    from mojito import calllog
    from mojito.calllog import CallLogBuffer, CallOutcome, buffered, record_call

    written = []  # (thread, endpoints) of each write
    monkeypatch.setattr(calllog, "_write", lambda calls: written.append(
        (threading.get_ident(), [call.endpoint for call in calls])))
    buffer = CallLogBuffer()
    with buffered(buffer):
        other = threading.Thread(target=record_call, args=(CallOutcome(endpoint="merchant-status", method="GET"),))
        other.start()
        other.join()
        record_call(CallOutcome(endpoint="job-interview-get", method="GET"))
    assert [endpoints for _, endpoints in written] == [["merchant-status"]]  # the other thread wrote its own
    assert written[0][0] != threading.get_ident()
    assert buffer.flush() == 1
    assert written[1] == (threading.get_ident(), ["job-interview-get"])


@pytest.mark.django_db
def test_a_failed_flush_logs_a_warning_and_keeps_the_callers_work(monkeypatch, caplog):
    from mojito.calllog import CallLogBuffer, CallOutcome, buffered, record_call

    def broken(*args, **kwargs):
        raise DatabaseError("disk I/O error")
    monkeypatch.setattr(ApiCall.objects, "bulk_create", broken)
    caplog.set_level(logging.WARNING, logger="mojito.client")
    buffer = CallLogBuffer()
    with buffered(buffer):
        for _ in range(2):
            record_call(CallOutcome(endpoint="job-interview-register-users", method="POST", status_code=200,
                                    attempts=1, ok=True))
    assert buffer.flush() == 2
    assert ApiCall.objects.count() == 0
    assert any("Could not record 2 JobMojito call(s) to job-interview-register-users" in r.getMessage()
               for r in caplog.records)
