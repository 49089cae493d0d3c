"""Filter pieces several areas share: a free-text search box and a time window in the query string."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.utils import timezone

PERIODS = [("1h", "Last hour"), ("24h", "Last 24 hours"), ("7d", "Last 7 days"), ("30d", "Last 30 days")]
PERIOD_DELTAS = {"1h": timedelta(hours=1), "24h": timedelta(hours=24), "7d": timedelta(days=7),
                 "30d": timedelta(days=30)}


def search_filter(label: str, placeholder: str, method: str = "search"):
    return django_filters.CharFilter(
        method=method, label=label,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": placeholder}))


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class TimeWindowMixin(django_filters.FilterSet):
    """``period`` (last hour … 30 days) and/or ``since`` / ``until`` dates on ``time_field``."""

    time_field = "created_at"
    period = django_filters.ChoiceFilter(choices=PERIODS, method="filter_period", label="When",
                                         empty_label="Any time")
    since = django_filters.DateFilter(method="filter_since", label="From",
                                      widget=forms.DateInput(attrs={"type": "date"}))
    until = django_filters.DateFilter(method="filter_until", label="To",
                                      widget=forms.DateInput(attrs={"type": "date"}))

    def filter_period(self, queryset, name, value):
        delta = PERIOD_DELTAS.get(value)
        return queryset.filter(**{f"{self.time_field}__gte": timezone.now() - delta}) if delta else queryset

    def filter_since(self, queryset, name, value):
        return queryset.filter(**{f"{self.time_field}__gte": _day_start(value)})

    def filter_until(self, queryset, name, value):
        return queryset.filter(**{f"{self.time_field}__lt": _day_start(value + timedelta(days=1))})
