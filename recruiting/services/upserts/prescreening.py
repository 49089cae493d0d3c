"""Upserts of pre-screenings and knowledge-base documents."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from recruiting.models import (
    Candidate,
    KnowledgeDocument,
    Position,
    PreScreening,
)

from ._base import (
    UpsertError,
    _bool,
    _finish,
    _float,
    _locked_upsert,
    _present,
    _raw_changes,
    _str,
)

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

