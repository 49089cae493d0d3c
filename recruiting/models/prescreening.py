from django.db import models

from mojito.vocabulary import DecisionStatus, Language, PreScreeningStatus, PreScreeningType, Recommendation

from .base import LocalFirstMojitoModel, MojitoModel


class Position(MojitoModel):
    """A position (position_def_set), the pre-screening container. mojito_id = position_def_set_id."""

    name = models.CharField(max_length=255, blank=True)
    location = models.CharField(max_length=255, blank=True)
    country_code = models.CharField(max_length=2, blank=True)
    language = models.CharField(max_length=8, choices=Language.choices, blank=True)
    type = models.CharField(max_length=20, choices=PreScreeningType.choices, blank=True)
    status = models.CharField(max_length=16, choices=PreScreeningStatus.choices, blank=True, db_index=True)
    description = models.TextField(blank=True)
    assessment_rules = models.JSONField(default=list, blank=True)
    form_fields = models.JSONField(default=list, blank=True)
    interview_pre_screening_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name or f"Position {self.mojito_id}"


class PreScreening(LocalFirstMojitoModel):
    """One résumé pre-screening. mojito_id = interview_result_pre_screening_id.

    The résumé itself is never stored here (not in a column, not in ``raw``).
    """

    class Source(models.TextChoices):
        TEXT = "text", "Text"
        FILE = "file", "File"

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="pre_screenings")
    candidate = models.ForeignKey("recruiting.Candidate", on_delete=models.CASCADE, related_name="pre_screenings")
    profile_interview_id = models.CharField(max_length=64, blank=True, db_index=True)
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices, blank=True, db_index=True)
    decision_status = models.CharField(max_length=24, choices=DecisionStatus.choices, blank=True, db_index=True)
    score = models.FloatField(null=True, blank=True)
    analysis = models.TextField(blank=True)
    education = models.TextField(blank=True)
    technical_experience_years = models.FloatField(null=True, blank=True)
    is_switching_profession = models.BooleanField(null=True, blank=True)
    processing_reason = models.TextField(blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, blank=True)
    file_name = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "pre-screening"
        indexes = [models.Index(fields=["position", "-created_at"], name="prescreening_position_created")]

    def __str__(self) -> str:
        return f"Pre-screening #{self.pk} ({self.recommendation or self.decision_status or 'pending'})"
