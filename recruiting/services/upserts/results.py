"""Upserts of interview results and their transcript rows; monotonic by state rank."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce, Now
from django.utils import timezone

from mojito.webhooks import unwrap_payload
from recruiting.models import (
    Interview,
    InterviewResult,
    Invitation,
    TranscriptRow,
    result_state_rank,
)

from ._base import (
    UpsertError,
    _apply,
    _bool,
    _dt,
    _float,
    _int,
    _locked_upsert,
    _present,
    _str,
    _string_list,
    strip_secrets,
)
from .candidates import candidate_upsert
from .interviews import _interview_stub

# --- results ----------------------------------------------------------------------------------


def _transcript_rows(transcript: Iterable[dict]) -> list[dict[str, Any]]:
    rows = []
    for index, item in enumerate(t for t in transcript if isinstance(t, dict)):
        rows.append({
            "position": index,
            "is_answer": bool(item.get("is_answer")),
            "question": _str(item.get("question_asked") or item.get("question_original")),
            "answer": _str(item.get("answer")),
            "score": _float(item.get("score")),
            "ai_analysis": _str(item.get("ai_analysis")),
            "ai_analysis_recruiter": _str(item.get("ai_analysis_recruiter")),
            "duration_ds": _int(item.get("duration")),
            "mojito_id": _str(item.get("id"), 64),
        })
    return rows


def _replace_transcript(result: InterviewResult, transcript: list | None) -> bool:
    if transcript is None:
        return False
    rows = _transcript_rows(transcript)
    fields = list(rows[0].keys()) if rows else ["position"]
    existing = list(result.transcript_rows.order_by("position").values(*fields)) if result.pk else []
    if existing == rows:
        return False
    result.transcript_rows.all().delete()
    TranscriptRow.objects.bulk_create([TranscriptRow(result=result, **row) for row in rows])
    return True


def _result_summary_values(summary: dict) -> tuple[dict[str, Any], str | None]:
    """Column values from a webhook payload or a merchant-result-list row, and the interview id."""
    values: dict[str, Any] = {}
    is_list_row = "interview_result_id" in summary or "definition_id" in summary
    interview_id = _str(summary.get("definition_id") if is_list_row else
                        (summary.get("interview_id") or summary.get("question_set_id"))) or None
    if _present(summary, "status"):
        values["status"] = _str(summary["status"], 16)
    coach_key = "coach_status" if is_list_row else "interview_status"
    if _present(summary, coach_key):
        values["coach_status"] = _str(summary[coach_key], 40)
    for field, key, n in (("processing_status", "processing_status", 16),
                          ("decision_status", "decision_status", 24),
                          ("profile_interview_id", "profile_interview_id", 64),
                          ("ai_analysis", "ai_analysis", None),
                          ("ai_analysis_recruiter", "ai_analysis_recruiter", None),
                          ("pdf_export_url", "pdf_export_url", 2000)):
        if _present(summary, key):
            values[field] = _str(summary[key], n)
    if _present(summary, "score"):
        values["score"] = _float(summary["score"])
    for key in ("ai_analysis_recruiter_score", "score_interview_ai"):
        if _present(summary, key):
            values["score_recruiter_ai"] = _float(summary[key])
    if _present(summary, "recruiter_go_next_round"):
        values["recruiter_go_next_round"] = _bool(summary["recruiter_go_next_round"])
    if _present(summary, "is_test"):
        values["is_test"] = bool(_bool(summary["is_test"]))
    if _present(summary, "duration_ds"):
        values["duration_ds"] = _int(summary["duration_ds"])
    if _present(summary, "updated_at"):
        values["remote_updated_at"] = _dt(summary["updated_at"])
    if _present(summary, "created_at"):
        values["remote_created_at"] = _dt(summary["created_at"])
    if _present(summary, "ai_analysis_recruiter_why_hire"):
        values["why_hire"] = _string_list(summary["ai_analysis_recruiter_why_hire"])
    if _present(summary, "ai_analysis_recruiter_why_not_hire"):
        values["why_not_hire"] = _string_list(summary["ai_analysis_recruiter_why_not_hire"])
    return values, interview_id


def _result_details_values(details: dict) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if _present(details, "status"):
        values["coach_status"] = _str(details["status"], 40)
    if _present(details, "score"):
        values["score"] = _float(details["score"])
    for field, key in (("ai_analysis", "ai_analysis"), ("ai_analysis_recruiter", "ai_analysis_recruiter")):
        if _present(details, key):
            values[field] = _str(details[key])
    if _present(details, "duration"):
        values["duration_ds"] = _int(details["duration"])
    if _present(details, "start"):
        values["started_at"] = _dt(details["start"])
    if _present(details, "end"):
        values["ended_at"] = _dt(details["end"])
    other = details.get("ai_analysis_other") if isinstance(details.get("ai_analysis_other"), dict) else {}
    reasons = other.get("hiring_reasons") if isinstance(other.get("hiring_reasons"), dict) else None
    if reasons is not None:
        values["why_hire"] = _string_list(reasons.get("reasons_to_hire"))
        values["why_not_hire"] = _string_list(reasons.get("reasons_not_to_hire"))
    else:
        if _present(details, "ai_analysis_recruiter_why_hire"):
            values["why_hire"] = _string_list(details["ai_analysis_recruiter_why_hire"])
        if _present(details, "ai_analysis_recruiter_why_not_hire"):
            values["why_not_hire"] = _string_list(details["ai_analysis_recruiter_why_not_hire"])
    return values


def invitations_mark_started(*, invitation_pks, when=None) -> int:
    """Record the start of those invitations that have none yet (a result arrived for them: the
    candidate took the interview): ``when``, or by default the earliest attempt among their stored
    results. One UPDATE; returns how many were marked. Keeps the overview's "invitations not
    started" a walk of the ``invitation_not_started`` index."""
    pks = {pk for pk in invitation_pks if pk is not None}
    if not pks:
        return 0
    if when is None:
        first = (InterviewResult.objects.filter(invitation=OuterRef("pk"), remote_created_at__isnull=False)
                 .order_by("remote_created_at")
                 .values("remote_created_at")[:1])
        when = Coalesce(Subquery(first), Now())
    return Invitation.objects.filter(pk__in=pks, started_at__isnull=True).update(started_at=when)


