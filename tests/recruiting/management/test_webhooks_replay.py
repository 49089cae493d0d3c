"""python manage.py webhooks_replay [--failed] [ID ...]"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from mojito.models import WebhookDelivery
from tests.recruiting.test_webhook_handlers import completed, deliver  # noqa: F401 - the fixture
from tests.recruiting.views.test_webhook_inbox import failed_delivery, make_delivery

pytestmark = pytest.mark.django_db
State = WebhookDelivery.State


def run(*args) -> str:
    out = StringIO()
    call_command("webhooks_replay", *args, stdout=out)
    return out.getvalue()


def test_it_needs_ids_or_failed():
    with pytest.raises(CommandError, match="Name the deliveries to replay"):
        run()


def test_it_replays_the_named_deliveries(client, completed, sandbox):  # noqa: F811
    delivery, _ = failed_delivery(client, completed, sandbox)
    other = make_delivery(State.FAILED, event="", body="{}")
    out = run(str(delivery.pk))
    assert f"#{delivery.pk}: processed" in out and "Replayed 1: 1 processed." in out
    assert WebhookDelivery.objects.get(pk=delivery.pk).state == State.PROCESSED
    assert WebhookDelivery.objects.get(pk=other.pk).state == State.FAILED  # not named, not touched


def test_failed_replays_every_failed_delivery(client, completed, sandbox):  # noqa: F811
    delivery, _ = failed_delivery(client, completed, sandbox)
    ignored = make_delivery(State.FAILED, event="", body="{}")
    done = make_delivery(State.PROCESSED)
    out = run("--failed")
    assert "Replayed 2: 1 ignored, 1 processed." in out
    assert WebhookDelivery.objects.get(pk=delivery.pk).state == State.PROCESSED
    assert WebhookDelivery.objects.get(pk=ignored.pk).state == State.IGNORED
    assert WebhookDelivery.objects.get(pk=done.pk).processed_at is None  # untouched


def test_failed_with_nothing_failed():
    assert run("--failed").strip() == "No failed deliveries to replay."


def test_an_unknown_id_or_a_failure_again_exits_non_zero(client, completed, sandbox):  # noqa: F811
    delivery, _ = failed_delivery(client, completed, sandbox)
    sandbox.state.config.fault_rate, sandbox.state.config.fault_kinds = 1.0, ("500",)
    out = StringIO()
    with pytest.raises(CommandError, match="could not be replayed") as caught:
        call_command("webhooks_replay", str(delivery.pk), "424242", stdout=out)
    assert caught.value.returncode == 1
    assert f"#{delivery.pk}: failed (ServerError" in out.getvalue() and "#424242: missing" in out.getvalue()
    assert WebhookDelivery.objects.get(pk=delivery.pk).state == State.FAILED
