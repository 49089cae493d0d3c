"""Admin actions: confirmation page first, then the effect in local rows and in the sandbox;
API errors become admin messages; several objects are queued as tasks on commit."""

from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from recruiting import tasks
from recruiting.models import BulkInvite, BulkInviteRow, Interview, InterviewResult, InterviewTemplate
from recruiting.services import candidates, results
from tests.recruiting.conftest import make_interview
from tests.recruiting.services.conftest import remote_interview, spy, template_id  # noqa: F401

pytestmark = pytest.mark.django_db


def changelist(model) -> str:
    return reverse(f"admin:recruiting_{model._meta.model_name}_changelist")


def ask(client, model, action, objects):
    """The changelist POST that starts an action: answers with the confirmation page."""
    return client.post(changelist(model), {"action": action, "_selected_action": [o.pk for o in objects],
                                           "index": "0"})


def confirm(client, model, action, objects, **extra):
    data = {"action": action, "_selected_action": [o.pk for o in objects], "confirm_action": "yes", **extra}
    response = client.post(changelist(model), data)
    assert response.status_code == 302, response.content[:2000]
    messages = [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]
    assert client.get(response.url).status_code == 200  # the changelist shows (and consumes) them
    return messages


def assert_confirmation_page(response, objects):
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="confirm_action" value="yes"' in html and 'value="Confirm"' in html
    for obj in objects:
        assert str(obj) in html
        assert f'name="_selected_action" value="{obj.pk}"' in html


@pytest.fixture
def run_tasks_inline():
    """Make ``task.delay`` run the task in-process (so queued work reaches the sandbox)."""
    patches = [mock.patch.object(t, "delay", side_effect=lambda *a, _t=t, **k: _t.apply(args=a, kwargs=k).get())
               for t in (tasks.interview_set_state_task, tasks.interview_refresh_task, tasks.result_sync_task,
                         tasks.bulk_invite_run, tasks.interview_set_embedding_task, tasks.invitation_resend_task)]
    for p in patches:
        p.start()
    yield
    for p in patches:
        p.stop()


@pytest.mark.parametrize("action, status", [("interview_publish", "active"), ("interview_unpublish", "draft"),
                                            ("interview_archive", "archived"), ("interview_delete", "deleted")])
def test_state_actions_on_one_interview(superuser_client, remote_interview, sandbox, action, status):
    assert_confirmation_page(ask(superuser_client, Interview, action, [remote_interview]), [remote_interview])
    assert sandbox.state.interviews[remote_interview.mojito_id]["status"] == "active"  # nothing done yet
    if status == "active":
        sandbox.state.interviews[remote_interview.mojito_id]["status"] = "draft"

    messages = confirm(superuser_client, Interview, action, [remote_interview])

    assert messages and messages[0][0] == "success"
    assert sandbox.state.interviews[remote_interview.mojito_id]["status"] == status
    assert Interview.objects.get(pk=remote_interview.pk).status == status


def test_several_interviews_are_queued_on_commit(superuser_client, remote_interview, template_id, sandbox,
                                                 django_capture_on_commit_callbacks, run_tasks_inline):
    from recruiting.services.interviews import interview_create_from_questions

    other = interview_create_from_questions(name="Second", location="Remote", interview_template_id=template_id,
                                            description="x", questions=["Q?"], status="active")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        messages = confirm(superuser_client, Interview, "interview_archive", [remote_interview, other])

    assert len(callbacks) == 2
    assert messages == [("success", "2 interviews queued to archive.")]
    for interview in (remote_interview, other):
        assert sandbox.state.interviews[interview.mojito_id]["status"] == "archived"
        assert Interview.objects.get(pk=interview.pk).status == "archived"


def test_api_error_is_an_admin_message_not_a_500(superuser_client, sandbox, settings):
    settings.MOJITO_MAX_ATTEMPTS = 1
    ghost = make_interview(name="Ghost")  # JobMojito does not know it
    messages = confirm(superuser_client, Interview, "interview_publish", [ghost])
    assert messages[0][0] == "error" and "Ghost" in messages[0][1]
    assert Interview.objects.get(pk=ghost.pk).status == "active"  # unchanged


