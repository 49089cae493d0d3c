"""POST /mojito/webhooks/<event>/: one URL per event, same checks and dedup as the shared URL."""

import json
from pathlib import Path

import pytest
from django.urls import reverse

from mojito.models import WebhookDelivery
from recruiting import webhooks as handlers

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "webhooks"
HEADER = "X-Mojito-Webhook-Secret"
EVENTS = ("interview_collected", "interview_result", "interview_failed")


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def post(client, event, payload, secret="test-webhook-secret"):
    headers = {HEADER: secret} if secret is not None else {}
    return client.post(f"/mojito/webhooks/{event}/", data=json.dumps(payload), content_type="application/json",
                       headers=headers)


@pytest.fixture
def handed_over(monkeypatch):
    ids: list[int] = []
    monkeypatch.setattr("recruiting.tasks.webhooks.webhook_process.delay", lambda pk: ids.append(pk))
    return ids


def test_url_names_resolve():
    assert reverse("mojito-webhooks-event", args=["interview_result"]) == "/mojito/webhooks/interview_result/"


@pytest.mark.django_db
@pytest.mark.parametrize("event", EVENTS)
def test_it_stores_the_urls_event(client, handed_over, django_capture_on_commit_callbacks, event):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, event, fixture(event))
    assert response.status_code == 202
    delivery = WebhookDelivery.objects.get()
    assert (delivery.event, delivery.url_event, delivery.event_mismatch) == (event, event, False)
    assert handed_over == [delivery.pk]


@pytest.mark.django_db
def test_a_payload_contradicting_its_url_is_kept_and_flagged(client, handed_over, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, "interview_failed", fixture("interview_result"))
    assert response.status_code == 202
    delivery = WebhookDelivery.objects.get()
    assert (delivery.event, delivery.url_event, delivery.event_mismatch) == ("interview_failed", "interview_failed", True)
    assert json.loads(delivery.body) == fixture("interview_result")
    assert handed_over == [delivery.pk]


@pytest.mark.django_db
def test_it_rejects_a_missing_or_wrong_secret_before_writing(client, handed_over):
    assert post(client, "interview_result", fixture("interview_result"), secret=None).status_code == 401
    assert post(client, "interview_result", fixture("interview_result"), secret="wrong").status_code == 401
    assert not WebhookDelivery.objects.exists() and handed_over == []


@pytest.mark.django_db
def test_an_unknown_event_is_404_and_nothing_is_stored(client, handed_over):
    response = post(client, "interview_started", fixture("interview_result"))
    assert response.status_code == 404 and "interview_result" in response.json()["error"]
    assert not WebhookDelivery.objects.exists()


@pytest.mark.django_db
def test_the_size_limit_applies(client, settings, handed_over):
    settings.MOJITO_WEBHOOK_MAX_BYTES = 64
    assert post(client, "interview_result", fixture("interview_result")).status_code == 413
    assert not WebhookDelivery.objects.exists()


@pytest.mark.django_db
def test_a_redelivery_to_the_event_url_is_a_duplicate(client, handed_over, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, "interview_result", fixture("interview_result")).status_code == 202
        assert post(client, "interview_result", fixture("interview_result")).status_code == 200
    assert WebhookDelivery.objects.count() == 1


@pytest.mark.django_db
def test_only_post_is_allowed(client):
    assert client.get("/mojito/webhooks/interview_result/").status_code == 405


@pytest.mark.django_db
def test_a_flagged_delivery_is_still_processed(client, handed_over, sandbox, monkeypatch):
    synced = []
    monkeypatch.setattr("recruiting.services.results.result_sync", lambda **kw: synced.append(kw["mojito_id"]))
    post(client, "interview_collected", fixture("interview_failed"))
    delivery = WebhookDelivery.objects.get()
    assert handlers.process_delivery(delivery.pk) == "processed"
    assert synced == [fixture("interview_failed")["id"]]
