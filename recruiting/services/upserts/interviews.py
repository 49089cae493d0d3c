"""Upserts of avatar templates, positions and interviews (with their questions)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from recruiting.models import (
    Interview,
    InterviewTemplate,
    Position,
    Question,
)

from ._base import (
    UpsertError,
    _dt,
    _finish,
    _int,
    _locked_upsert,
    _present,
    _raw_changes,
    _str,
    _string_list,
)

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
            "is_without_scoring": bool(item.get("is_without_scoring")),
            "conditional_question_main_id": _str(item.get("conditional_question_main_id"), 64),
            "knowledge_base_id": _str(item.get("knowledge_base_id"), 64),
        })
    return rows


def _replace_questions(interview: Interview, questions: list | None) -> bool:
    if questions is None:
        return False
    rows = _question_rows(questions)
    fields = ["position", "text", "mojito_id", "is_multiple_choice", "alternatives", "duration", "external_id",
              "is_without_scoring", "conditional_question_main_id", "knowledge_base_id"]
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