def test_embedding_actions(superuser_client, remote_interview, sandbox):
    confirm(superuser_client, Interview, "interview_enable_embedding", [remote_interview])
    interview = Interview.objects.get(pk=remote_interview.pk)
    assert interview.is_embedded and interview.embed_id in sandbox.state.embeds

    confirm(superuser_client, Interview, "interview_disable_embedding", [remote_interview])
    assert not Interview.objects.get(pk=remote_interview.pk).is_embedded
    assert interview.embed_id not in sandbox.state.embeds


def test_interview_resync(superuser_client, remote_interview, sandbox):
    assert_confirmation_page(ask(superuser_client, Interview, "interview_resync", [remote_interview]),
                             [remote_interview])
    sandbox.state.interviews[remote_interview.mojito_id]["name"] = "Renamed at JobMojito"
    messages = confirm(superuser_client, Interview, "interview_resync", [remote_interview])
    assert messages[0][0] == "success"
    assert Interview.objects.get(pk=remote_interview.pk).name == "Renamed at JobMojito"


@pytest.fixture
def result(remote_interview, sandbox):
    invitation = candidates.candidates_register(interview=remote_interview, email="admin-taker@example.com")
    return results.result_sync(mojito_id=sandbox.complete(invitation.mojito_id))


def test_result_resync_and_another_attempt(superuser_client, result, sandbox):
    assert_confirmation_page(ask(superuser_client, InterviewResult, "result_resync", [result]), [result])
    assert confirm(superuser_client, InterviewResult, "result_resync", [result])[0][0] == "success"

    assert_confirmation_page(ask(superuser_client, InterviewResult, "result_request_another_attempt", [result]),
                             [result])
    messages = confirm(superuser_client, InterviewResult, "result_request_another_attempt", [result])
    assert messages[0] == ("success", f"{result}: another attempt requested.")
    assert sandbox.state.results[result.mojito_id]["status"] == "draft"
    assert InterviewResult.objects.get(pk=result.pk).status == "draft"


def test_another_attempt_on_a_draft_result_shows_the_api_error(superuser_client, result, sandbox):
    confirm(superuser_client, InterviewResult, "result_request_another_attempt", [result])
    messages = confirm(superuser_client, InterviewResult, "result_request_another_attempt", [result])
    assert messages[0][0] == "error"


