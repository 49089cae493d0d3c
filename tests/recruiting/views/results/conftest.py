"""Fixtures of the results views: results in every state, and an interview the sandbox knows."""

import pytest
from django.utils import timezone

from mojito.vocabulary import CoachStatus, ProcessingStatus, ResultStatus
from recruiting.models import ResultReview, TranscriptRow, result_state_rank
from tests.recruiting.conftest import make_candidate, make_interview, make_invitation, make_result


def scored(**kw):
    return make_result(**kw)


def failed(**kw):
    kw.setdefault("status", ResultStatus.DRAFT)
    kw.setdefault("coach_status", CoachStatus.ABANDONED)
    kw.setdefault("processing_status", ProcessingStatus.NEW)
    kw.setdefault("score", None)
    return make_result(**kw)


def in_progress(**kw):
    kw.setdefault("status", ResultStatus.DRAFT)
    kw.setdefault("coach_status", CoachStatus.ONGOING)
    kw.setdefault("processing_status", ProcessingStatus.NEW)
    kw.setdefault("score", None)
    return make_result(**kw)


def with_transcript(result, n=2):
    for i in range(n):
        TranscriptRow.objects.create(result=result, position=i, is_answer=True, question=f"Question {i}?",
                                     answer=f"Answer {i}", score=4.0, ai_analysis_recruiter=f"Analysis {i}",
                                     duration_ds=300)
    return result


def decide(result, decision="advance", user=None, note=""):
    return ResultReview.objects.create(result=result, decision=decision, note=note, decided_by=user,
                                       decided_at=timezone.now())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MOJITO_REPORT_HOSTS = ["127.0.0.1"]
    return tmp_path


@pytest.fixture
def remote_interview(sandbox, db):
    from mojito.sandbox.seed import TEMPLATE_IDS
    from recruiting.services.interviews import interview_create_from_questions

    return interview_create_from_questions(
        name="Backend engineer", location="Remote", interview_template_id=TEMPLATE_IDS["interactive_heygen"],
        description="Python and Django.", questions=["Tell us about a system you built.", "How do you test?"],
        status="active", interview_attempts=3)


@pytest.fixture
def taken(remote_interview, sandbox):
    """take(outcome) -> the local result of a candidate who took the interview (submit or abandon)."""
    from recruiting.services import candidates
    from recruiting.services.results import result_sync

    def take(outcome="submit", email="taker@example.com"):
        invitation = candidates.candidates_register(interview=remote_interview, email=email, name="Taker")
        return result_sync(mojito_id=sandbox.complete(invitation.mojito_id, outcome=outcome))
    return take


__all__ = ["decide", "failed", "in_progress", "make_candidate", "make_interview", "make_invitation", "scored",
           "with_transcript", "result_state_rank"]


class FaultTransport:
    """Wraps the sandbox's transport; ``faults[endpoint]`` = a status with an optional field
    (``(422, "template")``), or ``"timeout"`` (the request reached JobMojito, no answer came back)."""

    def __init__(self, inner, faults):
        self.inner, self.faults = inner, dict(faults)

    def handle_request(self, request):
        import httpx

        endpoint = request.url.path.rsplit("/", 1)[-1]
        fault = self.faults.get(endpoint)
        if fault is None:
            return self.inner.handle_request(request)
        if fault == "timeout":
            raise httpx.ReadTimeout("injected: no answer", request=request)
        status, field = fault if isinstance(fault, tuple) else (fault, None)
        body = {"error": f"Injected {status} for {endpoint}."}
        if field:
            body["name"] = field
        return httpx.Response(status, json=body, request=request)

    def close(self):
        pass


@pytest.fixture
def inject(sandbox, settings):
    """inject(endpoint, fault): make the app's next calls to ``endpoint`` fail that way; inject("token")
    makes JobMojito refuse the token (401), inject("forbidden") answer 403, inject("5xx") fail every call."""
    from recruiting.services import client as client_service

    def apply(what, fault=None):
        config = sandbox.state.config
        if what == "token":
            config.tokens.pop(settings.MOJITO_API_TOKEN, None)
        elif what == "forbidden":
            config.tokens[settings.MOJITO_API_TOKEN] = {"role": "user"}
        elif what == "5xx":
            config.fault_rate, config.fault_kinds = 1.0, ("500",)
        elif what == "drop":
            config.fault_rate, config.fault_kinds = 1.0, ("drop",)
        else:
            client_service.use_transport(FaultTransport(sandbox.transport(), {what: fault}))
    settings.MOJITO_MAX_ATTEMPTS = 1
    from recruiting.services import client as cs
    cs.use_transport(sandbox.transport())  # rebuild the client with one attempt (no retry waits)
    return apply
