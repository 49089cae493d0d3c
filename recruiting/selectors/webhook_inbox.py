"""Reads for the webhook inbox: deliveries (filtered), one delivery with its body pretty-printed."""

from __future__ import annotations

import json

import django_filters
from django.db.models import Count, Max, OuterRef, Q, Subquery

from mojito.models import WebhookDelivery
from mojito.vocabulary import WebhookEvent
from recruiting.models import InterviewResult
from recruiting.selectors.activity import redact
from recruiting.selectors.filters import TimeWindowMixin, search_filter

SORTS = {"received": "received_at", "attempts": "attempts", "event": "event"}
DEFAULT_SORT = "-received"


class DeliveryFilter(TimeWindowMixin):
    time_field = "received_at"
    q = search_filter("Result id", "Result id (exact)")
    state = django_filters.ChoiceFilter(choices=WebhookDelivery.State.choices, empty_label="Any state")
    event = django_filters.ChoiceFilter(choices=WebhookEvent.choices, empty_label="Any event")

    class Meta:
        model = WebhookDelivery
        fields = ["q", "state", "event", "period", "since", "until"]

    def search(self, queryset, name, value):
        return queryset.filter(result_mojito_id=value.strip())


EVENT_LABELS = dict(WebhookEvent.choices)


def event_label(event: str) -> str:
    """"Interview result" for a known event, the stored name for another, "" for none."""
    return EVENT_LABELS.get(event, event or "")


def deliveries_filtered(params) -> DeliveryFilter:
    # The list never needs the body or headers: leave them in the database. ``result_pk`` links the
    # result page when the app already has that result (one subquery, not a query per row).
    local = InterviewResult.objects.filter(mojito_id=OuterRef("result_mojito_id")).values("pk")[:1]
    queryset = WebhookDelivery.objects.defer("body", "headers").annotate(result_pk=Subquery(local))
    return DeliveryFilter(params, queryset=queryset)


def local_result_pk(delivery: WebhookDelivery) -> int | None:
    if not delivery.result_mojito_id:
        return None
    return InterviewResult.objects.filter(mojito_id=delivery.result_mojito_id).values_list("pk", flat=True).first()


def inbox_summary() -> dict:
    """Counts by state and the time the last delivery arrived (one query)."""
    states = WebhookDelivery.State
    return WebhookDelivery.objects.aggregate(
        last_received=Max("received_at"),
        failed=Count("pk", filter=Q(state=states.FAILED)),
        pending=Count("pk", filter=Q(state=states.PENDING)),
    )


def failed_delivery_ids() -> list[int]:
    return list(WebhookDelivery.objects.filter(state=WebhookDelivery.State.FAILED)
                .order_by("received_at", "pk").values_list("pk", flat=True))


def pretty_body(delivery: WebhookDelivery) -> tuple[str, bool]:
    """The body indented (and whether it was JSON); secrets redacted in case a sender echoed one."""
    try:
        text, is_json = json.dumps(json.loads(delivery.body), indent=2, sort_keys=True, ensure_ascii=False), True
    except ValueError:
        text, is_json = delivery.body, False
    return redact(text), is_json


def pretty_headers(delivery: WebhookDelivery) -> str:
    return redact(json.dumps(delivery.headers or {}, indent=2, sort_keys=True, ensure_ascii=False))
