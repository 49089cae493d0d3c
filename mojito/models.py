"""Rows the JobMojito boundary keeps: the log of outbound calls and the inbox of webhook deliveries."""

from django.db import models


class ApiCall(models.Model):
    """One logical call to JobMojito (all its attempts). Never holds the token or request bodies."""

    endpoint = models.CharField(max_length=80, db_index=True)
    method = models.CharField(max_length=8)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty when no HTTP answer came back.")
    duration_ms = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=1)
    ok = models.BooleanField(default=False, db_index=True)
    error = models.TextField(blank=True, help_text="Error message (never the token or a résumé).")
    error_field = models.CharField(max_length=120, blank=True)
    outcome_unknown = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API call"

    def __str__(self) -> str:
        return f"{self.method} {self.endpoint} → {self.status_code or 'no answer'}"


class WebhookDelivery(models.Model):
    """One webhook request as received, stored before it is trusted or processed."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        PROCESSED = "processed", "Processed"
        IGNORED = "ignored", "Ignored"
        FAILED = "failed", "Failed"

    event = models.CharField(max_length=40, blank=True,
                             help_text="The URL's event (per-event URL), else the one the payload's state implies.")
    url_event = models.CharField(max_length=40, blank=True,
                                 help_text="The event named by the URL it was posted to (empty: the shared URL).")
    event_mismatch = models.BooleanField(
        default=False,
        help_text="Posted to one event's URL with a payload whose state implies another (kept, not dropped).")
    result_mojito_id = models.CharField(max_length=64, blank=True)
    dedup_key = models.CharField(max_length=64)
    body = models.TextField()
    headers = models.JSONField(default=dict, help_text="Request headers, secrets removed.")
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(
        null=True, blank=True, help_text="Set while a worker processes it: no second worker runs it before then.")
    queued_at = models.DateTimeField(
        null=True, blank=True,
        help_text="When its processing task was queued by a batch hand-over (none yet: a hand-over will take it).")

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        # Every delivery writes each of these indexes, so only what a query uses: exact matches (no
        # PostgreSQL LIKE twin, which db_index/unique on a CharField adds), and the rare mismatches
        # in a partial index.
        constraints = [models.UniqueConstraint(fields=["dedup_key"], name="webhook_unique_dedup_key")]
        indexes = [
            models.Index(fields=["event"], name="webhook_event"),
            models.Index(fields=["result_mojito_id"], name="webhook_result_id"),
            models.Index(fields=["state"], name="webhook_state"),
            models.Index(fields=["event_mismatch"], name="webhook_event_mismatch",
                         condition=models.Q(event_mismatch=True)),
        ]

    def __str__(self) -> str:
        return f"{self.event or 'webhook'} {self.result_mojito_id} ({self.state})"
