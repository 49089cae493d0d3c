"""Interview results: sync one, request another attempt, generate a report."""

from __future__ import annotations

from celery import shared_task

from mojito.vocabulary import ExportType
from recruiting.tasks._base import RETRYING, get_or_none, task_name

OLD_MODULE = "recruiting.tasks"


@shared_task(name=task_name(OLD_MODULE, "result_sync_task"), **RETRYING)
def result_sync_task(result_mojito_id: str) -> None:
    from recruiting.services.results import result_sync

    result_sync(mojito_id=result_mojito_id)


@shared_task(name=task_name(OLD_MODULE, "report_generate_task"), **RETRYING)
def report_generate_task(result_id: int, export_type: str = ExportType.PDF, template: str | None = None,
                         toggles: dict | None = None) -> None:
    from recruiting.models import InterviewResult
    from recruiting.services.results import report_generate

    if result := get_or_none(InterviewResult, result_id):
        report_generate(result=result, export_type=export_type, template=template, toggles=toggles)


@shared_task(name=task_name(OLD_MODULE, "result_request_another_attempt_task"), **RETRYING)
def result_request_another_attempt_task(result_id: int) -> None:
    from recruiting.models import InterviewResult
    from recruiting.services.results import result_request_another_attempt

    if result := get_or_none(InterviewResult, result_id):
        result_request_another_attempt(result=result)
