"""What every task module shares: the retry policy, ``enqueue`` and ``get_or_none``.

Each task takes ids, calls one service, and is safe to run twice.

Send them with ``enqueue(task, *args)`` from inside the transaction that wrote the rows they need:
the message is published only after that transaction commits (and never after a rollback).

Transient failures (``MojitoTransportError``, ``ServerError``) are retried with exponential
backoff and jitter (at most ``MAX_RETRIES`` times, waits capped at ``RETRY_BACKOFF_MAX`` seconds,
far below the broker's visibility timeout). Anything else (a 4xx, a missing row) is logged and
not retried: running it again would fail the same way.
"""

from __future__ import annotations

import logging

from django.db import transaction

from mojito.errors import MojitoTransportError, ServerError

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


def task_name(module: str, name: str) -> str:
    """The task's registered name. Names predate the ``recruiting.tasks`` package and stay as
    they were, so messages already queued (and beat entries) keep finding their task."""
    return f"{module}.{name}"


def enqueue(task, *args, **kwargs) -> None:
    """Publish ``task`` with these arguments once the current transaction commits."""
    transaction.on_commit(lambda: task.delay(*args, **kwargs))


def get_or_none(model, pk):
    """The row, or None (logged) when it was deleted since the task was sent."""
    try:
        return model.objects.get(pk=pk)
    except model.DoesNotExist:
        logger.warning("%s %s no longer exists; nothing to do", model.__name__, pk)
        return None
