"""The hand-over from the webhook view to the workers: one batch request per window per process,
each delivery queued once."""

import threading
import time

import pytest
from django.db import connection

from mojito.models import WebhookDelivery
from recruiting import webhooks
from recruiting.tasks import webhooks as tasks


def _delivery(n: int, **fields) -> WebhookDelivery:
    return WebhookDelivery.objects.create(event="interview_result", result_mojito_id=f"r-{n}", dedup_key=f"k-{n}",
                                          body="{}", **fields)


def _coalescer(window=0.05):
    calls = []
    return tasks.Coalescer(lambda: calls.append(time.monotonic()), window), calls


def _settle(coalescer, calls, quiet=0.3):
    time.sleep(quiet)
    return len(calls)


def test_a_burst_of_kicks_makes_one_call_and_one_trailing_call_at_most():
    coalescer, calls = _coalescer()
    for _ in range(200):
        coalescer.kick()
    assert 1 <= _settle(coalescer, calls) <= 2


def test_calls_are_a_window_apart_and_the_last_kick_always_gets_one():
    coalescer, calls = _coalescer(window=0.05)
    deadline = time.monotonic() + 0.4
    while time.monotonic() < deadline:  # kicks every 5 ms for 0.4 s
        last_kick = time.monotonic()
        coalescer.kick()
        time.sleep(0.005)
    _settle(coalescer, calls)
    gaps = [b - a for a, b in zip(calls, calls[1:])]
    assert 2 <= len(calls) <= 10 and min(gaps) >= 0.045  # (fewer on a loaded machine, never more)
    assert calls[-1] >= last_kick  # a call came after the last kick


def test_a_kick_after_a_quiet_spell_is_called_at_once():
    coalescer, calls = _coalescer(window=0.3)
    coalescer.kick()
    _settle(coalescer, calls, quiet=0.6)  # longer than the window
    kicked = time.monotonic()
    coalescer.kick()
    _settle(coalescer, calls, quiet=0.6)
    assert len(calls) == 2 and calls[1] - kicked < 0.2  # not held back for a window


def test_a_failing_call_is_logged_and_the_next_kick_calls_again(caplog):
    attempts = []

    def send():
        attempts.append(1)
        raise ConnectionError("broker down")

    coalescer = tasks.Coalescer(send, 0.01)
    coalescer.kick()
    time.sleep(0.1)
    coalescer.kick()
    time.sleep(0.1)
    assert len(attempts) == 2 and "Could not ask for the pending webhook deliveries" in caplog.text


def test_flush_makes_the_owed_call_at_exit():
    calls = []
    coalescer = tasks.Coalescer(lambda: calls.append(1), 10)
    coalescer._owed.set()  # owed, the thread not run yet (as in a process exiting at once)
    coalescer.flush()
    coalescer.flush()
    assert calls == [1]


def test_with_a_window_the_view_asks_for_a_batch_not_a_task_per_delivery(monkeypatch, settings):
    settings.WEBHOOK_QUEUE_WINDOW_SECONDS = 0.02
    batches, singles = [], []
    monkeypatch.setattr(tasks.webhook_queue_pending, "delay", lambda: batches.append(1))
    monkeypatch.setattr(tasks.webhook_process, "delay", lambda pk: singles.append(pk))
    monkeypatch.setattr(tasks, "_coalescer", None)
    for pk in range(50):
        tasks.enqueue_delivery(pk)
    time.sleep(0.2)
    assert singles == [] and 1 <= len(batches) <= 2
    settings.WEBHOOK_QUEUE_WINDOW_SECONDS = 0
    tasks.enqueue_delivery(7)
    assert singles == [7]


@pytest.mark.django_db
def test_take_for_queue_takes_each_pending_never_attempted_delivery_once():
    fresh = [_delivery(n) for n in range(5)]
    _delivery(10, state=WebhookDelivery.State.PROCESSED)
    _delivery(11, state=WebhookDelivery.State.FAILED)
    _delivery(12, attempts=1)  # failed once: its own retry is scheduled
    first = webhooks.deliveries_take_for_queue(limit=3)
    second = webhooks.deliveries_take_for_queue(limit=3)
    assert first == [d.pk for d in fresh[:3]] and second == [d.pk for d in fresh[3:]]
    assert webhooks.deliveries_take_for_queue() == []
    assert WebhookDelivery.objects.filter(queued_at__isnull=False).count() == 5


@pytest.mark.django_db
def test_queue_pending_queues_every_delivery_once_in_batches(monkeypatch):
    for n in range(7):
        _delivery(n)
    queued = []
    monkeypatch.setattr(webhooks, "QUEUE_BATCH", 3)
    monkeypatch.setattr(tasks.webhook_process, "delay", lambda pk: queued.append(pk))
    assert tasks.webhook_queue_pending() == 7
    assert tasks.webhook_queue_pending() == 0
    assert sorted(queued) == sorted(WebhookDelivery.objects.values_list("pk", flat=True))


@pytest.mark.django_db(transaction=True)
def test_two_takers_at_once_never_take_the_same_delivery():
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith(("file:", ":memory:")):
        pytest.skip("concurrent writers need a file SQLite database or PostgreSQL")
    for n in range(400):
        _delivery(n)
    taken: list[list[int]] = []
    start = threading.Barrier(4)

    def take():
        try:
            start.wait()
            mine = []
            while ids := webhooks.deliveries_take_for_queue(limit=7):
                mine.extend(ids)
            taken.append(mine)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    everything = [pk for mine in taken for pk in mine]
    assert len(everything) == len(set(everything)) == 400
