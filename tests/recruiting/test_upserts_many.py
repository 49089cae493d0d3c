"""registrations_upsert: many register-users rows stored at once, the same outcome as one by one."""

import datetime as dt
from unittest import mock

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from recruiting.models import Candidate, Invitation
from recruiting.services.upserts import Registration, registrations_upsert
from recruiting.services.upserts import candidates as upserts

from .conftest import make_candidate, make_interview, uid

pytestmark = pytest.mark.django_db


def _row(i: int, **kw) -> Registration:
    kw.setdefault("profile_id", uid())
    kw.setdefault("profile_interview_id", uid())
    kw.setdefault("interview_url", f"https://interview.example/{i}")
    return Registration(email=kw.pop("email", f"Person{i}@Example.com "), name=kw.pop("name", f"Person {i}"),
                        payload={"result": "ok", "profile_interview_id": kw["profile_interview_id"],
                                 "interview_url": kw["interview_url"], "token": "secret"}, **kw)


def test_new_people_get_a_candidate_and_an_invitation_each():
    interview = make_interview()
    sent_at = timezone.now()
    rows = [_row(i) for i in range(5)]
    out = registrations_upsert(interview=interview, registrations=rows, send_email=True, sent_at=sent_at)
    assert sorted(out) == [f"person{i}@example.com" for i in range(5)]
    invitation = Invitation.objects.select_related("candidate").get(pk=out["person3@example.com"].pk)
    assert invitation.candidate.email == "Person3@Example.com" and invitation.candidate.normalised_email == "person3@example.com"
    assert invitation.candidate.mojito_id == rows[3].profile_id and invitation.candidate.name == "Person 3"
    assert (invitation.mojito_id, invitation.interview_url, invitation.delivery_state, invitation.attempts) == (
        rows[3].profile_interview_id, rows[3].interview_url, "registered", 1)
    assert invitation.send_email and invitation.sent_at == sent_at and invitation.synced_at is not None
    assert "interview_url" not in invitation.raw and "token" not in invitation.raw  # secrets stay out of raw


def test_known_people_are_updated_and_a_taken_profile_id_is_left_alone():
    interview = make_interview()
    known = make_candidate(email="known@example.com", name="")
    owner = make_candidate(email="owner@example.com", mojito_id=uid())
    Invitation.objects.create(candidate=known, interview=interview, attempts=2, delivery_state="failed",
                              last_error="boom")
    rows = [_row(1, email="KNOWN@example.com", name="Known Person"),
            _row(2, email="other@example.com", profile_id=owner.mojito_id)]
    registrations_upsert(interview=interview, registrations=rows, send_email=False, sent_at=timezone.now())
    known.refresh_from_db()
    assert known.name == "Known Person" and known.mojito_id == rows[0].profile_id
    invitation = Invitation.objects.get(candidate=known, interview=interview)
    assert (invitation.attempts, invitation.delivery_state, invitation.last_error) == (3, "registered", "")
    other = Candidate.objects.get(normalised_email="other@example.com")
    assert other.mojito_id is None  # the profile id belongs to someone else already
    assert Candidate.objects.count() == 3 and Invitation.objects.count() == 2


def test_the_query_count_does_not_grow_with_the_rows():
    interview = make_interview()

    def queries(n: int, prefix: str) -> int:
        rows = [_row(i, email=f"{prefix}{i}@example.com") for i in range(n)]
        with CaptureQueriesContext(connection) as captured:
            registrations_upsert(interview=interview, registrations=rows, send_email=False, sent_at=timezone.now())
        return len(captured)

    assert queries(2, "a") == queries(40, "b")


def test_a_race_on_insert_falls_back_to_the_one_row_upserts():
    interview = make_interview()
    rows = [_row(i) for i in range(3)]
    with mock.patch.object(upserts, "_invitations_upsert_many", side_effect=IntegrityError("raced")):
        out = registrations_upsert(interview=interview, registrations=rows, send_email=False,
                                   sent_at=timezone.now() - dt.timedelta(seconds=1))
    assert len(out) == 3 and Candidate.objects.count() == 3
    assert set(Invitation.objects.values_list("delivery_state", "attempts")) == {("registered", 1)}
