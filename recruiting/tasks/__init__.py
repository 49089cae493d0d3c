"""Celery tasks, one module per family; every task is re-exported here.

``from recruiting.tasks import bulk_invite_run, enqueue`` keeps working, and the worker's
autodiscovery (which imports ``recruiting.tasks``) registers every task by importing this package.
Registered task names are unchanged from before the package (see ``_base.task_name``).
"""

from recruiting.tasks._base import MAX_RETRIES, RETRY_BACKOFF_MAX, RETRYING, TRANSIENT, enqueue, get_or_none
from recruiting.tasks.bulk import bulk_invite_help, bulk_invite_run, invitation_resend_task
from recruiting.tasks.careers import application_prescreen_task, careers_housekeeping_task
from recruiting.tasks.interviews import (
    interview_refresh_task,
    interview_set_embedding_task,
    interview_set_state_task,
    templates_sync_task,
)
from recruiting.tasks.periodic import (
    bulk_invites_requeue_stuck,
    results_reconcile_task,
    sweep_stuck_work,
    webhook_deliveries_purge_task,
    webhook_deliveries_requeue_pending,
)
from recruiting.tasks.results import report_generate_task, result_request_another_attempt_task, result_sync_task
from recruiting.tasks.webhook_replay import webhook_deliveries_replay_task
from recruiting.tasks.webhooks import enqueue_delivery, webhook_process, webhook_queue_pending

__all__ = [
    "application_prescreen_task",
    "careers_housekeeping_task",
    "MAX_RETRIES",
    "RETRY_BACKOFF_MAX",
    "RETRYING",
    "TRANSIENT",
    "bulk_invite_help",
    "bulk_invite_run",
    "bulk_invites_requeue_stuck",
    "enqueue",
    "enqueue_delivery",
    "get_or_none",
    "interview_refresh_task",
    "interview_set_embedding_task",
    "interview_set_state_task",
    "invitation_resend_task",
    "report_generate_task",
    "result_request_another_attempt_task",
    "result_sync_task",
    "results_reconcile_task",
    "sweep_stuck_work",
    "templates_sync_task",
    "webhook_deliveries_purge_task",
    "webhook_deliveries_replay_task",
    "webhook_deliveries_requeue_pending",
    "webhook_process",
    "webhook_queue_pending",
]
