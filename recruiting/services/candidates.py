"""Candidates and invitations: register one, invite some, re-send, mint links, and bulk invites.

Local rows are written *before* JobMojito is called and updated with its answer afterwards, so a
failure never loses what the recruiter entered: a registration that fails leaves its Invitation
with ``delivery_state=failed`` and ``last_error``, ready to be retried. Per-row errors of the batch
endpoints (``"Error: ..."``) are outcomes, not exceptions.

The bulk engine (ARCHITECTURE flow 2) is at the end of this module.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import timezone

from mojito.errors import MojitoAPIError, MojitoError, MojitoTransportError, ServerError
from mojito.vocabulary import InviteUserType, TokenType
from recruiting.models import BulkInvite, BulkInviteRow, Interview, Invitation, normalise_email
from recruiting.services.bulk_csv import parse_invite_csv
from recruiting.services.bulk_pipeline import pipeline_run, pipeline_run_inline
from recruiting.services.client import get_client
from recruiting.services.upserts import (Registration, bulk_insert_values, bulk_update_rows, can_claim_rows, candidate_upsert,
                                        claim_rows, increment_row, invitation_upsert, registrations_upsert)


def _pending_invitation(*, interview: Interview, email: str, name: str = "", external_id: str = "",
                        send_email: bool | None = None) -> Invitation:
    with transaction.atomic():
        candidate = candidate_upsert(email=email, name=name or None, external_id=external_id or None)
        return invitation_upsert(candidate=candidate, interview=interview, send_email=send_email)


def _record_failure(invitation: Invitation, message: str) -> Invitation:
    return invitation_upsert(candidate=invitation.candidate, interview=invitation.interview,
                             delivery_state=Invitation.DeliveryState.FAILED, last_error=message[:2000],
                             count_attempt=True)


def _register(invitation: Invitation, *, send_email: bool = False, hide_menu: bool | None = None,
              is_test: bool | None = None) -> Invitation:
    """register-users for one existing Invitation; store the row's outcome on it."""
    candidate = invitation.candidate
    user = {"email": candidate.email, "name": candidate.name or None, "external_id": candidate.external_id or None}
    try:
        rows = get_client().register_users_for_interview(
            invitation.interview.mojito_id, [{k: v for k, v in user.items() if v}], send_email=send_email,
            hide_menu=hide_menu, is_test=is_test)
    except MojitoError as exc:
        _record_failure(invitation, exc.message)
        raise
    row = rows[0] if rows else None
    if row is None:
        return _record_failure(invitation, "JobMojito returned no row for this candidate.")
    if not row.ok:
        return _record_failure(invitation, row.error or "Registration failed.")
    with transaction.atomic():
        candidate_upsert(email=candidate.email, profile_id=row.raw.get("profile_id"))
        return invitation_upsert(
            candidate=candidate, interview=invitation.interview, payload=row.raw,
            profile_interview_id=row.profile_interview_id, interview_url=row.interview_url or None,
            delivery_state=Invitation.DeliveryState.REGISTERED, last_error="", sent_at=timezone.now(),
            send_email=send_email, count_attempt=True)


def candidates_register(*, interview: Interview, email: str, name: str = "", external_id: str = "",
                        send_email: bool = False, hide_menu: bool | None = None,
                        is_test: bool | None = None) -> Invitation:
    """Register one candidate for ``interview`` (register-users with one row) -> its Invitation.

    A row error comes back as an Invitation with ``delivery_state=failed`` and the message in
    ``last_error``; a request-level error is recorded the same way and then raised.
    """
    invitation = _pending_invitation(interview=interview, email=email, name=name, external_id=external_id,
                                     send_email=send_email)
    return _register(invitation, send_email=send_email, hide_menu=hide_menu, is_test=is_test)


