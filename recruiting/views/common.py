"""What every dashboard view shares: pagination and sorting from the query string, htmx partials,
and JobMojito errors turned into words a recruiter can act on (UI.md, "Words").

    page = paginate(request, queryset)                       # ?page=N, DASHBOARD_PAGE_SIZE rows
    queryset, sort = apply_sort(request, queryset, {"score": "score", "date": "created_at"}, "-date")
    return render_page(request, "dashboard/results/list.html", context, partial="table")
    except MojitoError as exc:
        report_mojito_error(request, exc, form=form)         # on the form field, or a banner
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import render

from mojito.errors import (
    AuthenticationFailed,
    Conflict,
    InvalidRequest,
    MojitoError,
    MojitoOutcomeUnknown,
    MojitoTransportError,
    NotFound,
    PermissionDenied,
    ServerError,
)
from recruiting.selectors.pagination import EstimatedCountPaginator


def paginate(request, queryset, *, per_page: int | None = None):
    """The requested page of ``queryset`` (a bad or out-of-range ``?page=`` gives the nearest page).

    An unfiltered list of a big table on PostgreSQL is counted from the planner's estimate (the
    total then reads "about 200,000"): see ``recruiting.selectors.pagination``."""
    paginator = EstimatedCountPaginator(queryset, per_page or settings.DASHBOARD_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def apply_sort(request, queryset, allowed: dict[str, str | tuple[str, ...]], default: str):
    """Order by ``?sort=key`` or ``?sort=-key`` where key is one of ``allowed`` (key -> field or fields).

    Returns the ordered queryset and the sort key in force. A final ``-pk`` keeps pages stable.
    """
    requested = request.GET.get("sort") or default
    key = requested.lstrip("-")
    if key not in allowed:
        requested, key = default, default.lstrip("-")
    descending = requested.startswith("-")
    fields = allowed[key]
    fields = (fields,) if isinstance(fields, str) else fields
    order = [(f"-{f}" if descending else f) for f in fields]
    return queryset.order_by(*order, "-pk" if descending else "pk"), requested


def render_page(request, template_name: str, context: dict, *, partial: str | None = None, status: int = 200):
    """Render the full page, or only ``template_name#partial`` when htmx asks for a fragment."""
    if partial and getattr(request, "htmx", False) and not request.htmx.boosted:
        return render(request, f"{template_name}#{partial}", context, status=status)
    return render(request, template_name, context, status=status)


# --- JobMojito errors -----------------------------------------------------------------------------

TOKEN_REFUSED = ("JobMojito refused the API token. Check MOJITO_API_TOKEN in the app's settings "
                 "(it may be mistyped, revoked or for another account). Nothing was changed.")
TOKEN_NOT_ALLOWED = ("The API token is not allowed to do this in JobMojito. Give the token the permission "
                     "in JobMojito, or set MOJITO_API_TOKEN to one that has it. Nothing was changed.")
UNAVAILABLE = "JobMojito did not answer. Nothing was lost; try again in a minute."
OUTCOME_UNKNOWN = ("JobMojito did not confirm in time. It may have been created anyway: the app is "
                   "checking and it will appear here once it is found. Do not send it again yet.")


def mojito_error_message(exc: MojitoError, *, not_found: str = "") -> str:
    """One sentence for the recruiter: what happened and what to do next (never the token or a body)."""
    if isinstance(exc, MojitoOutcomeUnknown):
        return OUTCOME_UNKNOWN
    if isinstance(exc, (MojitoTransportError, ServerError)):
        return UNAVAILABLE
    if isinstance(exc, AuthenticationFailed):
        return TOKEN_REFUSED
    if isinstance(exc, PermissionDenied):
        return TOKEN_NOT_ALLOWED
    if isinstance(exc, NotFound):
        return not_found or "JobMojito no longer has this: it may have been deleted there. Re-sync to update the list."
    if isinstance(exc, Conflict):
        return f"JobMojito refused because of the current state: {exc.message}"
    if isinstance(exc, InvalidRequest):
        where = f" ({exc.field})" if exc.field else ""
        return f"JobMojito refused the request{where}: {exc.message}"
    return f"JobMojito answered with an error: {exc.message}"


def report_mojito_error(request, exc: MojitoError, *, form=None, field_map: dict[str, str] | None = None,
                        not_found: str = "") -> None:
    """Show ``exc`` where the recruiter can act: on the form field JobMojito named, else as a banner.

    ``field_map`` maps JobMojito field names (``mojito_language_code``) to form field names
    (``language``); an unmapped field that the form has is used as it is.
    """
    if form is not None and isinstance(exc, InvalidRequest):
        name = (field_map or {}).get(exc.field or "", exc.field)
        if name and name in form.fields:
            form.add_error(name, exc.message)
            return
        form.add_error(None, mojito_error_message(exc))
        return
    level = messages.WARNING if isinstance(exc, (MojitoOutcomeUnknown, MojitoTransportError, ServerError)) else messages.ERROR
    messages.add_message(request, level, mojito_error_message(exc, not_found=not_found))
