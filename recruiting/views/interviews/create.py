"""Create an interview three ways (the three API paths); each lands on the new interview's page.

A 422 with a field comes back on that field (a question's field on that question's row) with
everything typed kept; other JobMojito errors are a banner that says what to do. An outcome-unknown
create is left to the reconciler (queued here) and the page links to where it will appear.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from mojito.errors import InvalidRequest, MojitoError, MojitoOutcomeUnknown, NotFound
from recruiting.forms.interviews import ForCandidateForm, FromDescriptionForm, FromQuestionsForm
from recruiting.forms.questions import QuestionFormSet, edit_questions, first_rows
from recruiting.selectors.interviews import usable_templates
from recruiting.services.interviews import (
    interview_create_for_candidate,
    interview_create_from_description,
    interview_create_from_questions,
)
from recruiting.tasks import enqueue, results_reconcile_task
from recruiting.views.common import report_mojito_error


def new(request):
    return render(request, "dashboard/interviews/new.html", {"templates_missing": not usable_templates().exists()})


def _report(request, exc: MojitoError, form, *, name: str = "") -> dict:
    """Show the error where it belongs; for an unknown outcome, queue the lookup and say where to look."""
    field = form.FIELD_MAP.get(getattr(exc, "field", None) or "")
    if isinstance(exc, NotFound) and field in form.fields:  # e.g. a position deleted in JobMojito
        form.add_error(field, exc.message)
        return {}
    report_mojito_error(request, exc, form=form, field_map=form.FIELD_MAP)
    if isinstance(exc, MojitoOutcomeUnknown):
        enqueue(results_reconcile_task)
        return {"checking_url": f"{reverse('interviews:list')}?{urlencode({'q': name})}", "checking_name": name}
    return {}


def _created(request, interview, how: str):
    messages.success(request, f"Interview “{interview}” created {how}. Check it, then invite candidates.")
    return redirect("interviews:detail", pk=interview.pk)


def _context(form, **extra) -> dict:
    return {"form": form, "templates_missing": not usable_templates().exists(), **extra}


def new_from_description(request):
    form = FromDescriptionForm(request.POST or None)
    extra = {}
    if request.method == "POST" and form.is_valid():
        try:
            interview = interview_create_from_description(**form.service_kwargs())
        except MojitoError as exc:
            extra = _report(request, exc, form, name=form.cleaned_data["name"])
        else:
            return _created(request, interview, "with questions written from the description")
    return render(request, "dashboard/interviews/new_description.html", _context(form, **extra))


def _typed(form_class, data) -> dict:
    """What was typed into the form's own fields, as initial values (no errors shown yet)."""
    return {name: data.get(name) for name in form_class.base_fields if data.get(name) is not None} | (
        {"template": data.get("template")} if data.get("template") else {})


def new_from_questions(request):
    extra = {}
    if request.method != "POST":
        form, formset = FromQuestionsForm(), QuestionFormSet(initial=first_rows())
    elif (rows := edit_questions(request.POST)) is not None:
        form, formset = FromQuestionsForm(initial=_typed(FromQuestionsForm, request.POST)), QuestionFormSet(initial=rows)
    else:
        form, formset = FromQuestionsForm(request.POST), QuestionFormSet(request.POST)
        if form.is_valid() and formset.is_valid():
            try:
                interview = interview_create_from_questions(**form.basics(), description=form.cleaned_data["description"],
                                                            questions=formset.payload())
            except InvalidRequest as exc:
                if not formset.place_api_error(exc.field, exc.message):
                    report_mojito_error(request, exc, form=form, field_map=form.FIELD_MAP)
            except MojitoError as exc:
                extra = _report(request, exc, form, name=form.cleaned_data["name"])
            else:
                return _created(request, interview, "from your questions")
    return render(request, "dashboard/interviews/new_questions.html", _context(form, formset=formset, **extra))


def new_for_candidate(request):
    form = ForCandidateForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        try:
            outcome = interview_create_for_candidate(**form.service_kwargs())
        except MojitoError as exc:
            _report(request, exc, form, name=form.cleaned_data["position_name"])
        else:
            if outcome.interview is not None and outcome.prescreening is not None:
                messages.success(request, f"Interview created for {form.cleaned_data['candidate_name']}.")
                url = reverse("interviews:detail", kwargs={"pk": outcome.interview.pk})
                return redirect(f"{url}?{urlencode({'created_for': outcome.prescreening.pk})}")
    return render(request, "dashboard/interviews/new_candidate.html", _context(form, outcome=outcome))
