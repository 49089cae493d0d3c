"""Every model of the recruiting domain (one module per resource family)."""

from .base import LocalFirstMojitoModel, MojitoModel, TimestampedModel
from .bulk import BulkInvite, BulkInviteRow
from .candidates import Candidate, Invitation, normalise_email
from .careers import Application, CareerPage
from .interviews import CreationMethod, Interview, Question
from .knowledge import KnowledgeDocument
from .prescreening import Position, PreScreening
from .results import InterviewResult, ResultRank, TranscriptRow, result_state_rank
from .reviews import AttemptRequest, ResultReview, ReviewDecision
from .templates import InterviewTemplate

__all__ = [
    "Application",
    "AttemptRequest",
    "CareerPage",
    "BulkInvite",
    "BulkInviteRow",
    "Candidate",
    "CreationMethod",
    "Interview",
    "InterviewResult",
    "InterviewTemplate",
    "Invitation",
    "KnowledgeDocument",
    "LocalFirstMojitoModel",
    "MojitoModel",
    "Position",
    "PreScreening",
    "Question",
    "ResultRank",
    "ResultReview",
    "ReviewDecision",
    "TimestampedModel",
    "TranscriptRow",
    "normalise_email",
    "result_state_rank",
]
