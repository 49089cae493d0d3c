"""What a recruiter does on a result (POST only): decide, generate a report, ask for another
attempt, get a signed recruiter-view link, and the interview's automatic-retry setting."""

from __future__ import annotations

import json

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from mojito.errors import MojitoError
from mojito.vocabulary import ExportType
from recruiting.forms.results import AutoRetryForm, ReportForm, ReviewForm
from recruiting.models import Interview, ReviewDecision
from recruiting.selectors.results import next_pending_review, result_detail
from recruiting.services.results import ReportDownloadRefused, report_generate, result_view_url
from recruiting.services.reviews import (
    AttemptNotAllowed,
    interview_set_auto_retry,
    result_request_retry,
    result_review_set,
)
from recruiting.views.common import report_mojito_error
from recruiting.views.results.detail import detail_context

TEMPLATE = "dashboard/results/detail.html"
RESULT_NOT_FOUND = "JobMojito no longer has this result: it may have been deleted there."


def _detail(pk: int) -> str:
    return reverse("results:detail", args=[pk])


@require_POST
def decide(request, pk: int):
    result = result_detail(pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        context = detail_context(request, result, review_form=form)
        return render(request, TEMPLATE, context, status=400)
    review = result_review_set(result=result, decision=form.cleaned_data["decision"],
                               note=form.cleaned_data["note"], user=request.user)
    who = result.candidate.name or result.candidate.email if result.candidate else "this result"
    messages.success(request, f"Decision saved: {ReviewDecision(review.decision).label} for {who}.")
    if form.cleaned_data.get("next") == "queue":
        following = next_pending_review(after=result)
        if following is None:
            messages.info(request, "Nothing else is waiting for review.")
            return redirect(reverse("results:list") + "?review=pending")
        return redirect(_detail(following.pk) + "?queue=1")
    return redirect(_detail(result.pk))


@require_POST
def generate_report(request, pk: int):
    result = result_detail(pk)
    form = ReportForm(request.POST)
    if not form.is_valid():
        return render(request, TEMPLATE, detail_context(request, result, report_form=form), status=400)
    export_type = form.cleaned_data["export_type"]
    try:
        answer = report_generate(result=result, export_type=export_type,
                                 template=form.cleaned_data["template"] or None)
    except ReportDownloadRefused as exc:
        messages.error(request, f"The report was made but not downloaded: {exc.message}")
        return redirect(_detail(result.pk))
    except MojitoError as exc:
        report_mojito_error(request, exc, form=form, not_found=RESULT_NOT_FOUND)
        status = 400 if form.errors else 200
        return render(request, TEMPLATE, detail_context(request, result, report_form=form), status=status)
    if export_type == ExportType.JSON:
        context = detail_context(request, result, report_json=json.dumps(answer, indent=2, ensure_ascii=False))
        return render(request, TEMPLATE, context)
    if export_type == ExportType.HTML:
        messages.success(request, "The HTML report is ready.")
        return redirect(reverse("results:report_html", args=[result.pk]))
    messages.success(request, "The PDF report is ready: download it below.")
    return redirect(_detail(result.pk) + "#report")


@require_POST
def request_attempt(request, pk: int):
    result = result_detail(pk)
    try:
        attempt = result_request_retry(result=result, user=request.user)
    except AttemptNotAllowed as exc:
        messages.warning(request, f"No other attempt was requested. {exc}")
    except MojitoError as exc:
        report_mojito_error(request, exc, not_found=RESULT_NOT_FOUND)
    else:
        who = result.candidate.email if result.candidate else "The candidate"
        if attempt.kind == attempt.Kind.REOPEN:
            messages.success(request, f"Another attempt requested: JobMojito re-opened the interview for {who} "
                                      "and cleared its decision.")
        else:
            messages.success(request, f"Another attempt requested: the invitation was sent again to {who}.")
    return redirect(_detail(result.pk))


@require_POST
def view_link(request, pk: int):
    """A signed link to JobMojito's own recruiter view of this result (job-interview-token)."""
    result = result_detail(pk)
    try:
        url = result_view_url(result=result)
    except MojitoError as exc:
        report_mojito_error(request, exc, not_found=RESULT_NOT_FOUND)
        return redirect(_detail(result.pk))
    return render(request, TEMPLATE, detail_context(request, result, view_url=url))


@require_POST
def auto_retry(request, pk: int):
    """Turn the interview's "offer another attempt automatically" setting on or off (local only).

    POST ``enabled`` ("on" or absent) and ``next`` (where to go back; only within this site, else the
    results list). ``back`` is the older name of ``next``."""
    interview = get_object_or_404(Interview, pk=pk)
    form = AutoRetryForm(request.POST)
    form.is_valid()
    interview = interview_set_auto_retry(interview=interview, enabled=form.cleaned_data.get("enabled", False))
    if interview.auto_retry_failed:
        messages.success(request, f"{interview}: after a failed or abandoned attempt, the candidate is invited "
                                  "again automatically, once, while attempts remain.")
    else:
        messages.success(request, f"{interview}: failed attempts are no longer retried automatically.")
    return redirect(_within_site(request, request.POST.get("next") or request.POST.get("back") or "")
                    or reverse("results:list"))


def _within_site(request, target: str) -> str:
    """``target`` when it stays on this site (a path, or this host's URL); else ''. Any page may post
    here with ``next`` (the interview page, a result page) and comes back to itself."""
    target = target.strip()
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return ""
