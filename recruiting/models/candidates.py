from django.db import models

from mojito.vocabulary import CandidateStatus

from .base import LocalFirstMojitoModel


def normalise_email(email: str | None) -> str:
    """The identity of a person: trimmed, lower-cased email (JobMojito does the same)."""
    return (email or "").strip().lower()


class Candidate(LocalFirstMojitoModel):
    """A person. mojito_id = JobMojito profile_id (NULL until known); unique by normalised email."""

    name = models.CharField(max_length=255, blank=True)
    email = models.EmailField(max_length=254)
    normalised_email = models.CharField(max_length=254, unique=True, editable=False)
    external_id = models.CharField(max_length=128, blank=True, db_index=True)
    linkedin_url = models.URLField(max_length=500, blank=True)
    country_code = models.CharField(max_length=2, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email

    def save(self, *args, **kwargs):
        self.normalised_email = normalise_email(self.email)
        if kwargs.get("update_fields") is not None and "email" in kwargs["update_fields"]:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"normalised_email"}
        super().save(*args, **kwargs)

    # JobMojito's name for the person id; an alias of mojito_id (usable in create(), not in filter()).
    @property
    def profile_id(self):
        return self.mojito_id

    @profile_id.setter
    def profile_id(self, value):
        self.mojito_id = value or None


class Invitation(LocalFirstMojitoModel):
    """A candidate enrolled in an interview (profile_interview). mojito_id = profile_interview_id.

    ``interview_url`` is a one-time credential: keep it out of logs, __str__ and list pages.
    """

    class DeliveryState(models.TextChoices):
        PENDING = "pending", "Pending"
        REGISTERED = "registered", "Registered"
        INVITED = "invited", "Invited"
        FAILED = "failed", "Failed"

    # No index of their own: the (candidate, interview) constraint and the (interview, ...) indexes
    # lead with these columns, and every registration would write two more indexes.
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="invitations", db_index=False)
    interview = models.ForeignKey("recruiting.Interview", on_delete=models.CASCADE, related_name="invitations",
                                  db_index=False)
    interview_url = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=CandidateStatus.choices, blank=True, help_text="JobMojito's profile_interview status."
    )
    delivery_state = models.CharField(
        max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    send_email = models.BooleanField(default=False)
    started_at = models.DateTimeField(
        null=True, blank=True,
        help_text="When the candidate's first attempt was taken (the app's first result for this invitation); "
                  "empty while the interview is not started.")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "interview"], name="invitation_unique_candidate_interview")
        ]
        indexes = [
            models.Index(fields=["interview", "status"], name="invitation_interview_status"),
            models.Index(fields=["interview", "delivery_state"], name="invitation_interview_delivery"),
            # The overview's "invitations not started": a walk of the not-started ones only.
            models.Index(fields=["delivery_state"], condition=models.Q(started_at__isnull=True),
                         name="invitation_not_started"),
        ]

    def __str__(self) -> str:
        return f"Invitation #{self.pk} ({self.get_delivery_state_display()})"

    @property
    def profile_interview_id(self):
        return self.mojito_id

    @profile_interview_id.setter
    def profile_interview_id(self, value):
        self.mojito_id = value or None
