"""One result's page, and its stored report (PDF downloaded, HTML shown sanitised)."""

from __future__ import annotations

import nh3
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from mojito.vocabulary import DecisionStatus
from recruiting.forms.results import AutoRetryForm, ReportForm, ReviewForm
from recruiting.models import InterviewResult
from recruiting.selectors.results import (
    attempt_policy,
    failure_explanation,
    next_pending_review,
    result_attempt_history,
    result_detail,
    result_details_extras,
    result_state,
    transcript_turns,
)


# JobMojito's decision_status: what its AI recommends, and what a recruiter decided in JobMojito.
AI_DECISIONS = {DecisionStatus.AI_ACCEPT, DecisionStatus.AI_REJECT, DecisionStatus.RECRUITER_ACTION}
RECRUITER_DECISIONS = {DecisionStatus.RECRUITER_ACCEPT, DecisionStatus.RECRUITER_REJECT}


def detail_context(request, result: InterviewResult, **extra) -> dict:
    requests = list(result.attempt_requests.all())
    queue = request.GET.get("queue") == "1" or request.POST.get("next") == "queue"
    review = result.review if _has_review(result) else None
    context = {
        "result": result,
        "state": result_state(result),
        "extras": result_details_extras(result),
        "transcript": transcript_turns(list(result.transcript_rows.all())),
        "failure": failure_explanation(result),
        "history": result_attempt_history(result),
        "attempt_requests": requests,
        "policy": attempt_policy(result, requests),
        "review": review,
        "review_form": ReviewForm(initial={"decision": review.decision if review else None,
                                           "note": review.note if review else "",
                                           "next": "queue" if queue else ""}),
        "report_form": ReportForm(),
        "auto_retry_form": AutoRetryForm(initial={"enabled": result.interview.auto_retry_failed}),
        "queue": queue,
        "next_in_queue": next_pending_review(after=result) if queue else None,
        "report_kind": _report_kind(result),
        "ai_recommendation": result.decision_status if result.decision_status in AI_DECISIONS else "",
        "mojito_decision": result.decision_status if result.decision_status in RECRUITER_DECISIONS else "",
    }
    context.update(extra)
    return context


def _report_kind(result: InterviewResult) -> str:
    name = result.report.name if result.report else ""
    return "pdf" if name.endswith(".pdf") else "html" if name.endswith(".html") else ""


def _has_review(result) -> bool:
    try:
        return result.review is not None
    except InterviewResult.review.RelatedObjectDoesNotExist:
        return False


@require_GET
def result_page(request, pk: int):
    result = result_detail(pk)
    return render(request, "dashboard/results/detail.html", detail_context(request, result))


@require_GET
def report_file(request, pk: int):
    """The stored PDF report, for logged-in users only (never a public media URL)."""
    result = get_object_or_404(InterviewResult, pk=pk)
    if _report_kind(result) != "pdf":
        raise Http404("No PDF report has been generated for this result yet.")
    handle = result.report.open("rb")
    return FileResponse(handle, content_type="application/pdf", as_attachment=True,
                        filename=f"interview-report-{result.pk}.pdf")


# The tags and attributes a report may keep; scripts, styles, event handlers, forms and frames go.
REPORT_TAGS = {"a", "b", "blockquote", "br", "caption", "code", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6",
               "hr", "i", "li", "ol", "p", "pre", "section", "small", "span", "strong", "sub", "sup", "table",
               "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "dl", "dt", "dd", "article", "header",
               "footer"}
REPORT_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"},
                     "*": {"class"}}


def sanitise_report(html: str) -> str:
    return nh3.clean(html, tags=REPORT_TAGS, attributes=REPORT_ATTRIBUTES, url_schemes={"https", "http", "mailto"},
                     link_rel="noopener noreferrer nofollow")


@require_GET
def report_html(request, pk: int):
    """The stored HTML report, sanitised, inside the dashboard's page."""
    result = get_object_or_404(InterviewResult.objects.select_related("interview", "candidate"), pk=pk)
    if _report_kind(result) != "html":
        raise Http404("No HTML report has been generated for this result yet.")
    with result.report.open("rb") as handle:
        html = handle.read().decode("utf-8", errors="replace")
    return render(request, "dashboard/results/report_html.html",
                  {"result": result, "report_html": sanitise_report(html)})
