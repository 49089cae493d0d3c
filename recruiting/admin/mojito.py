"""The JobMojito boundary's own rows, read-only: the outbound call log and the webhook inbox."""

from django.contrib import admin, messages
from django.db import transaction

from mojito.models import ApiCall, WebhookDelivery
from recruiting import tasks
from recruiting.services.webhook_inbox import webhook_delivery_replay

from .actions import INLINE_LIMIT, confirm
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
    list_filter = ("ok", "method", "outcome_unknown", "status_code", "created_at")
    search_fields = ("endpoint", "error")


def _replay(modeladmin, request, ids: list[int]) -> None:
    """One delivery is replayed now (its outcome reported); several go to a background job."""
    if len(ids) <= INLINE_LIMIT:
        for pk in ids:
            result = webhook_delivery_replay(delivery_id=pk)
            level = messages.SUCCESS if result.outcome == WebhookDelivery.State.PROCESSED else messages.WARNING
            detail = f": {result.error}" if result.error else ""
            modeladmin.message_user(request, f"Delivery #{pk} replayed: {result.outcome}{detail}", level)
        return
    with transaction.atomic():
        tasks.enqueue(tasks.webhook_deliveries_replay_task, ids)
    modeladmin.message_user(request, f"{len(ids)} deliveries queued for replay.", messages.SUCCESS)


@admin.action(description="Replay (process again)")
def replay_deliveries(modeladmin, request, queryset):
    def run(qs, _):
        _replay(modeladmin, request, list(qs.order_by("received_at", "pk").values_list("pk", flat=True)))
    return confirm(modeladmin, request, queryset, title="Replay webhook deliveries",
                   question="Process these deliveries again? Each result they name is read from JobMojito "
                            "and updated.", run=run)


@admin.action(description="Replay the failed ones")
def replay_failed_deliveries(modeladmin, request, queryset):
    failed = queryset.filter(state=WebhookDelivery.State.FAILED)

    def run(qs, _):
        ids = list(qs.filter(state=WebhookDelivery.State.FAILED).order_by("received_at", "pk")
                   .values_list("pk", flat=True))
        if not ids:
            modeladmin.message_user(request, "None of the selected deliveries failed.", messages.WARNING)
            return
        _replay(modeladmin, request, ids)
    return confirm(modeladmin, request, queryset, title="Replay failed webhook deliveries",
                   question=f"Process the {failed.count()} failed deliveries among the selected again?", run=run)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    actions = [replay_deliveries, replay_failed_deliveries]
    list_display = ("received_at", "event", "event_mismatch", "result_mojito_id", "state", "attempts", "processed_at")
    list_filter = ("state", "event", "event_mismatch", "received_at")
    search_fields = ("=result_mojito_id", "=dedup_key")
    exclude = ("body", "headers")
    readonly_fields = ("body_pretty", "headers_pretty")

    @admin.display(description="body")
    def body_pretty(self, obj):
        return pretty_json(obj.body)

    @admin.display(description="headers")
    def headers_pretty(self, obj):
        return pretty_json(obj.headers)
