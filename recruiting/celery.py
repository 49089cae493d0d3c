"""The Celery app. Broker: Redis when REDIS_URL is set, else an embedded filesystem broker under var/.

Configured from Django settings (``CELERY_*``): JSON only, late acks, time limits, no result
backend (outcomes live in the database).

Tasks live in the ``recruiting.tasks`` package (autodiscovered; its ``__init__`` imports every
module, and task names are unchanged from the old ``tasks``/``tasks_periodic``/``webhook_tasks``
modules so queued messages and beat entries still resolve). Beat (``celery worker --beat``) runs the result reconciliation every
``RESULT_SYNC_INTERVAL_SECONDS`` (and a full walk daily), the sweep for lost work every five
minutes and the webhook inbox purge daily.

Redis: a lost worker's messages are redelivered about ``CELERY_VISIBILITY_TIMEOUT`` seconds later
(the restore scan follows the timeout); ``CELERY_BROKER_KEY_PREFIX`` (optional) prefixes every
broker key, so several deployments or test sessions can share one Redis database.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recruiting.settings")

app = Celery("recruiting")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_serializer="json",
    accept_content=["json"],
    result_serializer="json",
    task_ignore_result=True,
    result_backend=None,
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_soft_time_limit=120,
    task_time_limit=150,
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)
app.autodiscover_tasks(["recruiting"])


def _beat_schedule() -> dict:
    from django.conf import settings

    interval = float(getattr(settings, "RESULT_SYNC_INTERVAL_SECONDS", 300) or 300)
    return {
        "reconcile-results": {
            "task": "recruiting.tasks_periodic.results_reconcile_task",
            "schedule": interval,
            "options": {"expires": interval},
        },
        "reconcile-results-full": {
            "task": "recruiting.tasks_periodic.results_reconcile_task",
            "schedule": 86400.0,
            "kwargs": {"full": True},
            "options": {"expires": 3600.0},
        },
        "sweep-stuck-work": {
            "task": "recruiting.tasks_periodic.sweep_stuck_work",
            "schedule": 300.0,
            "options": {"expires": 300.0},
        },
        "purge-webhook-deliveries": {
            "task": "recruiting.tasks_periodic.webhook_deliveries_purge_task",
            "schedule": 86400.0,
            "options": {"expires": 3600.0},
        },
        "careers-housekeeping": {
            "task": "recruiting.tasks.careers.careers_housekeeping_task",
            "schedule": 600.0,
            "options": {"expires": 600.0},
        },
    }


def redis_restore_options(visibility_timeout: float) -> dict:
    """How often a Redis worker scans for messages a lost worker had taken (acks_late).

    kombu's default scans every ~100 s whatever the visibility timeout; scan about six times per
    timeout instead (at least every second, at most every minute), so a redelivery comes roughly
    ``visibility_timeout`` after the loss."""
    interval = max(1, min(60, int(visibility_timeout // 6) or 1))
    return {"unacked_restore_interval": interval, "unacked_restore_throttle": 1}


@app.on_after_configure.connect
def _configure(sender, **kwargs):
    ensure_broker_dirs()
    sender.conf.beat_schedule = {**_beat_schedule(), **(sender.conf.beat_schedule or {})}
    options = dict(sender.conf.broker_transport_options or {})
    if str(sender.conf.broker_url or "").startswith(("redis://", "rediss://")) and "visibility_timeout" in options:
        for key, value in redis_restore_options(float(options["visibility_timeout"])).items():
            options.setdefault(key, value)
        # Several deployments (or test sessions) sharing one Redis database keep apart by a prefix.
        prefix = os.environ.get("CELERY_BROKER_KEY_PREFIX", "").strip()
        if prefix:
            options.setdefault("global_keyprefix", prefix)
        sender.conf.broker_transport_options = options


def ensure_broker_dirs() -> None:
    """The embedded filesystem broker needs its folders before the first message."""
    from django.conf import settings

    if not settings.REDIS_URL:
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            os.makedirs(settings.CELERY_BROKER_TRANSPORT_OPTIONS[key], exist_ok=True)
