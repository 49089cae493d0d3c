"""The webhook inbox's reads: the summary line reads the newest delivery and capped counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mojito.models import WebhookDelivery
from recruiting.selectors import webhook_inbox

pytestmark = pytest.mark.django_db


def test_webhook_health_reads_the_newest_delivery_and_counts_only_up_to_the_cap():
    assert webhook_inbox.webhook_health() == webhook_inbox.WebhookHealth(None, 0, 0)  # no delivery yet
    for i in range(4):
        WebhookDelivery.objects.create(event="interview_result", dedup_key=f"f{i}", body="{}", state="failed")
    WebhookDelivery.objects.create(event="interview_result", dedup_key="p", body="{}", state="pending")
    newest = WebhookDelivery.objects.create(event="interview_result", dedup_key="n", body="{}", state="processed")
    with CaptureQueriesContext(connection) as captured:
        health = webhook_inbox.webhook_health(cap=2)
    assert len(captured) == 1
    assert health.last_received_at == newest.received_at
    assert (health.failed, health.pending, health.cap) == (3, 1, 2)  # cap + 1: the page says "2+"
    assert webhook_inbox.webhook_health().failed == 4

