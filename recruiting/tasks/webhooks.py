"""Celery tasks that process stored webhook deliveries (see ``recruiting.webhooks``), and the
hand-over from the webhook view to them.

The view stores a delivery and calls ``enqueue_delivery`` after the commit. Publishing one message
per delivery from the request would cost each acknowledgement a round trip to the broker; instead
each web process asks, at most once per ``WEBHOOK_QUEUE_WINDOW_SECONDS`` (0.1 s) and always once
after the last delivery, for one ``webhook_queue_pending`` task, which queues ``webhook_process``
for every delivery not queued yet (``recruiting.webhooks.deliveries_take_for_queue``). The workers
then process them in parallel as before, each claimed before it runs, so each runs once. A request
that never reaches the broker (a process killed in the window), or a queued message that is lost,
leaves its deliveries pending for the stuck-work sweeper (an identical re-delivery of a queued one
does not queue it again). ``WEBHOOK_QUEUE_WINDOW_SECONDS=0`` (and eager Celery) queue one task per
delivery from the request instead.
"""

from __future__ import annotations

import atexit
import logging
import os
import random
import threading
import time
from typing import Callable

from celery import current_app, shared_task
from django.conf import settings

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


@shared_task(name=task_name("recruiting.webhook_tasks", "webhook_queue_pending"), acks_late=True, ignore_result=True)
def webhook_queue_pending() -> int:
    """Queue ``webhook_process`` for each pending delivery not queued yet; how many were queued."""
    from recruiting.webhooks import QUEUE_BATCH, deliveries_take_for_queue

    queued = 0
    while True:
        ids = deliveries_take_for_queue(limit=QUEUE_BATCH)
        for delivery_id in ids:
            webhook_process.delay(delivery_id)
        queued += len(ids)
        if len(ids) < QUEUE_BATCH:
            return queued


class Coalescer:
    """Calls ``send`` soon after ``kick()``: at most once per ``window`` seconds, and always once
    after the last kick (a kick during a call or a window gets a call after it). A daemon thread of
    this process makes the calls, so ``kick`` costs the caller no I/O; one left owed when the
    process exits is made then."""

    def __init__(self, send: Callable[[], object], window: float):
        self.send, self.window = send, window
        self._owed = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        atexit.register(self.flush)

    def kick(self) -> None:
        self._owed.set()
        if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
            with self._lock:  # (a forked child has the object but not the thread)
                if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                    self._pid = os.getpid()
                    self._thread = threading.Thread(target=self._run, name="webhook-queue-kick", daemon=True)
                    self._thread.start()

    def flush(self) -> None:
        if self._owed.is_set():
            self._owed.clear()
            self._call()

    def _run(self) -> None:
        while True:
            self._owed.wait()
            self._owed.clear()  # kicks from here on are owed another call
            self._call()
            time.sleep(self.window)

    def _call(self) -> None:
        try:
            self.send()
        except Exception:  # the deliveries are stored: the next kick or the sweeper queues them
            logger.exception("Could not ask for the pending webhook deliveries to be queued")


_coalescer: Coalescer | None = None


def enqueue_delivery(delivery_id: int) -> None:
    """Called by the webhook view once the delivery has committed (see the module's docstring)."""
    global _coalescer
    window = float(getattr(settings, "WEBHOOK_QUEUE_WINDOW_SECONDS", 0) or 0)
    if window <= 0 or current_app.conf.task_always_eager:
        webhook_process.delay(delivery_id)
        return
    if _coalescer is None or _coalescer.window != window:
        _coalescer = Coalescer(lambda: webhook_queue_pending.delay(), window)
    _coalescer.kick()
