"""Candidate pages: the background pre-screen of an application, and the periodic sweeps
(résumé retention, applications whose pre-screen never finished)."""

from __future__ import annotations

import logging

from celery import shared_task

from recruiting.tasks._base import RETRYING, task_name

logger = logging.getLogger(__name__)

MODULE = "recruiting.tasks.careers"


@shared_task(name=task_name(MODULE, "application_prescreen_task"), **RETRYING)
def application_prescreen_task(application_id: int) -> str:
    """Pre-screen one application (retried with backoff while JobMojito is unavailable)."""
    from recruiting.services.careers import application_needs_notice, application_notify, application_prescreen

    application = application_prescreen(application_id=application_id)
    if application_needs_notice(application):
        application_notify(application_id=application_id)
    return application.state


@shared_task(name=task_name(MODULE, "careers_housekeeping_task"), acks_late=True, ignore_result=True)
def careers_housekeeping_task() -> dict:
    """Delete résumés past RESUME_RETENTION_DAYS; queue again pre-screens that never finished."""
    from recruiting.services.careers import applications_to_retry, resumes_purge

    purged = resumes_purge()
    retried = applications_to_retry()
    for application_id in retried:
        application_prescreen_task.delay(application_id)
    if purged or retried:
        logger.info("Candidate pages: %s résumé(s) deleted, %s pre-screen(s) queued again", purged, len(retried))
    return {"resumes_purged": purged, "applications_retried": retried}