def candidates_invite(*, interview: Interview, people: list[dict], message_from_recruiter: str | None = None,
                      mojito_language_code: str | None = None, force_invite: bool | None = None) -> list[Invitation]:
    """invite-users (type candidate) for ``people`` ({"email", "name"?}); one Invitation each, in order."""
    invitations = [_pending_invitation(interview=interview, email=p["email"], name=p.get("name") or "")
                   for p in people]
    users = [{"email": inv.candidate.email, "name": inv.candidate.name or None, "type": InviteUserType.CANDIDATE,
              "interview_id": interview.mojito_id} for inv in invitations]
    try:
        rows = get_client().invite_users([{k: v for k, v in u.items() if v} for u in users],
                                         force_invite=force_invite, mojito_language_code=mojito_language_code,
                                         message_from_recruiter=message_from_recruiter)
    except MojitoError as exc:
        for invitation in invitations:
            _record_failure(invitation, exc.message)
        raise
    by_email = {(row.email or "").strip().lower(): row for row in rows}
    stored = []
    for index, invitation in enumerate(invitations):
        row = by_email.get(invitation.candidate.normalised_email) or (rows[index] if index < len(rows) else None)
        if row is None:
            stored.append(_record_failure(invitation, "JobMojito returned no row for this candidate."))
        elif not row.ok:
            stored.append(_record_failure(invitation, row.error or "Invitation failed."))
        else:
            with transaction.atomic():
                if row.profile_id:
                    candidate_upsert(email=invitation.candidate.email, profile_id=row.profile_id)
                stored.append(invitation_upsert(
                    candidate=invitation.candidate, interview=interview,
                    payload={k: v for k, v in row.raw.items() if k != "result"},
                    profile_interview_id=row.profile_interview_id,
                    delivery_state=Invitation.DeliveryState.INVITED, last_error="", sent_at=timezone.now(),
                    send_email=True, count_attempt=True))
    return stored


def invitation_resend(*, invitation: Invitation) -> Invitation:
    """Send the invitation again: invite-users with force_invite for invited profiles, otherwise
    register-users again with send_email (an upsert by email: one enrolment, a fresh link)."""
    invitation = Invitation.objects.select_related("candidate", "interview").get(pk=invitation.pk)
    if invitation.delivery_state == Invitation.DeliveryState.INVITED:
        return candidates_invite(interview=invitation.interview,
                                 people=[{"email": invitation.candidate.email, "name": invitation.candidate.name}],
                                 force_invite=True)[0]
    return _register(invitation, send_email=True)


def invitation_mint_url(*, invitation: Invitation, hide_menu: bool | None = None) -> Invitation:
    """job-interview-token interview-for-profile -> a fresh interview URL stored on the invitation."""
    if not invitation.mojito_id:
        raise ValueError("This invitation is not registered with JobMojito yet; register it first.")
    url = get_client().generate_interview_url(
        TokenType.INTERVIEW_FOR_PROFILE, interview_profile_id=invitation.mojito_id,
        interview_id=invitation.interview.mojito_id, hide_menu=hide_menu)
    return invitation_upsert(candidate=invitation.candidate, interview=invitation.interview, interview_url=url)




# --- Bulk invites (ARCHITECTURE flow 2) --------------------------------------------------------
#
# A BulkInvite holds one BulkInviteRow per CSV line. Rows move pending -> sending -> sent | failed
# (invalid and duplicate rows never leave their state). A sender claims chunks of pending rows
# atomically (SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL; on SQLite the IMMEDIATE transaction
# serialises the claim) and sends each to register-users outside any transaction; sender threads
# only make requests, and one thread per process records every row's own outcome together with the
# next claim, in one transaction (``recruiting.services.bulk_pipeline``). A chunk that fails on
# transport / 5xx goes back to pending (attempts + 1; failed after MAX_ROW_ATTEMPTS). Rows left in
# "sending" by a lost worker are reclaimed after a lease (or at once with reclaim=True);
# register-users is an upsert by email, so a row sent again
# after a worker died still yields one registration. Rows that are sent are never sent again.

MAX_ROW_ATTEMPTS = 3

# Starts a helper for a large job in another worker process: ``bulk_helper_sender(bulk_id, concurrency)``.
# Set by recruiting.tasks.bulk (services never import tasks); None: every row is sent from here.
bulk_helper_sender = None


def _lease() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "MOJITO_BULK_LEASE_SECONDS", 300)))


def bulk_invite_create_from_csv(*, interview: Interview, csv_file, created_by=None, send_email: bool = False,
                                hide_menu: bool = False, is_test: bool = False,
                                file_name: str | None = None) -> BulkInvite:
    """Parse ``csv_file`` (bytes, str or a file object) into a BulkInvite and its rows, in one
    transaction. Raises ``BulkCsvError`` when the file as a whole is unusable."""
    data = csv_file.read() if hasattr(csv_file, "read") else csv_file
    name = file_name if file_name is not None else str(getattr(csv_file, "name", "") or "")
    parsed = parse_invite_csv(data)
    with transaction.atomic():
        bulk = BulkInvite.objects.create(
            interview=interview, created_by=created_by, source_file_name=name[:255], send_email=send_email,
            hide_menu=hide_menu, is_test=is_test)
        bulk_insert_values(BulkInviteRow, [  # 10,000 lines: rows, not model instances
            {"bulk_id": bulk.pk, "line_number": row.line_number, "name": row.name[:255], "email": row.email[:320],
             "normalised_email": row.normalised_email[:320], "external_id": row.external_id[:128],
             "state": row.state, "error": row.error}
            for row in parsed
        ])
        _refresh_counts(bulk.pk)
    bulk.refresh_from_db()
    return bulk


