"""The webhook inbox's replay actions in the operations console."""

from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from mojito.models import WebhookDelivery
from recruiting import tasks
from tests.recruiting.test_webhook_handlers import completed, deliver  # noqa: F401 - the fixture
from tests.recruiting.views.test_webhook_inbox import failed_delivery, make_delivery

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:mojito_webhookdelivery_changelist")
State = WebhookDelivery.State


def post_action(client, action, objects, *, confirmed):
    data = {"action": action, "_selected_action": [o.pk for o in objects], "index": "0"}
    if confirmed:
        data["confirm_action"] = "yes"
    return client.post(CHANGELIST, data)


def test_the_changelist_offers_both_replays(superuser_client):
    make_delivery()
    html = superuser_client.get(CHANGELIST).content.decode()
    assert 'value="replay_deliveries"' in html and 'value="replay_failed_deliveries"' in html


def test_replay_asks_first_then_processes_one_delivery_now(superuser_client, completed, sandbox):  # noqa: F811
    delivery, _ = failed_delivery(superuser_client, completed, sandbox)
    page = post_action(superuser_client, "replay_deliveries", [delivery], confirmed=False)
    assert page.status_code == 200 and 'name="confirm_action" value="yes"' in page.content.decode()
    assert WebhookDelivery.objects.get(pk=delivery.pk).state == State.FAILED

    response = post_action(superuser_client, "replay_deliveries", [delivery], confirmed=True)
    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == [f"Delivery #{delivery.pk} replayed: processed"]
    assert WebhookDelivery.objects.get(pk=delivery.pk).state == State.PROCESSED


def test_several_deliveries_go_to_one_background_job(superuser_client, django_capture_on_commit_callbacks):
    deliveries = [make_delivery(State.FAILED), make_delivery(State.PROCESSED), make_delivery(State.FAILED)]
    with mock.patch.object(tasks.webhook_deliveries_replay_task, "delay") as delay, \
            django_capture_on_commit_callbacks(execute=True):
        response = post_action(superuser_client, "replay_deliveries", deliveries, confirmed=True)
    delay.assert_called_once_with([d.pk for d in deliveries])
    assert "3 deliveries queued for replay." in [str(m) for m in get_messages(response.wsgi_request)]


def test_replay_failed_takes_only_the_failed_ones(superuser_client, django_capture_on_commit_callbacks):
    failed = [make_delivery(State.FAILED), make_delivery(State.FAILED)]
    done = make_delivery(State.PROCESSED)
    page = post_action(superuser_client, "replay_failed_deliveries", failed + [done], confirmed=False)
    assert "Process the 2 failed deliveries" in page.content.decode()
    with mock.patch.object(tasks.webhook_deliveries_replay_task, "delay") as delay, \
            django_capture_on_commit_callbacks(execute=True):
        post_action(superuser_client, "replay_failed_deliveries", failed + [done], confirmed=True)
    delay.assert_called_once_with([d.pk for d in failed])


def test_replay_failed_with_none_failed_says_so(superuser_client):
    done = make_delivery(State.PROCESSED)
    response = post_action(superuser_client, "replay_failed_deliveries", [done], confirmed=True)
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["None of the selected deliveries failed."]
