"""The invite page, the CSV preview, and the bulk-invite ledger (list, detail, send, retry, errors.csv)."""

import csv
import datetime as dt
import io

import httpx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from recruiting.models import BulkInvite, BulkInviteRow, Invitation
from recruiting.services import candidates as bulk_services
from recruiting.services import client as client_service
from recruiting.services import invitations as invitation_services

pytestmark = pytest.mark.django_db
State = BulkInviteRow.State
SIX_ROWS = ("name,email,external_id\nAna Souza,ana@example.com,A1\nTom Becker,tom@example.com,A2\n"
            "Broken,not-an-email,A3\nAna Again,ANA@example.com,A4\nLi Wei,li@example.com,A5\n"
            "Sam Lee,sam@example.com,A6\n")


@pytest.fixture
def remote_interview(sandbox, db):
    from mojito.sandbox.seed import TEMPLATE_IDS
    from recruiting.services.interviews import interview_create_from_questions

    return interview_create_from_questions(
        name="Backend engineer", location="Remote", interview_template_id=TEMPLATE_IDS["interactive_heygen"],
        description="Python and Django.", questions=["Tell us about a system you built."], status="active")


@pytest.fixture
def one_attempt(settings, sandbox):
    """Errors come back at once (no client retries with back-off)."""
    settings.MOJITO_MAX_ATTEMPTS = 1
    client_service.use_transport(sandbox.transport())


@pytest.fixture
def enqueued(monkeypatch):
    """The tasks the views publish (the job is never run inside the request)."""
    calls = []
    monkeypatch.setattr("recruiting.views.invitations.enqueue", lambda task, *args: calls.append((task.name, args)))
    return calls


def api_calls(sandbox, endpoint):
    return [c for c in sandbox.state.api_calls if c["endpoint"] == endpoint]


def invite_url(interview):
    return reverse("invitations:invite", args=[interview.pk])


def one(**fields):
    data = {"action": "one", "one-name": "Ana Souza", "one-email": "ana@example.com", "one-external_id": "A1",
            "one-delivery": "links"}
    data.update({f"one-{k}": v for k, v in fields.items()})
    return data


def upload(client, interview, text=SIX_ROWS, name="people.csv"):
    return client.post(invite_url(interview), {"action": "csv", "csv-file": SimpleUploadedFile(
        name, text.encode(), content_type="text/csv")})


def preview(interview, text=SIX_ROWS):
    return invitation_services.bulk_invite_preview_from_csv(interview=interview, csv_file=text, file_name="p.csv")


def sent_job(interview, text=SIX_ROWS, **confirm):
    job = preview(interview, text)
    invitation_services.bulk_invite_confirm(bulk=job, delivery=confirm.pop("delivery", "links"), **confirm)
    return bulk_services.invitations_send_bulk(bulk_invite_id=job.pk)


# --- login and methods ---------------------------------------------------------------------------


