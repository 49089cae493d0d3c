"""Reads for the candidate pages and their dashboard sections.

Public reads defer the interview's embed signing key: it is decrypted only where a URL is signed
(``recruiting.services.careers.application_interview_src``)."""

from __future__ import annotations

import gettext as gettext_module

from django.conf import settings
from django.db.models import Count
from django.http import Http404

from mojito.vocabulary import InterviewStatus
from recruiting.models import Application, CareerPage, Interview

SECRET = "interview__embed_signing_key"


def open_pages():
    """Enabled pages of active interviews, newest interview first."""
    return (CareerPage.objects.filter(enabled=True, interview__status=InterviewStatus.ACTIVE)
            .select_related("interview").defer(SECRET).order_by("interview__name", "pk"))


def open_page(slug: str) -> CareerPage:
    """The open page at ``slug`` (with its interview, template and question count), or 404."""
    page = (CareerPage.objects.filter(slug=slug, enabled=True, interview__status=InterviewStatus.ACTIVE)
            .select_related("interview__template").defer(SECRET)
            .annotate(question_count=Count("interview__questions")).first())
    if page is None:
        raise Http404("No open job at this address.")
    return page


def application_by_token(token: str) -> Application:
    application = (Application.objects.filter(token=token)
                   .select_related("page__interview", "interview_to_take", "invitation")
                   .defer("page__interview__embed_signing_key", "interview_to_take__embed_signing_key", "resume_text")
                   .first())
    if application is None:
        raise Http404("No application at this address.")
    return application


def page_for_interview(interview: Interview) -> CareerPage | None:
    return CareerPage.objects.filter(interview=interview).first()


def applications_for_interview(interview: Interview, *, limit: int = 20):
    return (Application.objects.filter(page__interview=interview).select_related("prescreening")
            .defer("resume_text").order_by("-created_at", "-pk")[:limit])


def applications_for_candidate(candidate, *, limit: int = 20):
    return (Application.objects.filter(candidate=candidate).select_related("page__interview", "prescreening")
            .defer("resume_text", "page__interview__embed_signing_key")
            .order_by("-created_at", "-pk")[:limit])


def application_counts(interview: Interview) -> dict:
    rows = Application.objects.filter(page__interview=interview).values("state", "decision").annotate(n=Count("id"))
    counts = {"total": 0, "accepted": 0, "rejected": 0, "review": 0, "pending": 0}
    for row in rows:
        counts["total"] += row["n"]
        if row["state"] != Application.State.DECIDED:
            counts["pending"] += row["n"]
        elif row["decision"] in Application.ACCEPTED:
            counts["accepted"] += row["n"]
        elif row["decision"] in Application.REJECTED:
            counts["rejected"] += row["n"]
        else:
            counts["review"] += row["n"]
    return counts


def page_language(page=None) -> str:
    """The interview's language when the project has a translation for it, else the default."""
    code = (getattr(getattr(page, "interview", None), "language", "") or "").lower()
    if code and code != settings.LANGUAGE_CODE.split("-")[0]:
        for path in settings.LOCALE_PATHS:
            if gettext_module.find("django", str(path), [code]):
                return code
    return settings.LANGUAGE_CODE
