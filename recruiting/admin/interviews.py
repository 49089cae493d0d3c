from django.contrib import admin

from recruiting.models import Interview, InterviewTemplate, Position, Question

from .actions import (
    interview_archive,
    interview_delete,
    interview_disable_embedding,
    interview_enable_embedding,
    interview_publish,
    interview_resync,
    interview_unpublish,
    templates_resync,
)
from .base import MirrorReadOnlyMixin, MojitoModelAdmin, ReadOnlyInline, RecruitingModelAdmin, set_or_not


class QuestionInline(ReadOnlyInline, admin.TabularInline):
    model = Question
    fields = ("position", "text", "duration", "is_multiple_choice", "alternatives", "external_id", "mojito_id")
    readonly_fields = fields
    show_change_link = False


@admin.register(Interview)
class InterviewAdmin(MojitoModelAdmin):
    actions = [interview_resync, interview_publish, interview_unpublish, interview_archive, interview_delete,
               interview_enable_embedding, interview_disable_embedding]
    list_display = ("name", "status", "type", "interview_style", "language", "template", "is_embedded_display",
                    "remote_created_at", "synced_at")
    list_filter = ("status", "type", "interview_style", "language", "creation_method", "is_multistage")
    search_fields = ("name", "=mojito_id", "=embed_id", "location")
    date_hierarchy = "created_at"
    list_select_related = ("template",)
    raw_id_fields = ("template", "position")
    readonly_fields = MojitoModelAdmin.readonly_fields + ("embed_id", "embed_signing_key_status", "remote_created_at",
                                                          "remote_updated_at", "questions_generated")
    inlines = [QuestionInline]

    @admin.display(description="embedded", boolean=True)
    def is_embedded_display(self, obj):
        return obj.is_embedded

    @admin.display(description="embed signing key")
    def embed_signing_key_status(self, obj):
        return set_or_not(obj.embed_signing_key)


@admin.register(InterviewTemplate)
class InterviewTemplateAdmin(MojitoModelAdmin):
    actions = [templates_resync]
    list_display = ("name", "type", "status", "language", "voice_language_name", "is_legacy", "synced_at")
    list_filter = ("type", "status", "language", "is_legacy")
    search_fields = ("name", "voice_language_name", "=mojito_id")
    date_hierarchy = "created_at"
    readonly_fields = MojitoModelAdmin.readonly_fields + ("is_legacy", "remote_updated_at")


@admin.register(Position)
class PositionAdmin(MojitoModelAdmin):
    actions = []
    list_display = ("name", "type", "status", "location", "country_code", "language", "synced_at")
    list_filter = ("type", "status", "language")
    search_fields = ("name", "location", "=mojito_id", "=interview_pre_screening_id")
    date_hierarchy = "created_at"


@admin.register(Question)
class QuestionAdmin(MirrorReadOnlyMixin, RecruitingModelAdmin):
    actions = []
    list_display = ("__str__", "interview", "position", "is_multiple_choice", "duration")
    list_filter = ("is_multiple_choice",)
    search_fields = ("text", "=mojito_id", "=external_id", "=interview__mojito_id")
    list_select_related = ("interview",)
    raw_id_fields = ("interview",)
