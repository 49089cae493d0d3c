"""Bulk invites: CSV parsing and validation, chunked sending, retries, per-row outcomes, no double sends."""

import csv
import io
import threading

import pytest
from django.db import connection

from recruiting.models import BulkInvite, BulkInviteRow, Invitation
from recruiting.services import candidates as svc
from recruiting.services.bulk_csv import BulkCsvError, parse_invite_csv

State = BulkInviteRow.State


def _csv(n: int, *, extra: str = "", header: str = "name,email,external_id", sep: str = ",") -> str:
    lines = [header] if header else []
    lines += [sep.join([f"Person {i}", f"person{i}@example.com", f"ext-{i}"]) for i in range(n)]
    return "\n".join(lines) + "\n" + extra


def _registered_emails(sandbox) -> list[str]:
    return [p["email"] for p in sandbox.state.profiles.values()]


# --- parsing -----------------------------------------------------------------------------------


def test_parse_header_any_order_and_case_semicolon_bom():
    rows = parse_invite_csv("\ufeffEMAIL;External ID;Name\r\nann@example.com;a1;Ann\r\n\r\nbob@example.com;;Bob\r\n"
                            .encode("utf-8"))
    assert [(r.line_number, r.name, r.email, r.external_id, r.state) for r in rows] == [
        (2, "Ann", "ann@example.com", "a1", State.PENDING), (4, "Bob", "bob@example.com", "", State.PENDING)]


def test_parse_without_header_is_positional_and_single_column_is_email():
    rows = parse_invite_csv(b"Ann,ann@example.com,a1\n")
    assert (rows[0].name, rows[0].email, rows[0].external_id, rows[0].line_number) == ("Ann", "ann@example.com", "a1", 1)
    assert parse_invite_csv(b"bob@example.com\n")[0].email == "bob@example.com"


def test_parse_marks_invalid_and_duplicates_with_line_numbers():
    rows = parse_invite_csv('name,email\nA,a@example.com\nB,not-an-email\nC,\nD,A@Example.com \n"E, Jr",e@example.com\n')
    by_line = {r.line_number: r for r in rows}
    assert by_line[2].state == State.PENDING
    assert by_line[3].state == State.INVALID and "Line 3" in by_line[3].error and "not-an-email" in by_line[3].error
    assert by_line[4].state == State.INVALID and "Missing email" in by_line[4].error
    assert by_line[5].state == State.DUPLICATE and "duplicate of line 2" in by_line[5].error
    assert by_line[6].state == State.PENDING and by_line[6].name == "E, Jr"


@pytest.mark.parametrize("data, message", [
    (b"\xff\xfe\x00bad", "UTF-8"), (b"", "no rows"), (b"name,email\n", "no rows")])
def test_parse_rejects_unusable_files(data, message):
    with pytest.raises(BulkCsvError, match=message):
        parse_invite_csv(data)


def test_parse_row_limit(settings):
    settings.BULK_INVITE_MAX_ROWS = 3
    with pytest.raises(BulkCsvError, match="more than 3"):
        parse_invite_csv(_csv(4))


