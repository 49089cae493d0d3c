"""``results_create_many``: new results of one reconcile page, stored with a fixed number of queries.

The same rows ``result_upsert_from_payload`` would create for results this app does not have yet
(a merchant-result-list row plus its job-interview-details), but reading and inserting each table
once per call: interviews (stubs created as needed), invitations by profile_interview_id,
candidates by email (created in bulk), invitations by candidate and interview, the results, their
transcript rows. Results that exist by now (a webhook raced the page), or a race on insert
(IntegrityError), are handed back for ``result_upsert_from_payload``, which settles them one by one.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from mojito.webhooks import unwrap_payload
from recruiting.models import Candidate, InterviewResult, Invitation, TranscriptRow, normalise_email, result_state_rank

from ._base import _str, strip_secrets
from ._bulk import bulk_insert_rows
from .candidates import Registration, _candidates_upsert_many
from .interviews import _interview_stub
from .results import _result_details_values, _result_summary_values, _transcript_rows, invitations_mark_started


def results_create_many(items: list[tuple[str, dict, dict | None]]) -> tuple[list[InterviewResult], list]:
    """Store ``(interview_result_id, list row, details)`` of results not stored yet. A result stored
    without its details is marked ``details_pending`` (``results_fetch_pending_details`` fills it).

    Returns (the results created, the items left for ``result_upsert_from_payload``: those stored
    meanwhile, those naming no interview, or all of them after a race on insert)."""
    if not items:
        return [], []
    try:
        with transaction.atomic():
            return _create(items)
    except IntegrityError:
        return [], list(items)


def _create(items) -> tuple[list[InterviewResult], list]:
    existing = set(InterviewResult.objects.filter(mojito_id__in=[m for m, _, _ in items])
                   .values_list("mojito_id", flat=True))
    late = [item for item in items if item[0] in existing]
    items = [item for item in items if item[0] not in existing]
    prepared = []
    for mojito_id, row, details in items:
        summary = unwrap_payload(row or {})
        values, interview_remote_id = _result_summary_values(summary)
        if details:
            values.update(_result_details_values(details))
        prepared.append((mojito_id, summary, details, values, interview_remote_id))

    interviews = {remote: _interview_stub(remote) for remote in {p[4] for p in prepared if p[4]}}
    pi_ids = {p[3]["profile_interview_id"] for p in prepared if p[3].get("profile_interview_id")}
    by_pi = {inv.mojito_id: inv for inv in Invitation.objects.filter(mojito_id__in=pi_ids).select_related("candidate")}
    wanted: dict[str, Registration] = {}
    for _, summary, _, values, _ in prepared:
        if by_pi.get(values.get("profile_interview_id")) is None and summary.get("candidate_email"):
            email = _str(summary["candidate_email"])
            if normalise_email(email):
                wanted.setdefault(normalise_email(email), Registration(
                    email=email, name=_str(summary.get("candidate_name")),
                    external_id=_str(summary.get("candidate_external_id") or summary.get("external_id")),
                    profile_id=_str(summary.get("profile_id")) or None))
    candidates: dict[str, Candidate] = _candidates_upsert_many(wanted) if wanted else {}
    pairs = {}
    if candidates:
        for inv in Invitation.objects.filter(candidate__in=list(candidates.values()),
                                             interview__in=[i for i in interviews.values() if i is not None]):
            pairs.setdefault((inv.candidate_id, inv.interview_id), inv)

    now = timezone.now()
    results, transcripts = [], []
    for mojito_id, summary, details, values, interview_remote_id in prepared:
        interview = interviews.get(interview_remote_id)
        if interview is None:
            late.append((mojito_id, summary, details))  # the one-row upsert reports what is missing
            continue
        invitation = by_pi.get(values.get("profile_interview_id"))
        candidate = invitation.candidate if invitation else None
        if candidate is None and summary.get("candidate_email"):
            candidate = candidates.get(normalise_email(_str(summary["candidate_email"])))
        if invitation is None and candidate is not None:
            invitation = pairs.get((candidate.pk, interview.pk))
        raw: dict[str, Any] = {}
        if summary:
            raw["payload"] = strip_secrets(summary)
        if details:
            raw["details"] = strip_secrets(details)
        result = InterviewResult(mojito_id=mojito_id, interview=interview, invitation=invitation, candidate=candidate,
                                 raw=raw, synced_at=now, details_pending=not details, **values)
        result.state_rank = result_state_rank(result.status, result.coach_status, result.processing_status)
        results.append(result)
        transcript = details.get("transcript") if details and "transcript" in details else None
        transcripts.append(_transcript_rows(transcript) if transcript else [])
    bulk_insert_rows(results)
    invitations_mark_started(invitation_pks=[r.invitation_id for r in results])
    bulk_insert_rows([TranscriptRow(result=result, **row) for result, rows in zip(results, transcripts) for row in rows])
    return results, late
