"""The candidates area: the searchable list and a person's page (every invitation, result and
pre-screening they have)."""

from django.shortcuts import render

from recruiting.selectors.candidates import DEFAULT_SORT, SORTS, candidate_page, candidates_filtered
from recruiting.views.common import apply_sort, paginate, render_page


def candidate_list(request):
    filterset = candidates_filtered(request.GET)
    queryset, sort = apply_sort(request, filterset.qs, SORTS, DEFAULT_SORT)
    page = paginate(request, queryset)
    filtered = bool((request.GET.get("q") or "").strip())
    return render_page(request, "dashboard/candidates/list.html",
                       {"filter": filterset, "page": page, "sort": sort, "filtered": filtered}, partial="rows")


def candidate_detail(request, pk: int):
    context = candidate_page(pk)
    return render(request, "dashboard/candidates/detail.html", {"page": context, "candidate": context.candidate})
