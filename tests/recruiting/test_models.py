import pytest
from django.db import IntegrityError, transaction

from mojito.vocabulary import CoachStatus, ProcessingStatus, ResultStatus
from recruiting.models import BulkInviteRow, Candidate, ResultRank, normalise_email, result_state_rank

from .conftest import (
    make_bulk_invite,
    make_bulk_row,
    make_candidate,
    make_interview,
    make_invitation,
    make_position,
    make_result,
    make_template,
)

pytestmark = pytest.mark.django_db


def test_normalise_email_trims_and_lowercases():
    assert normalise_email("  Ada.Lovelace@Example.COM \n") == "ada.lovelace@example.com"
    assert normalise_email(None) == ""


def test_candidate_normalised_email_is_set_on_save():
    candidate = make_candidate(email=" Ada@Example.com ")
    assert candidate.normalised_email == "ada@example.com"


def test_duplicate_normalised_email_rejected():
    make_candidate(email="ada@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_candidate(email="  ADA@example.COM")
    assert Candidate.objects.count() == 1


def test_duplicate_invitation_rejected():
    invitation = make_invitation()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_invitation(candidate=invitation.candidate, interview=invitation.interview)


def test_invitation_profile_interview_id_is_optional_but_unique():
    make_invitation(mojito_id=None)
    make_invitation(mojito_id=None)  # several local-only invitations are fine
    first = make_invitation(mojito_id="pi-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_invitation(mojito_id=first.profile_interview_id)


@pytest.mark.parametrize("factory", [make_interview, make_template, make_position, make_result])
def test_mojito_ids_are_unique(factory):
    obj = factory()
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(mojito_id=obj.mojito_id)


def test_candidate_profile_id_alias():
    candidate = make_candidate(profile_id="prof-1")
    assert candidate.mojito_id == "prof-1" and candidate.profile_id == "prof-1"


def test_bulk_rows_unique_email_except_duplicates_and_invalid():
    bulk = make_bulk_invite()
    make_bulk_row(bulk, email="a@example.com")
    make_bulk_row(bulk, email="a@example.com", state=BulkInviteRow.State.DUPLICATE)
    make_bulk_row(bulk, email="", state=BulkInviteRow.State.INVALID)
    make_bulk_row(bulk, email="", state=BulkInviteRow.State.INVALID)
    make_bulk_row(make_bulk_invite(), email="a@example.com")  # another job
    with pytest.raises(IntegrityError), transaction.atomic():
        make_bulk_row(bulk, email="a@example.com")


def test_template_legacy_flag_follows_type():
    assert make_template(type="offline_elai").is_legacy
    assert not make_template(type="interactive_heygen").is_legacy


@pytest.mark.parametrize(
    "status,coach,processing,rank",
    [
        (ResultStatus.DRAFT, CoachStatus.ONGOING, None, ResultRank.ONGOING),
        (ResultStatus.DRAFT, CoachStatus.STARTED, ProcessingStatus.NEW, ResultRank.ONGOING),
        (ResultStatus.DRAFT, CoachStatus.COMPLETED, None, ResultRank.COLLECTED),
        (ResultStatus.DRAFT, CoachStatus.COMPLETED_STOPPED_EARLY, None, ResultRank.COLLECTED),
        (ResultStatus.ACTIVE, CoachStatus.COMPLETED, ProcessingStatus.PROCESSING, ResultRank.PROCESSING),
        (ResultStatus.ACTIVE, CoachStatus.COMPLETED, ProcessingStatus.COMPLETED, ResultRank.FINAL),
        (ResultStatus.DRAFT, CoachStatus.ABANDONED, None, ResultRank.FINAL),
        (ResultStatus.DRAFT, CoachStatus.TERMINATED_NO_SPEECH, None, ResultRank.FINAL),
        (ResultStatus.ARCHIVED, CoachStatus.COMPLETED, ProcessingStatus.COMPLETED, ResultRank.ARCHIVED),
        (None, None, None, ResultRank.UNKNOWN),
    ],
)
def test_result_state_rank(status, coach, processing, rank):
    assert result_state_rank(status, coach, processing) == rank


def test_reprs_hold_no_secrets():
    interview = make_interview(embed_id="emb-1", embed_signing_key="s3cret-signing-key")
    invitation = make_invitation(interview=interview, interview_url="https://x/one-time-token")
    for obj in (interview, invitation):
        assert "s3cret" not in str(obj) and "s3cret" not in repr(obj)
        assert "one-time-token" not in str(obj) and "one-time-token" not in repr(obj)
    assert interview.is_embedded