def test_it_requires_a_login_everywhere(client, remote_interview):
    job = preview(remote_interview)
    urls = [invite_url(remote_interview), reverse("invitations:bulk_list")] + [
        reverse(f"invitations:{name}", args=[job.pk]) for name in ("bulk_detail", "bulk_errors")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    for name in ("bulk_send", "bulk_retry", "bulk_discard"):
        response = client.post(reverse(f"invitations:{name}", args=[job.pk]))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_answers_405_to_get_on_actions(recruiter_client, remote_interview):
    job = preview(remote_interview)
    for name in ("bulk_send", "bulk_retry", "bulk_discard"):
        assert recruiter_client.get(reverse(f"invitations:{name}", args=[job.pk])).status_code == 405


def test_it_answers_404_for_unknown_objects(recruiter_client, remote_interview):
    assert recruiter_client.get(reverse("invitations:invite", args=[remote_interview.pk + 99])).status_code == 404
    assert recruiter_client.get(reverse("invitations:bulk_detail", args=[999])).status_code == 404
    assert recruiter_client.get(reverse("invitations:bulk_errors", args=[999])).status_code == 404


# --- one person ----------------------------------------------------------------------------------


def test_it_shows_both_ways_to_invite(recruiter_client, remote_interview):
    response = recruiter_client.get(invite_url(remote_interview))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Invite to Backend engineer" in html
    assert 'name="one-email"' in html and 'name="csv-file"' in html and "JobMojito emails the invitations" in html


def test_it_invites_one_person_and_shows_the_link(recruiter_client, remote_interview, sandbox):
    response = recruiter_client.post(invite_url(remote_interview), one(is_test="on"))
    assert response.status_code == 200
    invitation = Invitation.objects.get(candidate__normalised_email="ana@example.com")
    assert invitation.delivery_state == "registered" and invitation.interview_url
    html = response.content.decode()
    assert invitation.interview_url in html and 'data-copy="invitation-link"' in html
    assert len(api_calls(sandbox, "job-interview-register-users")) == 1


def test_the_link_of_one_invitation_is_shown_only_to_staff(client, django_user_model, remote_interview, sandbox):
    client.force_login(django_user_model.objects.create_user("viewer", "v@example.com", "a-long-password-1"))
    html = client.post(invite_url(remote_interview), one()).content.decode()
    invitation = Invitation.objects.get()
    assert invitation.interview_url and invitation.interview_url not in html
    assert "shown to staff only" in html


def test_it_invites_one_person_by_email(recruiter_client, remote_interview, sandbox):
    response = recruiter_client.post(invite_url(remote_interview), one(delivery="email", message_from_recruiter="Hi"))
    assert "Invitation emailed to" in response.content.decode()
    assert Invitation.objects.get().delivery_state == "invited"
    assert len(api_calls(sandbox, "invite-users")) == 1


def test_it_refuses_test_mode_with_email_on_the_field(recruiter_client, remote_interview, sandbox):
    response = recruiter_client.post(invite_url(remote_interview), one(delivery="email", is_test="on"))
    form = response.context["one_form"]
    assert "Test mode works only with links" in form.errors["is_test"][0]
    assert 'value="ana@example.com"' in response.content.decode()
    assert not api_calls(sandbox, "invite-users")


def test_a_bad_email_stays_on_the_form(recruiter_client, remote_interview, sandbox):
    response = recruiter_client.post(invite_url(remote_interview), one(email="ana@"))
    assert response.context["one_form"].errors["email"]
    assert 'value="ana@"' in response.content.decode()
    assert not Invitation.objects.exists()


class Answer422(httpx.BaseTransport):
    """JobMojito refusing one field of register-users (as its envelope does: message + name)."""

    def __init__(self, field):
        self.field = field

    def handle_request(self, request):
        return httpx.Response(422, json={"error": "This value is not accepted.", "name": self.field}, request=request)


def test_a_422_naming_a_field_lands_on_that_field(recruiter_client, remote_interview, settings):
    client_service.use_transport(Answer422("external_id"))
    response = recruiter_client.post(invite_url(remote_interview), one())
    form = response.context["one_form"]
    assert form.errors["external_id"] == ["This value is not accepted."]
    assert 'value="A1"' in response.content.decode() and 'value="Ana Souza"' in response.content.decode()


def test_a_422_on_the_interview_is_a_form_error(recruiter_client, remote_interview, sandbox):
    sandbox.state.interviews.pop(remote_interview.mojito_id)
    response = recruiter_client.post(invite_url(remote_interview), one())
    assert "was not found" in " ".join(response.context["one_form"].non_field_errors())
    assert Invitation.objects.get().delivery_state == "failed"  # recorded, nothing lost


def test_a_row_error_lands_on_the_email_field(recruiter_client, remote_interview, sandbox, monkeypatch):
    from mojito.types import RegisterUserRow

    monkeypatch.setattr(client_service.get_client(), "register_users_for_interview", lambda *a, **k: [
        RegisterUserRow.from_payload({"email": "ana@example.com", "result": "Error: mailbox does not exist"})])
    response = recruiter_client.post(invite_url(remote_interview), one())
    assert "mailbox does not exist" in response.context["one_form"].errors["email"][0]


@pytest.mark.parametrize("setup, words", [
    ("wrong_token", "refused the API token. Check MOJITO_API_TOKEN"),
    ("not_a_merchant", "not allowed to do this in JobMojito"),
    ("503", "JobMojito did not answer. Nothing was lost"),
    ("timeout", "JobMojito did not answer. Nothing was lost"),
    ("drop", "JobMojito did not answer. Nothing was lost"),
])
def test_it_explains_jobmojito_failures_and_keeps_the_form(recruiter_client, remote_interview, sandbox, settings,
                                                           one_attempt, setup, words):
    config = sandbox.state.config
    if setup == "wrong_token":
        settings.MOJITO_API_TOKEN = "not-the-token"
        client_service.use_transport(sandbox.transport())
    elif setup == "not_a_merchant":
        config.tokens[settings.MOJITO_API_TOKEN] = {"role": "user"}
    else:
        config.fault_rate, config.fault_kinds, config.timeout_sleep_s = 1.0, (setup,), 0.01
    response = recruiter_client.post(invite_url(remote_interview), one(), follow=True)
    html = response.content.decode()
    assert words in html
    assert 'value="ana@example.com"' in html and 'value="Ana Souza"' in html
    assert "not-the-token" not in html and settings.MOJITO_API_TOKEN not in html


# --- CSV upload and preview ----------------------------------------------------------------------


def test_an_upload_becomes_a_preview_and_nothing_is_sent(recruiter_client, remote_interview, sandbox):
    response = upload(recruiter_client, remote_interview)
    job = BulkInvite.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("invitations:bulk_detail", args=[job.pk])
    assert job.status == "preview" and job.source_file_name == "people.csv"
    assert not api_calls(sandbox, "job-interview-register-users") and not api_calls(sandbox, "invite-users")


def test_an_unreadable_file_is_refused_on_the_field(recruiter_client, remote_interview):
    response = recruiter_client.post(invite_url(remote_interview), {"action": "csv", "csv-file": SimpleUploadedFile(
        "people.csv", b"\xff\xfe\x00\x01", content_type="text/csv")})
    assert "not UTF-8" in response.context["csv_form"].errors["file"][0]
    response = recruiter_client.post(invite_url(remote_interview), {"action": "csv"})
    assert response.context["csv_form"].errors["file"]
    assert not BulkInvite.objects.exists()


def test_the_preview_flags_every_problem_and_counts_the_good_rows(recruiter_client, remote_interview, sandbox):
    from recruiting.services.upserts import candidate_upsert

    Invitation.objects.create(candidate=candidate_upsert(email="sam@example.com"), interview=remote_interview,
                              delivery_state="registered")
    job = preview(remote_interview)
    response = recruiter_client.get(reverse("invitations:bulk_detail", args=[job.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and response.context["good"] == 3
    assert "&#x27;not-an-email&#x27; is not a valid email address" in html
    assert "duplicate of line 2" in html
    assert "sam@example.com is already invited to this interview" in html
    assert "Send 3 invitations" in html
    # Credits: 2.5 per interactive avatar interview; allowance from merchant-status.
    assert response.context["cost_each"] == "2.5" and response.context["cost_total"] == "7.5"
    assert "7.5</span><span class=\"label\">credits at most" in html
    assert "400 of 400 this period" in html
    assert len(api_calls(sandbox, "merchant-status")) == 1


def test_a_long_preview_is_paged_and_caps_the_flagged_rows(recruiter_client, remote_interview, sandbox, settings,
                                                           monkeypatch):
    settings.DASHBOARD_PAGE_SIZE = 2
    monkeypatch.setattr("recruiting.views.invitations.FLAGGED_SHOWN", 1)
    job = preview(remote_interview)
    response = recruiter_client.get(reverse("invitations:bulk_detail", args=[job.pk]))
    html = response.content.decode()
    assert len(response.context["page"].object_list) == 2 and "Page 1 of 2" in html
    assert "2 rows will not be sent" in html and "The first 1 are shown; the CSV has all 2." in html
    second = recruiter_client.get(reverse("invitations:bulk_detail", args=[job.pk]) + "?page=2")
    assert [r.line_number for r in second.context["page"].object_list] == [6, 7]


def test_the_preview_warns_beyond_the_allowance(recruiter_client, remote_interview, sandbox):
    sandbox.state.config.credits_interview_monthly = 0.5  # 4 x 0.5 = 2 invitations
    job = preview(remote_interview)
    response = recruiter_client.get(reverse("invitations:bulk_detail", args=[job.pk]))
    assert response.context["over_allowance"]
    assert "JobMojito allows 2 more invitations" in response.content.decode()


def test_the_preview_still_works_when_merchant_status_fails(recruiter_client, remote_interview, sandbox, one_attempt):
    job = preview(remote_interview)
    sandbox.state.config.fault_rate, sandbox.state.config.fault_kinds = 1.0, ("500",)
    response = recruiter_client.get(reverse("invitations:bulk_detail", args=[job.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Could not read your invitation allowance: JobMojito did not answer" in html
    assert "Send 4 invitations" in html


def test_sending_a_preview_queues_the_background_job(recruiter_client, remote_interview, sandbox, enqueued):
    job = preview(remote_interview)
    response = recruiter_client.post(reverse("invitations:bulk_send", args=[job.pk]),
                                     {"delivery": "email", "message_from_recruiter": "Hello"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.delivery, job.message_from_recruiter) == ("queued", "email", "Hello")
    assert enqueued == [("recruiting.tasks.bulk_invite_run", (job.pk,))]
    assert not api_calls(sandbox, "invite-users") and not api_calls(sandbox, "job-interview-register-users")

    again = recruiter_client.post(reverse("invitations:bulk_send", args=[job.pk]), {"delivery": "links"}, follow=True)
    assert "already sent" in again.content.decode() and len(enqueued) == 1


def test_sending_with_a_bad_choice_keeps_the_preview(recruiter_client, remote_interview, enqueued):
    job = preview(remote_interview)
    response = recruiter_client.post(reverse("invitations:bulk_send", args=[job.pk]),
                                     {"delivery": "email", "is_test": "on"})
    assert response.status_code == 400
    assert "Test mode works only with links" in response.context["form"].errors["is_test"][0]
    job.refresh_from_db()
    assert job.status == "preview" and not enqueued


def test_discarding_a_preview(recruiter_client, remote_interview):
    job = preview(remote_interview)
    response = recruiter_client.post(reverse("invitations:bulk_discard", args=[job.pk]))
    assert response["Location"] == invite_url(remote_interview)
    assert not BulkInvite.objects.exists()


# --- the ledger ----------------------------------------------------------------------------------


def test_the_ledger_shows_every_row_with_outcome_and_copyable_link(recruiter_client, remote_interview, sandbox):
    job = sent_job(remote_interview)
    response = recruiter_client.get(reverse("invitations:bulk_detail", args=[job.pk]))
    html = response.content.decode()
    progress = response.context["progress"]
    assert (progress.sent, progress.invalid, progress.duplicate, progress.remaining, progress.done) == (4, 1, 1, 0, True)
    url = BulkInviteRow.objects.filter(bulk=job, state="sent").first().interview_url
    assert url in html and 'data-copy="link-2"' in html
    assert 'hx-trigger="every 2s"' not in html  # finished: no more polling
    assert "Download the error file" in html


def test_links_are_shown_only_to_staff(client, django_user_model, remote_interview, sandbox):
    job = sent_job(remote_interview)
    client.force_login(django_user_model.objects.create_user("viewer", "v@example.com", "a-long-password-1"))
    html = client.get(reverse("invitations:bulk_detail", args=[job.pk])).content.decode()
    assert "Shown to staff only" in html
    assert not any(r.interview_url in html for r in BulkInviteRow.objects.filter(bulk=job, state="sent"))


def test_a_running_job_polls_and_htmx_gets_only_the_ledger(recruiter_client, remote_interview):
    job = preview(remote_interview)
    invitation_services.bulk_invite_confirm(bulk=job, delivery="links")
    url = reverse("invitations:bulk_detail", args=[job.pk])
    html = recruiter_client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in html and "Waiting for the background worker" in html
    fragment = recruiter_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="ledger"') and "<html" not in fragment
    assert 'data-count="remaining">4<' in fragment


def test_the_ledger_says_when_a_job_stalled_or_was_resumed(recruiter_client, remote_interview):
    job = preview(remote_interview)
    invitation_services.bulk_invite_confirm(bulk=job, delivery="links")
    BulkInvite.objects.filter(pk=job.pk).update(status="running", updated_at=timezone.now() - dt.timedelta(hours=1))
    html = recruiter_client.get(reverse("invitations:bulk_detail", args=[job.pk])).content.decode()
    assert "seems to have stopped" in html and "resumes stuck jobs on its own" in html
    BulkInvite.objects.filter(pk=job.pk).update(resumed_at=timezone.now(), resumed_count=1, updated_at=timezone.now())
    html = recruiter_client.get(reverse("invitations:bulk_detail", args=[job.pk])).content.decode()
    assert "Resumed automatically" in html and "Rows already sent were not sent again" in html


def test_rows_can_be_filtered(recruiter_client, remote_interview, sandbox):
    job = sent_job(remote_interview)
    response = recruiter_client.get(reverse("invitations:bulk_detail", args=[job.pk]) + "?show=problems")
    assert [r.line_number for r in response.context["page"].object_list] == [4, 5]


def test_the_error_file(recruiter_client, remote_interview, sandbox):
    job = sent_job(remote_interview)
    response = recruiter_client.get(reverse("invitations:bulk_errors", args=[job.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="bulk-invite-{job.pk}-errors.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["line", "name", "email", "external_id", "reason"]
    assert [r[:4] for r in rows[1:]] == [["4", "Broken", "not-an-email", "A3"], ["5", "Ana Again", "ANA@example.com", "A4"]]


def test_retrying_puts_only_the_failed_rows_back_and_queues_the_job(recruiter_client, remote_interview, sandbox,
                                                                    enqueued, one_attempt):
    sandbox.state.config.fault_rate, sandbox.state.config.fault_kinds = 1.0, ("503",)
    job = sent_job(remote_interview)
    assert job.failed_count == 4
    html = recruiter_client.get(reverse("invitations:bulk_detail", args=[job.pk])).content.decode()
    assert "Retry the 4 failed rows" in html

    response = recruiter_client.post(reverse("invitations:bulk_retry", args=[job.pk]), follow=True)
    assert "Sending the 4 failed rows again" in response.content.decode()
    assert enqueued == [("recruiting.tasks.bulk_invite_run", (job.pk,))]
    assert BulkInviteRow.objects.filter(bulk=job, state="pending").count() == 4
    assert BulkInviteRow.objects.filter(bulk=job, state__in=["invalid", "duplicate"]).count() == 2

    response = recruiter_client.post(reverse("invitations:bulk_retry", args=[job.pk]), follow=True)
    assert "No failed rows to retry" in response.content.decode() and len(enqueued) == 1


# --- the list --------------------------------------------------------------------------------------


def test_the_list_filters_and_has_an_empty_state(recruiter_client, remote_interview, sandbox):
    html = recruiter_client.get(reverse("invitations:bulk_list")).content.decode()
    assert "No bulk invites yet" in html
    sent_job(remote_interview)
    preview(remote_interview)
    response = recruiter_client.get(reverse("invitations:bulk_list") + "?status=completed_with_errors")
    assert [b.status for b in response.context["page"].object_list] == ["completed_with_errors"]
    response = recruiter_client.get(reverse("invitations:bulk_list") + "?q=nothing-like-this")
    assert "No bulk invite matches" in response.content.decode()


# --- SQL queries: the same for 1 row and for 50 -----------------------------------------------------


def _rows_maker(job):
    made = {"n": 0}

    def make(n):
        start = made["n"]
        BulkInviteRow.objects.bulk_create([
            BulkInviteRow(bulk=job, line_number=start + i + 1, name=f"P {start + i}", email=f"p{start + i}@example.com",
                          normalised_email=f"p{start + i}@example.com", state=("sent", "failed", "invalid")[i % 3],
                          interview_url=f"https://example.com/i/{start + i}", error="x")
            for i in range(n)])
        made["n"] += n
    return make


def test_the_ledger_makes_the_same_queries_for_1_and_50_rows(assert_same_queries, remote_interview):
    job = BulkInvite.objects.create(interview=remote_interview, status="completed_with_errors")
    assert_same_queries(reverse("invitations:bulk_detail", args=[job.pk]), _rows_maker(job))


def test_the_preview_makes_the_same_queries_for_1_and_50_rows(assert_same_queries, remote_interview, sandbox):
    job = BulkInvite.objects.create(interview=remote_interview, status="preview")
    assert_same_queries(reverse("invitations:bulk_detail", args=[job.pk]), _rows_maker(job))


def test_the_list_makes_the_same_queries_for_1_and_50_jobs(assert_same_queries, remote_interview, recruiter):
    def make(n):
        BulkInvite.objects.bulk_create([BulkInvite(interview=remote_interview, created_by=recruiter, total_count=3)
                                        for _ in range(n)])
    assert_same_queries(reverse("invitations:bulk_list"), make)


@pytest.mark.parametrize("error, words", [
    ("NotFound", "JobMojito no longer has this interview"),
    ("Conflict", "JobMojito refused because of the current state: closed"),
    ("MojitoOutcomeUnknown", "It may have been created anyway"),
])
def test_errors_the_sandbox_cannot_produce_here_still_read_well(recruiter_client, remote_interview, sandbox,
                                                                 monkeypatch, error, words):
    """invite-users never answers 404/409 in the sandbox and is repeatable (never outcome-unknown), but
    JobMojito may: the page still says what happened and keeps the form."""
    from mojito import errors

    def fail(*args, **kwargs):
        raise getattr(errors, error)("closed")

    monkeypatch.setattr(client_service.get_client(), "invite_users", fail)
    response = recruiter_client.post(invite_url(remote_interview), one(delivery="email"))
    html = response.content.decode()
    assert words in html and 'value="ana@example.com"' in html
