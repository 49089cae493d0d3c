from django.db import models

from mojito.vocabulary import (
    AvatarTemplateType,
    InterviewStatus,
    InterviewStyle,
    InterviewType,
    Language,
    SeniorityLevel,
    Visibility,
)
from recruiting.fields import EncryptedTextField

from .base import MojitoModel


class CreationMethod(models.TextChoices):
    FROM_DESCRIPTION = "from_description", "Generated from a description"
    FROM_QUESTIONS = "from_questions", "From our own questions"
    FOR_CANDIDATE = "for_candidate", "For one candidate"


class Interview(MojitoModel):
    """An interview definition (interview_def_set). mojito_id = interview_def_set_id (= position_id on get)."""

    name = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=16, choices=InterviewStatus.choices, blank=True, db_index=True)
    type = models.CharField(max_length=24, choices=InterviewType.choices, blank=True, db_index=True)
    visibility = models.CharField(max_length=24, choices=Visibility.choices, blank=True)
    language = models.CharField(max_length=8, choices=Language.choices, blank=True)
    location = models.CharField(max_length=255, blank=True)
    template = models.ForeignKey(
        "recruiting.InterviewTemplate", null=True, blank=True, on_delete=models.SET_NULL, related_name="interviews"
    )
    template_type = models.CharField(max_length=32, choices=AvatarTemplateType.choices, blank=True)
    interview_style = models.CharField(
        max_length=48, choices=InterviewStyle.choices, blank=True, help_text="API field interview_type."
    )
    seniority = models.CharField(max_length=16, choices=SeniorityLevel.choices, blank=True)
    max_duration = models.PositiveIntegerField(null=True, blank=True, help_text="Seconds.")
    description = models.TextField(blank=True)
    embed_id = models.CharField(max_length=64, blank=True)
    embed_signing_key = EncryptedTextField(blank=True, default="", editable=False)
    creation_method = models.CharField(max_length=20, choices=CreationMethod.choices, blank=True)
    questions_generated = models.PositiveIntegerField(null=True, blank=True)
    is_multistage = models.BooleanField(default=False)
    remote_created_at = models.DateTimeField(null=True, blank=True)
    remote_updated_at = models.DateTimeField(null=True, blank=True, db_index=True)
    position = models.ForeignKey(
        "recruiting.Position", null=True, blank=True, on_delete=models.SET_NULL, related_name="interviews"
    )
    # Local setting (not JobMojito's): after a failed or abandoned attempt, send the invitation again
    # automatically, once per candidate, when the interview allows more attempts.
    auto_retry_failed = models.BooleanField(
        "Offer another attempt automatically", default=False,
        help_text="After a failed or abandoned interview, invite the candidate again once, if attempts remain.")

    class Meta:
        ordering = ["-remote_created_at", "-id"]
        indexes = [models.Index(fields=["status", "-remote_created_at"], name="interview_status_created")]

    def __str__(self) -> str:
        return self.name or f"Interview {self.mojito_id}"

    @property
    def is_embedded(self) -> bool:
        return bool(self.embed_id and self.embed_signing_key)


class Question(models.Model):
    """One question of an interview, in order. mojito_id = the stored question id (null before sync)."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0, help_text="0-based order within the interview.")
    text = models.TextField()
    mojito_id = models.CharField("JobMojito id", max_length=64, null=True, blank=True, db_index=True)
    is_multiple_choice = models.BooleanField(default=False)
    alternatives = models.JSONField(default=list, blank=True)
    duration = models.PositiveIntegerField(null=True, blank=True, help_text="Answer duration in seconds.")
    external_id = models.CharField(max_length=128, blank=True)
    is_without_scoring = models.BooleanField(default=False, help_text="Asked but not scored.")
    conditional_question_main_id = models.CharField(
        max_length=64, blank=True, help_text="JobMojito id of the earlier question this one follows up.")
    knowledge_base_id = models.CharField(max_length=64, blank=True, help_text="Knowledge document the question uses.")

    class Meta:
        ordering = ["interview_id", "position"]
        constraints = [models.UniqueConstraint(fields=["interview", "position"], name="question_unique_position")]

    def __str__(self) -> str:
        return f"{self.position + 1}. {self.text[:60]}"