def _refresh_counts(bulk_id: int) -> dict[str, int]:
    counts = dict(BulkInviteRow.objects.filter(bulk_id=bulk_id).values("state")
                  .annotate(n=Count("id")).values_list("state", "n"))
    State = BulkInviteRow.State
    BulkInvite.objects.filter(pk=bulk_id).update(
        total_count=sum(counts.values()), sent_count=counts.get(State.SENT, 0),
        failed_count=counts.get(State.FAILED, 0), duplicate_count=counts.get(State.DUPLICATE, 0),
        invalid_count=counts.get(State.INVALID, 0), updated_at=timezone.now())
    return counts


def _reclaim(bulk_id: int, *, everything: bool) -> int:
    """Rows stuck in "sending" (a lost worker) go back to pending, or fail once out of attempts.
    Returns how many rows were taken over."""
    now = timezone.now()
    State = BulkInviteRow.State
    stuck = BulkInviteRow.objects.filter(bulk_id=bulk_id, state=State.SENDING)
    if not everything:
        stuck = stuck.filter(updated_at__lt=now - _lease())
    with transaction.atomic():
        given_up = stuck.filter(attempts__gte=MAX_ROW_ATTEMPTS).update(
            state=State.FAILED, updated_at=now,
            error=f"Gave up after {MAX_ROW_ATTEMPTS} attempts: the worker sending this row was lost.")
        return given_up + stuck.filter(attempts__lt=MAX_ROW_ATTEMPTS).update(state=State.PENDING, updated_at=now)


# What a sender and the recording of its outcome read of a claimed row (the rest loads if asked for).
CLAIMED_FIELDS = ("bulk_id", "line_number", "name", "email", "normalised_email", "external_id", "invitation_id")


def _claim(bulk_id: int, size: int) -> list[BulkInviteRow]:
    """Atomically move up to ``size`` pending rows to "sending" and return them, in line order: one
    ``UPDATE ... RETURNING`` where the database has it (``claim_rows``), two queries elsewhere."""
    State = BulkInviteRow.State
    now = timezone.now()
    if can_claim_rows(connection):
        rows = claim_rows(BulkInviteRow, {"bulk_id": bulk_id, "state": State.PENDING}, order_by="line_number",
                          limit=size, set_values={"state": State.SENDING, "updated_at": now},
                          increment="attempts", only=CLAIMED_FIELDS)
        return sorted(rows, key=lambda row: row.line_number)
    with transaction.atomic(savepoint=False):
        pending = BulkInviteRow.objects.filter(bulk_id=bulk_id, state=State.PENDING).order_by("line_number")
        if connection.features.has_select_for_update_skip_locked:
            pending = pending.select_for_update(skip_locked=True)
        rows = list(pending[:size])
        if not rows:
            return []
        # The rows are locked: every one of them is still pending, so the UPDATE moves them all.
        BulkInviteRow.objects.filter(pk__in=[row.pk for row in rows], state=State.PENDING).update(
            state=State.SENDING, attempts=F("attempts") + 1, updated_at=now)
        for row in rows:
            row.state, row.attempts, row.updated_at = State.SENDING, row.attempts + 1, now
        return rows


def _claim_chunks(bulk_id: int, size: int, count: int) -> list[list[BulkInviteRow]]:
    """Claim up to ``count`` chunks of ``size`` rows at once (the same two queries) -> the chunks."""
    rows = _claim(bulk_id, size * count) if count > 0 else []
    return [rows[start:start + size] for start in range(0, len(rows), size)]


def _requeue(rows: list[BulkInviteRow], message: str) -> None:
    State = BulkInviteRow.State
    now = timezone.now()
    ids = [row.pk for row in rows]
    with transaction.atomic(savepoint=False):
        mine = BulkInviteRow.objects.filter(pk__in=ids, state=State.SENDING)
        mine.filter(attempts__gte=MAX_ROW_ATTEMPTS).update(
            state=State.FAILED, updated_at=now, error=f"Failed after {MAX_ROW_ATTEMPTS} attempts: {message}"[:2000])
        mine.filter(attempts__lt=MAX_ROW_ATTEMPTS).update(state=State.PENDING, updated_at=now, error=message[:2000])


