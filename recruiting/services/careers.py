"""Candidate pages: page settings, applications, their background pre-screen, the signed iframe
URL and the résumé retention sweep (ARCHITECTURE flow 4).

An application is written before JobMojito is called, so nothing the candidate sent is lost when
JobMojito is down: ``application_prescreen`` (run by a task) records a transient failure as
``state=waiting`` and raises, so the task retries; a refusal (4xx) is recorded as ``failed``.

Two ways to pre-screen, both through the existing services:
- the page's interview belongs to a position (``interview.position``): résumé pre-screen against
  that position (``prescreening_run_text``);
- otherwise ``job-interview-create-for-candidate-with-token`` with a stable ``position_external_id``
  per page, which resolves the same position every time (so a repeated call is safe).
An accepted candidate then takes the page's own interview: in JobMojito's signed embed when the
interview has an embed key, otherwise through a personal link from register-users.

The embed signing key is read (and decrypted) only inside ``application_interview_src``, at the
moment of signing; it is never returned, logged or cached, and neither is the signed URL.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify

from mojito import embed
from mojito.errors import MojitoAPIError, MojitoTransportError, ServerError
from mojito.vocabulary import DecisionStatus, Recommendation
from recruiting.models import Application, CareerPage, Interview
from recruiting.services.candidates import candidates_register
from recruiting.services.interviews import interview_create_for_candidate, interview_set_embedding
from recruiting.services.prescreening import prescreening_run_text
from recruiting.services.upserts import candidate_upsert

logger = logging.getLogger("recruiting.services.careers")

SCREENING_LEASE = dt.timedelta(minutes=5)
RETRYABLE_STATES = (Application.State.RECEIVED, Application.State.WAITING)


# --- page settings ------------------------------------------------------------------------------
def career_page_default_slug(interview: Interview) -> str:
    base = slugify(re.sub(r"\[[^\]]*\]", "", interview.name or ""))[:60] or "job"
    slug, n = base, 2
    while CareerPage.objects.filter(slug=slug).exclude(interview=interview).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def career_page_save(*, page: CareerPage, embedding: bool | None = None) -> CareerPage:
    """Store the page's settings; switch JobMojito's signed embed on or off when ``embedding`` changes.

    The embed switch is the only remote call; when it fails the settings are still saved and the
    error is raised for the view to report."""
    page.save()
    interview = page.interview
    if embedding is not None and bool(embedding) != bool(interview.embed_id):
        interview_set_embedding(interview=interview, enabled=bool(embedding))
    return page


# --- applications -------------------------------------------------------------------------------
def application_submit(*, page: CareerPage, name: str, email: str, country_code: str, resume_text: str,
                       resume_file_name: str = "", site_url: str = "") -> tuple[Application, bool]:
    """Store an application -> (application, created). The same email for the same page gets the
    existing application back (``created=False``), never a second one. Queue the pre-screen next."""
    existing = Application.objects.filter(page=page, normalised_email=email.strip().lower()).first()
    if existing is not None:
        return existing, False
    with transaction.atomic():
        candidate = candidate_upsert(email=email.strip(), name=name.strip(), country_code=country_code)
        application, created = Application.objects.get_or_create(
            page=page, normalised_email=email.strip().lower(),
            defaults={"candidate": candidate, "name": name.strip(), "email": email.strip(),
                      "country_code": country_code, "resume_text": resume_text,
                      "resume_file_name": resume_file_name[:255], "site_url": site_url[:255]})
    return application, created


def _claim(application_id: int) -> bool:
    """Move the application to "screening" unless another run has it (or it is done)."""
    stale = timezone.now() - SCREENING_LEASE
    return bool(Application.objects.filter(
        Q(state__in=RETRYABLE_STATES) | Q(state=Application.State.SCREENING, updated_at__lt=stale),
        pk=application_id,
    ).update(state=Application.State.SCREENING, attempts=F("attempts") + 1, updated_at=timezone.now()))


@dataclass
class _Outcome:
    decision: str
    reason: str = ""
    prescreening: object = None
    invitation: object = None
    interview: Interview | None = None


def _interview_for(outcome: _Outcome, application: Application, interview: Interview) -> _Outcome:
    """An accepted candidate takes the page's own interview: through its signed embed when it has
    one, otherwise through a personal link from register-users."""
    if outcome.decision in Application.ACCEPTED:
        outcome.interview = interview
        if not interview.embed_id:
            outcome.invitation = candidates_register(interview=interview, email=application.email,
                                                     name=application.name)
    return outcome


def _screen_against_position(application: Application, interview: Interview) -> _Outcome:
    screening = prescreening_run_text(position=interview.position, name=application.name, email=application.email,
                                      resume_text=application.resume_text, country_code=application.country_code)
    decision = screening.recommendation or screening.decision_status or ""
    if screening.decision_status in DecisionStatus.values and screening.decision_status != Recommendation.AI_ACCEPT:
        decision = screening.decision_status  # the applied decision wins over the AI's recommendation
    return _Outcome(decision=decision, reason=screening.processing_reason or "", prescreening=screening)


def _create_for_candidate(application: Application, interview: Interview) -> _Outcome:
    """Pre-screen through a position of this page (created on the first application, found by its
    external id afterwards). JobMojito makes an interview for that position too; the candidate
    takes the page's own interview instead, the one the recruiter built."""
    page = application.page
    options = {"position_description": interview.description or None,
               "position_description_long": page.description_long or None,
               "interview_template_id": interview.template.mojito_id if interview.template_id else None,
               "max_duration": interview.max_duration or None}
    made = interview_create_for_candidate(
        candidate_name=application.name, candidate_email=application.email,
        candidate_country_code=application.country_code, candidate_resume=application.resume_text,
        position_external_id=f"careers-{interview.mojito_id}", position_name=interview.name or page.slug,
        position_location=interview.location or "Remote", position_country_code=page.country_code,
        mojito_language_code=interview.language or "en", **{k: v for k, v in options.items() if v is not None})
    return _Outcome(decision=made.status, reason=made.reason, prescreening=made.prescreening)


