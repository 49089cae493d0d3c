"""The results list and the review queue (``?review=pending``), and the "N new results" poll."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Max
from django.shortcuts import render
from django.views.decorators.http import require_GET

from recruiting.models import InterviewResult
from recruiting.selectors.results import (
    RESULT_SORTS,
    default_sort,
    is_review_queue,
    result_state,
    results_filter,
    results_newer_than,
)
from recruiting.views.common import apply_sort, paginate, render_page


def _filter_errors(request, filterset) -> None:
    for name, errors in filterset.form.errors.items():
        label = filterset.form.fields[name].label if name in filterset.form.fields else name
        messages.error(request, f"{label}: {' '.join(errors)} This filter was not applied.")


@require_GET
def results_list(request):
    filterset = results_filter(request.GET)
    if not filterset.is_valid():
        _filter_errors(request, filterset)
    queryset, sort = apply_sort(request, filterset.qs, RESULT_SORTS, default_sort(request.GET))
    page = paginate(request, queryset)
    for result in page.object_list:
        result.state = result_state(result)
    latest = InterviewResult.objects.aggregate(latest=Max("pk"))["latest"] or 0
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset, "page": page, "sort": sort, "queue": is_review_queue(request.GET),
        "latest_pk": latest, "clear_url": request.path + ("?review=pending" if is_review_queue(request.GET) else ""), "query": query.urlencode(), "filtered": any(v for k, v in request.GET.items()
                                                                         if k not in ("page", "sort", "review")),
    }
    return render_page(request, "dashboard/results/list.html", context, partial="table")


@require_GET
def results_new_count(request):
    """How many results of the current filter arrived after ``?after=<pk>`` (polled by the list)."""
    try:
        after = int(request.GET.get("after", "0"))
    except ValueError:
        after = 0
    filterset = results_filter(request.GET)
    count = results_newer_than(filterset.qs, after) if filterset.is_valid() else 0
    query = request.GET.copy()
    for key in ("after", "page"):
        query.pop(key, None)
    return render(request, "dashboard/results/_new_notice.html", {"count": count, "query": query.urlencode()})