def _fail(rows: list[BulkInviteRow], message: str) -> None:
    BulkInviteRow.objects.filter(pk__in=[r.pk for r in rows], state=BulkInviteRow.State.SENDING).update(
        state=BulkInviteRow.State.FAILED, error=message[:2000], updated_at=timezone.now())


def _match(rows: list[BulkInviteRow], answers: list) -> list:
    by_email = {}
    for answer in answers:
        by_email.setdefault((answer.email or "").strip().lower(), answer)
    matched = []
    for index, row in enumerate(rows):
        answer = by_email.get(row.normalised_email)
        if answer is None and len(answers) == len(rows):
            answer = answers[index]
        matched.append(answer)
    return matched


def _post_chunk(bulk: BulkInvite, rows: list[BulkInviteRow], client) -> list:
    """register-users for one chunk (the request only, no database write) -> its answers, in row order."""
    users = [{k: v for k, v in {"email": row.email.strip(), "name": row.name, "external_id": row.external_id}.items()
              if v} for row in rows]
    return _match(rows, client.register_users_for_interview(
        bulk.interview.mojito_id, users, send_email=bulk.send_email or None, hide_menu=bulk.hide_menu or None,
        is_test=bulk.is_test or None))


def _record_chunks(bulk: BulkInvite, done: list[tuple[list[BulkInviteRow], object]]) -> None:
    """Store what the requests of ``done`` ([(rows, answers or the exception)]) came to, in the
    caller's transaction: answered chunks together (``_record_outcomes``: the same queries for one
    chunk or five), a failed request's rows back to pending (transport, 5xx, an unexpected error;
    failed once out of attempts) or failed with the API's message."""
    answered_rows, answers, errors = [], [], False
    for rows, outcome in done:
        if isinstance(outcome, (MojitoTransportError, ServerError)):
            _requeue(rows, outcome.message)
        elif isinstance(outcome, MojitoAPIError):
            _fail(rows, str(outcome))
        elif isinstance(outcome, Exception):  # a bug: its message may hold anything, the worker log has it
            _requeue(rows, f"Unexpected error while sending ({type(outcome).__name__}); the details are in "
                           "the worker's log.")
        else:
            answered_rows += rows
            answers += outcome
            continue
        errors = True
    if answered_rows:
        _record_answers(bulk)(bulk, answered_rows, answers)
    if errors:
        _refresh_counts(bulk.pk)


def _record_outcomes(bulk: BulkInvite, rows: list[BulkInviteRow], answers: list) -> None:
    """Every row's own outcome, in one transaction and a fixed number of queries whatever the chunk
    size: the candidates and invitations of the rows that went through (``registrations_upsert``),
    one UPDATE for the rows, one for the job's counters."""
    now = timezone.now()
    State = BulkInviteRow.State
    registered = []
    for row, answer in zip(rows, answers):
        if answer is None:
            row.state, row.error, row.result = State.FAILED, "JobMojito returned no row for this email.", ""
        elif not answer.ok:
            row.state, row.error, row.result = State.FAILED, answer.error or "Registration failed.", answer.result or ""
        else:
            row.state, row.error, row.result = State.SENT, "", answer.result or ""
            row.profile_interview_id = answer.profile_interview_id or ""
            row.interview_url = answer.interview_url or ""
            registered.append((row, Registration(
                email=row.email.strip(), name=row.name, external_id=row.external_id,
                profile_id=answer.raw.get("profile_id"), profile_interview_id=answer.profile_interview_id,
                interview_url=answer.interview_url or "", payload=answer.raw)))
        row.error = row.error[:2000]
        row.updated_at = now
    with transaction.atomic(savepoint=False):
        invitations = registrations_upsert(interview=bulk.interview, registrations=[r for _, r in registered],
                                           send_email=bulk.send_email, sent_at=now)
        for row, _ in registered:
            row.invitation = invitations[normalise_email(row.email)]
        bulk_update_rows(
            rows, ["state", "error", "result", "profile_interview_id", "interview_url", "invitation", "updated_at"])
        sent = len(registered)
        increment_row(BulkInvite, bulk.pk, {"sent_count": sent, "failed_count": len(rows) - sent},
                      set_values={"updated_at": now})