# --- the engine --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_120_rows_with_2_invalid_and_1_duplicate(remote_interview, sandbox, spy):
    data = _csv(117, extra="Bad One,bad@@example.com,\nBad Two,nope,\nDup,PERSON5@example.com,\n")
    bulk = svc.bulk_invite_create_from_csv(interview=remote_interview, csv_file=io.BytesIO(data.encode()),
                                           file_name="people.csv")
    assert (bulk.total_count, bulk.invalid_count, bulk.duplicate_count, bulk.status) == (120, 2, 1, "queued")
    assert bulk.source_file_name == "people.csv"

    bulk = svc.invitations_send_bulk(bulk_invite_id=bulk.pk)

    assert bulk.sent_count == 117 and bulk.failed_count == 0
    assert bulk.status == BulkInvite.Status.COMPLETED_WITH_ERRORS and bulk.finished_at is not None
    assert spy.count("job-interview-register-users") == 3  # chunks of 50
    assert max(spy.emails_sent().values()) == 1 and len(spy.emails_sent()) == 117
    sent = BulkInviteRow.objects.filter(bulk=bulk, state=State.SENT)
    assert sent.count() == 117
    assert all(r.interview_url and r.profile_interview_id in sandbox.state.enrolments and r.invitation_id for r in sent)
    assert Invitation.objects.filter(interview=remote_interview, delivery_state="registered").count() == 117
    assert len(_registered_emails(sandbox)) == 117

    errors = list(csv.reader(io.StringIO(svc.bulk_invite_errors_csv(bulk))))
    assert errors[0] == ["line", "email", "error"]
    assert [(line, email) for line, email, _ in errors[1:]] == [
        ("119", "bad@@example.com"), ("120", "nope"), ("121", "PERSON5@example.com")]


@pytest.mark.django_db
def test_running_twice_sends_nothing_the_second_time(remote_interview, sandbox, spy):
    bulk = svc.bulk_invite_create_from_csv(interview=remote_interview, csv_file=_csv(10))
    svc.invitations_send_bulk(bulk_invite_id=bulk.pk)
    calls = spy.count("job-interview-register-users")
    bulk = svc.invitations_send_bulk(bulk_invite_id=bulk.pk)
    assert spy.count("job-interview-register-users") == calls == 1
    assert bulk.status == BulkInvite.Status.COMPLETED and bulk.sent_count == 10


@pytest.mark.django_db
def test_without_update_returning_the_claim_takes_two_queries_and_sends_the_same(remote_interview, sandbox, spy,
                                                                                  monkeypatch, settings):
    """A database without UPDATE ... RETURNING (SQLite before 3.35) claims with SELECT + UPDATE."""
    settings.MOJITO_BULK_CHUNK_SIZE = 20
    monkeypatch.setattr(svc, "can_claim_rows", lambda connection: False)
    bulk = svc.bulk_invite_create_from_csv(interview=remote_interview, csv_file=_csv(45))
    bulk = svc.invitations_send_bulk(bulk_invite_id=bulk.pk)
    assert bulk.status == BulkInvite.Status.COMPLETED and bulk.sent_count == 45
    assert spy.count("job-interview-register-users") == 3
    assert max(spy.emails_sent().values()) == 1 and len(spy.emails_sent()) == 45
    assert set(BulkInviteRow.objects.filter(bulk=bulk).values_list("state", "attempts")) == {(State.SENT, 1)}


@pytest.mark.django_db
def test_a_chunk_failing_with_5xx_is_retried_and_nothing_is_sent_twice(remote_interview, sandbox, spy, settings):
    settings.MOJITO_BULK_CHUNK_SIZE = 20
    # Every attempt of the client's first call fails (it retries 5xx itself): the chunk goes back to pending.
    spy.faults["job-interview-register-users"] = [503, 503, 503]
    bulk = svc.bulk_invite_create_from_csv(interview=remote_interview, csv_file=_csv(60))

    bulk = svc.invitations_send_bulk(bulk_invite_id=bulk.pk)

    assert bulk.sent_count == 60 and bulk.status == BulkInvite.Status.COMPLETED
    # The sandbox registered each person once; only the failed chunk's rows were ever repeated.
    assert len(_registered_emails(sandbox)) == 60
    assert len([e for e in sandbox.state.enrolments.values() if e["interview_id"] == remote_interview.mojito_id]) == 60
    applied = spy.emails_sent()
    assert sum(applied.values()) == 60 + 20 * 3  # 3 rejected attempts of one chunk of 20
    assert BulkInviteRow.objects.filter(bulk=bulk, attempts=2).count() == 20
    assert BulkInviteRow.objects.filter(bulk=bulk, attempts=1).count() == 40


