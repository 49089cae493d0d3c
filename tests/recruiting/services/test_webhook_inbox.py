"""recruiting.services.webhook_inbox: replaying stored deliveries."""

import pytest

from mojito.models import WebhookDelivery
from recruiting.models import InterviewResult
from recruiting.services.webhook_inbox import replay_summary, webhook_deliveries_replay, webhook_delivery_replay
from tests.recruiting.test_webhook_handlers import completed, deliver  # noqa: F401 - the fixture
from tests.recruiting.views.test_webhook_inbox import failed_delivery, make_delivery

pytestmark = pytest.mark.django_db
State = WebhookDelivery.State


def test_a_failed_delivery_is_processed_on_replay(client, completed, sandbox):  # noqa: F811
    delivery, result_id = failed_delivery(client, completed, sandbox)
    result = webhook_delivery_replay(delivery_id=delivery.pk)
    assert (result.outcome, result.error) == ("processed", "")
    delivery.refresh_from_db()
    assert delivery.state == State.PROCESSED and delivery.processed_at and delivery.last_error == ""
    assert InterviewResult.objects.get(mojito_id=result_id).score is not None


def test_a_processed_delivery_can_be_replayed_and_changes_nothing_twice(client, completed, sandbox):  # noqa: F811
    delivery, result_id = failed_delivery(client, completed, sandbox)
    webhook_delivery_replay(delivery_id=delivery.pk)
    before = InterviewResult.objects.get(mojito_id=result_id)
    assert webhook_delivery_replay(delivery_id=delivery.pk).outcome == "processed"
    after = InterviewResult.objects.get(mojito_id=result_id)
    assert (after.score, after.state_rank) == (before.score, before.state_rank)
    assert InterviewResult.objects.filter(mojito_id=result_id).count() == 1


def test_a_failure_on_replay_is_recorded_and_never_left_pending(client, completed, sandbox):  # noqa: F811
    delivery, _ = failed_delivery(client, completed, sandbox)
    sandbox.state.config.fault_rate, sandbox.state.config.fault_kinds = 1.0, ("503",)
    result = webhook_delivery_replay(delivery_id=delivery.pk)
    assert result.outcome == "failed" and result.error.startswith("ServerError")
    delivery.refresh_from_db()
    assert delivery.state == State.FAILED and delivery.last_error.startswith("ServerError")


def test_missing_deliveries_are_reported():
    assert webhook_delivery_replay(delivery_id=12345).outcome == "missing"


def test_replay_many_names_each_once_and_adds_the_failed_oldest_first():
    first, second = make_delivery(State.FAILED, event="", body="{}"), make_delivery(State.FAILED, event="", body="{}")
    named = make_delivery(State.PROCESSED, event="", body="{}")
    results = webhook_deliveries_replay(delivery_ids=[named.pk, named.pk], failed=True)
    assert [r.delivery_id for r in results] == [named.pk, first.pk, second.pk]
    assert replay_summary(results) == {"ignored": 3}
