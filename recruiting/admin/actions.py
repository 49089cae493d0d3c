"""Admin actions of the operations console, each behind a confirmation page.

Every action first renders ``admin/recruiting/confirm_action.html`` (the selected objects and a
Confirm button, like Django's delete confirmation); the confirmed POST runs it. One selected
object is handled at once through its service, and an API error becomes an admin error message
(never a 500). Several objects are handed to Celery: one task per object, published when the
transaction commits, and a message says how many were queued.

Each ModelAdmin lists its actions in its own ``actions``.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.template.response import TemplateResponse

from mojito.errors import MojitoError
from mojito.vocabulary import ExportType, InterviewStatus, ReportTemplate
from recruiting import tasks
from recruiting.models import BulkInvite, Interview, InterviewResult, InterviewTemplate, Invitation
from recruiting.services import candidates, interviews, results, templates

CONFIRM_TEMPLATE = "admin/recruiting/confirm_action.html"
CONFIRM_FIELD = "confirm_action"
# More objects than this are queued as tasks even when a service call would be quick.
INLINE_LIMIT = 1


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    return str(exc)


def confirm(modeladmin, request, queryset, *, title: str, question: str, run: Callable,
            form_class: type[forms.Form] | None = None):
    """Show the confirmation page, or (on the confirmed POST) call ``run(queryset, options)``."""
    form = form_class(request.POST if request.POST.get(CONFIRM_FIELD) else None) if form_class else None
    if request.POST.get(CONFIRM_FIELD) == "yes" and (form is None or form.is_valid()):
        run(queryset, form.cleaned_data if form else {})
        return None  # back to the changelist, where the messages are shown
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "question": question,
        "objects": list(queryset[:200]),
        "count": queryset.count(),
        "queryset": queryset,
        "opts": opts,
        "app_label": opts.app_label,
        "action_name": request.POST.get("action", ""),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "select_across": request.POST.get("select_across", "0"),
        "confirm_field": CONFIRM_FIELD,
        "form": form or (form_class() if form_class else None),
        "media": modeladmin.media,
    }
    return TemplateResponse(request, CONFIRM_TEMPLATE, context)


def run_or_enqueue(modeladmin, request, queryset, *, service: Callable[[object], object], task, task_args,
                   done: str, queued: str) -> None:
    """One object: call ``service(obj)`` now and report; several: enqueue ``task(*task_args(obj))``."""
    objects = list(queryset)
    if len(objects) <= INLINE_LIMIT:
        for obj in objects:
            try:
                service(obj)
            except (MojitoError, ValidationError, ValueError) as exc:
                modeladmin.message_user(request, f"{obj}: {_error_text(exc)}", messages.ERROR)
            else:
                modeladmin.message_user(request, done.format(obj=obj), messages.SUCCESS)
        return
    with transaction.atomic():
        for obj in objects:
            tasks.enqueue(task, *task_args(obj))
    modeladmin.message_user(request, queued.format(count=len(objects)), messages.SUCCESS)


# --- interviews ------------------------------------------------------------------------------


@admin.action(description="Re-sync from JobMojito")
def interview_resync(modeladmin, request, queryset):
    def run(qs, _):
        run_or_enqueue(modeladmin, request, qs, service=lambda i: interviews.interview_refresh(interview=i),
                       task=tasks.interview_refresh_task, task_args=lambda i: (i.pk,),
                       done="Re-synced {obj} from JobMojito.", queued="{count} interviews queued for re-sync.")
    return confirm(modeladmin, request, queryset, title="Re-sync interviews",
                   question="Read these interviews (and their questions) from JobMojito again?", run=run)


def _state_action(verb: str, description: str):
    status = interviews.STATE_ACTIONS[verb]

    def action(modeladmin, request, queryset):
        def run(qs, _):
            run_or_enqueue(
                modeladmin, request, qs,
                service=lambda i: interviews.interview_set_state(interview=i, status=status),
                task=tasks.interview_set_state_task, task_args=lambda i: (i.pk, status),
                done=f"{{obj}}: {verb} done (status {status}).",
                queued=f"{{count}} interviews queued to {verb}.")
        extra = " Candidates can no longer take a deleted interview." if status == InterviewStatus.DELETED else ""
        return confirm(modeladmin, request, queryset, title=f"{verb.capitalize()} interviews",
                       question=f"{verb.capitalize()} these interviews at JobMojito (status {status})?{extra}",
                       run=run)

    action.__name__ = f"interview_{verb}"
    return admin.action(description=description)(action)


interview_publish = _state_action("publish", "Publish (active)")
interview_unpublish = _state_action("unpublish", "Unpublish (back to draft)")
interview_archive = _state_action("archive", "Archive")
interview_delete = _state_action("delete", "Delete at JobMojito")


def _embedding_action(enabled: bool):
    verb = "enable" if enabled else "disable"

    def action(modeladmin, request, queryset):
        def run(qs, _):
            run_or_enqueue(
                modeladmin, request, qs,
                service=lambda i: interviews.interview_set_embedding(interview=i, enabled=enabled),
                task=tasks.interview_set_embedding_task, task_args=lambda i: (i.pk, enabled),
                done=f"{{obj}}: embedding {verb}d.", queued=f"{{count}} interviews queued to {verb} embedding.")
        note = "" if enabled else " Signed links already handed out stop working."
        return confirm(modeladmin, request, queryset, title=f"{verb.capitalize()} embedding",
                       question=f"{verb.capitalize()} iframe embedding for these interviews?{note}", run=run)

    action.__name__ = f"interview_{verb}_embedding"
    return admin.action(description=f"{verb.capitalize()} embedding")(action)


interview_enable_embedding = _embedding_action(True)
interview_disable_embedding = _embedding_action(False)


# --- results -------------------------------------------------------------------------------


@admin.action(description="Re-sync from JobMojito")
def result_resync(modeladmin, request, queryset):
    def run(qs, _):
        run_or_enqueue(modeladmin, request, qs, service=lambda r: results.result_sync(mojito_id=r.mojito_id),
                       task=tasks.result_sync_task, task_args=lambda r: (r.mojito_id,),
                       done="Re-synced {obj} from JobMojito.", queued="{count} results queued for re-sync.")
    return confirm(modeladmin, request, queryset, title="Re-sync results",
                   question="Read these results (scores, analyses, transcripts) from JobMojito again?", run=run)


@admin.action(description="Request another attempt")
def result_request_another_attempt(modeladmin, request, queryset):
    def run(qs, _):
        run_or_enqueue(modeladmin, request, qs,
                       service=lambda r: results.result_request_another_attempt(result=r),
                       task=tasks.result_request_another_attempt_task, task_args=lambda r: (r.pk,),
                       done="{obj}: another attempt requested.",
                       queued="{count} results queued for another attempt.")
    return confirm(modeladmin, request, queryset, title="Request another attempt",
                   question="Re-open these submitted results so the candidates can take the interview again? "
                            "The recruiter decision is cleared.", run=run)


class ReportForm(forms.Form):
    export_type = forms.ChoiceField(choices=[(ExportType.PDF, "PDF"), (ExportType.HTML, "HTML")],
                                    initial=ExportType.PDF)
    template = forms.ChoiceField(choices=ReportTemplate.choices, initial=ReportTemplate.CLASSIC)
    transcript = forms.BooleanField(required=False, initial=True)
    analytics = forms.BooleanField(required=False, initial=True)
    contact_details = forms.BooleanField(required=False, initial=True)
    ai_scoring_rubric = forms.BooleanField(required=False, initial=False)


@admin.action(description="Generate a report")
def result_generate_report(modeladmin, request, queryset):
    def run(qs, options):
        toggles = {k: options[k] for k in ("transcript", "analytics", "contact_details", "ai_scoring_rubric")}
        export_type, template = options["export_type"], options["template"]
        run_or_enqueue(
            modeladmin, request, qs,
            service=lambda r: results.report_generate(result=r, export_type=export_type, template=template,
                                                      toggles=toggles),
            task=tasks.report_generate_task, task_args=lambda r: (r.pk, export_type, template, toggles),
            done=f"{{obj}}: {export_type.upper()} report stored.", queued="{count} reports queued.")
    return confirm(modeladmin, request, queryset, title="Generate reports",
                   question="Generate a report for these results and keep a copy here?", run=run,
                   form_class=ReportForm)


# --- templates, invitations, bulk invites ------------------------------------------------------


@admin.action(description="Re-sync all templates from JobMojito")
def templates_resync(modeladmin, request, queryset):
    def run(qs, _):
        try:
            outcome = templates.templates_sync()
        except MojitoError as exc:
            modeladmin.message_user(request, f"Template sync failed: {exc}", messages.ERROR)
            return
        modeladmin.message_user(
            request, f"{outcome.seen} templates synced ({outcome.legacy} legacy); "
                     f"{outcome.archived_locally} no longer listed were archived here.", messages.SUCCESS)
    return confirm(modeladmin, request, queryset, title="Re-sync avatar templates",
                   question="Read every avatar template from JobMojito again (not only the selected ones)?",
                   run=run)


@admin.action(description="Resend invitation")
def invitation_resend(modeladmin, request, queryset):
    def run(qs, _):
        run_or_enqueue(modeladmin, request, qs, service=lambda i: _resend(i),
                       task=tasks.invitation_resend_task, task_args=lambda i: (i.pk,),
                       done="{obj}: invitation sent again.", queued="{count} invitations queued to be re-sent.")
    return confirm(modeladmin, request, queryset, title="Resend invitations",
                   question="Send these invitations again (the candidates get a new email)?", run=run)


def _resend(invitation: Invitation) -> None:
    invitation = candidates.invitation_resend(invitation=invitation)
    if invitation.delivery_state == Invitation.DeliveryState.FAILED:
        raise ValueError(f"JobMojito did not accept it: {invitation.last_error}")


@admin.action(description="Retry failed rows")
def bulk_retry_failed(modeladmin, request, queryset):
    def run(qs, _):
        total, jobs = 0, 0
        with transaction.atomic():
            for bulk in qs:
                count = candidates.bulk_invite_retry_failed(bulk_invite_id=bulk.pk)
                if count:
                    total, jobs = total + count, jobs + 1
                    tasks.enqueue(tasks.bulk_invite_run, bulk.pk)
        if total:
            modeladmin.message_user(request, f"{total} failed rows of {jobs} bulk invites queued to be sent again.",
                                    messages.SUCCESS)
        else:
            modeladmin.message_user(request, "No failed rows to retry.", messages.WARNING)
    return confirm(modeladmin, request, queryset, title="Retry failed rows",
                   question="Send the failed rows of these bulk invites again? Rows already sent are not sent "
                            "twice.", run=run)


@admin.action(description="Resume sending (pending rows)")
def bulk_resume(modeladmin, request, queryset):
    def run(qs, _):
        with transaction.atomic():
            ids = [bulk.pk for bulk in qs]
            for pk in ids:
                tasks.enqueue(tasks.bulk_invite_run, pk)
        modeladmin.message_user(request, f"{len(ids)} bulk invites queued.", messages.SUCCESS)
    return confirm(modeladmin, request, queryset, title="Resume bulk invites",
                   question="Queue these bulk invites to send their pending rows?", run=run)


@admin.action(description="Download the error file (CSV)")
def bulk_download_errors(modeladmin, request, queryset):
    """A read, so no confirmation: the invalid, duplicate and failed rows of one bulk invite."""
    bulks = list(queryset[:2])
    if len(bulks) != 1:
        modeladmin.message_user(request, "Select exactly one bulk invite to download its error file.",
                                messages.WARNING)
        return None
    bulk = bulks[0]
    response = HttpResponse(candidates.bulk_invite_errors_csv(bulk), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bulk-invite-{bulk.pk}-errors.csv"'
    return response
