"""Find work whose message was lost (reliability.md 3.3.7), and purge old webhook deliveries.

These functions only find: ``recruiting.tasks.periodic`` queues what they return (services never
queue tasks)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from mojito.models import WebhookDelivery
from recruiting.models import BulkInvite, BulkInviteRow

STUCK_AFTER = dt.timedelta(minutes=5)
UNSENT_STATES = (BulkInviteRow.State.PENDING, BulkInviteRow.State.SENDING)
WEBHOOK_RETENTION = dt.timedelta(days=30)


def bulk_invites_stuck(*, older_than: dt.timedelta = STUCK_AFTER):
    """Bulk jobs queued or running, untouched for ``older_than``, with rows still unsent."""
    cutoff = timezone.now() - older_than
    return (
        BulkInvite.objects.filter(status__in=[BulkInvite.Status.QUEUED, BulkInvite.Status.RUNNING], updated_at__lt=cutoff)
        .filter(Q(rows__state__in=UNSENT_STATES))
        .exclude(rows__updated_at__gte=cutoff)
        .distinct()
    )


def bulk_invites_stuck_ids(*, older_than: dt.timedelta = STUCK_AFTER) -> list[int]:
    return list(bulk_invites_stuck(older_than=older_than).values_list("pk", flat=True))


def webhook_deliveries_unprocessed_ids(*, older_than: dt.timedelta = STUCK_AFTER, limit: int = 500) -> list[int]:
    """Pending deliveries never attempted, received before ``older_than`` ago (their enqueue was lost)."""
    cutoff = timezone.now() - older_than
    return list(
        WebhookDelivery.objects.filter(state=WebhookDelivery.State.PENDING, received_at__lt=cutoff, attempts=0)
        .order_by("received_at")
        .values_list("pk", flat=True)[:limit]
    )


def webhook_deliveries_purge(*, older_than: dt.timedelta = WEBHOOK_RETENTION) -> int:
    """Delete processed and ignored deliveries received before ``older_than`` ago (their dedup keys
    outlive any sender's retry horizon by weeks); pending and failed ones are kept for operators."""
    cutoff = timezone.now() - older_than
    deleted, _ = WebhookDelivery.objects.filter(
        state__in=[WebhookDelivery.State.PROCESSED, WebhookDelivery.State.IGNORED], received_at__lt=cutoff
    ).delete()
    return deleted
