"""A delivery is processed by one worker at a time: a second hand-over of a pending delivery (a
re-delivery that arrived while the first was queued) does not run the handler again."""

import datetime as dt

import pytest
from django.utils import timezone

from mojito.models import WebhookDelivery
from recruiting import webhooks

pytestmark = pytest.mark.django_db


def _delivery(**kw) -> WebhookDelivery:
    return WebhookDelivery.objects.create(event="interview_result", result_mojito_id="r1", dedup_key=kw.pop("key", "k1"),
                                          body='{"id": "r1", "status": "active"}', **kw)


@pytest.fixture
def handled(monkeypatch):
    calls = []
    monkeypatch.setitem(webhooks.HANDLERS, "interview_result", lambda *, delivery, payload: calls.append(delivery.pk))
    return calls


def test_a_delivery_another_worker_holds_is_left_to_it(handled):
    delivery = _delivery(claimed_until=timezone.now() + dt.timedelta(minutes=5))
    assert webhooks.process_delivery(delivery.pk) == webhooks.DeliveryOutcome.BUSY
    assert handled == []
    delivery.refresh_from_db()
    assert delivery.state == "pending" and delivery.attempts == 0


def test_the_holder_finishes_it_and_a_later_hand_over_is_skipped(handled):
    delivery = _delivery()
    assert webhooks.process_delivery(delivery.pk) == "processed"
    assert webhooks.process_delivery(delivery.pk) == webhooks.DeliveryOutcome.SKIPPED
    assert handled == [delivery.pk]
    delivery.refresh_from_db()
    assert delivery.claimed_until is None and delivery.attempts == 1


def test_a_claim_left_by_a_dead_worker_expires(handled):
    delivery = _delivery(claimed_until=timezone.now() - dt.timedelta(seconds=1))
    assert webhooks.process_delivery(delivery.pk) == "processed"
    assert handled == [delivery.pk]


def test_a_failing_handler_releases_the_claim_for_its_retry(monkeypatch):
    def boom(*, delivery, payload):
        raise RuntimeError("JobMojito down")

    monkeypatch.setitem(webhooks.HANDLERS, "interview_result", boom)
    delivery = _delivery()
    with pytest.raises(RuntimeError):
        webhooks.process_delivery(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.claimed_until) == ("pending", 1, None)
