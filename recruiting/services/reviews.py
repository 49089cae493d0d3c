"""The app's own review of a result (JobMojito has no endpoint to set a recruiter decision), and
another attempt for a candidate: asked by a recruiter, or automatically once after a failed attempt.

    result_review_set(result=r, decision="advance", note="Strong answers", user=request.user)
    result_request_retry(result=r, user=request.user)     # raises AttemptNotAllowed with the reason
    result_auto_retry(result=r)                            # after an interview_failed webhook
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from recruiting.models import AttemptRequest, InterviewResult, ResultReview, ReviewDecision
from recruiting.selectors.results import attempt_policy
from recruiting.services.candidates import invitation_resend
from recruiting.services.results import result_request_another_attempt

logger = logging.getLogger("recruiting.services.reviews")


class AttemptNotAllowed(Exception):
    """Another attempt does not apply to this result now; the message says why."""


def result_review_set(*, result: InterviewResult, decision: str, note: str = "", user=None) -> ResultReview:
    """Record (or change) the recruiter's decision on ``result``: who and when are set here."""
    if decision not in ReviewDecision.values:
        raise ValueError(f"Unknown review decision {decision!r}.")
    review, _ = ResultReview.objects.update_or_create(
        result=result, defaults={"decision": decision, "note": note.strip(), "decided_by": user,
                                 "decided_at": timezone.now()})
    return review


def result_review_clear(*, result: InterviewResult) -> None:
    ResultReview.objects.filter(result=result).delete()


def result_request_retry(*, result: InterviewResult, user=None, automatic: bool = False) -> AttemptRequest:
    """Give the candidate another attempt: JobMojito re-opens a submitted result; a failed or
    abandoned attempt gets the invitation sent again (a fresh link) while attempts remain."""
    result = (InterviewResult.objects.select_related("interview", "invitation__candidate", "invitation__interview")
              .get(pk=result.pk))
    requests = list(result.attempt_requests.all())
    policy = attempt_policy(result, requests)
    if not policy.allowed:
        raise AttemptNotAllowed(policy.reason)
    coach_status = result.coach_status
    if automatic:
        # Claim the one automatic request first, so two workers cannot both send.
        try:
            with transaction.atomic():
                request = AttemptRequest.objects.create(result=result, invitation=result.invitation,
                                                        kind=policy.kind, automatic=True, coach_status=coach_status)
        except IntegrityError:
            raise AttemptNotAllowed("Another attempt was already offered automatically to this candidate.") from None
        try:
            _send(result, policy.kind)
        except Exception:
            request.delete()
            raise
        return request
    _send(result, policy.kind)
    return AttemptRequest.objects.create(result=result, invitation=result.invitation, kind=policy.kind,
                                         requested_by=user, coach_status=coach_status)


def _send(result: InterviewResult, kind: str) -> None:
    if kind == AttemptRequest.Kind.REOPEN:
        result_request_another_attempt(result=result)
    else:
        invitation_resend(invitation=result.invitation)


def result_auto_retry(*, result: InterviewResult) -> AttemptRequest | None:
    """After a failed attempt: when the interview says so, offer another attempt once per candidate."""
    result = InterviewResult.objects.select_related("interview").get(pk=result.pk)
    if not result.interview.auto_retry_failed or result.invitation_id is None:
        return None
    if AttemptRequest.objects.filter(invitation_id=result.invitation_id, automatic=True).exists():
        return None
    policy = attempt_policy(result)
    if not policy.allowed or policy.kind != AttemptRequest.Kind.RESEND:
        return None
    try:
        return result_request_retry(result=result, automatic=True)
    except AttemptNotAllowed as exc:
        logger.info("No automatic attempt for result %s: %s", result.pk, exc)
        return None


def interview_set_auto_retry(*, interview, enabled: bool):
    """The interview's local setting: offer another attempt automatically after a failed one."""
    interview.auto_retry_failed = bool(enabled)
    interview.save(update_fields=["auto_retry_failed", "updated_at"])
    return interview
