"""The interview list (filters, search, sort, pages) and the interview page."""

from django.shortcuts import render

from recruiting.selectors.interviews import DEFAULT_SORT, SORTS, interview_page, interviews_filtered
from recruiting.views.common import apply_sort, paginate, render_page


def interview_list(request):
    filterset = interviews_filtered(request.GET)
    queryset, sort = apply_sort(request, filterset.qs, SORTS, DEFAULT_SORT)
    page = paginate(request, queryset)
    filtered = any(v for k, v in request.GET.items() if k not in ("page", "sort"))
    return render_page(request, "dashboard/interviews/list.html",
                       {"filter": filterset, "page": page, "sort": sort, "filtered": filtered}, partial="rows")


def interview_detail(request, pk: int):
    context = interview_page(pk, created_for=request.GET.get("created_for"))
    return render(request, "dashboard/interviews/detail.html", {"page": context, "interview": context.interview})
