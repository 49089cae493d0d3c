"""The JobMojito boundary's own rows, read-only: the outbound call log and the webhook inbox."""

from django.contrib import admin

from mojito.models import ApiCall, WebhookDelivery

from .base import FastChangelistMixin, pretty_json


class ReadOnlyAdmin(FastChangelistMixin, admin.ModelAdmin):
    actions = []

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiCall)
class ApiCallAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "method", "endpoint", "status_code", "ok", "duration_ms", "attempts",
                    "outcome_unknown")
    list_filter = ("ok", "method", "outcome_unknown", "status_code")
    search_fields = ("endpoint", "error")
    date_hierarchy = "created_at"


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "event", "event_mismatch", "result_mojito_id", "state", "attempts", "processed_at")
    list_filter = ("state", "event", "event_mismatch")
    search_fields = ("=result_mojito_id", "=dedup_key")
    date_hierarchy = "received_at"
    exclude = ("body", "headers")
    readonly_fields = ("body_pretty", "headers_pretty")

    @admin.display(description="body")
    def body_pretty(self, obj):
        return pretty_json(obj.body)

    @admin.display(description="headers")
    def headers_pretty(self, obj):
        return pretty_json(obj.headers)
