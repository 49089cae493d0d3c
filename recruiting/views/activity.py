"""API activity (``/activity/``): every call the app made to JobMojito and what came back."""

from __future__ import annotations

from recruiting.selectors import activity as selectors
from recruiting.views.common import apply_sort, paginate, render_page


def call_list(request):
    filterset = selectors.calls_filtered(request.GET, endpoints=selectors.endpoints_called())
    queryset, sort = apply_sort(request, filterset.qs, selectors.SORTS, selectors.DEFAULT_SORT)
    page = paginate(request, queryset)
    hidden = selectors.secrets()
    for call in page:
        call.error_shown = selectors.redact(call.error, hidden)
    context = {"filter": filterset, "page": page, "sort": sort, "filtered": bool(filterset.form.changed_data)}
    return render_page(request, "dashboard/activity/list.html", context, partial="rows")
