"""Registering, inviting, re-sending and minting links, against the in-process sandbox."""

import pytest

from mojito.errors import InvalidRequest
from recruiting.models import Candidate, Invitation
from recruiting.services import candidates as svc

pytestmark = pytest.mark.django_db


def _enrolments(sandbox, interview):
    return [e for e in sandbox.state.enrolments.values() if e["interview_id"] == interview.mojito_id]


def test_register_stores_enrolment_and_url(remote_interview, sandbox):
    invitation = svc.candidates_register(interview=remote_interview, email=" Grace@Example.com ", name="Grace Hopper",
                                         external_id="ats-1")

    assert invitation.delivery_state == Invitation.DeliveryState.REGISTERED
    assert invitation.mojito_id in sandbox.state.enrolments
    assert invitation.interview_url.startswith("http")
    assert invitation.attempts == 1 and invitation.last_error == ""
    assert invitation.candidate.normalised_email == "grace@example.com"
    assert "interview_url" not in invitation.raw
    assert len(_enrolments(sandbox, remote_interview)) == 1
    # The register-users row names no profile (spec): the person's JobMojito id comes with the result.
    assert invitation.candidate.mojito_id is None
    from recruiting.services.results import result_sync

    result = result_sync(mojito_id=sandbox.complete(invitation.mojito_id, outcome="submit"))
    result.candidate.refresh_from_db()
    assert result.candidate.mojito_id == sandbox.state.enrolments[invitation.mojito_id]["profile_id"]


def test_register_twice_is_one_enrolment(remote_interview, sandbox):
    first = svc.candidates_register(interview=remote_interview, email="a@example.com", name="A")
    second = svc.candidates_register(interview=remote_interview, email="A@example.com", name="A")
    assert first.pk == second.pk and first.mojito_id == second.mojito_id
    assert len(_enrolments(sandbox, remote_interview)) == 1
    assert Candidate.objects.count() == 1 and Invitation.objects.count() == 1


def test_register_row_error_is_a_failed_invitation_not_an_exception(remote_interview, sandbox, spy):
    spy.row_errors["b@example.com"] = "mailbox is on a blocklist"
    invitation = svc.candidates_register(interview=remote_interview, email="b@example.com", name="B")

    assert invitation.delivery_state == Invitation.DeliveryState.FAILED
    assert invitation.last_error == "mailbox is on a blocklist"
    assert invitation.mojito_id is None
    assert not _enrolments(sandbox, remote_interview)

    retried = svc.candidates_register(interview=remote_interview, email="b@example.com", name="B")
    assert retried.pk == invitation.pk
    assert retried.delivery_state == Invitation.DeliveryState.REGISTERED and retried.last_error == ""
    assert retried.attempts == 2
    assert len(_enrolments(sandbox, remote_interview)) == 1


def test_register_request_error_keeps_the_local_row_and_raises(sandbox, db):
    from tests.recruiting.conftest import make_interview

    ghost = make_interview()  # not known to the sandbox
    with pytest.raises(InvalidRequest) as exc:
        svc.candidates_register(interview=ghost, email="c@example.com", name="C")
    assert exc.value.field == "interview_id"
    invitation = Invitation.objects.get(interview=ghost)
    assert invitation.delivery_state == Invitation.DeliveryState.FAILED
    assert "not found" in invitation.last_error


def test_invite_stores_per_row_outcomes(remote_interview, sandbox):
    rows = svc.candidates_invite(interview=remote_interview, people=[
        {"email": "d@example.com", "name": "D"}, {"email": "e@example.com", "name": "E"}])

    assert [r.delivery_state for r in rows] == [Invitation.DeliveryState.INVITED] * 2
    assert all(r.mojito_id in sandbox.state.enrolments for r in rows)
    assert {sandbox.state.enrolments[r.mojito_id]["source"] for r in rows} == {"invited"}


def test_resend_invited_uses_force_invite(remote_interview, sandbox, spy):
    invitation = svc.candidates_invite(interview=remote_interview, people=[{"email": "f@example.com"}])[0]
    before = sandbox.state.enrolments[invitation.mojito_id]["invites_sent"]

    again = svc.invitation_resend(invitation=invitation)

    assert spy.bodies("invite-users")[-1]["force_invite"] is True
    assert sandbox.state.enrolments[invitation.mojito_id]["invites_sent"] == before + 1
    assert again.pk == invitation.pk and again.attempts == 2


def test_resend_registered_registers_again_with_email(remote_interview, sandbox, spy):
    invitation = svc.candidates_register(interview=remote_interview, email="g@example.com")
    again = svc.invitation_resend(invitation=invitation)
    assert spy.bodies("job-interview-register-users")[-1]["send_email"] is True
    assert again.mojito_id == invitation.mojito_id and again.send_email
    assert len(_enrolments(sandbox, remote_interview)) == 1


def test_mint_url_stores_a_fresh_link(remote_interview, sandbox):
    invitation = svc.candidates_register(interview=remote_interview, email="h@example.com")
    old = invitation.interview_url
    minted = svc.invitation_mint_url(invitation=invitation)
    assert minted.interview_url and minted.interview_url != old
    assert Invitation.objects.get(pk=invitation.pk).interview_url == minted.interview_url


def test_mint_url_needs_a_registered_invitation(remote_interview, sandbox):
    from tests.recruiting.conftest import make_candidate

    invitation = Invitation.objects.create(candidate=make_candidate(), interview=remote_interview)
    with pytest.raises(ValueError):
        svc.invitation_mint_url(invitation=invitation)
