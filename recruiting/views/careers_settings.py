"""The dashboard side of the candidate pages (login required): an interview's page settings."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mojito.errors import InvalidRequest, MojitoError
from recruiting.forms.careers import CareerPageForm
from recruiting.models import CareerPage, Interview
from recruiting.selectors.careers import page_for_interview
from recruiting.services.careers import career_page_default_slug, career_page_save
from recruiting.views.common import report_mojito_error


def interview_url(interview: Interview) -> str:
    try:
        return reverse("interviews:detail", args=[interview.pk])
    except NoReverseMatch:  # pragma: no cover - the interviews area always has it
        return reverse("home")


@require_http_methods(["GET", "POST"])
def edit(request, interview_pk):
    interview = get_object_or_404(Interview.objects.defer("embed_signing_key"), pk=interview_pk)
    page = page_for_interview(interview) or CareerPage(interview=interview, slug=career_page_default_slug(interview))
    initial = {"embedding": bool(interview.embed_id)}
    form = CareerPageForm(request.POST or None, instance=page, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                career_page_save(page=form.save(commit=False), embedding=form.cleaned_data["embedding"])
            except MojitoError as exc:
                # The settings are saved; only the switch failed: show the form again with the reason.
                report_mojito_error(request, exc, form=form, field_map={"is_embedded": "embedding"})
                messages.warning(request, _("The page settings were saved; the embedding switch was not changed."))
                status = 422 if isinstance(exc, InvalidRequest) else 200
                return render(request, "dashboard/careers/settings.html",
                              {"form": form, "interview": interview, "page": page,
                               "back_url": interview_url(interview)}, status=status)
            messages.success(request, _("Candidate page settings saved."))
            return redirect(f"{interview_url(interview)}#candidate-pages")
        status = 422
    return render(request, "dashboard/careers/settings.html",
                  {"form": form, "interview": interview, "page": page, "back_url": interview_url(interview)},
                  status=status)
