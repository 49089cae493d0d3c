"""Interview definitions and avatars (templates)."""

from __future__ import annotations

from celery import shared_task

from recruiting.tasks._base import RETRYING, get_or_none, task_name

OLD_MODULE = "recruiting.tasks"


@shared_task(name=task_name(OLD_MODULE, "interview_refresh_task"), **RETRYING)
def interview_refresh_task(interview_id: int) -> None:
    from recruiting.models import Interview
    from recruiting.services.interviews import interview_refresh

    if interview := get_or_none(Interview, interview_id):
        interview_refresh(interview=interview)


@shared_task(name=task_name(OLD_MODULE, "interview_set_state_task"), **RETRYING)
def interview_set_state_task(interview_id: int, status: str) -> None:
    from recruiting.models import Interview
    from recruiting.services.interviews import interview_set_state

    if interview := get_or_none(Interview, interview_id):
        interview_set_state(interview=interview, status=status)


@shared_task(name=task_name(OLD_MODULE, "interview_set_embedding_task"), **RETRYING)
def interview_set_embedding_task(interview_id: int, enabled: bool) -> None:
    from recruiting.models import Interview
    from recruiting.services.interviews import interview_set_embedding

    if interview := get_or_none(Interview, interview_id):
        interview_set_embedding(interview=interview, enabled=enabled)


@shared_task(name=task_name(OLD_MODULE, "templates_sync_task"), **RETRYING)
def templates_sync_task() -> dict:
    from recruiting.services.templates import templates_sync

    outcome = templates_sync()
    return {"seen": outcome.seen, "legacy": outcome.legacy, "archived_locally": outcome.archived_locally}
