from django.db import models

from mojito.vocabulary import LEGACY_TEMPLATE_TYPES, AvatarStatus, AvatarTemplateType, Language

from .base import MojitoModel


class InterviewTemplate(MojitoModel):
    """An avatar / voice template (merchant-avatar-list row). mojito_id = interview_template_id."""

    name = models.CharField(max_length=255, blank=True)
    type = models.CharField(max_length=32, choices=AvatarTemplateType.choices, blank=True, db_index=True)
    status = models.CharField(max_length=16, choices=AvatarStatus.choices, blank=True, db_index=True)
    language = models.CharField(max_length=8, choices=Language.choices, blank=True)
    voice_language_name = models.CharField(max_length=120, blank=True)
    is_legacy = models.BooleanField(default=False, help_text="Legacy type: listed, but cannot be used for new interviews.")
    remote_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "interview template"

    def __str__(self) -> str:
        return self.name or f"Template {self.mojito_id}"

    def save(self, *args, **kwargs):
        self.is_legacy = self.type in LEGACY_TEMPLATE_TYPES
        if kwargs.get("update_fields") is not None and "type" in kwargs["update_fields"]:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"is_legacy"}
        super().save(*args, **kwargs)

    @property
    def is_voice_only(self) -> bool:
        return self.type == AvatarTemplateType.INTERACTIVE_ELEVENLABS
