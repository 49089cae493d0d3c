"""What the app does with a stored JobMojito webhook delivery (``mojito.models.WebhookDelivery``).

``HANDLERS`` maps an event kind to a service call. The payload is only a hint: every result event
makes ``result_sync`` fetch the current result (job-interview-details and its merchant-result-list
row), which wins over the payload; the payload fills in only what those lack (ids that link it, and
a decision or report URL when it agrees with the current state). The upsert is monotonic, so
duplicates and out-of-order deliveries cannot move a result backwards.

``process_delivery`` marks a delivery ``processed`` only after its handler has committed; a handler
that raises leaves it ``pending`` with ``attempts`` and ``last_error`` (the task retries it), and a
delivery whose state fits no event we act on is marked ``ignored``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Callable

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from mojito.models import WebhookDelivery
from mojito.vocabulary import WebhookEvent
from mojito.webhooks import unwrap_payload

logger = logging.getLogger(__name__)


# Webhook payload key (API reference 3.5) -> merchant-result-list row key (2.18), the one shape
# the result upsert reads; keys not listed keep their names.
_PAYLOAD_TO_ROW = {
    "id": "interview_result_id",
    "interview_status": "coach_status",
    "ai_analysis_recruiter_score": "score_interview_ai",
    "candidate_external_id": "external_id",
}
_DROPPED = {"interview_id", "question_set_id", "reason", "candidate_phone_number"}


def payload_as_row(payload: dict) -> dict:
    """A webhook payload in the shape of a merchant-result-list row."""
    row = {_PAYLOAD_TO_ROW.get(key, key): value for key, value in payload.items() if key not in _DROPPED}
    definition = payload.get("interview_id") or payload.get("question_set_id")
    if definition:
        row["definition_id"] = definition
    return row


def result_changed(*, delivery: WebhookDelivery, payload: dict) -> None:
    """Any of the three result events: fetch the current result and upsert it (``result_sync``);
    a stale delivery neither moves the result back nor overwrites what JobMojito says now."""
    from recruiting.services.results import result_sync

    result = result_sync(mojito_id=delivery.result_mojito_id, payload=payload_as_row(payload))
    if delivery.event == WebhookEvent.INTERVIEW_FAILED:
        from recruiting.services.reviews import result_auto_retry

        result_auto_retry(result=result)  # only when the interview asks for it; once per candidate


HANDLERS: dict[str, Callable[..., None]] = {
    WebhookEvent.INTERVIEW_COLLECTED: result_changed,
    WebhookEvent.INTERVIEW_RESULT: result_changed,
    WebhookEvent.INTERVIEW_FAILED: result_changed,
}


class DeliveryOutcome:
    PROCESSED = WebhookDelivery.State.PROCESSED
    IGNORED = WebhookDelivery.State.IGNORED
    SKIPPED = "skipped"  # already done (a duplicate hand-over)
    BUSY = "busy"  # another worker holds it right now (a duplicate hand-over); that one finishes it
    MISSING = "missing"  # no such delivery


# How long a worker holds a delivery it processes (beyond the task's hard time limit): a second
# hand-over of the same delivery (a re-delivery while it was pending) waits it out instead of
# running the handler again. A worker that dies leaves the claim to expire.
CLAIM = dt.timedelta(minutes=10)


def _claim(delivery_id: int) -> bool:
    """Atomically take a pending delivery for processing; False when another worker holds it."""
    now = timezone.now()
    return bool(WebhookDelivery.objects.filter(pk=delivery_id, state=WebhookDelivery.State.PENDING)
                .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
                .update(claimed_until=now + CLAIM))


def ignore_reason(delivery: WebhookDelivery, payload: dict | None) -> str:
    """Why a delivery needs no work ("" when it does)."""
    if payload is None:
        return "body is not a JSON object"
    if "table" in payload and payload.get("table") not in (None, "interview_result"):
        return f"legacy envelope for table {payload.get('table')!r}"
    if delivery.event not in HANDLERS:
        return "result state matches no webhook event (draft/ongoing or unknown)"
    return ""


def _payload(delivery: WebhookDelivery) -> dict | None:
    try:
        payload = json.loads(delivery.body)
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None


def process_delivery(delivery_id: int) -> str:
    """Run the handler of one delivery. Raises (after recording the error) when the handler fails."""
    delivery = WebhookDelivery.objects.filter(pk=delivery_id).first()
    if delivery is None:  # purged, or a message from another database: nothing to do, never retried
        logger.warning("Webhook delivery %s does not exist; nothing to process", delivery_id)
        return DeliveryOutcome.MISSING
    if delivery.state in (WebhookDelivery.State.PROCESSED, WebhookDelivery.State.IGNORED):
        return DeliveryOutcome.SKIPPED
    if delivery.state == WebhookDelivery.State.PENDING and not _claim(delivery.pk):
        done = WebhookDelivery.objects.filter(pk=delivery.pk, state__in=[
            WebhookDelivery.State.PROCESSED, WebhookDelivery.State.IGNORED]).exists()
        return DeliveryOutcome.SKIPPED if done else DeliveryOutcome.BUSY
    envelope = _payload(delivery)
    reason = ignore_reason(delivery, envelope)
    if reason:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            state=WebhookDelivery.State.IGNORED, processed_at=timezone.now(), last_error=reason, claimed_until=None
        )
        logger.info("Webhook delivery %s ignored: %s", delivery.pk, reason)
        return DeliveryOutcome.IGNORED
    try:
        HANDLERS[delivery.event](delivery=delivery, payload=unwrap_payload(envelope))
    except Exception as exc:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000], claimed_until=None
        )
        raise
    WebhookDelivery.objects.filter(pk=delivery.pk).exclude(state=WebhookDelivery.State.PROCESSED).update(
        state=WebhookDelivery.State.PROCESSED, processed_at=timezone.now(), attempts=F("attempts") + 1, last_error="",
        claimed_until=None,
    )
    return DeliveryOutcome.PROCESSED


QUEUE_BATCH = 500


def deliveries_take_for_queue(*, limit: int = QUEUE_BATCH) -> list[int]:
    """Take up to ``limit`` pending deliveries that were never attempted nor queued, oldest first,
    and mark them ``queued_at``; their ids, for the caller to queue. Two callers at once never take
    the same delivery (PostgreSQL skips the rows the other has locked; SQLite runs one writer at a
    time). One that is taken but never queued (a broker outage) is found by the stuck-work sweeper."""
    with transaction.atomic():
        ids = list(WebhookDelivery.objects.filter(state=WebhookDelivery.State.PENDING, attempts=0,
                                                  queued_at__isnull=True)
                   .order_by("pk").select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
        if ids:
            WebhookDelivery.objects.filter(pk__in=ids).update(queued_at=timezone.now())
    return ids


def mark_failed(delivery_id: int, error: str) -> None:
    """Give up on a delivery after the last retry (kept for the operators; reconcile still heals it)."""
    WebhookDelivery.objects.filter(pk=delivery_id, state=WebhookDelivery.State.PENDING).update(
        state=WebhookDelivery.State.FAILED, last_error=error[:2000]
    )
