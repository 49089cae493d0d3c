"""The single way JobMojito payloads become rows: one upsert entry point per model.

Every path (webhook handlers, sync commands, admin re-sync, create services) calls these. Each
entry point locks the row it writes (``select_for_update`` inside ``transaction.atomic``) and, when
two workers insert the same remote id at once, retries after the loser's ``IntegrityError``, so
concurrent upserts leave one row. Payloads are tolerant: ``null`` anywhere, unknown keys kept in
``raw``; a key that is absent leaves the column as it is. Secrets (``embed_signing_key``) and
short-lived signed URLs are stripped from ``raw`` before it is saved.

Results are monotonic (see ``recruiting.models.results.result_state_rank``): an update of a lower
rank is ignored unless ``force=True`` (after "another attempt requested").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from mojito.vocabulary import ROW_ERROR_PREFIX, CandidateStatus
from recruiting.models import (
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
    normalise_email,
    result_state_rank,
)

SECRET_KEYS = frozenset({"embed_signing_key", "token", "api_key", "candidate_resume", "resume", "resume_text"})
# Short-lived signed URLs and bulky blobs are not kept in raw.
DROPPED_KEYS = frozenset({"recording_url", "video_introduction_url", "answer_assessment_raw_data"})
MAX_ATTEMPTS = 3


class UpsertError(ValueError):
    """A payload that cannot be stored (e.g. no remote id)."""


# --- helpers ----------------------------------------------------------------------------------


def strip_secrets(value: Any) -> Any:
    """A copy of a payload without secrets, résumé text, signed recording URLs or raw audio blobs."""
    if isinstance(value, dict):
        return {k: strip_secrets(v) for k, v in value.items() if k not in SECRET_KEYS and k not in DROPPED_KEYS}
    if isinstance(value, list):
        return [strip_secrets(v) for v in value]
    return value


def _str(value: Any, max_length: int | None = None) -> str:
    if value is None:
        return ""
    text = str(value)
    return text[:max_length] if max_length else text


def _int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(round(float(value)))
    except (TypeError, ValueError):
        return None


def _float(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _bool(value: Any) -> bool | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    return bool(value)


def _dt(value: Any) -> dt.datetime | None:
    if not value:
        return None
    if isinstance(value, dt.datetime):
        parsed = value
    else:
        try:
            parsed = parse_datetime(str(value).replace(" ", "T", 1) if " " in str(value)[:11] else str(value))
        except ValueError:
            return None
    if parsed is None:
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt.timezone.utc)
    return parsed


parse_remote_datetime = _dt  # public name for other services (ISO string from JobMojito -> aware datetime)


def _string_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value if v is not None and str(v).strip()]
    if isinstance(value, str):
        return [line.strip(" -•\t") for line in value.splitlines() if line.strip(" -•\t")]
    return [str(value)]


def _present(payload: dict, key: str) -> bool:
    return isinstance(payload, dict) and key in payload


def _apply(instance, values: dict[str, Any]) -> list[str]:
    """Set the attributes that differ; return the names of the changed fields."""
    changed = []
    for name, value in values.items():
        field = instance._meta.get_field(name)
        if field.is_relation:
            if getattr(instance, field.attname) != (value.pk if value is not None else None):
                setattr(instance, name, value)
                changed.append(name)
            continue
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def _locked_upsert(model, lookup: dict[str, Any], build: Callable[[Any, bool], list[str] | None]):
    """Lock or create the row matching ``lookup`` and let ``build(instance, created)`` fill it.

    ``build`` returns the changed field names (None = nothing to save). Safe under concurrency:
    the loser of an insert race gets IntegrityError, retries and then finds the winner's row.
    """
    last_exc: IntegrityError | None = None
    for _ in range(MAX_ATTEMPTS):
        try:
            with transaction.atomic():
                instance = model.objects.select_for_update().filter(**lookup).first()
                created = instance is None
                if created:
                    instance = model(**lookup)
                changed = build(instance, created)
                if instance._state.adding:
                    instance.save(force_insert=True)
                elif changed:
                    instance.save(update_fields=set(changed) | {"updated_at"})
                instance._upsert_created = created
                instance._upsert_changed = bool(created or changed)
                return instance
        except IntegrityError as exc:
            last_exc = exc
            continue
    assert last_exc is not None
    raise last_exc


def _raw_changes(instance, payload: dict, *, merge: bool = False) -> dict[str, Any]:
    raw = strip_secrets(payload or {})
    if merge and isinstance(instance.raw, dict):
        raw = {**instance.raw, **raw}
    return {"raw": raw}


def _finish(instance, values: dict[str, Any], created: bool) -> list[str] | None:
    changed = _apply(instance, values)
    if changed or created:
        instance.synced_at = timezone.now()
        changed.append("synced_at")
        return changed
    return None


# --- templates, positions, interviews ----------------------------------------------------------


def template_upsert_from_payload(payload: dict, *, mojito_id: str | None = None) -> InterviewTemplate:
    """Upsert an avatar template from a merchant-avatar-list row."""
    mojito_id = mojito_id or _str(payload.get("id") or payload.get("interview_template_id"))
    if not mojito_id:
        raise UpsertError("An avatar template payload needs `id` (interview_template_id).")

    def build(obj: InterviewTemplate, created: bool):
        values: dict[str, Any] = {}
        for field, key, n in (("name", "name", 255), ("type", "type", 32), ("status", "status", 16),
                              ("language", "mojito_language_code", 8),
                              ("voice_language_name", "video_voice_language_name", 120)):
            if _present(payload, key):
                values[field] = _str(payload[key], n)
        if _present(payload, "updated_at"):
            values["remote_updated_at"] = _dt(payload["updated_at"])
        values.update(_raw_changes(obj, payload))
        if "type" in values:
            from mojito.vocabulary import LEGACY_TEMPLATE_TYPES

            values["is_legacy"] = values["type"] in LEGACY_TEMPLATE_TYPES
        return _finish(obj, values, created)

    return _locked_upsert(InterviewTemplate, {"mojito_id": mojito_id}, build)


def _template_stub(mojito_id: str, template_type: str = "") -> InterviewTemplate:
    """The local template row for a remote id, created empty (to be filled by a template sync)."""
    try:
        return InterviewTemplate.objects.get(mojito_id=mojito_id)
    except InterviewTemplate.DoesNotExist:
        return template_upsert_from_payload({"id": mojito_id, **({"type": template_type} if template_type else {})})


def _position_stub(mojito_id: str) -> Position:
    try:
        return Position.objects.get(mojito_id=mojito_id)
    except Position.DoesNotExist:
        return position_upsert_from_payload({}, mojito_id=mojito_id)


def _interview_stub(mojito_id: str) -> Interview:
    try:
        return Interview.objects.get(mojito_id=mojito_id)
    except Interview.DoesNotExist:
        return _locked_upsert(Interview, {"mojito_id": mojito_id}, lambda obj, created: None)


def position_upsert_from_payload(payload: dict, *, mojito_id: str | None = None) -> Position:
    """Upsert a position from a pre-screening-create request/answer (request fields use the ``position_*`` names)."""
    payload = payload or {}
    mojito_id = mojito_id or _str(
        payload.get("position_def_set_id") or payload.get("update_position_def_set_id") or payload.get("id")
    )
    if not mojito_id:
        raise UpsertError("A position payload needs `position_def_set_id`.")

    def build(obj: Position, created: bool):
        values: dict[str, Any] = {}
        for field, keys, n in (
            ("name", ("position_name", "name"), 255),
            ("location", ("position_location", "location", "interview_location"), 255),
            ("country_code", ("position_country_code", "country_code"), 2),
            ("language", ("mojito_language_code",), 8),
            ("type", ("type",), 20),
            ("status", ("status",), 16),
            ("description", ("position_description", "description"), None),
            ("interview_pre_screening_id", ("interview_pre_screening_id",), 64),
        ):
            for key in keys:
                if _present(payload, key) and payload[key] is not None:
                    value = _str(payload[key], n)
                    values[field] = value.upper() if field == "country_code" else value
                    break
        for field in ("assessment_rules", "form_fields"):
            if _present(payload, field) and payload[field] is not None:
                values[field] = payload[field]
        if payload:
            values.update(_raw_changes(obj, payload, merge=True))
        return _finish(obj, values, created)

    return _locked_upsert(Position, {"mojito_id": mojito_id}, build)


def _question_rows(questions: Iterable[dict]) -> list[dict[str, Any]]:
    rows = []
    for index, item in enumerate(q for q in questions if isinstance(q, dict)):
        rows.append({
            "position": index,
            "text": _str(item.get("question")),
            "mojito_id": _str(item.get("id"), 64) or None,
            "is_multiple_choice": bool(item.get("is_multiple_choice")),
            "alternatives": _string_list(item.get("question_alternatives")),
            "duration": _int(item.get("duration")),
            "external_id": _str(item.get("external_id"), 128),
        })
    return rows


def _replace_questions(interview: Interview, questions: list | None) -> bool:
    if questions is None:
        return False
    rows = _question_rows(questions)
    fields = ["position", "text", "mojito_id", "is_multiple_choice", "alternatives", "duration", "external_id"]
    existing = list(interview.questions.order_by("position").values(*fields))
    if existing == rows:
        return False
    interview.questions.all().delete()
    Question.objects.bulk_create([Question(interview=interview, **row) for row in rows])
    return True


def interview_upsert_from_payload(
    payload: dict,
    *,
    mojito_id: str | None = None,
    creation_method: str | None = None,
    position: Position | None = None,
) -> Interview:
    """Upsert an interview from a job-interview-get response (``mojito_id`` = the position_id asked for).

    Also accepts create answers (``interview_def_set_id``, ``embed_id``, ``embed_signing_key``,
    ``questions_generated``) and merchant-interview-list rows (``id``). Questions, when the payload
    has them, replace the stored ones. The embed signing key is stored encrypted, never in ``raw``.
    """
    payload = payload or {}
    mojito_id = mojito_id or _str(
        payload.get("interview_def_set_id") or payload.get("position_id") or payload.get("id")
    )
    if not mojito_id:
        raise UpsertError("An interview payload needs its id (interview_def_set_id / position_id).")

    template = None
    template_id = _str(payload.get("interview_template_id"))
    if template_id:
        template = _template_stub(template_id, _str(payload.get("interview_template_type")))
    if position is None and payload.get("position_def_set_id"):
        position = _position_stub(_str(payload["position_def_set_id"]))
    creation = payload.get("creation_parameters") if isinstance(payload.get("creation_parameters"), dict) else {}

    def build(obj: Interview, created: bool):
        values: dict[str, Any] = {}
        for field, key, n in (
            ("name", "name", 255), ("status", "status", 16), ("type", "type", 24),
            ("visibility", "visibility", 24), ("language", "mojito_language_code", 8),
            ("location", "interview_location", 255), ("description", "description", None),
            ("template_type", "interview_template_type", 32), ("embed_id", "embed_id", 64),
        ):
            if _present(payload, key):
                values[field] = _str(payload[key], n)
        if "location" not in values and _present(payload, "location"):
            values["location"] = _str(payload["location"], 255)
        style = payload.get("interview_type") or creation.get("interview_type")
        if style:
            values["interview_style"] = _str(style, 48)
        seniority = payload.get("seniority_level") or creation.get("seniority_level")
        if seniority:
            values["seniority"] = _str(seniority, 16)
        if _present(payload, "max_duration"):
            values["max_duration"] = _int(payload["max_duration"])
        if _present(payload, "questions_generated"):
            values["questions_generated"] = _int(payload["questions_generated"])
        if _present(payload, "is_multistage"):
            values["is_multistage"] = bool(payload["is_multistage"])
        if _present(payload, "embed_signing_key"):
            values["embed_signing_key"] = _str(payload["embed_signing_key"])
        if _present(payload, "created_at"):
            values["remote_created_at"] = _dt(payload["created_at"])
        if _present(payload, "updated_at"):
            values["remote_updated_at"] = _dt(payload["updated_at"])
        if template_id:
            values["template"] = template
        if position is not None:
            values["position"] = position
        if creation_method and (created or not obj.creation_method):
            values["creation_method"] = creation_method
        if payload:
            values.update(_raw_changes(obj, payload, merge=True))
        changed = _finish(obj, values, created) or []
        if created:
            obj.save(force_insert=True)  # the questions need the row
        questions = payload.get("questions") if _present(payload, "questions") else None
        if _replace_questions(obj, questions) and not created and "synced_at" not in changed:
            obj.synced_at = timezone.now()
            changed.append("synced_at")
        return None if created else (changed or None)

    return _locked_upsert(Interview, {"mojito_id": mojito_id}, build)


# --- candidates and invitations -----------------------------------------------------------------


def candidate_upsert(
    *,
    email: str,
    name: str | None = None,
    external_id: str | None = None,
    linkedin_url: str | None = None,
    country_code: str | None = None,
    profile_id: str | None = None,
    raw: dict | None = None,
) -> Candidate:
    """The one Candidate for this email (trimmed, lower-cased), created or updated.

    ``None`` leaves a field as it is; an empty string never overwrites a known value.
    """
    normalised = normalise_email(email)
    if not normalised:
        raise UpsertError("A candidate needs an email.")

    def build(obj: Candidate, created: bool):
        values: dict[str, Any] = {}
        if created:
            values["email"] = email.strip()
        for field, value, n in (("name", name, 255), ("external_id", external_id, 128),
                                ("linkedin_url", linkedin_url, 500), ("country_code", country_code, 2)):
            if value:
                values[field] = _str(value, n).upper() if field == "country_code" else _str(value, n)
        if profile_id and obj.mojito_id != profile_id:
            if not Candidate.objects.filter(mojito_id=profile_id).exclude(pk=obj.pk).exists():
                values["mojito_id"] = _str(profile_id, 64)
        if raw is not None:
            values.update(_raw_changes(obj, raw, merge=True))
        return _finish(obj, values, created)

    return _locked_upsert(Candidate, {"normalised_email": normalised}, build)


def invitation_upsert(
    *,
    candidate: Candidate,
    interview: Interview,
    profile_interview_id: str | None = None,
    interview_url: str | None = None,
    status: str | None = None,
    delivery_state: str | None = None,
    last_error: str | None = None,
    sent_at: dt.datetime | None = None,
    send_email: bool | None = None,
    count_attempt: bool = False,
    payload: dict | None = None,
) -> Invitation:
    """The one Invitation of ``candidate`` to ``interview``, created or updated.

    ``payload`` is a register-users / invite-users / candidate-list row (stored in raw without the
    interview URL); explicit keyword arguments win over it. ``count_attempt`` adds one to attempts.
    """
    payload = payload or {}
    profile_interview_id = profile_interview_id or _str(payload.get("profile_interview_id")) or None
    if interview_url is None and payload.get("interview_url"):
        interview_url = _str(payload["interview_url"])
    row_result = _str(payload.get("result"))
    if delivery_state is None and row_result:
        if row_result.startswith(ROW_ERROR_PREFIX):
            delivery_state = Invitation.DeliveryState.FAILED
            last_error = last_error if last_error is not None else row_result[len(ROW_ERROR_PREFIX):]
        else:
            delivery_state = Invitation.DeliveryState.REGISTERED
    if status is None and payload.get("status") in CandidateStatus.values:
        status = payload["status"]

    def build(obj: Invitation, created: bool):
        values: dict[str, Any] = {}
        if profile_interview_id and obj.mojito_id != profile_interview_id:
            values["mojito_id"] = _str(profile_interview_id, 64)
        if interview_url:
            values["interview_url"] = interview_url
        for field, value in (("status", status), ("delivery_state", delivery_state),
                             ("last_error", last_error), ("sent_at", sent_at), ("send_email", send_email)):
            if value is not None:
                values[field] = value
        if count_attempt:
            values["attempts"] = obj.attempts + 1
        if payload:
            values.update(_raw_changes(obj, {k: v for k, v in payload.items() if k != "interview_url"}))
        return _finish(obj, values, created)

    return _locked_upsert(Invitation, {"candidate": candidate, "interview": interview}, build)


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


def _unwrap(payload: dict | None) -> dict:
    """Accept the legacy Supabase DB-webhook envelope ``{"table", "record": {...}}``."""
    payload = payload or {}
    if isinstance(payload.get("record"), dict) and "table" in payload:
        return payload["record"]
    return payload


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
    summary = _unwrap(payload)
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
        if interview is not None and (created or obj.interview_id != interview.pk):
            new_values["interview"] = interview
        if invitation is not None:
            new_values["invitation"] = invitation
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


# --- pre-screening, knowledge base ---------------------------------------------------------------


def prescreening_upsert_from_payload(
    payload: dict,
    *,
    position: Position,
    candidate: Candidate,
    source: str | None = None,
    file_name: str | None = None,
    instance: PreScreening | None = None,
) -> PreScreening:
    """Upsert a pre-screening from a resume-text / resume-binary answer (completed or early exit).

    Keyed by ``interview_result_pre_screening_id``; an early-exit answer (no id) updates
    ``instance`` when given, else creates a local row without a remote id. The résumé is never stored.
    """
    payload = payload or {}
    mojito_id = _str(payload.get("interview_result_pre_screening_id"), 64) or None

    def build(obj: PreScreening, created: bool):
        values: dict[str, Any] = {"position": position, "candidate": candidate}
        for field, key, n in (("profile_interview_id", "profile_interview_id", 64),
                              ("recommendation", "recommendation", 20),
                              ("decision_status", "decision_status", 24),
                              ("analysis", "resume_ai_analysis", None),
                              ("education", "resume_ai_education", None),
                              ("processing_reason", "processing_reason", None)):
            if _present(payload, key):
                values[field] = _str(payload[key], n)
        if not values.get("processing_reason") and payload.get("message"):
            values["processing_reason"] = _str(payload["message"])
        if _present(payload, "pre_screening_score"):
            values["score"] = _float(payload["pre_screening_score"])
        if _present(payload, "resume_ai_technical_experience"):
            values["technical_experience_years"] = _float(payload["resume_ai_technical_experience"])
        if _present(payload, "resume_ai_is_switching_profession"):
            values["is_switching_profession"] = _bool(payload["resume_ai_is_switching_profession"])
        if source is not None:
            values["source"] = source
        if file_name is not None:
            values["file_name"] = _str(file_name, 255)
        if mojito_id:
            values["mojito_id"] = mojito_id
        values.update(_raw_changes(obj, payload))
        return _finish(obj, values, created)

    if mojito_id:
        return _locked_upsert(PreScreening, {"mojito_id": mojito_id}, build)
    with transaction.atomic():
        obj = PreScreening.objects.select_for_update().get(pk=instance.pk) if instance and instance.pk else PreScreening()
        created = obj.pk is None
        changed = build(obj, created)
        if created or changed:
            obj.save()
        return obj


def knowledge_document_upsert_from_payload(
    payload: dict,
    *,
    store_id: str,
    name: str | None = None,
    size: int | None = None,
    content_type: str | None = None,
) -> KnowledgeDocument:
    """Upsert a knowledge-base document from a knowledge-base-document-upload answer."""
    mojito_id = _str((payload or {}).get("knowledge_base_id"), 64)
    if not mojito_id:
        raise UpsertError("An upload answer needs `knowledge_base_id`.")

    def build(obj: KnowledgeDocument, created: bool):
        values: dict[str, Any] = {"store_id": _str(store_id, 64)}
        if name is not None:
            values["name"] = _str(name, 255)
        if size is not None:
            values["size"] = size
        if content_type is not None:
            values["content_type"] = _str(content_type, 120)
        if created:
            values["uploaded_at"] = timezone.now()
        values.update(_raw_changes(obj, payload))
        return _finish(obj, values, created)

    return _locked_upsert(KnowledgeDocument, {"mojito_id": mojito_id}, build)


__all__ = [
    "UpsertError",
    "candidate_upsert",
    "interview_upsert_from_payload",
    "invitation_upsert",
    "knowledge_document_upsert_from_payload",
    "parse_remote_datetime",
    "position_upsert_from_payload",
    "prescreening_upsert_from_payload",
    "result_upsert_from_payload",
    "strip_secrets",
    "template_upsert_from_payload",
]
