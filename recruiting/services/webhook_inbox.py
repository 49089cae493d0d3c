"""Replaying stored webhook deliveries: process them again, one by one, whatever state they are in.

A replayed delivery goes back to ``pending`` and through ``recruiting.webhooks.process_delivery``
(the same handler the worker runs, idempotent and order-tolerant). A handler that fails marks it
``failed`` with the error, so a replay never leaves a delivery stuck in ``pending``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from mojito.models import WebhookDelivery

logger = logging.getLogger(__name__)

FAILED = "failed"
MISSING = "missing"


@dataclass(frozen=True)
class ReplayResult:
    delivery_id: int
    outcome: str  # processed, ignored, failed, missing
    error: str = ""


def webhook_delivery_replay(*, delivery_id: int) -> ReplayResult:
    """Process one stored delivery again -> its outcome (never raises for a handler failure)."""
    from recruiting.webhooks import mark_failed, process_delivery

    reset = WebhookDelivery.objects.filter(pk=delivery_id).update(state=WebhookDelivery.State.PENDING,
                                                                  processed_at=None)
    if not reset:
        return ReplayResult(delivery_id, MISSING, "No such delivery.")
    try:
        outcome = process_delivery(delivery_id)
    except Exception as exc:  # noqa: BLE001 - any handler failure is recorded on the delivery
        error = f"{type(exc).__name__}: {exc}"
        mark_failed(delivery_id, error)
        logger.warning("Replay of webhook delivery %s failed: %s", delivery_id, type(exc).__name__)
        return ReplayResult(delivery_id, FAILED, error[:2000])
    logger.info("Replayed webhook delivery %s: %s", delivery_id, outcome)
    return ReplayResult(delivery_id, outcome)


def webhook_deliveries_replay(*, delivery_ids=(), failed: bool = False) -> list[ReplayResult]:
    """Replay the given deliveries and, with ``failed``, every delivery now failed (oldest first)."""
    ids = list(dict.fromkeys(int(i) for i in delivery_ids))
    if failed:
        failed_ids = (WebhookDelivery.objects.filter(state=WebhookDelivery.State.FAILED)
                      .order_by("received_at", "pk").values_list("pk", flat=True))
        ids += [pk for pk in failed_ids if pk not in set(ids)]
    return [webhook_delivery_replay(delivery_id=pk) for pk in ids]


def replay_summary(results: list[ReplayResult]) -> dict[str, int]:
    summary: dict[str, int] = {}
    for result in results:
        summary[result.outcome] = summary.get(result.outcome, 0) + 1
    return summary
