"""Celery task that processes stored webhook deliveries (see ``recruiting.webhooks``)."""

from __future__ import annotations

import logging
import random

from celery import shared_task

from recruiting.tasks._base import task_name

logger = logging.getLogger(__name__)

MAX_RETRIES = 8
BACKOFF_BASE = 5
BACKOFF_CAP = 600  # stays far below the broker's visibility timeout


def retry_delay(retries: int) -> float:
    """Exponential backoff with full jitter: ~5 s, 10 s, 20 s ... capped at 10 minutes."""
    return random.uniform(BACKOFF_BASE / 2, min(BACKOFF_CAP, BACKOFF_BASE * 2**retries))


@shared_task(bind=True, name=task_name("recruiting.webhook_tasks", "webhook_process"), max_retries=MAX_RETRIES,
             acks_late=True)
def webhook_process(self, delivery_id: int) -> str:
    """Process one delivery; on failure it stays pending and is retried, then marked failed."""
    from recruiting.webhooks import mark_failed, process_delivery

    try:
        return process_delivery(delivery_id)
    except Exception as exc:
        if self.request.retries >= self.max_retries:
            logger.error("Webhook delivery %s failed after %s attempts: %s", delivery_id, self.request.retries + 1, exc)
            mark_failed(delivery_id, f"{type(exc).__name__}: {exc}")
            return "failed"
        raise self.retry(exc=exc, countdown=retry_delay(self.request.retries))


def enqueue_delivery(delivery_id: int) -> None:
    """Called by the webhook view once the delivery has committed."""
    webhook_process.delay(delivery_id)
