"""State actions on one interview: publish, unpublish to draft, archive and delete (these two behind
a confirmation page that says what happens), embedding on/off, re-sync, and syncing templates.

Every action is a POST (a GET of publish/unpublish/embedding/resync answers 405; a GET of archive or
delete shows the confirmation). JobMojito errors become a banner on the interview page.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from mojito.errors import MojitoError
from recruiting.selectors.interviews import interview_get
from recruiting.services.interviews import interview_refresh, interview_set_embedding, interview_set_state
from recruiting.services.templates import templates_sync
from recruiting.views.common import report_mojito_error

NOT_FOUND = ("JobMojito no longer has this interview: it may have been deleted there. "
             "Nothing was changed here.")
DONE = {"publish": "published: candidates you invite can take it now",
        "unpublish": "is a draft again: nobody can start it until you publish it",
        "archive": "archived: nobody can start it any more; its invitations and results stay here",
        "delete": "deleted in JobMojito"}


def _change_state(request, pk: int, action: str):
    interview = interview_get(pk)
    try:
        interview = interview_set_state(interview=interview, status=action)
    except MojitoError as exc:
        report_mojito_error(request, exc, not_found=NOT_FOUND)
        return redirect("interviews:detail", pk=pk)
    messages.success(request, f"“{interview}” {DONE[action]}.")
    if action == "delete":
        return redirect("interviews:list")
    return redirect("interviews:detail", pk=pk)


@require_POST
def publish(request, pk: int):
    return _change_state(request, pk, "publish")


@require_POST
def unpublish(request, pk: int):
    return _change_state(request, pk, "unpublish")


CONFIRMATIONS = {
    "archive": {
        "title": "Archive this interview?", "confirm_label": "Archive interview", "danger": False,
        "consequence": "Archiving closes it in JobMojito: candidates can no longer start it, including people you "
                       "already invited who have not started. Its {invitations} and {results} stay here. You can "
                       "publish it again later.",
    },
    "delete": {
        "title": "Delete this interview?", "confirm_label": "Delete interview", "danger": True,
        "consequence": "Deleting removes it in JobMojito: its interview links stop working and it cannot be "
                       "restored from this app. Its {invitations} and {results} stay here for your records. "
                       "Archive it instead if you may need it again.",
    },
}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@require_http_methods(["GET", "POST"])
def confirm_state(request, pk: int, action: str):
    """archive / delete: a GET (or a POST without confirm=yes) shows what will happen."""
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        return _change_state(request, pk, action)
    interview = interview_get(pk)
    words = CONFIRMATIONS[action]
    consequence = words["consequence"].format(invitations=_plural(interview.invitations.count(), "invitation"),
                                              results=_plural(interview.results.count(), "result"))
    return render(request, "dashboard/confirm.html", {
        "title": words["title"], "object_label": f"“{interview}”", "consequence": consequence,
        "confirm_label": words["confirm_label"], "danger": words["danger"],
        "cancel_url": reverse("interviews:detail", kwargs={"pk": pk})})


@require_POST
def embedding(request, pk: int):
    interview = interview_get(pk)
    enabled = request.POST.get("enabled") == "1"
    try:
        interview_set_embedding(interview=interview, enabled=enabled)
    except MojitoError as exc:
        report_mojito_error(request, exc, not_found=NOT_FOUND)
    else:
        messages.success(request, "Embedding is on: this interview can run inside your own pages." if enabled
                         else "Embedding is off: embedded copies of this interview stop working.")
    return redirect("interviews:detail", pk=pk)


@require_POST
def resync(request, pk: int):
    interview = interview_get(pk)
    try:
        interview_refresh(interview=interview)
    except MojitoError as exc:
        report_mojito_error(request, exc, not_found=NOT_FOUND)
    else:
        messages.success(request, "Up to date with JobMojito.")
    return redirect("interviews:detail", pk=pk)


@require_POST
def sync_templates(request):
    """Fetch the interviewer templates from JobMojito (for a first run, before any create)."""
    try:
        result = templates_sync()
    except MojitoError as exc:
        report_mojito_error(request, exc)
    else:
        messages.success(request, f"{_plural(result.seen, 'interviewer template')} synced from JobMojito.")
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = reverse("interviews:new")
    return redirect(target)