def result_upsert_from_payload(
    payload: dict | None = None,
    *,
    details: dict | None = None,
    mojito_id: str | None = None,
    interview: Interview | None = None,
    force: bool = False,
) -> InterviewResult:
    """Upsert one interview result; never moves it back to an earlier state unless ``force``.

    ``payload``: a webhook payload (3.5, legacy envelope accepted) or a merchant-result-list row.
    ``details``: a job-interview-details response (scores, analyses, timings, transcript; its
    ``status`` is the coach status). Either may be omitted; ``mojito_id`` (interview_result_id) is
    needed when ``payload`` does not carry it. Transcript rows are replaced when ``details`` has one.

    An update applies when its state rank is higher than the stored one, or equal with a newer
    remote ``updated_at`` (or, without a timestamp, with different content). ``force=True`` (after
    "another attempt requested") applies it whatever the rank.
    """
    summary = unwrap_payload(payload or {})
    details = details or None
    mojito_id = mojito_id or _str(summary.get("interview_result_id") or summary.get("id"))
    if not mojito_id:
        raise UpsertError("A result payload needs `id` / `interview_result_id` (or pass mojito_id=).")

    values, interview_remote_id = _result_summary_values(summary)
    if details:
        values.update(_result_details_values(details))
    if interview is None and interview_remote_id:
        interview = _interview_stub(interview_remote_id)

    invitation = None
    pi_id = values.get("profile_interview_id")
    if pi_id:
        invitation = Invitation.objects.filter(mojito_id=pi_id).select_related("candidate").first()
    candidate = invitation.candidate if invitation else None
    profile_id = _str(summary.get("profile_id")) or None
    if candidate is not None and profile_id and not candidate.mojito_id:
        # register-users answers name no profile: the person's JobMojito id arrives with a result.
        candidate = candidate_upsert(email=candidate.email, profile_id=profile_id)
    if candidate is None and summary.get("candidate_email"):
        candidate = candidate_upsert(
            email=_str(summary["candidate_email"]),
            name=_str(summary.get("candidate_name")) or None,
            external_id=_str(summary.get("candidate_external_id") or summary.get("external_id")) or None,
            profile_id=_str(summary.get("profile_id")) or None,
        )
    if invitation is None and candidate is not None and interview is not None:
        invitation = Invitation.objects.filter(candidate=candidate, interview=interview).first()

    raw_update: dict[str, Any] = {}
    if summary:
        raw_update["payload"] = strip_secrets(summary)
    if details:
        raw_update["details"] = strip_secrets(details)

    def build(obj: InterviewResult, created: bool):
        if created and interview is None:
            raise UpsertError(f"Result {mojito_id} is new and its payload names no interview.")
        merged_status = values.get("status", obj.status)
        merged_coach = values.get("coach_status", obj.coach_status)
        merged_processing = values.get("processing_status", obj.processing_status)
        new_rank = result_state_rank(merged_status, merged_coach, merged_processing)
        if not created and not force:
            if new_rank < obj.state_rank:
                return None
            if new_rank == obj.state_rank:
                incoming_ts = values.get("remote_updated_at")
                if incoming_ts and obj.remote_updated_at and incoming_ts < obj.remote_updated_at:
                    return None
        new_values = dict(values)
        new_values["state_rank"] = new_rank
        if details:
            new_values["details_pending"] = False
        if not new_values.get("remote_created_at"):
            # No created_at (a webhook): the attempt's start, else keep what we know, else its update time.
            taken = values.get("started_at") or (None if obj.remote_created_at else
                                                 values.get("remote_updated_at") or timezone.now())
            if taken:
                new_values["remote_created_at"] = taken
        if interview is not None and (created or obj.interview_id != interview.pk):
            new_values["interview"] = interview
        if invitation is not None:
            new_values["invitation"] = invitation
            if invitation.started_at is None:
                invitation.started_at = new_values.get("remote_created_at") or obj.remote_created_at or timezone.now()
                invitations_mark_started(invitation_pks=[invitation.pk], when=invitation.started_at)
        if candidate is not None:
            new_values["candidate"] = candidate
        if raw_update:
            new_values["raw"] = {**(obj.raw if isinstance(obj.raw, dict) else {}), **raw_update}
        changed = _apply(obj, new_values)
        if created:
            obj.synced_at = timezone.now()
            obj.save(force_insert=True)  # the transcript rows need the row
        transcript = details.get("transcript") if details and _present(details, "transcript") else None
        transcript_changed = _replace_transcript(obj, transcript)
        if created:
            return None
        if changed or transcript_changed:
            obj.synced_at = timezone.now()
            return sorted(set(changed) | {"synced_at"})
        return None

    return _locked_upsert(InterviewResult, {"mojito_id": mojito_id}, build)