@pytest.mark.django_db
def test_chunk_that_keeps_failing_ends_failed_after_three_attempts(remote_interview, sandbox, spy, settings):
    spy.faults["job-interview-register-users"] = [500] * 9
    bulk = svc.bulk_invite_create_from_csv(interview=remote_interview, csv_file=_csv(5))
    bulk = svc.invitations_send_bulk(bulk_invite_id=bulk.pk)
    assert bulk.failed_count == 5 and bulk.status == BulkInvite.Status.COMPLETED_WITH_ERRORS
    row = BulkInviteRow.objects.filter(bulk=bulk).first()
    assert row.attempts == 3 and "after 3 attempts" in row.error
    assert spy.count("job-interview-register-users") == 9


@pytest.mark.django_db
def test_row_errors_fail_with_the_message_and_retry_failed_resends_only_those(remote_interview, sandbox, spy):
    spy.row_errors.update({"person3@example.com": "mailbox full", "person7@example.com": "domain blocked"})
    bulk = svc.bulk_invite_create_from_csv(interview=remote_interview, csv_file=_csv(10))
    bulk = svc.invitations_send_bulk(bulk_invite_id=bulk.pk)

    assert bulk.sent_count == 8 and bulk.failed_count == 2
    failed = {r.email: r.error for r in BulkInviteRow.objects.filter(bulk=bulk, state=State.FAILED)}
    assert failed == {"person3@example.com": "mailbox full", "person7@example.com": "domain blocked"}
    assert "mailbox full" in svc.bulk_invite_errors_csv(bulk)

    assert svc.bulk_invite_retry_failed(bulk_invite_id=bulk.pk) == 2
    before = len(spy.bodies("job-interview-register-users"))
    bulk = svc.invitations_send_bulk(bulk_invite_id=bulk.pk)

    resent = spy.bodies("job-interview-register-users")[before:]
    assert [sorted(u["email"] for u in body["users"]) for body in resent] == [
        ["person3@example.com", "person7@example.com"]]
    assert bulk.sent_count == 10 and bulk.failed_count == 0 and bulk.status == BulkInvite.Status.COMPLETED
    assert svc.bulk_invite_errors_csv(bulk).strip() == "line,email,error"


@pytest.mark.django_db
def test_rows_stuck_sending_are_reclaimed(remote_interview, sandbox, spy):
    bulk = svc.bulk_invite_create_from_csv(interview=remote_interview, csv_file=_csv(4))
    # A worker claimed two rows and died.
    stuck = list(BulkInviteRow.objects.filter(bulk=bulk).order_by("line_number")[:2])
    BulkInviteRow.objects.filter(pk__in=[r.pk for r in stuck]).update(state=State.SENDING, attempts=1)

    bulk = svc.invitations_send_bulk(bulk_invite_id=bulk.pk)  # within the lease: left alone
    assert bulk.sent_count == 2 and bulk.status == BulkInvite.Status.RUNNING

    bulk = svc.invitations_send_bulk(bulk_invite_id=bulk.pk, reclaim=True)  # a redelivered task
    assert bulk.sent_count == 4 and bulk.status == BulkInvite.Status.COMPLETED
    assert max(spy.emails_sent().values()) == 1


@pytest.mark.django_db
def test_expired_lease_is_reclaimed_and_redelivery_is_capped(remote_interview, sandbox, spy, settings):
    settings.MOJITO_BULK_LEASE_SECONDS = 0
    bulk = svc.bulk_invite_create_from_csv(interview=remote_interview, csv_file=_csv(2))
    first, second = BulkInviteRow.objects.filter(bulk=bulk).order_by("line_number")
    BulkInviteRow.objects.filter(pk=first.pk).update(state=State.SENDING, attempts=1)
    BulkInviteRow.objects.filter(pk=second.pk).update(state=State.SENDING, attempts=3)  # lost 3 times: poison

    bulk = svc.invitations_send_bulk(bulk_invite_id=bulk.pk)

    assert BulkInviteRow.objects.get(pk=first.pk).state == State.SENT
    poison = BulkInviteRow.objects.get(pk=second.pk)
    assert poison.state == State.FAILED and "Gave up after 3 attempts" in poison.error
    assert bulk.status == BulkInvite.Status.COMPLETED_WITH_ERRORS


