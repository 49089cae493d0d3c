"""Periodic tasks (scheduled by beat in ``recruiting.celery``): reconcile results and sweep lost work.

The sweepers' services find what is stuck; this module queues it again (services never queue)."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.signals import worker_ready

from recruiting.tasks._base import task_name

logger = logging.getLogger(__name__)

OLD_MODULE = "recruiting.tasks_periodic"

# A first run against an account with a long history walks every row: give it time (each row is
# committed as it goes, so a run cut short loses nothing but time; the nightly full walk closes
# any gap a cut-short newest-first run leaves below the watermark).
RECONCILE_SOFT_TIME_LIMIT = 30 * 60


@shared_task(name=task_name(OLD_MODULE, "results_reconcile_task"), acks_late=True, ignore_result=True,
             soft_time_limit=RECONCILE_SOFT_TIME_LIMIT, time_limit=RECONCILE_SOFT_TIME_LIMIT + 60)
def results_reconcile_task(full: bool = False) -> dict:
    """Heal results (and interviews) whose webhook never arrived; safe to run twice."""
    from recruiting.services.mirror_sync import reconcile_all

    return reconcile_all(full=full).as_dict()


def bulk_invites_requeue_stuck(**kwargs) -> list[int]:
    """Enqueue ``bulk_invite_run`` again for each stuck bulk job; returns their ids."""
    from recruiting.services.sweepers import bulk_invites_stuck_ids
    from recruiting.tasks.bulk import bulk_invite_run

    ids = bulk_invites_stuck_ids(**kwargs)
    for bulk_id in ids:
        logger.warning("Bulk invite %s looks stuck: enqueueing it again", bulk_id)
        bulk_invite_run.delay(bulk_id)
    return ids


def webhook_deliveries_requeue_pending(**kwargs) -> list[int]:
    """Hand pending deliveries that were never processed (lost enqueue) to the processing task again."""
    from recruiting.services.sweepers import webhook_deliveries_unprocessed_ids
    from recruiting.tasks.webhooks import webhook_process

    ids = webhook_deliveries_unprocessed_ids(**kwargs)
    for delivery_id in ids:
        webhook_process.delay(delivery_id)
    return ids


@shared_task(name=task_name(OLD_MODULE, "sweep_stuck_work"), acks_late=True, ignore_result=True)
def sweep_stuck_work() -> dict:
    """Re-enqueue bulk invites stuck with unsent rows and webhook deliveries never processed."""
    return {"bulk_invites": bulk_invites_requeue_stuck(), "webhook_deliveries": webhook_deliveries_requeue_pending()}


@shared_task(name=task_name(OLD_MODULE, "webhook_deliveries_purge_task"), acks_late=True, ignore_result=True)
def webhook_deliveries_purge_task() -> int:
    """Drop old processed/ignored webhook deliveries (see ``webhook_deliveries_purge``)."""
    from recruiting.services.sweepers import webhook_deliveries_purge

    return webhook_deliveries_purge()


@worker_ready.connect
def sweep_on_worker_start(sender=None, **kwargs):
    """A worker that starts (e.g. after a crash) looks for work its predecessor left behind."""
    try:
        sweep_stuck_work.delay()
    except Exception:  # never stop a worker from starting
        logger.exception("Could not enqueue the startup sweep")
