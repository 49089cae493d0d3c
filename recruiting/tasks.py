"""Celery tasks: each takes ids, calls one service, and is safe to run twice.

Send them with ``enqueue(task, *args)`` from inside the transaction that wrote the rows they need:
the message is published only after that transaction commits (and never after a rollback).

Transient failures (``MojitoTransportError``, ``ServerError``) are retried with exponential
backoff and jitter (at most ``MAX_RETRIES`` times, waits capped at ``RETRY_BACKOFF_MAX`` seconds,
far below the broker's visibility timeout). Anything else (a 4xx, a missing row) is logged and
not retried: running it again would fail the same way.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction

from mojito.errors import MojitoTransportError, ServerError
from mojito.vocabulary import ExportType

logger = logging.getLogger(__name__)

TRANSIENT = (MojitoTransportError, ServerError)
MAX_RETRIES = 5
RETRY_BACKOFF_MAX = 600

RETRYING = {
    "autoretry_for": TRANSIENT,
    "retry_backoff": True,
    "retry_backoff_max": RETRY_BACKOFF_MAX,
    "retry_jitter": True,
    "max_retries": MAX_RETRIES,
    "acks_late": True,
    "ignore_result": True,
}


def enqueue(task, *args, **kwargs) -> None:
    """Publish ``task`` with these arguments once the current transaction commits."""
    transaction.on_commit(lambda: task.delay(*args, **kwargs))


def _get(model, pk):
    """The row, or None (logged) when it was deleted since the task was sent."""
    try:
        return model.objects.get(pk=pk)
    except model.DoesNotExist:
        logger.warning("%s %s no longer exists; nothing to do", model.__name__, pk)
        return None


@shared_task(bind=True, **RETRYING)
def bulk_invite_run(self, bulk_invite_id: int) -> dict:
    """Send the pending rows of a bulk invite. A redelivered message re-sends rows left "sending".

    A large job is shared with helpers in other worker processes (``bulk_invite_share``); each
    claims its own chunks, so the job finishes whichever of them survives."""
    from recruiting.services.candidates import bulk_invite_share, invitations_send_bulk

    # A redelivered message means the worker that had it was lost: its "sending" rows are orphans.
    delivery_info = getattr(self.request, "delivery_info", None) or {}
    headers = getattr(self.request, "headers", None) or {}
    reclaim = bool(delivery_info.get("redelivered") or headers.get("redelivered"))
    own, *helpers = bulk_invite_share(bulk_invite_id=bulk_invite_id)
    for share in helpers:
        bulk_invite_help.delay(bulk_invite_id, share)
    bulk = invitations_send_bulk(bulk_invite_id=bulk_invite_id, reclaim=reclaim, concurrency=own)
    return {"status": bulk.status, "sent": bulk.sent_count, "failed": bulk.failed_count}


@shared_task(**RETRYING)
def bulk_invite_help(bulk_invite_id: int, concurrency: int) -> dict:
    """Help a running bulk invite: send pending rows with ``concurrency`` requests in flight."""
    from recruiting.services.candidates import invitations_send_bulk

    bulk = invitations_send_bulk(bulk_invite_id=bulk_invite_id, concurrency=concurrency)
    return {"status": bulk.status, "sent": bulk.sent_count, "failed": bulk.failed_count}


@shared_task(**RETRYING)
def result_sync_task(result_mojito_id: str) -> None:
    from recruiting.services.results import result_sync

    result_sync(mojito_id=result_mojito_id)


@shared_task(**RETRYING)
def interview_refresh_task(interview_id: int) -> None:
    from recruiting.models import Interview
    from recruiting.services.interviews import interview_refresh

    if interview := _get(Interview, interview_id):
        interview_refresh(interview=interview)


@shared_task(**RETRYING)
def interview_set_state_task(interview_id: int, status: str) -> None:
    from recruiting.models import Interview
    from recruiting.services.interviews import interview_set_state

    if interview := _get(Interview, interview_id):
        interview_set_state(interview=interview, status=status)


@shared_task(**RETRYING)
def interview_set_embedding_task(interview_id: int, enabled: bool) -> None:
    from recruiting.models import Interview
    from recruiting.services.interviews import interview_set_embedding

    if interview := _get(Interview, interview_id):
        interview_set_embedding(interview=interview, enabled=enabled)


@shared_task(**RETRYING)
def report_generate_task(result_id: int, export_type: str = ExportType.PDF, template: str | None = None,
                         toggles: dict | None = None) -> None:
    from recruiting.models import InterviewResult
    from recruiting.services.results import report_generate

    if result := _get(InterviewResult, result_id):
        report_generate(result=result, export_type=export_type, template=template, toggles=toggles)


@shared_task(**RETRYING)
def templates_sync_task() -> dict:
    from recruiting.services.templates import templates_sync

    outcome = templates_sync()
    return {"seen": outcome.seen, "legacy": outcome.legacy, "archived_locally": outcome.archived_locally}


@shared_task(**RETRYING)
def invitation_resend_task(invitation_id: int) -> None:
    from recruiting.models import Invitation
    from recruiting.services.candidates import invitation_resend

    if invitation := _get(Invitation, invitation_id):
        invitation_resend(invitation=invitation)


@shared_task(**RETRYING)
def result_request_another_attempt_task(result_id: int) -> None:
    from recruiting.models import InterviewResult
    from recruiting.services.results import result_request_another_attempt

    if result := _get(InterviewResult, result_id):
        result_request_another_attempt(result=result)
