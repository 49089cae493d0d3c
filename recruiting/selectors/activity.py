"""Reads for API activity: the ``ApiCall`` log, filtered by endpoint, status class and time.

Rows never hold the token or a résumé (``mojito.calllog``); the error text is still passed
through ``redact`` on the page, so a secret that a remote message echoed cannot be shown.
"""

from __future__ import annotations

import django_filters
from django.conf import settings
from django.db.models import Q

from mojito.models import ApiCall
from recruiting.selectors.filters import TimeWindowMixin

SORTS = {"date": "created_at", "duration": "duration_ms", "attempts": "attempts"}
DEFAULT_SORT = "-date"

STATUS_CLASSES = [
    ("ok", "Succeeded (2xx)"),
    ("4xx", "Refused (4xx)"),
    ("5xx", "JobMojito error (5xx)"),
    ("none", "No answer (timeout, connection)"),
    ("unknown", "Outcome unknown"),
]
REDACTED = "[redacted]"


class ApiCallFilter(TimeWindowMixin):
    endpoint = django_filters.ChoiceFilter(choices=[], empty_label="All endpoints")
    status = django_filters.ChoiceFilter(choices=STATUS_CLASSES, method="filter_status", label="Status",
                                         empty_label="Any status")

    class Meta:
        model = ApiCall
        fields = ["endpoint", "status", "period", "since", "until"]

    def __init__(self, *args, endpoints=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["endpoint"].extra["choices"] = [(e, e) for e in endpoints]

    def filter_status(self, queryset, name, value):
        if value == "ok":
            return queryset.filter(status_code__gte=200, status_code__lt=300)
        if value == "4xx":
            return queryset.filter(status_code__gte=400, status_code__lt=500)
        if value == "5xx":
            return queryset.filter(status_code__gte=500)
        if value == "none":
            return queryset.filter(status_code__isnull=True)
        if value == "unknown":
            return queryset.filter(outcome_unknown=True)
        return queryset


def endpoints_called() -> list[str]:
    return list(ApiCall.objects.order_by("endpoint").values_list("endpoint", flat=True).distinct())


def calls_filtered(params, *, endpoints) -> ApiCallFilter:
    return ApiCallFilter(params, queryset=ApiCall.objects.all(), endpoints=endpoints)


def failing_count_since(since) -> int:
    return ApiCall.objects.filter(Q(ok=False), created_at__gte=since).count()


def secrets() -> list[str]:
    """Values that must never be shown: the API token and the webhook secrets."""
    values = [getattr(settings, "MOJITO_API_TOKEN", "") or ""]
    values += list(getattr(settings, "MOJITO_WEBHOOK_SECRETS", []) or [])
    return [v for v in values if v and len(v) >= 4]


def redact(text: str, hidden=None) -> str:
    for value in (secrets() if hidden is None else hidden):
        text = text.replace(value, REDACTED)
    return text