def _finish(bulk_id: int) -> None:
    State = BulkInviteRow.State
    counts = _refresh_counts(bulk_id)
    if counts.get(State.PENDING) or counts.get(State.SENDING):
        return  # another sender is still at work; it finishes the job
    errors = counts.get(State.FAILED, 0) + counts.get(State.INVALID, 0) + counts.get(State.DUPLICATE, 0)
    status = BulkInvite.Status.COMPLETED_WITH_ERRORS if errors else BulkInvite.Status.COMPLETED
    now = timezone.now()
    BulkInvite.objects.filter(pk=bulk_id).update(status=status, finished_at=now, updated_at=now)


def _threads_can_share_the_database() -> bool:
    """Whether sender threads (each with its own connection) see our rows and can write.

    Not inside a transaction (other connections cannot see its rows), and not on an in-memory
    SQLite database (shared-cache table locks are not retried: the test database of SQLite).
    """
    if connection.in_atomic_block:
        return False
    return not (connection.vendor == "sqlite" and connection.is_in_memory_db())


def invitations_send_bulk(*, bulk_invite_id: int, reclaim: bool = False, concurrency: int | None = None) -> BulkInvite:
    """Send every pending row of a bulk invite to register-users, chunked, with bounded concurrency.

    Safe to run twice, also at the same time: a row is claimed by one sender only, and a sent row
    is never sent again. ``reclaim=True`` (a redelivered task) re-sends rows left in "sending".
    ``concurrency``: requests in flight from this call. Without it a large job is shared
    (``bulk_invite_shares``) with helpers that ``bulk_helper_sender`` starts in other worker
    processes, each calling this again with its share.
    """
    bulk = BulkInvite.objects.select_related("interview").get(pk=bulk_invite_id)
    _note_resume(bulk, reclaimed=_reclaim(bulk.pk, everything=reclaim))
    pending = BulkInviteRow.objects.filter(bulk_id=bulk.pk, state=BulkInviteRow.State.PENDING).count()
    if pending:
        now = timezone.now()
        BulkInvite.objects.filter(pk=bulk.pk).update(status=BulkInvite.Status.RUNNING, updated_at=now)
        BulkInvite.objects.filter(pk=bulk.pk, started_at__isnull=True).update(started_at=now)
        size = max(1, int(settings.MOJITO_BULK_CHUNK_SIZE))
        if concurrency is None:
            concurrency, *helpers = bulk_invite_shares(pending=pending)
            if helpers and bulk_helper_sender is not None and not connection.in_atomic_block:
                for share in helpers:
                    bulk_helper_sender(bulk.pk, share)
            else:
                concurrency = sum(helpers, concurrency)
        workers = max(1, min(int(concurrency), -(-pending // size)))
        client = get_client()
        post = _chunk_poster(bulk)

        def step(done: list, wanted: int) -> list[list[BulkInviteRow]]:
            with transaction.atomic(savepoint=False):  # the outcomes and the next claim: one transaction
                if done:
                    _record_chunks(bulk, done)
                return _claim_chunks(bulk.pk, size, wanted)

        def request(rows: list[BulkInviteRow]):
            try:
                return post(bulk, rows, client)
            except MojitoError as exc:  # an expected outcome (the client logged it): step records it
                return exc

        if workers > 1 and _threads_can_share_the_database():
            pipeline_run(step=step, request=request, workers=workers, name=f"bulk-{bulk.pk}")
        else:
            pipeline_run_inline(step=step, request=request)
    _finish(bulk.pk)
    bulk.refresh_from_db()
    return bulk


def bulk_invite_shares(*, pending: int) -> list[int]:
    """How a job's requests in flight are split over worker processes -> one share per process.

    The per-row database work of a chunk is CPU-bound Python, so one process (one GIL) sending a
    large job keeps one core busy while its requests wait on it. Jobs of at least two chunks per
    request slot are split over up to ``MOJITO_BULK_PROCESSES`` processes; the total in flight
    stays ``MOJITO_BULK_CONCURRENCY``. The first share is the caller's own.
    """
    total = max(1, int(settings.MOJITO_BULK_CONCURRENCY))
    processes = max(1, min(int(getattr(settings, "MOJITO_BULK_PROCESSES", 1)), total))
    size = max(1, int(settings.MOJITO_BULK_CHUNK_SIZE))
    if processes == 1 or -(-pending // size) < 2 * total:
        return [total]
    return [total // processes + (1 if i < total % processes else 0) for i in range(processes)]


def bulk_invite_retry_failed(*, bulk_invite_id: int) -> int:
    """Put the failed rows of a bulk invite back to pending; returns how many. Enqueue a send next."""
    now = timezone.now()
    with transaction.atomic():
        count = BulkInviteRow.objects.filter(bulk_id=bulk_invite_id, state=BulkInviteRow.State.FAILED).update(
            state=BulkInviteRow.State.PENDING, attempts=0, error="", updated_at=now)
        if count:
            BulkInvite.objects.filter(pk=bulk_invite_id).update(
                status=BulkInvite.Status.QUEUED, finished_at=None, updated_at=now)
        _refresh_counts(bulk_invite_id)
    return count


def _csv_cell(value: str) -> str:
    """Neutralise spreadsheet formulas in text that came from an uploaded file."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def bulk_invite_errors_csv(bulk: BulkInvite) -> str:
    """``line,email,error`` for every invalid, duplicate or failed row, in file order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["line", "email", "error"])
    State = BulkInviteRow.State
    for line, email, state, error in (BulkInviteRow.objects.filter(
            bulk=bulk, state__in=[State.INVALID, State.DUPLICATE, State.FAILED])
            .order_by("line_number").values_list("line_number", "email", "state", "error")):
        writer.writerow([line, _csv_cell(email), _csv_cell(error or state)])
    return out.getvalue()


# --- Bulk invites: delivery by email (invite-users) and resumed jobs ------------------------------


def _chunk_poster(bulk: BulkInvite):
    """The request that sends one chunk: register-users (links) or invite-users (JobMojito emails)."""
    return _post_chunk_invite_users if bulk.delivery == BulkInvite.Delivery.EMAIL else _post_chunk


def _record_answers(bulk: BulkInvite):
    """How the answers of answered chunks are stored, by the request that got them."""
    return _record_invite_users if bulk.delivery == BulkInvite.Delivery.EMAIL else _record_outcomes


def _post_chunk_invite_users(bulk: BulkInvite, rows: list[BulkInviteRow], client) -> list:
    """invite-users (type candidate) for one chunk; JobMojito emails each person, no link comes back."""
    users = [{k: v for k, v in {"email": row.email.strip(), "name": row.name, "type": InviteUserType.CANDIDATE,
                                "interview_id": bulk.interview.mojito_id}.items() if v} for row in rows]
    return _match(rows, client.invite_users(users, message_from_recruiter=bulk.message_from_recruiter or None))


def _record_invite_users(bulk: BulkInvite, rows: list[BulkInviteRow], answers: list) -> None:
    now = timezone.now()
    State = BulkInviteRow.State
    with transaction.atomic(savepoint=False):
        for row, answer in zip(rows, answers):
            row.profile_interview_id, row.interview_url = "", ""
            if answer is None:
                row.state, row.error, row.result = State.FAILED, "JobMojito returned no row for this email.", ""
            elif not answer.ok:
                row.state, row.error, row.result = State.FAILED, answer.error or "Invitation failed.", answer.result or ""
            else:
                candidate = candidate_upsert(email=row.email.strip(), name=row.name or None,
                                             external_id=row.external_id or None, profile_id=answer.profile_id)
                row.invitation = invitation_upsert(
                    candidate=candidate, interview=bulk.interview,
                    payload={k: v for k, v in answer.raw.items() if k != "result"},
                    profile_interview_id=answer.profile_interview_id,
                    delivery_state=Invitation.DeliveryState.INVITED, last_error="", sent_at=now,
                    send_email=True, count_attempt=True)
                row.state, row.error, row.result = State.SENT, "", answer.result or ""
                row.profile_interview_id = answer.profile_interview_id or ""
            row.error = row.error[:2000]
            row.updated_at = now
        bulk_update_rows(
            rows, ["state", "error", "result", "profile_interview_id", "interview_url", "invitation", "updated_at"])
        _refresh_counts(bulk.pk)


def _note_resume(bulk: BulkInvite, *, reclaimed: int) -> None:
    """Record that this run takes over from a lost worker: it reclaimed that worker's rows, or the
    job was left running with no progress for longer than the lease (so the page can say so)."""
    now = timezone.now()
    abandoned = bulk.status == BulkInvite.Status.RUNNING and bulk.updated_at < now - _lease()
    if reclaimed or abandoned:
        BulkInvite.objects.filter(pk=bulk.pk).update(resumed_at=now, resumed_count=F("resumed_count") + 1,
                                                     updated_at=now)
