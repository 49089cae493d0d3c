from django.db import models

from mojito.vocabulary import (
    COMPLETED_COACH_STATUSES,
    FAILED_COACH_STATUSES,
    CoachStatus,
    DecisionStatus,
    ProcessingStatus,
    ResultStatus,
)

from .base import MojitoModel


class ResultRank(models.IntegerChoices):
    """How far a result has got. Updates never move a result to a lower rank (except on reset)."""

    UNKNOWN = 0, "Unknown"
    ONGOING = 1, "Ongoing"
    COLLECTED = 2, "Collected"
    PROCESSING = 3, "Processing"
    FINAL = 4, "Processed / failed"
    ARCHIVED = 5, "Archived"


def result_state_rank(status: str | None, coach_status: str | None, processing_status: str | None) -> int:
    """Rank of a result state: ongoing 1 < collected 2 < submitted+processing 3 < processed/failed 4 < archived 5."""
    if status == ResultStatus.ARCHIVED:
        return ResultRank.ARCHIVED
    if coach_status in FAILED_COACH_STATUSES or (
        status == ResultStatus.ACTIVE and processing_status in (ProcessingStatus.COMPLETED, ProcessingStatus.FAILED)
    ):
        return ResultRank.FINAL
    if status == ResultStatus.ACTIVE:
        return ResultRank.PROCESSING
    if status == ResultStatus.DRAFT:
        return ResultRank.COLLECTED if coach_status in COMPLETED_COACH_STATUSES else ResultRank.ONGOING
    if coach_status in COMPLETED_COACH_STATUSES:
        return ResultRank.COLLECTED
    if coach_status:
        return ResultRank.ONGOING
    return ResultRank.UNKNOWN


def report_upload_to(instance, filename: str) -> str:
    return f"reports/{instance.mojito_id}/{filename}"


class InterviewResult(MojitoModel):
    """One attempt at an interview. mojito_id = interview_result_id."""

    interview = models.ForeignKey("recruiting.Interview", on_delete=models.CASCADE, related_name="results")
    invitation = models.ForeignKey(
        "recruiting.Invitation", null=True, blank=True, on_delete=models.SET_NULL, related_name="results"
    )
    candidate = models.ForeignKey(
        "recruiting.Candidate", null=True, blank=True, on_delete=models.SET_NULL, related_name="results"
    )
    profile_interview_id = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(max_length=16, choices=ResultStatus.choices, blank=True)
    coach_status = models.CharField(max_length=40, choices=CoachStatus.choices, blank=True)
    processing_status = models.CharField(max_length=16, choices=ProcessingStatus.choices, blank=True)
    decision_status = models.CharField(max_length=24, choices=DecisionStatus.choices, blank=True)
    state_rank = models.PositiveSmallIntegerField(choices=ResultRank.choices, default=ResultRank.UNKNOWN)
    score = models.FloatField(null=True, blank=True)
    score_recruiter_ai = models.FloatField(null=True, blank=True, help_text="ai_analysis_recruiter_score / score_interview_ai.")
    ai_analysis = models.TextField(blank=True)
    ai_analysis_recruiter = models.TextField(blank=True)
    why_hire = models.JSONField(default=list, blank=True)
    why_not_hire = models.JSONField(default=list, blank=True)
    recruiter_go_next_round = models.BooleanField(null=True, blank=True)
    is_test = models.BooleanField(default=False)
    duration_ds = models.PositiveIntegerField(null=True, blank=True, help_text="Deciseconds.")
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    remote_updated_at = models.DateTimeField(null=True, blank=True)
    # When the attempt happened at JobMojito (its created_at): what the pages show, sort, filter
    # and chart by. remote_updated_at moves on every re-score and is only the sync watermark.
    remote_created_at = models.DateTimeField(null=True, blank=True)
    pdf_export_url = models.URLField(max_length=2000, blank=True)
    details_pending = models.BooleanField(
        default=False, help_text="Stored from its merchant-result-list row by a reconcile; the transcript and "
                                 "analyses (job-interview-details) are still to be fetched.")
    report = models.FileField(upload_to=report_upload_to, blank=True, max_length=255)

    class Meta:
        ordering = ["-remote_created_at", "-id"]
        indexes = [
            models.Index(fields=["-remote_created_at", "-id"], name="result_taken"),
            models.Index(fields=["interview", "-remote_created_at"], name="result_interview_taken"),
            models.Index(fields=["interview", "-remote_updated_at"], name="result_interview_updated"),
            # The three fields that decide a result's state, per interview: the interview page counts
            # its results per state from this index alone (no table row read, at any interview size).
            models.Index(fields=["interview", "state_rank", "coach_status", "processing_status"],
                         name="result_interview_state"),
            models.Index(fields=["status", "coach_status"], name="result_status_coach"),
            models.Index(fields=["coach_status"], name="result_coach_status"),
            models.Index(fields=["-remote_updated_at", "-id"], name="result_updated"),
            models.Index(fields=["-score", "-id"], name="result_score"),
            models.Index(fields=["id"], name="result_details_pending", condition=models.Q(details_pending=True)),
            # Scored and not failed: the review queue (oldest first) and the "to review" counts.
            models.Index(fields=["remote_created_at", "id"], name="result_scored_queue_taken",
                         condition=models.Q(state_rank=4) & ~(models.Q(coach_status__in=sorted(FAILED_COACH_STATUSES))
                                                              | models.Q(processing_status=ProcessingStatus.FAILED))),
        ]

    def __str__(self) -> str:
        return f"Result {self.mojito_id}"

    @property
    def duration_seconds(self) -> float | None:
        return None if self.duration_ds is None else self.duration_ds / 10


class TranscriptRow(models.Model):
    """One turn of a result's transcript (replaced wholesale on every sync). mojito_id = result question id."""

    result = models.ForeignKey(InterviewResult, on_delete=models.CASCADE, related_name="transcript_rows")
    position = models.PositiveIntegerField()
    is_answer = models.BooleanField(default=False)
    question = models.TextField(blank=True)
    answer = models.TextField(blank=True)
    score = models.FloatField(null=True, blank=True)
    ai_analysis = models.TextField(blank=True)
    ai_analysis_recruiter = models.TextField(blank=True)
    duration_ds = models.PositiveIntegerField(null=True, blank=True)
    mojito_id = models.CharField("JobMojito id", max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["result_id", "position"]
        constraints = [models.UniqueConstraint(fields=["result", "position"], name="transcript_unique_position")]

    def __str__(self) -> str:
        return f"{self.position + 1}. {'answer' if self.is_answer else 'question'}"

    @property
    def duration_seconds(self) -> float | None:
        return None if self.duration_ds is None else self.duration_ds / 10
