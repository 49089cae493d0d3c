"""The app's flows against a sandbox that answers only what the real API sends (tests/contract.py):
seed, result sync, webhook processing and reconcile all work, and no answer is off the contract."""

from __future__ import annotations

import io
import json

import httpx
import pytest
from django.core.management import call_command

from mojito.models import WebhookDelivery
from mojito.sandbox import lifecycle
from recruiting import webhooks
from recruiting.models import InterviewResult
from recruiting.services import client as client_service
from tests.contract import ContractTransport
from tests.recruiting.test_seed_demo import served_sandbox  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_seed_demo_over_http_is_on_contract(served_sandbox):  # noqa: F811
    transport = ContractTransport(httpx.HTTPTransport())
    client_service.use_transport(transport)
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
    assert transport.violations == []
    assert {"job-interview-details", "merchant-result-list", "merchant-interview-list", "job-interview-get",
            "job-interview-register-users", "job-interview-pdf"} <= transport.endpoints
    assert InterviewResult.objects.filter(processing_status="completed", invitation__isnull=False).exists()


def test_webhook_result_sync_and_reconcile_are_on_contract(client, sandbox, monkeypatch):
    from recruiting.services.candidates import candidates_register
    from recruiting.services.interviews import interview_create_from_questions
    from recruiting.services.mirror_sync import reconcile_all

    monkeypatch.setattr("recruiting.tasks.webhooks.webhook_process.delay", lambda pk: None)
    template = next(t for t in sandbox.client().list_avatars().data if t.get("type") == "interactive_heygen")
    interview = interview_create_from_questions(
        name="Support agent", location="Remote", interview_template_id=template["id"],
        description="Tickets and calls.", questions=["Why support?", "A hard customer?"], status="active")
    invitation = candidates_register(interview=interview, email="lin@example.com", name="Lin")
    result_id = sandbox.complete(invitation.mojito_id, "submit")
    lifecycle.wait_processing(sandbox, result_id)
    for delivery in [d for d in sandbox.state.webhook_deliveries if d["payload"]["id"] == result_id]:
        response = client.post("/mojito/webhooks/", data=json.dumps(delivery["payload"]),
                               content_type="application/json", headers={"X-Mojito-Webhook-Secret": "test-webhook-secret"})
        assert response.status_code == 202
        webhooks.process_delivery(WebhookDelivery.objects.order_by("-id").first().pk)

    result = InterviewResult.objects.get(mojito_id=result_id)
    assert (result.invitation, result.candidate, result.interview) == (invitation, invitation.candidate, interview)
    assert (result.status, result.processing_status) == ("active", "completed")
    report = reconcile_all(full=True)
    assert report.errors == [] and report.results_seen >= 1
    assert {"job-interview-details", "merchant-result-list", "merchant-interview-list",
            "job-interview-get"} <= sandbox.contract.endpoints
    assert sandbox.contract.violations() == []
