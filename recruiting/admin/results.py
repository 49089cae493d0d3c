from django.contrib import admin

from recruiting.models import InterviewResult, PreScreening, TranscriptRow

from .actions import result_generate_report, result_request_another_attempt, result_resync
from .base import MojitoModelAdmin, ReadOnlyInline, RecruitingModelAdmin


class TranscriptRowInline(ReadOnlyInline, admin.TabularInline):
    model = TranscriptRow
    fields = ("position", "is_answer", "question", "answer", "score", "duration_ds")
    readonly_fields = fields
    show_change_link = False


@admin.register(InterviewResult)
class InterviewResultAdmin(MojitoModelAdmin):
    actions = [result_resync, result_request_another_attempt, result_generate_report]
    list_display = ("candidate_label", "interview", "status", "coach_status", "processing_status", "score",
                    "score_recruiter_ai", "is_test", "remote_updated_at", "mojito_id")
    list_display_links = ("candidate_label",)
    list_filter = ("status", "coach_status", "processing_status", "decision_status", "state_rank", "is_test",
                   "recruiter_go_next_round", "remote_updated_at")
    search_fields = ("=mojito_id", "=profile_interview_id", "=candidate__normalised_email", "candidate__name",
                     "=interview__mojito_id")
    list_select_related = ("interview", "candidate")
    raw_id_fields = ("interview", "invitation", "candidate")
    readonly_fields = MojitoModelAdmin.readonly_fields + ("state_rank", "remote_updated_at")
    inlines = [TranscriptRowInline]

    @admin.display(description="Candidate", ordering="candidate__name")
    def candidate_label(self, obj):
        if obj.candidate_id:
            return obj.candidate.name or obj.candidate.email
        return obj.profile_interview_id or "(unknown candidate)"


@admin.register(TranscriptRow)
class TranscriptRowAdmin(RecruitingModelAdmin):
    actions = []
    list_display = ("__str__", "result", "is_answer", "score", "duration_ds")
    list_filter = ("is_answer",)
    search_fields = ("=result__mojito_id", "=mojito_id")
    list_select_related = ("result",)
    raw_id_fields = ("result",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PreScreening)
class PreScreeningAdmin(MojitoModelAdmin):
    actions = []
    list_display = ("__str__", "position", "candidate", "recommendation", "decision_status", "score", "source",
                    "created_at")
    list_filter = ("recommendation", "decision_status", "source", "is_switching_profession", "created_at")
    search_fields = ("=mojito_id", "=profile_interview_id", "=candidate__normalised_email", "candidate__name",
                     "position__name")
    list_select_related = ("position", "candidate")
    raw_id_fields = ("position", "candidate")