def application_prescreen(*, application_id: int) -> Application:
    """Pre-screen one application through JobMojito and record the decision. Safe to run twice:
    a decided application is left alone, and one being screened by another run is skipped.

    Raises ``MojitoTransportError`` / ``ServerError`` after recording ``state=waiting`` (retry later).
    """
    if not _claim(application_id):
        return Application.objects.get(pk=application_id)
    application = Application.objects.select_related(
        "page__interview__position", "page__interview__template").get(pk=application_id)
    interview = application.page.interview
    try:
        if interview.position_id and interview.position.mojito_id:
            outcome = _screen_against_position(application, interview)
        else:
            outcome = _create_for_candidate(application, interview)
        outcome = _interview_for(outcome, application, interview)
    except (MojitoTransportError, ServerError) as exc:
        Application.objects.filter(pk=application_id).update(
            state=Application.State.WAITING, last_error=exc.message[:2000], updated_at=timezone.now())
        logger.warning("Application %s: JobMojito unavailable (%s); will retry", application_id, type(exc).__name__)
        raise
    except MojitoAPIError as exc:
        Application.objects.filter(pk=application_id).update(
            state=Application.State.FAILED, last_error=exc.message[:2000], updated_at=timezone.now())
        logger.warning("Application %s: JobMojito refused the pre-screen (%s)", application_id, exc.status_code)
        application.refresh_from_db()
        return application
    application.state = Application.State.DECIDED
    application.decision = outcome.decision if outcome.decision in DecisionStatus.values else ""
    application.reason = (outcome.reason or "")[:2000]
    application.last_error = ""
    application.decided_at = timezone.now()
    application.prescreening = outcome.prescreening
    application.invitation = outcome.invitation
    application.interview_to_take = outcome.interview
    if outcome.prescreening is not None:
        application.candidate = outcome.prescreening.candidate
    if not application.decision:
        # JobMojito answered without a decision we know (e.g. an early exit): a person looks at it.
        application.decision = DecisionStatus.RECRUITER_ACTION
    application.save()
    return application


def application_needs_notice(application: Application) -> bool:
    """Decided only after JobMojito was unavailable (the page promised an email), not yet emailed."""
    return (application.state == Application.State.DECIDED and application.attempts > 1
            and application.notified_at is None and bool(application.site_url))


def application_notify(*, application_id: int) -> bool:
    """Email the candidate the link to their decision page (once); returns whether it was sent.

    The email carries the candidate's own page link, never the signed interview URL."""
    from django.core.mail import send_mail
    from django.urls import reverse
    from django.utils import translation
    from django.utils.translation import gettext as _

    application = Application.objects.select_related("page__interview").get(pk=application_id)
    if not application_needs_notice(application):
        return False
    claimed = Application.objects.filter(pk=application_id, notified_at__isnull=True).update(
        notified_at=timezone.now())
    if not claimed:
        return False
    link = application.site_url.rstrip("/") + reverse("careers:decision", args=[application.token])
    job = application.page.interview.name
    from recruiting.selectors.careers import page_language  # the language the candidate saw

    with translation.override(page_language(application.page)):
        subject = _("Your application: %(name)s") % {"name": job}
        body = _("Hello %(person)s,\n\nthank you for applying for %(job)s. Your next step is ready: "
                 "open your personal page to see it.\n\n%(link)s\n\nKeep this link to yourself.") % {
            "person": application.name, "job": job, "link": link}
    try:
        send_mail(subject, body, None, [application.email])
    except Exception:
        Application.objects.filter(pk=application_id).update(notified_at=None)
        raise
    logger.info("Application %s: candidate emailed their next step", application_id)
    return True


def application_interview_src(application: Application) -> str | None:
    """The URL of the candidate's interview for the iframe: JobMojito's signed embed when the
    interview has an embed key (signed here and now), otherwise the personal interview link."""
    if not application.is_accepted:
        return None
    interview = application.interview_to_take
    if interview is not None and interview.embed_id:
        key = Interview.objects.filter(pk=interview.pk).values_list("embed_signing_key", flat=True).first()
        if key:
            return embed.build_embed_url(settings.MOJITO_EMBED_BASE_URL, interview.embed_id, application.name,
                                         application.email, key)
    if application.invitation is not None and application.invitation.interview_url:
        return application.invitation.interview_url
    return None


def applications_to_retry(*, older_than: dt.timedelta = dt.timedelta(minutes=10)) -> list[int]:
    """Applications whose pre-screen never finished (JobMojito was down long, a worker was lost)."""
    cutoff = timezone.now() - older_than
    return list(Application.objects.filter(
        Q(state__in=RETRYABLE_STATES) | Q(state=Application.State.SCREENING),
        updated_at__lt=cutoff).order_by("pk").values_list("pk", flat=True)[:500])


def resumes_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the résumé text of applications older than RESUME_RETENTION_DAYS; returns how many.

    An application still waiting for its pre-screen keeps its résumé (it is still needed)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=int(settings.RESUME_RETENTION_DAYS))
    return Application.objects.filter(created_at__lt=cutoff, resume_deleted_at__isnull=True).exclude(
        state__in=(*RETRYABLE_STATES, Application.State.SCREENING)).update(
        resume_text="", resume_deleted_at=now, updated_at=now)
