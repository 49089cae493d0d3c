"""The invite workflow's services: preview, confirm, discard, email delivery (invite-users), the error
file with the original columns, the merchant allowance, one-person invitations and resumed jobs."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from recruiting.models import BulkInvite, BulkInviteRow, Invitation
from recruiting.services import candidates as bulk
from recruiting.services import invitations as svc
from recruiting.services.bulk_csv import parse_invite_csv
from recruiting.services.upserts import candidate_upsert, invitation_upsert

State = BulkInviteRow.State
SIX_ROWS = ("name,email,external_id\nAna Souza,ana@example.com,A1\nTom Becker,tom@example.com,A2\n"
            "Broken,not-an-email,A3\nAna Again,ANA@example.com,A4\nLi Wei,li@example.com,A5\n"
            "Old Friend,old@example.com,A6\n")


@pytest.fixture
def invited_before(remote_interview):
    candidate = candidate_upsert(email="old@example.com", name="Old Friend")
    return invitation_upsert(candidate=candidate, interview=remote_interview,
                             delivery_state=Invitation.DeliveryState.REGISTERED)


@pytest.mark.django_db
def test_preview_flags_each_problem_with_its_reason_and_sends_nothing(remote_interview, invited_before, spy):
    preview = svc.bulk_invite_preview_from_csv(interview=remote_interview, csv_file=io.BytesIO(SIX_ROWS.encode()),
                                               file_name="six.csv")

    assert preview.status == BulkInvite.Status.PREVIEW
    rows = {r.line_number: r for r in preview.rows.all()}
    assert [rows[n].state for n in range(2, 8)] == [State.PENDING, State.PENDING, State.INVALID, State.DUPLICATE,
                                                     State.PENDING, State.DUPLICATE]
    assert "not a valid email" in rows[4].error
    assert "duplicate of line 2" in rows[5].error
    assert "already invited to this interview" in rows[7].error
    assert (preview.total_count, preview.invalid_count, preview.duplicate_count) == (6, 1, 2)
    assert spy.count("job-interview-register-users") == spy.count("invite-users") == 0
    # The sweeper never picks up a preview.
    from recruiting.services.sweepers import bulk_invites_stuck
    BulkInvite.objects.filter(pk=preview.pk).update(updated_at=timezone.now() - dt.timedelta(hours=1))
    assert not bulk_invites_stuck().filter(pk=preview.pk).exists()


@pytest.mark.django_db
def test_a_failed_earlier_invitation_does_not_block_the_row(remote_interview):
    candidate = candidate_upsert(email="ana@example.com")
    invitation_upsert(candidate=candidate, interview=remote_interview, delivery_state=Invitation.DeliveryState.FAILED)
    preview = svc.bulk_invite_preview_from_csv(interview=remote_interview, csv_file="ana@example.com\n")
    assert preview.rows.get().state == State.PENDING


@pytest.mark.django_db
def test_confirm_once_then_refuses_and_discard_only_a_preview(remote_interview):
    preview = svc.bulk_invite_preview_from_csv(interview=remote_interview, csv_file=SIX_ROWS)
    confirmed = svc.bulk_invite_confirm(bulk=preview, delivery="email", message_from_recruiter="Hello!")
    assert (confirmed.status, confirmed.delivery, confirmed.send_email, confirmed.message_from_recruiter) == (
        "queued", "email", True, "Hello!")
    with pytest.raises(svc.BulkInviteNotInPreview):
        svc.bulk_invite_confirm(bulk=preview, delivery="links")
    with pytest.raises(svc.BulkInviteNotInPreview):
        svc.bulk_invite_discard(bulk=preview)
    assert BulkInvite.objects.filter(pk=preview.pk).exists()

    other = svc.bulk_invite_preview_from_csv(interview=remote_interview, csv_file=SIX_ROWS)
    with pytest.raises(ValueError, match="Test mode works only with links"):
        svc.bulk_invite_confirm(bulk=other, delivery="email", is_test=True)
    svc.bulk_invite_discard(bulk=other)
    assert not BulkInvite.objects.filter(pk=other.pk).exists()
    assert not BulkInviteRow.objects.filter(bulk_id=other.pk).exists()


@pytest.mark.django_db
def test_email_delivery_sends_through_invite_users_and_records_each_row(remote_interview, spy, sandbox):
    preview = svc.bulk_invite_preview_from_csv(interview=remote_interview, csv_file=SIX_ROWS)
    svc.bulk_invite_confirm(bulk=preview, delivery="email", message_from_recruiter="We'd love to meet you.")

    done = bulk.invitations_send_bulk(bulk_invite_id=preview.pk)

    assert spy.count("job-interview-register-users") == 0
    [body] = spy.bodies("invite-users")
    assert body["message_from_recruiter"] == "We'd love to meet you."
    assert sorted(u["email"] for u in body["users"]) == ["ana@example.com", "li@example.com", "old@example.com",
                                                          "tom@example.com"]
    assert all(u["type"] == "candidate" and u["interview_id"] == remote_interview.mojito_id for u in body["users"])
    assert (done.sent_count, done.status) == (4, BulkInvite.Status.COMPLETED_WITH_ERRORS)
    sent = BulkInviteRow.objects.filter(bulk=preview, state=State.SENT)
    assert all(r.invitation.delivery_state == "invited" and r.profile_interview_id and not r.interview_url
               for r in sent)
    assert {r.result for r in sent} <= {"Invited", "Activated", "Skipped"}


@pytest.mark.django_db
def test_links_delivery_in_test_mode_marks_the_registrations_as_tests(remote_interview, spy, sandbox):
    preview = svc.bulk_invite_preview_from_csv(interview=remote_interview, csv_file=SIX_ROWS)
    svc.bulk_invite_confirm(bulk=preview, delivery="links", is_test=True)
    bulk.invitations_send_bulk(bulk_invite_id=preview.pk)
    [body] = spy.bodies("job-interview-register-users")
    assert body["is_test"] is True and not body.get("send_email")
    assert spy.count("invite-users") == 0
    assert BulkInviteRow.objects.filter(bulk=preview, state=State.SENT).exclude(interview_url="").count() == 4


@pytest.mark.django_db
def test_email_delivery_5xx_goes_back_to_pending_and_row_errors_fail(remote_interview, spy, sandbox):
    spy.faults["invite-users"] = [503, 503, 503]
    preview = svc.bulk_invite_preview_from_csv(interview=remote_interview,
                                               csv_file="a@example.com\nb@example.com\n")
    svc.bulk_invite_confirm(bulk=preview, delivery="email")
    done = bulk.invitations_send_bulk(bulk_invite_id=preview.pk)
    assert done.sent_count == 2 and spy.count("invite-users") == 4
    assert set(BulkInviteRow.objects.filter(bulk=preview).values_list("attempts", flat=True)) == {2}


@pytest.mark.django_db
def test_the_error_file_keeps_the_original_columns_and_can_be_uploaded_again(remote_interview, invited_before):
    preview = svc.bulk_invite_preview_from_csv(interview=remote_interview, csv_file=SIX_ROWS)
    text = svc.bulk_invite_errors_file(preview)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["line", "name", "email", "external_id", "reason"]
    assert [r[:4] for r in rows[1:]] == [["4", "Broken", "not-an-email", "A3"], ["5", "Ana Again", "ANA@example.com", "A4"],
                                         ["7", "Old Friend", "old@example.com", "A6"]]
    assert "already invited" in rows[3][4]
    again = parse_invite_csv(text)
    assert [(r.name, r.email, r.external_id) for r in again][0] == ("Broken", "not-an-email", "A3")


@pytest.mark.django_db
def test_the_error_file_neutralises_formulas(remote_interview):
    preview = svc.bulk_invite_preview_from_csv(interview=remote_interview, csv_file="=HYPERLINK(1),nope\n")
    assert ",'=HYPERLINK(1)," in svc.bulk_invite_errors_file(preview)


@pytest.mark.django_db
def test_allowance_reads_merchant_status(sandbox):
    allowance = svc.invitation_allowance()
    assert allowance.invitations_limit == 400 and allowance.invitations_available == 400
    assert allowance.credits_available == 100.0 and not allowance.unlimited


@pytest.mark.django_db
def test_one_person_by_link_and_by_email(remote_interview, spy):
    linked = svc.invitation_send_one(interview=remote_interview, email="ana@example.com", name="Ana",
                                     external_id="A1", delivery="links", is_test=True)
    assert linked.delivery_state == "registered" and linked.interview_url.startswith("http")
    assert spy.bodies("job-interview-register-users")[0]["is_test"] is True
    emailed = svc.invitation_send_one(interview=remote_interview, email="tom@example.com", name="Tom",
                                      delivery="email", message_from_recruiter="Hi Tom")
    assert emailed.delivery_state == "invited"
    assert spy.bodies("invite-users")[0]["message_from_recruiter"] == "Hi Tom"


@pytest.mark.django_db
def test_state_counts_in_one_query(remote_interview, django_assert_num_queries):
    preview = svc.bulk_invite_preview_from_csv(interview=remote_interview, csv_file=SIX_ROWS)
    with django_assert_num_queries(1):
        counts = svc.bulk_invite_state_counts(preview)
    assert counts == {"pending": 4, "sending": 0, "sent": 0, "failed": 0, "invalid": 1, "duplicate": 1}


@pytest.mark.django_db
def test_a_run_that_takes_over_from_a_lost_worker_is_recorded(remote_interview, sandbox, settings):
    settings.MOJITO_BULK_LEASE_SECONDS = 60
    job = bulk.bulk_invite_create_from_csv(interview=remote_interview, csv_file="a@example.com\nb@example.com\n")
    long_ago = timezone.now() - dt.timedelta(minutes=10)
    BulkInviteRow.objects.filter(bulk=job, line_number=1).update(state=State.SENDING, attempts=1, updated_at=long_ago)
    BulkInvite.objects.filter(pk=job.pk).update(status=BulkInvite.Status.RUNNING, updated_at=long_ago)

    done = bulk.invitations_send_bulk(bulk_invite_id=job.pk)

    assert done.sent_count == 2 and done.resumed_count == 1 and done.resumed_at is not None
    again = bulk.invitations_send_bulk(bulk_invite_id=job.pk)
    assert again.resumed_count == 1  # a healthy second run is not a resume


@pytest.mark.django_db
def test_a_normal_run_is_not_a_resume(remote_interview, sandbox):
    job = bulk.bulk_invite_create_from_csv(interview=remote_interview, csv_file="a@example.com\n")
    assert bulk.invitations_send_bulk(bulk_invite_id=job.pk).resumed_count == 0