def test_generate_report_asks_for_options_then_stores_the_pdf(superuser_client, result, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.MOJITO_REPORT_HOSTS = ["127.0.0.1"]
    page = ask(superuser_client, InterviewResult, "result_generate_report", [result])
    assert_confirmation_page(page, [result])
    assert 'name="export_type"' in page.content.decode() and 'name="template"' in page.content.decode()

    messages = confirm(superuser_client, InterviewResult, "result_generate_report", [result],
                       export_type="pdf", template="one_pager", transcript="on")
    assert messages[0] == ("success", f"{result}: PDF report stored.")
    stored = InterviewResult.objects.get(pk=result.pk)
    with stored.report.open("rb") as handle:
        assert handle.read(4) == b"%PDF"


def test_generate_report_with_a_bad_option_shows_the_form_again(superuser_client, result):
    response = superuser_client.post(changelist(InterviewResult), {
        "action": "result_generate_report", "_selected_action": [result.pk], "confirm_action": "yes",
        "export_type": "docx", "template": "classic"})
    assert response.status_code == 200 and "errornote" in response.content.decode()


def test_templates_resync(superuser_client, sandbox):
    from tests.recruiting.conftest import make_template

    stale = make_template(name="Old avatar")
    assert_confirmation_page(ask(superuser_client, InterviewTemplate, "templates_resync", [stale]), [stale])
    messages = confirm(superuser_client, InterviewTemplate, "templates_resync", [stale])
    assert messages[0][0] == "success"
    assert InterviewTemplate.objects.filter(mojito_id__in=list(sandbox.state.templates)).count() == len(
        sandbox.state.templates)
    assert InterviewTemplate.objects.get(pk=stale.pk).status == "archived"


def test_resend_invitation(superuser_client, remote_interview, sandbox, spy):
    invitation = candidates.candidates_register(interview=remote_interview, email="again@example.com")
    assert_confirmation_page(ask(superuser_client, invitation.__class__, "invitation_resend", [invitation]),
                             [invitation])
    messages = confirm(superuser_client, invitation.__class__, "invitation_resend", [invitation])
    assert messages[0][0] == "success"
    assert spy.bodies("job-interview-register-users")[-1]["send_email"] is True


def test_retry_failed_bulk_rows(superuser_client, remote_interview, sandbox, spy,
                                django_capture_on_commit_callbacks, run_tasks_inline):
    spy.row_errors["b@example.com"] = "temporarily rejected"
    bulk = candidates.bulk_invite_create_from_csv(interview=remote_interview,
                                                  csv_file="email\na@example.com\nb@example.com\n")
    candidates.invitations_send_bulk(bulk_invite_id=bulk.pk)
    assert BulkInviteRow.objects.get(bulk=bulk, email="b@example.com").state == "failed"
    bulk.refresh_from_db()

    assert_confirmation_page(ask(superuser_client, BulkInvite, "bulk_retry_failed", [bulk]), [bulk])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        messages = confirm(superuser_client, BulkInvite, "bulk_retry_failed", [bulk])

    assert len(callbacks) == 1
    assert messages == [("success", "1 failed rows of 1 bulk invites queued to be sent again.")]
    bulk.refresh_from_db()
    assert bulk.status == BulkInvite.Status.COMPLETED and bulk.sent_count == 2
    assert spy.emails_sent()["a@example.com"] == 1


def test_retry_with_nothing_failed_says_so(superuser_client, remote_interview, sandbox):
    bulk = candidates.bulk_invite_create_from_csv(interview=remote_interview, csv_file="email\na@example.com\n")
    assert confirm(superuser_client, BulkInvite, "bulk_retry_failed", [bulk]) == [
        ("warning", "No failed rows to retry.")]


def test_actions_are_listed_on_the_changelists(superuser_client):
    html = superuser_client.get(changelist(Interview)).content.decode()
    for name in ("interview_publish", "interview_unpublish", "interview_archive", "interview_delete",
                 "interview_enable_embedding", "interview_disable_embedding", "interview_resync"):
        assert f'value="{name}"' in html
    assert 'value="result_generate_report"' in superuser_client.get(changelist(InterviewResult)).content.decode()
    assert 'value="bulk_retry_failed"' in superuser_client.get(changelist(BulkInvite)).content.decode()


def test_download_error_file(superuser_client, remote_interview, sandbox):
    bulk = candidates.bulk_invite_create_from_csv(interview=remote_interview,
                                                  csv_file="email\na@example.com\nnot-an-email\n=HYPERLINK(1)\n")
    response = superuser_client.post(changelist(BulkInvite), {
        "action": "bulk_download_errors", "_selected_action": [bulk.pk], "index": "0"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert f"bulk-invite-{bulk.pk}-errors.csv" in response["Content-Disposition"]
    lines = response.content.decode().splitlines()
    assert lines[0] == "line,email,error" and lines[1].startswith("3,not-an-email,")
    assert lines[2].startswith("4,'=HYPERLINK(1),")  # a formula from the upload is neutralised


def _objects_for(model):
    from tests.recruiting.conftest import make_bulk_invite, make_invitation, make_result, make_template

    return {Interview: make_interview, InterviewResult: make_result, InterviewTemplate: make_template,
            BulkInvite: make_bulk_invite}.get(model, make_invitation)()


def _declared_actions():
    """(model, action name) of every action the ModelAdmins declare (recruiting.admin)."""
    from django.contrib import admin as django_admin

    import recruiting.admin  # noqa: F401  (registers the admins)

    return [(model, action.__name__) for model, model_admin in django_admin.site._registry.items()
            if model._meta.app_label == "recruiting" for action in type(model_admin).actions
            if action.__name__ != "bulk_download_errors"]


def test_the_actions_are_declared_on_their_model_admins():
    assert {(m.__name__, a) for m, a in _declared_actions()} >= {
        ("Interview", "interview_publish"), ("InterviewResult", "result_generate_report"),
        ("InterviewTemplate", "templates_resync"), ("Invitation", "invitation_resend"), ("BulkInvite", "bulk_resume")}


@pytest.mark.parametrize("model, action", _declared_actions())
def test_every_action_asks_first_and_changes_nothing_until_confirmed(superuser_client, model, action):
    objects = [_objects_for(model), _objects_for(model)]
    before = [model.objects.filter(pk=o.pk).values().get() for o in objects]
    from mojito.models import ApiCall

    calls = ApiCall.objects.count()
    assert_confirmation_page(ask(superuser_client, model, action, objects), objects)
    assert [model.objects.filter(pk=o.pk).values().get() for o in objects] == before
    assert ApiCall.objects.count() == calls  # nothing was sent to JobMojito
