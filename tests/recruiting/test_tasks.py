"""Celery tasks: enqueued only on commit, call one service, retry transient failures, safe twice."""

from unittest import mock

import pytest
from django.db import transaction

from mojito.errors import MojitoAPIError, MojitoTransportError, ServerError
from recruiting import tasks
from recruiting.models import BulkInvite, Interview, InterviewResult
from recruiting.services import client as client_service
from recruiting.services import candidates
from tests.recruiting.services.conftest import SpyTransport, remote_interview, spy, template_id  # noqa: F401

pytestmark = pytest.mark.django_db

ALL_TASKS = [tasks.bulk_invite_run, tasks.result_sync_task, tasks.interview_refresh_task,
             tasks.interview_set_state_task, tasks.interview_set_embedding_task, tasks.report_generate_task,
             tasks.templates_sync_task, tasks.invitation_resend_task, tasks.result_request_another_attempt_task]


# --- enqueueing --------------------------------------------------------------------------------


def test_rolled_back_transaction_enqueues_nothing(django_capture_on_commit_callbacks):
    with mock.patch.object(tasks.interview_refresh_task, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(RuntimeError):
                with transaction.atomic():
                    tasks.enqueue(tasks.interview_refresh_task, 1)
                    raise RuntimeError("rollback")
    assert len(callbacks) == 0
    delay.assert_not_called()


def test_committed_transaction_enqueues_exactly_once(django_capture_on_commit_callbacks):
    with mock.patch.object(tasks.interview_set_state_task, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with transaction.atomic():
                tasks.enqueue(tasks.interview_set_state_task, 7, "archived")
                delay.assert_not_called()  # not before the commit
    assert len(callbacks) == 1
    delay.assert_called_once_with(7, "archived")


@pytest.mark.parametrize("task", ALL_TASKS, ids=lambda t: t.name.rsplit(".", 1)[-1])
def test_retry_policy(task):
    assert set(task.autoretry_for) == {MojitoTransportError, ServerError}
    assert task.retry_backoff and task.retry_jitter
    assert task.retry_backoff_max == 600 and task.max_retries == 5
    assert task.acks_late


# --- bodies (run eagerly in-process against the sandbox) ---------------------------------------


def test_bulk_invite_run_sends_and_is_safe_twice(remote_interview, sandbox, spy):
    bulk = candidates.bulk_invite_create_from_csv(
        interview=remote_interview, csv_file="name,email\nA,a@example.com\nB,b@example.com\n")
    tasks.bulk_invite_run.apply(args=[bulk.pk]).get()
    tasks.bulk_invite_run.apply(args=[bulk.pk]).get()
    bulk.refresh_from_db()
    assert bulk.status == BulkInvite.Status.COMPLETED and bulk.sent_count == 2
    assert spy.count("job-interview-register-users") == 1


def test_set_state_task(remote_interview, sandbox):
    tasks.interview_set_state_task.apply(args=[remote_interview.pk, "archive"]).get()
    tasks.interview_set_state_task.apply(args=[remote_interview.pk, "archive"]).get()
    assert Interview.objects.get(pk=remote_interview.pk).status == "archived"
    assert sandbox.state.interviews[remote_interview.mojito_id]["status"] == "archived"


def test_embedding_and_refresh_tasks(remote_interview, sandbox):
    tasks.interview_set_embedding_task.apply(args=[remote_interview.pk, True]).get()
    assert Interview.objects.get(pk=remote_interview.pk).is_embedded
    sandbox.state.interviews[remote_interview.mojito_id]["name"] = "Changed"
    tasks.interview_refresh_task.apply(args=[remote_interview.pk]).get()
    assert Interview.objects.get(pk=remote_interview.pk).name == "Changed"


def test_result_tasks(remote_interview, sandbox, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.MOJITO_REPORT_HOSTS = ["127.0.0.1"]
    invitation = candidates.candidates_register(interview=remote_interview, email="r@example.com")
    result_id = sandbox.complete(invitation.mojito_id)
    tasks.result_sync_task.apply(args=[result_id]).get()
    tasks.result_sync_task.apply(args=[result_id]).get()
    result = InterviewResult.objects.get(mojito_id=result_id)
    tasks.report_generate_task.apply(args=[result.pk, "pdf"]).get()
    result.refresh_from_db()
    with result.report.open("rb") as handle:
        assert handle.read(4) == b"%PDF"
    tasks.result_request_another_attempt_task.apply(args=[result.pk]).get()
    assert InterviewResult.objects.get(pk=result.pk).status == "draft"
    assert sandbox.state.results[result_id]["status"] == "draft"


def test_resend_and_templates_tasks(remote_interview, sandbox, spy):
    invitation = candidates.candidates_register(interview=remote_interview, email="s@example.com")
    tasks.invitation_resend_task.apply(args=[invitation.pk]).get()
    assert spy.bodies("job-interview-register-users")[-1]["send_email"] is True
    tasks.templates_sync_task.apply().get()
    from recruiting.models import InterviewTemplate

    assert InterviewTemplate.objects.count() == len(sandbox.state.templates)


def test_missing_rows_are_a_no_op(sandbox, caplog):
    spy = SpyTransport(sandbox.transport())
    client_service.use_transport(spy)
    assert tasks.interview_refresh_task.apply(args=[987654]).get() is None
    assert tasks.result_request_another_attempt_task.apply(args=[987654]).get() is None
    assert spy.requests == []  # nothing was asked of JobMojito
    assert [r.getMessage() for r in caplog.records if "no longer exists" in r.getMessage()] == [
        "Interview 987654 no longer exists; nothing to do", "InterviewResult 987654 no longer exists; nothing to do"]


def test_transient_failure_is_retried_then_succeeds(remote_interview, sandbox, settings):
    settings.MOJITO_MAX_ATTEMPTS = 1  # the client does not retry: the task does
    spy = SpyTransport(sandbox.transport(), {"job-interview-get": [503]})
    client_service.use_transport(spy)
    sandbox.state.interviews[remote_interview.mojito_id]["name"] = "After retry"
    with mock.patch("celery.app.task.Task.retry", wraps=tasks.interview_refresh_task.retry) as retry:
        tasks.interview_refresh_task.apply(args=[remote_interview.pk]).get()
    assert retry.call_count == 1
    assert spy.count("job-interview-get") == 2
    assert Interview.objects.get(pk=remote_interview.pk).name == "After retry"


def test_permanent_failure_is_not_retried(sandbox, db):
    from tests.recruiting.conftest import make_interview

    ghost = make_interview()
    spy = SpyTransport(sandbox.transport())
    client_service.use_transport(spy)
    outcome = tasks.interview_set_state_task.apply(args=[ghost.pk, "archived"])
    assert isinstance(outcome.result, MojitoAPIError) and not isinstance(outcome.result, ServerError)
    assert spy.count("job-interview-set-state") == 1


@pytest.mark.parametrize("headers, reclaim", [(None, False), ({"redelivered": True}, True)])
def test_redelivered_bulk_message_reclaims_rows_left_sending(headers, reclaim):
    fake = mock.Mock(status="completed", sent_count=0, failed_count=0)
    with mock.patch("recruiting.services.candidates.invitations_send_bulk", return_value=fake) as send:
        tasks.bulk_invite_run.apply(args=[42], headers=headers).get()
    send.assert_called_once_with(bulk_invite_id=42, reclaim=reclaim)
