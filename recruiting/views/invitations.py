"""Invite (one person or a CSV) and the bulk-invite ledger.

    GET/POST /interviews/<pk>/invite/             one person now, or upload a CSV -> its preview
    GET      /bulk-invites/                       the jobs
    GET      /bulk-invites/<pk>/                  a preview (to confirm) or the ledger (polled by htmx)
    POST     /bulk-invites/<pk>/send/             confirm a preview: the background job sends it
    POST     /bulk-invites/<pk>/discard/          drop a preview
    POST     /bulk-invites/<pk>/retry/            the failed rows again
    GET      /bulk-invites/<pk>/errors.csv        invalid, duplicate and failed rows with the reason
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from mojito.errors import MojitoError
from recruiting.forms.invitations import BulkConfirmForm, InviteCsvForm, InviteOneForm
from recruiting.models import BulkInvite, Interview, Invitation
from recruiting.selectors import invitations as selectors
from recruiting.services import candidates as bulk_services
from recruiting.services import invitations as services
from recruiting.services.bulk_csv import BulkCsvError
from recruiting.tasks import bulk_invite_run, enqueue
from recruiting.views.common import apply_sort, mojito_error_message, paginate, render_page, report_mojito_error

FLAGGED_SHOWN = 200  # the error file has them all
INVITE_FIELD_MAP = {"users": "email", "email": "email", "name": "name", "external_id": "external_id",
                    "message_from_recruiter": "message_from_recruiter"}


def invite(request, pk: int):
    interview = get_object_or_404(Interview.objects.select_related("template"), pk=pk)
    one_form = InviteOneForm(prefix="one")
    csv_form = InviteCsvForm(prefix="csv")
    invitation = None
    if request.method == "POST" and request.POST.get("action") == "csv":
        csv_form = InviteCsvForm(request.POST, request.FILES, prefix="csv")
        if csv_form.is_valid():
            upload = csv_form.cleaned_data["file"]
            try:
                bulk = services.bulk_invite_preview_from_csv(interview=interview, csv_file=upload,
                                                             created_by=request.user, file_name=upload.name)
            except BulkCsvError as exc:
                csv_form.add_error("file", str(exc))
            else:
                return redirect("invitations:bulk_detail", pk=bulk.pk)
    elif request.method == "POST":
        one_form = InviteOneForm(request.POST, prefix="one")
        if one_form.is_valid():
            data = one_form.cleaned_data
            try:
                invitation = services.invitation_send_one(
                    interview=interview, email=data["email"], name=data["name"], external_id=data["external_id"],
                    delivery=data["delivery"], is_test=data["is_test"],
                    message_from_recruiter=data["message_from_recruiter"])
            except MojitoError as exc:
                report_mojito_error(request, exc, form=one_form, field_map=INVITE_FIELD_MAP,
                                    not_found="JobMojito no longer has this interview. Re-sync it from its page.")
            else:
                if invitation.delivery_state == Invitation.DeliveryState.FAILED:
                    one_form.add_error("email", f"JobMojito did not accept this invitation: {invitation.last_error}")
                    invitation = None
                else:
                    one_form = InviteOneForm(prefix="one")
    recent = selectors.bulk_invites().qs.filter(interview=interview)[:5]
    return render(request, "dashboard/invitations/invite.html", {
        "interview": interview, "one_form": one_form, "csv_form": csv_form, "invitation": invitation,
        "recent_bulk_invites": recent, "show_link": request.user.is_staff})


def bulk_list(request):
    filterset = selectors.bulk_invites(request.GET)
    queryset, sort = apply_sort(request, filterset.qs, selectors.BULK_SORTS, "-created")
    page = paginate(request, queryset)
    return render_page(request, "dashboard/invitations/bulk_list.html",
                       {"filter": filterset, "page": page, "sort": sort}, partial="table")


def bulk_detail(request, pk: int):
    bulk = selectors.bulk_invite_get(pk)
    if bulk.status == BulkInvite.Status.PREVIEW:
        return _preview(request, bulk, BulkConfirmForm())
    return render_page(request, "dashboard/invitations/bulk_detail.html", _ledger_context(request, bulk),
                       partial="ledger")


def _ledger_context(request, bulk: BulkInvite) -> dict:
    show = request.GET.get("show", "")
    counts = services.bulk_invite_state_counts(bulk)
    elapsed = None
    if bulk.started_at:
        elapsed = ((bulk.finished_at or timezone.now()) - bulk.started_at).total_seconds()
    return {
        "bulk": bulk, "elapsed": elapsed, "progress": selectors.bulk_invite_progress(bulk, counts),
        "page": paginate(request, selectors.bulk_invite_rows(bulk, show=show)),
        "show": show if show in selectors.ROW_FILTERS else "", "row_filters": selectors.ROW_FILTERS,
        "show_links": request.user.is_staff, "stalled_minutes": int(selectors.stalled_after().total_seconds() // 60),
    }


def _preview(request, bulk: BulkInvite, form, *, status: int = 200):
    counts = services.bulk_invite_state_counts(bulk)
    good = counts.get("pending", 0)
    allowance, allowance_error = None, ""
    try:
        allowance = services.invitation_allowance()
    except MojitoError as exc:
        allowance_error = mojito_error_message(exc)
    cost = selectors.interview_credit_cost(bulk.interview)
    return render(request, "dashboard/invitations/preview.html", {
        "bulk": bulk, "form": form, "counts": counts, "good": good,
        "flagged": list(selectors.bulk_invite_rows(bulk, show="problems")[:FLAGGED_SHOWN]),
        "flagged_count": counts.get("invalid", 0) + counts.get("duplicate", 0),
        "page": paginate(request, selectors.bulk_invite_rows(bulk).filter(state="pending")),
        "cost_each": f"{cost:g}", "cost_total": f"{round(cost * good, 2):g}", "allowance": allowance,
        "allowance_error": allowance_error,
        "over_allowance": bool(allowance and allowance.invitations_available is not None
                               and good > allowance.invitations_available),
    }, status=status)


@require_POST
def bulk_send(request, pk: int):
    bulk = selectors.bulk_invite_get(pk)
    form = BulkConfirmForm(request.POST)
    if bulk.status != BulkInvite.Status.PREVIEW:
        messages.info(request, "This bulk invite was already sent; here is its progress.")
        return redirect("invitations:bulk_detail", pk=bulk.pk)
    if not form.is_valid():
        return _preview(request, bulk, form, status=400)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            bulk = services.bulk_invite_confirm(bulk=bulk, delivery=data["delivery"], is_test=data["is_test"],
                                                message_from_recruiter=data["message_from_recruiter"])
            enqueue(bulk_invite_run, bulk.pk)
    except services.BulkInviteNotInPreview:
        messages.info(request, "This bulk invite was already sent; here is its progress.")
    else:
        messages.success(request, f"Sending {bulk.total_count - bulk.invalid_count - bulk.duplicate_count} "
                                  "invitations in the background. This page updates as they go.")
    return redirect("invitations:bulk_detail", pk=bulk.pk)


@require_POST
def bulk_discard(request, pk: int):
    bulk = selectors.bulk_invite_get(pk)
    interview_id = bulk.interview_id
    try:
        services.bulk_invite_discard(bulk=bulk)
    except services.BulkInviteNotInPreview as exc:
        messages.error(request, str(exc))
        return redirect("invitations:bulk_detail", pk=bulk.pk)
    messages.success(request, "The upload was discarded; nothing was sent.")
    return redirect("invitations:invite", pk=interview_id)


@require_POST
def bulk_retry(request, pk: int):
    bulk = selectors.bulk_invite_get(pk)
    with transaction.atomic():
        count = bulk_services.bulk_invite_retry_failed(bulk_invite_id=bulk.pk)
        if count:
            enqueue(bulk_invite_run, bulk.pk)
    if count:
        messages.success(request, f"Sending the {count} failed row{'s' if count != 1 else ''} again. "
                                  "Rows already sent are not sent twice.")
    else:
        messages.warning(request, "No failed rows to retry.")
    return redirect("invitations:bulk_detail", pk=bulk.pk)


def bulk_errors(request, pk: int):
    bulk = selectors.bulk_invite_get(pk)
    response = HttpResponse(services.bulk_invite_errors_file(bulk), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bulk-invite-{bulk.pk}-errors.csv"'
    return response
