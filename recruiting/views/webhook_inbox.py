"""Webhook inbox (``/webhooks/``): deliveries, one delivery's body, and replaying them."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from mojito.models import WebhookDelivery
from recruiting import tasks
from recruiting.selectors import webhook_inbox as selectors
from recruiting.services.webhook_inbox import FAILED, MISSING, webhook_delivery_replay
from recruiting.views.common import apply_sort, paginate, render_page

OUTCOME_WORDS = {
    WebhookDelivery.State.PROCESSED: ("success", "Delivery #{pk} was replayed and processed."),
    WebhookDelivery.State.IGNORED: ("info", "Delivery #{pk} was replayed and ignored: {reason}"),
    FAILED: ("error", "Delivery #{pk} failed again: {reason}. It stays in the inbox; replay it once the cause "
                      "is fixed."),
    MISSING: ("error", "Delivery #{pk} no longer exists."),
    "busy": ("info", "Delivery #{pk} is being processed by the worker right now; its state here changes when "
                     "it is done."),
}


def delivery_list(request):
    filterset = selectors.deliveries_filtered(request.GET)
    queryset, sort = apply_sort(request, filterset.qs, selectors.SORTS, selectors.DEFAULT_SORT)
    page = paginate(request, queryset)
    for delivery in page:
        delivery.event_label = selectors.event_label(delivery.event)
    summary = selectors.inbox_summary()
    # Keep the rows fresh while deliveries are being processed (or a replay of the failed ones runs).
    poll = bool(summary["pending"] or (request.GET.get("replaying") and summary["failed"]))
    context = {"filter": filterset, "page": page, "sort": sort, "summary": summary, "poll": poll,
               "filtered": bool(filterset.form.changed_data)}
    return render_page(request, "dashboard/webhooks/list.html", context, partial="rows")


def delivery_detail(request, pk: int):
    delivery = get_object_or_404(WebhookDelivery, pk=pk)
    delivery.event_label = selectors.event_label(delivery.event)
    delivery.result_pk = selectors.local_result_pk(delivery)
    body, is_json = selectors.pretty_body(delivery)
    return render(request, "dashboard/webhooks/detail.html",
                  {"delivery": delivery, "body": body, "body_is_json": is_json,
                   "headers": selectors.pretty_headers(delivery)})


@require_POST
def replay(request, pk: int):
    delivery = get_object_or_404(WebhookDelivery.objects.only("pk"), pk=pk)
    result = webhook_delivery_replay(delivery_id=delivery.pk)
    level, text = OUTCOME_WORDS.get(result.outcome, ("info", "Delivery #{pk}: {reason}"))
    refreshed = WebhookDelivery.objects.filter(pk=pk).values_list("last_error", flat=True).first() or ""
    reason = selectors.redact(result.error or refreshed or result.outcome)
    getattr(messages, level)(request, text.format(pk=pk, reason=reason))
    return redirect("webhook_inbox:detail", pk=pk)


@require_POST
def replay_failed(request):
    count = WebhookDelivery.objects.filter(state=WebhookDelivery.State.FAILED).count()
    if not count:
        messages.info(request, "No failed deliveries to replay.")
        return redirect("webhook_inbox:list")
    with transaction.atomic():
        tasks.enqueue(tasks.webhook_deliveries_replay_task, failed=True)
    messages.success(request, f"Replaying {count} failed {'delivery' if count == 1 else 'deliveries'} in the "
                              "background. Their state changes here as each one is processed.")
    return redirect(f"{reverse('webhook_inbox:list')}?state=failed&replaying=1")
