"""Periodic tasks (scheduled by beat in ``recruiting.celery``): reconcile results and sweep lost work."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.signals import worker_ready

logger = logging.getLogger(__name__)


# A first run against an account with a long history walks every row: give it time (each row is
# committed as it goes, so a run cut short loses nothing but time; the nightly full walk closes
# any gap a cut-short newest-first run leaves below the watermark).
RECONCILE_SOFT_TIME_LIMIT = 30 * 60


@shared_task(acks_late=True, ignore_result=True, soft_time_limit=RECONCILE_SOFT_TIME_LIMIT,
             time_limit=RECONCILE_SOFT_TIME_LIMIT + 60)
def results_reconcile_task(full: bool = False) -> dict:
    """Heal results (and interviews) whose webhook never arrived; safe to run twice."""
    from recruiting.services.sync import reconcile_all

    return reconcile_all(full=full).as_dict()


@shared_task(acks_late=True, ignore_result=True)
def sweep_stuck_work() -> dict:
    """Re-enqueue bulk invites stuck with unsent rows and webhook deliveries never processed."""
    from recruiting.services.sync import bulk_invites_requeue_stuck, webhook_deliveries_requeue_pending

    return {"bulk_invites": bulk_invites_requeue_stuck(), "webhook_deliveries": webhook_deliveries_requeue_pending()}


@shared_task(acks_late=True, ignore_result=True)
def webhook_deliveries_purge_task() -> int:
    """Drop old processed/ignored webhook deliveries (see ``webhook_deliveries_purge``)."""
    from recruiting.services.sync import webhook_deliveries_purge

    return webhook_deliveries_purge()


@worker_ready.connect
def sweep_on_worker_start(sender=None, **kwargs):
    """A worker that starts (e.g. after a crash) looks for work its predecessor left behind."""
    try:
        sweep_stuck_work.delay()
    except Exception:  # never stop a worker from starting
        logger.exception("Could not enqueue the startup sweep")
