"""What the app keeps of its own about results: the recruiter's review decision and the attempts
the app asked JobMojito for (JobMojito has no endpoint to set a recruiter decision)."""

from django.conf import settings
from django.db import models

from .base import TimestampedModel


class ReviewDecision(models.TextChoices):
    SHORTLIST = "shortlist", "Shortlist"
    ADVANCE = "advance", "Advance"
    REJECT = "reject", "Reject"
    HOLD = "hold", "Hold"


class ResultReview(TimestampedModel):
    """The recruiter's current decision on one result, with a note, who decided and when."""

    result = models.OneToOneField("recruiting.InterviewResult", on_delete=models.CASCADE, related_name="review")
    decision = models.CharField(max_length=16, choices=ReviewDecision.choices, db_index=True)
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="result_reviews")
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} (result #{self.result_id})"


class AttemptRequest(TimestampedModel):
    """Another attempt the app asked for on behalf of a candidate (by a recruiter or automatically).

    ``kind``: ``reopen`` = JobMojito's request-another-attempt on a submitted result; ``resend`` =
    a failed or abandoned attempt, the invitation sent again so the candidate can retake it.
    At most one automatic request per invitation (candidate x interview).
    """

    class Kind(models.TextChoices):
        REOPEN = "reopen", "Submitted result re-opened"
        RESEND = "resend", "Invitation sent again"

    result = models.ForeignKey("recruiting.InterviewResult", on_delete=models.CASCADE, related_name="attempt_requests")
    invitation = models.ForeignKey("recruiting.Invitation", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="attempt_requests")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    automatic = models.BooleanField(default=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="attempt_requests")
    coach_status = models.CharField(max_length=40, blank=True, help_text="The attempt's status when it was requested.")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["invitation"], condition=models.Q(automatic=True),
                                    name="attempt_request_one_automatic_per_invitation"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (result #{self.result_id})"