@pytest.mark.django_db
def test_request_level_error_fails_the_rows_with_the_message(sandbox, spy, db):
    from tests.recruiting.conftest import make_interview

    bulk = svc.bulk_invite_create_from_csv(interview=make_interview(), csv_file=_csv(3))
    bulk = svc.invitations_send_bulk(bulk_invite_id=bulk.pk)
    assert bulk.failed_count == 3
    assert "not found" in BulkInviteRow.objects.filter(bulk=bulk).first().error


@pytest.mark.django_db(transaction=True)
def test_threads_send_every_row_exactly_once(remote_interview, sandbox, spy, settings):
    if not svc._threads_can_share_the_database():
        pytest.skip("In-memory SQLite (shared-cache table locks) cannot serve several connections at once; "
                    "the engine sends from one thread there. Run with DATABASE_URL=postgres://... to test threads.")
    used = set()
    original = svc._post_chunk

    def post(bulk, rows, client):
        used.add(threading.get_ident())
        return original(bulk, rows, client)

    import unittest.mock

    patcher = unittest.mock.patch.object(svc, "_post_chunk", post)
    patcher.start()
    settings.MOJITO_BULK_CHUNK_SIZE = 7
    settings.MOJITO_BULK_CONCURRENCY = 4
    bulk = svc.bulk_invite_create_from_csv(interview=remote_interview, csv_file=_csv(100))
    try:
        bulk = svc.invitations_send_bulk(bulk_invite_id=bulk.pk)
    finally:
        patcher.stop()
    assert bulk.sent_count == 100 and bulk.status == BulkInvite.Status.COMPLETED
    assert len(spy.emails_sent()) == 100 and max(spy.emails_sent().values()) == 1
    assert len(used) > 1  # several sender threads did the work
    from mojito.models import ApiCall

    # the senders' call log rows, written by the job's thread: one per request (ceil(100 / 7))
    assert ApiCall.objects.filter(endpoint="job-interview-register-users", ok=True).count() == 15


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_every_row_exactly_once(remote_interview, sandbox, spy, settings):
    if not svc._threads_can_share_the_database():
        pytest.skip("Concurrent claiming needs a database several connections can use at once: PostgreSQL "
                    "(SELECT ... FOR UPDATE SKIP LOCKED, as CI runs) or a file SQLite database (IMMEDIATE "
                    "transactions); set DATABASE_URL=postgres://... to run it.")
    settings.MOJITO_BULK_CHUNK_SIZE = 10
    settings.MOJITO_BULK_CONCURRENCY = 3
    bulk = svc.bulk_invite_create_from_csv(interview=remote_interview, csv_file=_csv(150))
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            svc.invitations_send_bulk(bulk_invite_id=bulk.pk)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    sent = spy.emails_sent()
    assert len(sent) == 150 and max(sent.values()) == 1
    bulk.refresh_from_db()
    assert bulk.sent_count == 150 and bulk.status == BulkInvite.Status.COMPLETED
    assert len(_registered_emails(sandbox)) == 150


@pytest.mark.django_db
def test_a_single_5xx_is_absorbed_by_the_client_retry(remote_interview, sandbox, spy, settings):
    settings.MOJITO_BULK_CHUNK_SIZE = 25
    spy.faults["job-interview-register-users"] = [502]
    bulk = svc.bulk_invite_create_from_csv(interview=remote_interview, csv_file=_csv(50))
    bulk = svc.invitations_send_bulk(bulk_invite_id=bulk.pk)
    assert bulk.sent_count == 50 and bulk.status == BulkInvite.Status.COMPLETED
    assert spy.count("job-interview-register-users") == 3  # 2 chunks + 1 retried request
    assert len(_registered_emails(sandbox)) == 50
    assert set(BulkInviteRow.objects.filter(bulk=bulk).values_list("attempts", flat=True)) == {1}


