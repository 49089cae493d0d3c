"""Candidate pages: one public page per interview (settings the recruiter owns) and the
applications candidates send through it. Both are local to this app; JobMojito never sees them.

An Application is stored before JobMojito is called (nothing is lost when it is down); the
résumé is kept only as plain text and only until ``resume_purge_after`` (RESUME_RETENTION_DAYS).
"""

import secrets

from django.db import models

from mojito.vocabulary import DecisionStatus

from .base import TimestampedModel
from .candidates import normalise_email

# Slugs that would shadow a route under /jobs/.
RESERVED_SLUGS = frozenset({"a", "settings", "static", "embed"})


def new_application_token() -> str:
    return secrets.token_urlsafe(32)


class CareerPage(TimestampedModel):
    """The public page of one interview: switched on by the recruiter, found by a stable slug."""

    interview = models.OneToOneField("recruiting.Interview", on_delete=models.CASCADE, related_name="career_page")
    enabled = models.BooleanField(default=False, db_index=True)
    slug = models.SlugField(max_length=80, unique=True)
    description_long = models.TextField(blank=True, help_text="Shown on the job page under the short description.")
    ai_notice = models.TextField(blank=True, help_text="Shown before the candidate applies; blank = the default notice.")
    allowed_origins = models.TextField(
        blank=True, help_text="Extra origins that may frame these pages, one per line (besides EMBED_ALLOWED_ORIGINS).")
    country_code = models.CharField(max_length=2, default="US", help_text="Country of the position (ISO code).")

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return f"/jobs/{self.slug}/"

    @property
    def origins(self) -> list[str]:
        return [line.strip().rstrip("/") for line in self.allowed_origins.splitlines() if line.strip()]


class Application(TimestampedModel):
    """One candidate's application through a career page (unique per page and email)."""

    class State(models.TextChoices):
        RECEIVED = "received", "Received"
        SCREENING = "screening", "Being pre-screened"
        WAITING = "waiting", "Waiting for JobMojito"
        DECIDED = "decided", "Decided"
        FAILED = "failed", "Failed"

    page = models.ForeignKey(CareerPage, on_delete=models.CASCADE, related_name="applications")
    candidate = models.ForeignKey("recruiting.Candidate", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="applications")
    name = models.CharField(max_length=255)
    email = models.EmailField(max_length=254)
    normalised_email = models.CharField(max_length=254, editable=False)
    country_code = models.CharField(max_length=2)
    resume_text = models.TextField(blank=True)
    resume_file_name = models.CharField(max_length=255, blank=True)
    resume_deleted_at = models.DateTimeField(null=True, blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_application_token, editable=False)
    state = models.CharField(max_length=16, choices=State.choices, default=State.RECEIVED, db_index=True)
    decision = models.CharField(max_length=24, choices=DecisionStatus.choices, blank=True, db_index=True)
    reason = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    site_url = models.URLField(max_length=255, blank=True,
                               help_text="The app's address the candidate applied through (for links in emails).")
    notified_at = models.DateTimeField(null=True, blank=True, help_text="When the candidate was emailed the outcome.")
    prescreening = models.ForeignKey("recruiting.PreScreening", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="applications")
    invitation = models.ForeignKey("recruiting.Invitation", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="applications")
    interview_to_take = models.ForeignKey(
        "recruiting.Interview", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The JobMojito interview the candidate takes (the page's, or the one create-for-candidate made).")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["page", "normalised_email"], name="application_unique_email")]
        indexes = [models.Index(fields=["page", "-created_at"], name="application_page_created")]

    def __str__(self) -> str:
        return f"Application #{self.pk} ({self.get_state_display()})"

    def save(self, *args, **kwargs):
        self.normalised_email = normalise_email(self.email)
        super().save(*args, **kwargs)

    ACCEPTED = (DecisionStatus.AI_ACCEPT, DecisionStatus.RECRUITER_ACCEPT, DecisionStatus.ALREADY_APPLIED)
    REJECTED = (DecisionStatus.AI_REJECT, DecisionStatus.RECRUITER_REJECT)

    @property
    def is_accepted(self) -> bool:
        return self.state == self.State.DECIDED and self.decision in self.ACCEPTED

    @property
    def is_rejected(self) -> bool:
        return self.state == self.State.DECIDED and self.decision in self.REJECTED

    @property
    def needs_review(self) -> bool:
        return self.state == self.State.DECIDED and self.decision == DecisionStatus.RECRUITER_ACTION

    @property
    def is_pending(self) -> bool:
        return self.state in (self.State.RECEIVED, self.State.SCREENING)
