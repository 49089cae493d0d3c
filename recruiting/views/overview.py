"""The overview (``/``): what is waiting for the recruiter, how the roles are going, the account."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET
from django.utils import formats

from recruiting.selectors.overview import charts_cached, overview_counts, recent_results
from recruiting.selectors.webhook_inbox import webhook_health
from recruiting.selectors.results import result_state
from recruiting.services.merchant import merchant_status_cached, merchant_status_get
from recruiting.views.charts import bar_chart
from recruiting.views.common import mojito_error_message


def _account(status) -> dict:
    if not status.ok:
        return {"ok": False, "error": mojito_error_message(status.error)}
    data = status.data
    monthly, limit, extra = (data.get("credits_interview_monthly"), data.get("credits_interview_monthly_limit"),
                             data.get("credits_interview_extra"))
    sent, invite_limit = data.get("invitations_sent"), data.get("invitations_limit")
    available = data.get("invitations_available")
    if available is None and invite_limit is not None and sent is not None:
        available = max(0, invite_limit - sent)
    credits = None if monthly is None and extra is None else (monthly or 0) + (extra or 0)
    return {"ok": True, "credits": credits, "monthly": monthly, "monthly_limit": limit, "extra": extra,
            "invitations_sent": sent, "invitations_limit": invite_limit, "invitations_available": available,
            "subscription": data.get("subscription_type"), "subscription_status": data.get("subscription_status")}


def overview(request):
    per_day, scores = charts_cached()
    days = [(formats.date_format(day, "j M"), n) for day, n in per_day]
    recent = recent_results()
    for result in recent:
        result.state = result_state(result)
    context = {
        "counts": overview_counts(),
        "recent": recent,
        "webhooks": webhook_health(),
        "account": _account(cached) if (cached := merchant_status_cached()) else None,
        "per_day_chart": bar_chart(days, title="Results per day, last 30 days", unit="results", label_every=7),
        "score_chart": bar_chart(scores, title="Score distribution (scored results)", unit="results"),
    }
    return render(request, "dashboard/overview/overview.html", context)


@require_GET
def account_status(request):
    """The JobMojito account card, loaded by the overview after it has rendered (htmx ``load``), so
    the overview itself never waits on JobMojito: one attempt, short timeouts, cached 60 s."""
    account = _account(merchant_status_get())
    if not request.htmx:  # the no-JavaScript link: the overview now shows the cached answer
        return redirect("home")
    return render(request, "dashboard/overview/_account.html", {"account": account})
