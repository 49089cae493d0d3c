from django.contrib import admin

from recruiting.models import Candidate, Invitation

from .actions import invitation_resend
from .base import MojitoModelAdmin, set_or_not


@admin.register(Candidate)
class CandidateAdmin(MojitoModelAdmin):
    actions = []
    allow_add = True
    list_display = ("name", "email", "external_id", "country_code", "mojito_id", "created_at")
    list_filter = ("country_code", "created_at")
    search_fields = ("name", "=normalised_email", "email", "=external_id", "=mojito_id")
    readonly_fields = MojitoModelAdmin.readonly_fields + ("normalised_email",)


@admin.register(Invitation)
class InvitationAdmin(MojitoModelAdmin):
    actions = [invitation_resend]
    list_display = ("__str__", "candidate", "interview", "delivery_state", "status", "attempts", "sent_at",
                    "created_at")
    list_filter = ("delivery_state", "status", "send_email", "created_at")
    search_fields = ("=mojito_id", "=candidate__normalised_email", "candidate__name", "=interview__mojito_id")
    list_select_related = ("candidate", "interview")
    raw_id_fields = ("candidate", "interview")
    # The interview URL is a one-time credential: the console only says whether there is one.
    exclude = MojitoModelAdmin.exclude + ("interview_url",)
    readonly_fields = MojitoModelAdmin.readonly_fields + ("interview_url_status",)

    @admin.display(description="interview URL")
    def interview_url_status(self, obj):
        return set_or_not(obj.interview_url)