# --- cost by counts: queries per chunk and requests per job, whatever the chunk size --------------


def _queries_to_send(interview, n: int, *, prefix: str) -> tuple[int, BulkInvite]:
    from django.test.utils import CaptureQueriesContext

    data = "name,email\n" + "".join(f"P {i},{prefix}{i}@example.com\n" for i in range(n))
    bulk = svc.bulk_invite_create_from_csv(interview=interview, csv_file=data)
    with CaptureQueriesContext(connection) as queries:
        bulk = svc.invitations_send_bulk(bulk_invite_id=bulk.pk)
    # Statements, not transaction bookkeeping (savepoints exist only inside the test's transaction).
    statements = [q for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    return len(statements), bulk


@pytest.mark.django_db
def test_a_chunk_costs_the_same_queries_for_2_rows_as_for_50(remote_interview, sandbox, spy, settings):
    settings.MOJITO_BULK_CHUNK_SIZE = 50
    small, first = _queries_to_send(remote_interview, 2, prefix="small")
    large, second = _queries_to_send(remote_interview, 50, prefix="large")
    assert (first.sent_count, second.sent_count) == (2, 50)
    assert large == small  # one chunk each: nothing is done per row
    assert spy.count("job-interview-register-users") == 2  # one request per chunk


@pytest.mark.django_db
def test_each_further_chunk_adds_a_fixed_number_of_queries(remote_interview, sandbox, spy, settings):
    settings.MOJITO_BULK_CHUNK_SIZE = 10
    one, _ = _queries_to_send(remote_interview, 10, prefix="one")
    three, _ = _queries_to_send(remote_interview, 30, prefix="three")
    five, bulk = _queries_to_send(remote_interview, 50, prefix="five")
    per_chunk = (three - one) // 2
    assert three - one == 2 * per_chunk and five - three == 2 * per_chunk
    assert per_chunk <= 10  # claim 2, request log 1, candidates 3 and invitations 2, rows 1, counters 1
    assert bulk.sent_count == 50
    assert spy.count("job-interview-register-users") == 1 + 3 + 5


@pytest.mark.django_db
def test_rows_of_known_people_update_them_in_the_same_queries(remote_interview, sandbox, spy, settings):
    settings.MOJITO_BULK_CHUNK_SIZE = 50
    fresh, _ = _queries_to_send(remote_interview, 20, prefix="known")
    # The same people again in a new file: candidates and invitations exist and are updated in bulk.
    again, bulk = _queries_to_send(remote_interview, 20, prefix="known")
    assert again <= fresh + 2  # two bulk UPDATEs instead of two bulk INSERTs, at most
    assert bulk.sent_count == 20
    assert Invitation.objects.filter(interview=remote_interview, candidate__email__startswith="known").count() == 20
    assert set(Invitation.objects.filter(interview=remote_interview, candidate__email__startswith="known")
               .values_list("attempts", flat=True)) == {2}


def test_large_jobs_are_shared_over_worker_processes_with_the_same_requests_in_flight(settings):
    settings.MOJITO_BULK_CHUNK_SIZE, settings.MOJITO_BULK_CONCURRENCY, settings.MOJITO_BULK_PROCESSES = 50, 5, 2
    assert svc.bulk_invite_shares(pending=10_000) == [3, 2]
    assert svc.bulk_invite_shares(pending=450) == [5]  # under two chunks per request slot: alone
    settings.MOJITO_BULK_PROCESSES = 1
    assert svc.bulk_invite_shares(pending=10_000) == [5]


@pytest.mark.django_db(transaction=True)  # helpers are only started outside a transaction
def test_a_large_job_starts_helpers_and_sends_every_row_once(remote_interview, sandbox, spy, settings, monkeypatch):
    settings.MOJITO_BULK_CHUNK_SIZE, settings.MOJITO_BULK_CONCURRENCY, settings.MOJITO_BULK_PROCESSES = 5, 3, 3
    started = []

    def helper(bulk_id, concurrency):  # what a helper in another process does, here after the fact
        started.append((bulk_id, concurrency))

    monkeypatch.setattr(svc, "bulk_helper_sender", helper)
    bulk = svc.bulk_invite_create_from_csv(interview=remote_interview, csv_file=_csv(40))
    bulk = svc.invitations_send_bulk(bulk_invite_id=bulk.pk)
    assert started == [(bulk.pk, 1), (bulk.pk, 1)]
    for bulk_id, concurrency in started:  # a helper that comes late finds nothing left to send
        svc.invitations_send_bulk(bulk_invite_id=bulk_id, concurrency=concurrency)
    assert bulk.sent_count == 40 and bulk.status == BulkInvite.Status.COMPLETED
    assert len(spy.emails_sent()) == 40 and max(spy.emails_sent().values()) == 1
    assert spy.count("job-interview-register-users") == 8


@pytest.mark.django_db
def test_an_unexpected_error_in_a_request_puts_its_rows_back_and_they_go_out_again(remote_interview, sandbox, spy,
                                                                                      monkeypatch):
    original, calls = svc._post_chunk, []

    def post(bulk, rows, client):
        calls.append(len(rows))
        if len(calls) == 1:
            raise RuntimeError("a bug on our side")
        return original(bulk, rows, client)

    monkeypatch.setattr(svc, "_post_chunk", post)
    bulk = svc.bulk_invite_create_from_csv(interview=remote_interview, csv_file=_csv(10))
    bulk = svc.invitations_send_bulk(bulk_invite_id=bulk.pk)
    assert bulk.sent_count == 10 and bulk.status == BulkInvite.Status.COMPLETED
    assert calls == [10, 10]
    assert set(BulkInviteRow.objects.filter(bulk=bulk).values_list("attempts", flat=True)) == {2}
    assert len(_registered_emails(sandbox)) == 10


@pytest.mark.django_db
def test_an_unexpected_error_is_recorded_without_its_message_which_goes_to_the_log(remote_interview, sandbox, spy,
                                                                                      monkeypatch, settings, caplog):
    def post(bulk, rows, client):
        raise RuntimeError("token=very-secret-value")

    monkeypatch.setattr(svc, "_post_chunk", post)
    bulk = svc.bulk_invite_create_from_csv(interview=remote_interview, csv_file=_csv(3))
    bulk = svc.invitations_send_bulk(bulk_invite_id=bulk.pk)
    errors = set(BulkInviteRow.objects.filter(bulk=bulk).values_list("error", flat=True))
    assert bulk.failed_count == 3 and len(errors) == 1
    (error,) = errors
    assert "RuntimeError" in error and "worker's log" in error and "very-secret-value" not in error
    assert any(r.levelname == "ERROR" and r.exc_info for r in caplog.records)


@pytest.mark.django_db
def test_an_expected_failure_is_not_logged_as_a_bug(remote_interview, sandbox, spy, settings, caplog):
    settings.MOJITO_BULK_CHUNK_SIZE = 25
    spy.faults["job-interview-register-users"] = [502, 502, 502]  # the client's three attempts, then requeued
    bulk = svc.bulk_invite_create_from_csv(interview=remote_interview, csv_file=_csv(25))
    bulk = svc.invitations_send_bulk(bulk_invite_id=bulk.pk)
    assert bulk.sent_count == 25
    assert not [r for r in caplog.records if r.name == "recruiting.services.bulk_pipeline"]
