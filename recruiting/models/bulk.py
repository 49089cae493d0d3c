from django.conf import settings
from django.db import models
from django.db.models import Q

from .base import TimestampedModel


class BulkInvite(TimestampedModel):
    """One bulk-invite job (a CSV upload) for an interview."""

    class Status(models.TextChoices):
        PREVIEW = "preview", "Preview (not sent)"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        COMPLETED = "completed", "Completed"
        COMPLETED_WITH_ERRORS = "completed_with_errors", "Completed with errors"

    interview = models.ForeignKey("recruiting.Interview", on_delete=models.CASCADE, related_name="bulk_invites")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_file_name = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.QUEUED, db_index=True)
    total_count = models.PositiveIntegerField(default=0)
    sent_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    invalid_count = models.PositiveIntegerField(default=0)
    class Delivery(models.TextChoices):
        LINKS = "links", "Just give me the links"
        EMAIL = "email", "JobMojito emails the invitations"

    delivery = models.CharField(
        max_length=8, choices=Delivery.choices, default=Delivery.LINKS,
        help_text="links: job-interview-register-users (a link per row); email: invite-users (JobMojito emails).")
    message_from_recruiter = models.TextField(blank=True, help_text="Text added to the invitation email (email delivery).")
    send_email = models.BooleanField(default=False)
    hide_menu = models.BooleanField(default=False)
    is_test = models.BooleanField(default=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    resumed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a run last took over rows a lost worker left behind.")
    resumed_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "bulk invite"

    def __str__(self) -> str:
        return f"Bulk invite #{self.pk} ({self.get_status_display()})"


class BulkInviteRow(TimestampedModel):
    """One line of a bulk invite and its honest outcome. ``interview_url`` is a one-time credential."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        INVALID = "invalid", "Invalid"
        DUPLICATE = "duplicate", "Duplicate"

    # No index of its own: the (bulk, line_number) and (bulk, state, line_number) indexes lead with it.
    bulk = models.ForeignKey(BulkInvite, on_delete=models.CASCADE, related_name="rows", db_index=False)
    # Rows are read by job, in file order; none is looked up by when it was made. Each row is written
    # three times (inserted, claimed, its outcome), so every index costs thrice.
    created_at = models.DateTimeField(auto_now_add=True)
    line_number = models.PositiveIntegerField()
    name = models.CharField(max_length=255, blank=True)
    email = models.CharField(max_length=320, blank=True, help_text="As given in the file (may be invalid).")
    normalised_email = models.CharField(max_length=320, blank=True)
    external_id = models.CharField(max_length=128, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    error = models.TextField(blank=True)
    result = models.TextField(blank=True, help_text="Row result text from JobMojito ('ok' or 'Error: ...').")
    # No index: nothing looks a row up by it (the invitation holds it as its mojito_id, indexed);
    # the admin's search ORs it with a substring match of the name, which no index serves.
    profile_interview_id = models.CharField(max_length=64, blank=True)
    interview_url = models.TextField(blank=True)
    invitation = models.ForeignKey(
        "recruiting.Invitation", null=True, blank=True, on_delete=models.SET_NULL, related_name="bulk_rows"
    )
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["bulk_id", "line_number"]
        verbose_name = "bulk invite row"
        constraints = [
            models.UniqueConstraint(fields=["bulk", "line_number"], name="bulkrow_unique_line"),
            models.UniqueConstraint(
                fields=["bulk", "normalised_email"],
                condition=~Q(state__in=["duplicate", "invalid"]),
                name="bulkrow_unique_email",
            ),
        ]
        # A sender claims the first pending rows of its job in file order: (bulk, state, line_number)
        # finds them without sorting every pending row (or walking past every sent one).
        indexes = [models.Index(fields=["bulk", "state", "line_number"], name="bulkrow_bulk_state_line")]

    def __str__(self) -> str:
        return f"Line {self.line_number} ({self.get_state_display()})"
