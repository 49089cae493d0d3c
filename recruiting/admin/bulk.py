from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from recruiting.models import BulkInvite, BulkInviteRow

from .actions import bulk_download_errors, bulk_resume, bulk_retry_failed
from .base import ReadOnlyInline, RecruitingModelAdmin, set_or_not

INLINE_ROWS = 50


class BulkInviteRowInline(ReadOnlyInline, admin.TabularInline):
    """The first rows of the job (problems first); the full list is one link away."""

    model = BulkInviteRow
    fields = ("line_number", "name", "email", "state", "error", "result", "attempts")
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        # Inline formsets cannot slice; limit by line number window instead.
        qs = super().get_queryset(request)
        return qs.filter(line_number__lte=INLINE_ROWS)


@admin.register(BulkInvite)
class BulkInviteAdmin(RecruitingModelAdmin):
    actions = [bulk_retry_failed, bulk_resume, bulk_download_errors]
    list_display = ("__str__", "interview", "status", "total_count", "sent_count", "failed_count", "duplicate_count",
                    "invalid_count", "created_by", "created_at", "finished_at")
    list_filter = ("status", "send_email", "is_test")
    search_fields = ("source_file_name", "=interview__mojito_id", "interview__name")
    date_hierarchy = "created_at"
    list_select_related = ("interview", "created_by")
    raw_id_fields = ("interview", "created_by")
    readonly_fields = ("rows_link", "created_at", "updated_at", "started_at", "finished_at")
    inlines = [BulkInviteRowInline]

    @admin.display(description="rows")
    def rows_link(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("admin:recruiting_bulkinviterow_changelist") + f"?bulk__id__exact={obj.pk}"
        return format_html('<a href="{}">All rows of this job</a>', url)


@admin.register(BulkInviteRow)
class BulkInviteRowAdmin(RecruitingModelAdmin):
    actions = []
    list_display = ("line_number", "bulk", "name", "email", "state", "error", "attempts", "updated_at")
    list_filter = ("state",)
    search_fields = ("=normalised_email", "name", "=external_id", "=profile_interview_id")
    list_select_related = ("bulk",)
    raw_id_fields = ("bulk", "invitation")
    exclude = ("interview_url",)
    readonly_fields = ("interview_url_status", "created_at", "updated_at")

    @admin.display(description="interview URL")
    def interview_url_status(self, obj):
        return set_or_not(obj.interview_url)
