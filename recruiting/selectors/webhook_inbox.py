"""Reads for the webhook inbox: deliveries (filtered), one delivery with its body pretty-printed."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import django_filters
from django.db.models import IntegerField, OuterRef, Subquery
from django.db.models.expressions import RawSQL

from mojito.models import WebhookDelivery
from mojito.vocabulary import WebhookEvent
from recruiting.models import InterviewResult
from recruiting.selectors.activity import redact
from recruiting.selectors.filters import TimeWindowMixin, search_filter

SORTS = {"received": "received_at", "attempts": "attempts", "event": "event"}
DEFAULT_SORT = "-received"
SUMMARY_CAP = 1000  # counts stop here ("1,000+"): the table only grows


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


@dataclass
class WebhookHealth:
    last_received_at: dt.datetime | None
    failed: int
    pending: int
    cap: int = SUMMARY_CAP


def webhook_health(*, cap: int = SUMMARY_CAP) -> WebhookHealth:
    """The last delivery's time and the failed and waiting counts (capped at ``cap + 1``), one query.

    The deliveries table only grows, so nothing here reads all of it: the last delivery is the
    newest primary key (an index lookup), and each count walks the ``webhook_state`` index and
    stops after ``cap + 1`` rows (no delivery at all: no row, and nothing failed or waiting)."""
    def count(state) -> RawSQL:
        sql, params = WebhookDelivery.objects.filter(state=state).order_by().values("pk")[: cap + 1].query.sql_with_params()
        return RawSQL(f"SELECT COUNT(*) FROM ({sql}) AS capped", params, output_field=IntegerField())

    row = (WebhookDelivery.objects.order_by("-pk")
           .annotate(failed=count(WebhookDelivery.State.FAILED), pending=count(WebhookDelivery.State.PENDING))
           .values("received_at", "failed", "pending").first())
    if row is None:
        return WebhookHealth(None, 0, 0, cap)
    return WebhookHealth(row["received_at"], row["failed"], row["pending"], cap)


def inbox_summary() -> dict:
    """The inbox's line: the last delivery's time, the failed and pending counts (capped)."""
    health = webhook_health()
    return {"last_received": health.last_received_at, "failed": health.failed, "pending": health.pending,
            "cap": health.cap}


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
