"""Model factories for the recruiting tests: plain functions, keyword overrides, unique ids.

Import them where needed: ``from tests.recruiting.conftest import make_result``.
Each creates the rows it depends on unless you pass them in.
"""

from __future__ import annotations

import itertools
import uuid

import pytest
from django.utils import timezone

from mojito.vocabulary import (
    AvatarTemplateType,
    CoachStatus,
    InterviewStatus,
    InterviewType,
    ProcessingStatus,
    ResultStatus,
)
from recruiting.models import (
    BulkInvite,
    BulkInviteRow,
    Candidate,
    Interview,
    InterviewResult,
    InterviewTemplate,
    Invitation,
    KnowledgeDocument,
    Position,
    PreScreening,
    Question,
    TranscriptRow,
    result_state_rank,
)
from recruiting.services.upserts import invitations_mark_started

_seq = itertools.count(1)


def uid() -> str:
    """A fresh remote-looking id (uuid4 string)."""
    return str(uuid.uuid4())


def make_template(**kw) -> InterviewTemplate:
    n = next(_seq)
    kw.setdefault("mojito_id", uid())
    kw.setdefault("name", f"Avatar {n}")
    kw.setdefault("type", AvatarTemplateType.INTERACTIVE_HEYGEN)
    kw.setdefault("status", "active")
    kw.setdefault("language", "en")
    return InterviewTemplate.objects.create(**kw)


def make_position(**kw) -> Position:
    n = next(_seq)
    kw.setdefault("mojito_id", uid())
    kw.setdefault("name", f"Position {n}")
    kw.setdefault("location", "Remote")
    kw.setdefault("country_code", "US")
    kw.setdefault("language", "en")
    kw.setdefault("type", "resume")
    kw.setdefault("status", "active")
    return Position.objects.create(**kw)


def make_interview(**kw) -> Interview:
    n = next(_seq)
    kw.setdefault("mojito_id", uid())
    kw.setdefault("name", f"Interview {n}")
    kw.setdefault("status", InterviewStatus.ACTIVE)
    kw.setdefault("type", InterviewType.INTERVIEW)
    kw.setdefault("language", "en")
    kw.setdefault("remote_created_at", timezone.now())
    return Interview.objects.create(**kw)


def make_question(interview: Interview | None = None, **kw) -> Question:
    interview = interview or make_interview()
    kw.setdefault("position", interview.questions.count())
    kw.setdefault("text", f"Question {next(_seq)}?")
    return Question.objects.create(interview=interview, **kw)


def make_candidate(**kw) -> Candidate:
    n = next(_seq)
    kw.setdefault("email", f"candidate{n}@example.com")
    kw.setdefault("name", f"Candidate {n}")
    return Candidate.objects.create(**kw)


def make_invitation(candidate: Candidate | None = None, interview: Interview | None = None, **kw) -> Invitation:
    kw.setdefault("mojito_id", uid())
    kw.setdefault("interview_url", f"https://try.interviewmojito.com/i/{uid()}")
    kw.setdefault("delivery_state", Invitation.DeliveryState.REGISTERED)
    return Invitation.objects.create(
        candidate=candidate or make_candidate(), interview=interview or make_interview(), **kw
    )


def make_result(interview: Interview | None = None, *, invitation: Invitation | None = None, **kw) -> InterviewResult:
    if invitation is not None:
        interview = interview or invitation.interview
        kw.setdefault("candidate", invitation.candidate)
        kw.setdefault("profile_interview_id", invitation.mojito_id or "")
    kw.setdefault("mojito_id", uid())
    kw.setdefault("status", ResultStatus.ACTIVE)
    kw.setdefault("coach_status", CoachStatus.COMPLETED)
    kw.setdefault("processing_status", ProcessingStatus.COMPLETED)
    kw.setdefault("state_rank", result_state_rank(kw["status"], kw["coach_status"], kw["processing_status"]))
    kw.setdefault("score", 7.5)
    kw.setdefault("remote_updated_at", timezone.now())
    kw.setdefault("remote_created_at", kw["remote_updated_at"])  # when the attempt happened at JobMojito
    result = InterviewResult.objects.create(interview=interview or make_interview(), invitation=invitation, **kw)
    if invitation is not None:  # as the upserts do: a result starts its invitation
        invitations_mark_started(invitation_pks=[invitation.pk])
        invitation.refresh_from_db(fields=["started_at"])
    return result


def make_transcript_row(result: InterviewResult | None = None, **kw) -> TranscriptRow:
    result = result or make_result()
    kw.setdefault("position", result.transcript_rows.count())
    kw.setdefault("question", "Tell me about yourself.")
    kw.setdefault("answer", "I build things.")
    kw.setdefault("is_answer", True)
    return TranscriptRow.objects.create(result=result, **kw)


def make_prescreening(position: Position | None = None, candidate: Candidate | None = None, **kw) -> PreScreening:
    kw.setdefault("mojito_id", uid())
    kw.setdefault("recommendation", "ai_accept")
    kw.setdefault("decision_status", "ai_accept")
    kw.setdefault("score", 8.0)
    return PreScreening.objects.create(
        position=position or make_position(), candidate=candidate or make_candidate(), **kw
    )


def make_knowledge_document(**kw) -> KnowledgeDocument:
    kw.setdefault("mojito_id", uid())
    kw.setdefault("store_id", uid())
    kw.setdefault("name", f"handbook-{next(_seq)}.pdf")
    kw.setdefault("uploaded_at", timezone.now())
    return KnowledgeDocument.objects.create(**kw)


def make_bulk_invite(interview: Interview | None = None, **kw) -> BulkInvite:
    kw.setdefault("source_file_name", "candidates.csv")
    return BulkInvite.objects.create(interview=interview or make_interview(), **kw)


def make_bulk_row(bulk: BulkInvite | None = None, **kw) -> BulkInviteRow:
    bulk = bulk or make_bulk_invite()
    n = next(_seq)
    kw.setdefault("line_number", n)
    kw.setdefault("email", f"row{n}@example.com")
    kw.setdefault("normalised_email", kw["email"].strip().lower())
    kw.setdefault("name", f"Row {n}")
    return BulkInviteRow.objects.create(bulk=bulk, **kw)


@pytest.fixture
def fernet_keys(settings):
    """Two fresh Fernet keys; FIELD_ENCRYPTION_KEYS set to the first one."""
    from cryptography.fernet import Fernet

    keys = [Fernet.generate_key().decode(), Fernet.generate_key().decode()]
    settings.FIELD_ENCRYPTION_KEYS = [keys[0]]
    return keys
