"""Background replay of stored webhook deliveries (the inbox's "Replay all failed" and the admin)."""

from __future__ import annotations

from celery import shared_task

from recruiting.services.webhook_inbox import replay_summary, webhook_deliveries_replay


@shared_task(acks_late=True, ignore_result=True)
def webhook_deliveries_replay_task(delivery_ids=(), failed: bool = False) -> dict[str, int]:
    """Replay these deliveries (and every failed one with ``failed``); safe to run twice."""
    return replay_summary(webhook_deliveries_replay(delivery_ids=delivery_ids or (), failed=failed))
