"""recruiting.tasks.careers: the background pre-screen and the housekeeping sweep."""

import datetime as dt

import pytest
from django.utils import timezone

from recruiting import tasks
from recruiting.celery import _beat_schedule
from recruiting.models import Application
from recruiting.services.careers import application_submit
from tests.support.careers import ACCEPTED_RESUME, make_page

pytestmark = pytest.mark.django_db


def submit(page, email="ada@example.com"):
    return application_submit(page=page, name="Ada", email=email, country_code="GB", resume_text=ACCEPTED_RESUME)[0]


def test_the_prescreen_task_decides_and_is_safe_to_run_twice(sandbox):
    application = submit(make_page())
    assert tasks.application_prescreen_task.apply(args=[application.pk]).get() == "decided"
    assert tasks.application_prescreen_task.apply(args=[application.pk]).get() == "decided"
    application.refresh_from_db()
    assert application.attempts == 1


def test_the_prescreen_task_retries_while_jobmojito_is_down():
    assert tasks.application_prescreen_task.autoretry_for == tasks.TRANSIENT
    assert tasks.application_prescreen_task.max_retries == tasks.MAX_RETRIES


def test_housekeeping_purges_old_resumes_and_requeues_stuck_applications(sandbox, monkeypatch, settings):
    settings.RESUME_RETENTION_DAYS = 30
    queued = []
    monkeypatch.setattr(tasks.application_prescreen_task, "delay", lambda pk: queued.append(pk))
    page = make_page()
    old, stuck = submit(page), submit(page, email="stuck@example.com")
    Application.objects.filter(pk=old.pk).update(state=Application.State.DECIDED,
                                                  created_at=timezone.now() - dt.timedelta(days=40))
    Application.objects.filter(pk=stuck.pk).update(state=Application.State.WAITING,
                                                    updated_at=timezone.now() - dt.timedelta(hours=2))

    outcome = tasks.careers_housekeeping_task.apply().get()

    assert outcome == {"resumes_purged": 1, "applications_retried": [stuck.pk]}
    assert queued == [stuck.pk]
    assert Application.objects.get(pk=old.pk).resume_text == ""


def test_housekeeping_is_scheduled():
    entry = _beat_schedule()["careers-housekeeping"]
    assert entry["task"] == tasks.careers_housekeeping_task.name
