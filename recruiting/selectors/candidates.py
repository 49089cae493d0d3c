"""Reads for the candidate pages: the searchable list and one person with everything they have."""

from __future__ import annotations

from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from recruiting.models import Candidate, InterviewResult, Invitation, PreScreening
from recruiting.selectors.results import candidate_attempts, result_state

SORTS = {"name": "name", "email": "normalised_email", "invitations": "invitation_count",
         "results": "result_count", "added": "created_at"}
DEFAULT_SORT = "-added"


def _count(model):
    return Coalesce(Subquery(
        model.objects.filter(candidate=OuterRef("pk")).order_by().values("candidate")
        .annotate(n=Count("*")).values("n")[:1], output_field=IntegerField()), 0)


class CandidateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search by name or email",
                                  widget=forms.TextInput(attrs={"type": "search", "placeholder": "Name or email"}))

    class Meta:
        model = Candidate
        fields = ["q"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(normalised_email__icontains=value.lower()))


def candidates_filtered(params) -> CandidateFilter:
    queryset = Candidate.objects.annotate(invitation_count=_count(Invitation), result_count=_count(InterviewResult),
                                          prescreening_count=_count(PreScreening))
    return CandidateFilter(params, queryset=queryset)


@dataclass
class CandidatePage:
    candidate: Candidate
    invitations: list[Invitation]
    results: list[InterviewResult]
    prescreenings: list[PreScreening]
    attempts: list[InterviewResult]  # failed or abandoned attempts (results area's include)


def candidate_page(pk: int) -> CandidatePage:
    candidate = get_object_or_404(Candidate, pk=pk)
    invitations = list(candidate.invitations.select_related("interview")
                       .annotate(result_count=Count("results")).order_by("-created_at", "-id"))
    results = list(candidate.results.select_related("interview").order_by("-remote_created_at", "-id"))
    for result in results:
        result.state = result_state(result)  # the results area's state, computed from loaded fields
    prescreenings = list(candidate.pre_screenings.select_related("position").order_by("-created_at", "-id"))
    return CandidatePage(candidate=candidate, invitations=invitations, results=results, prescreenings=prescreenings,
                         attempts=candidate_attempts(candidate.pk))
