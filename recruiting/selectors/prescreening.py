"""Reads for the pre-screening area: positions with their counts, and past screenings (filtered)."""

from __future__ import annotations

import django_filters
from django.db.models import Count, Q, QuerySet

from mojito.vocabulary import Recommendation
from recruiting.forms.widgets import QuickSelect
from recruiting.models import Position, PreScreening
from recruiting.selectors.filters import TimeWindowMixin, search_filter

SORTS = {"date": "created_at", "score": "score", "candidate": "candidate__name"}
DEFAULT_SORT = "-date"


class PreScreeningFilter(TimeWindowMixin):
    q = search_filter("Search", "Candidate name or email")
    position = django_filters.ModelChoiceFilter(queryset=Position.objects.order_by("name", "pk"),
                                                empty_label="All positions", widget=QuickSelect)
    recommendation = django_filters.ChoiceFilter(
        choices=list(Recommendation.choices) + [("none", "No recommendation (already screened)")],
        method="filter_recommendation", label="Recommendation", empty_label="Any")

    class Meta:
        model = PreScreening
        fields = ["q", "position", "recommendation", "period", "since", "until"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(candidate__name__icontains=value) | Q(candidate__email__icontains=value))

    def filter_recommendation(self, queryset, name, value):
        return queryset.filter(recommendation="") if value == "none" else queryset.filter(recommendation=value)


def screenings_filtered(params) -> PreScreeningFilter:
    """The FilterSet over past screenings (``.qs`` joined to candidate and position)."""
    return PreScreeningFilter(params, queryset=screenings_with_relations())


def positions_with_counts() -> QuerySet[Position]:
    return Position.objects.annotate(
        screened=Count("pre_screenings"),
        accepted=Count("pre_screenings", filter=Q(pre_screenings__recommendation=Recommendation.AI_ACCEPT)),
    ).order_by("name", "pk")


def screenings_with_relations() -> QuerySet[PreScreening]:
    return PreScreening.objects.select_related("candidate", "position")
