"""Pre-screening: positions (pre-screening-create, create or update) and résumé screenings.

The résumé is sent to JobMojito and never stored here. An early-exit answer (the candidate is not
in the screenable state, e.g. already screened) is stored as its ``decision_status`` and message,
not raised. Files are checked locally first: size (``settings.RESUME_MAX_BYTES``) and extension.
"""

from __future__ import annotations

import mimetypes
import os

from django.conf import settings
from django.core.exceptions import ValidationError

from mojito.vocabulary import PreScreeningStatus, PreScreeningType
from recruiting.models import Position, PreScreening
from recruiting.services.client import get_client
from recruiting.services.upserts import candidate_upsert, position_upsert_from_payload, prescreening_upsert_from_payload

RESUME_EXTENSIONS = ("pdf", "doc", "docx", "txt", "rtf", "odt")


def position_upsert(*, position: Position | None = None, name: str | None = None, location: str | None = None,
                    country_code: str | None = None, mojito_language_code: str | None = None,
                    type: str | None = None, status: str | None = None,  # noqa: A002
                    description: str | None = None, description_long: str | None = None,
                    assessment_rules: list | None = None, form_fields: list | None = None,
                    candidate_expectations: str | None = None, **extra) -> Position:
    """pre-screening-create: create a position (``position`` None) or update it -> Position."""
    fields = {
        "update_position_def_set_id": position.mojito_id if position else None,
        "position_name": name, "position_location": location,
        "position_country_code": country_code.upper() if country_code else None,
        "mojito_language_code": mojito_language_code,
        "type": type or (None if position else PreScreeningType.RESUME),
        "status": status, "position_description": description, "position_description_long": description_long,
        "assessment_rules": assessment_rules, "form_fields": form_fields,
        "candidate_expectations": candidate_expectations, **extra,
    }
    fields = {k: v for k, v in fields.items() if v is not None}
    answer = get_client().upsert_pre_screening(**fields)
    position_id = answer.get("position_def_set_id") or (position.mojito_id if position else None)
    if not position_id:
        from mojito.errors import MojitoAPIError

        raise MojitoAPIError("JobMojito returned no position_def_set_id.", status_code=200,
                             endpoint="pre-screening-create")
    payload = {k: v for k, v in fields.items() if k != "update_position_def_set_id"}
    if status is None and position is None:
        payload["status"] = PreScreeningStatus.DRAFT
    return position_upsert_from_payload({**payload, **{k: v for k, v in answer.items() if v is not None}},
                                        mojito_id=position_id)


def prescreening_run_text(*, position: Position, name: str, email: str, resume_text: str,
                          country_code: str | None = None, external_id: str | None = None,
                          linkedin_url: str | None = None, form: dict | None = None) -> PreScreening:
    """Screen a plaintext résumé against ``position`` -> PreScreening (decision, score, analysis)."""
    if not (resume_text or "").strip():
        raise ValidationError("The résumé is empty.", code="empty")
    candidate = candidate_upsert(email=email, name=name, external_id=external_id, linkedin_url=linkedin_url,
                                 country_code=country_code)
    fields = {"position_id": position.mojito_id, "candidate_name": name, "candidate_email": email.strip(),
              "candidate_resume": resume_text, "candidate_country_code": country_code,
              "candidate_external_id": external_id, "candidate_linkedin_url": linkedin_url, "form": form}
    answer = get_client().pre_screen_resume_text(**{k: v for k, v in fields.items() if v is not None})
    return prescreening_upsert_from_payload(answer, position=position, candidate=candidate,
                                            source=PreScreening.Source.TEXT)


def validate_resume_file(*, filename: str, size: int | None) -> str:
    """Raise ValidationError unless the file is an allowed résumé type within the size limit."""
    ext = os.path.splitext(filename or "")[1].lower().lstrip(".")
    if ext not in RESUME_EXTENSIONS:
        raise ValidationError(
            f"Résumés must be one of: {', '.join(RESUME_EXTENSIONS)} (got {ext or 'no extension'}).",
            code="extension")
    limit = int(settings.RESUME_MAX_BYTES)
    if size is None:
        return ext
    if size > limit:
        raise ValidationError(f"The résumé is {size} bytes; the limit is {limit} bytes.", code="too_large")
    if size == 0:
        raise ValidationError("The résumé file is empty.", code="empty")
    return ext


def _read(file, limit: int) -> bytes:
    if isinstance(file, (bytes, bytearray)):
        return bytes(file)
    if hasattr(file, "seek"):
        file.seek(0)
    return file.read(limit + 1)


def prescreening_run_file(*, position: Position, name: str, email: str, file, filename: str | None = None,
                          country_code: str | None = None, external_id: str | None = None,
                          linkedin_url: str | None = None, form: dict | None = None) -> PreScreening:
    """Screen a résumé file (bytes or an uploaded file) -> PreScreening."""
    filename = filename or os.path.basename(getattr(file, "name", "") or "")
    validate_resume_file(filename=filename, size=getattr(file, "size", None))  # before reading it
    data = _read(file, int(settings.RESUME_MAX_BYTES))
    validate_resume_file(filename=filename, size=len(data))
    candidate = candidate_upsert(email=email, name=name, external_id=external_id, linkedin_url=linkedin_url,
                                 country_code=country_code)
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    extra = {"candidate_country_code": country_code, "candidate_external_id": external_id,
             "candidate_linkedin_url": linkedin_url}
    answer = get_client().pre_screen_resume_binary(
        position_id=position.mojito_id, candidate_name=name, candidate_email=email.strip(), file=data,
        filename=filename, content_type=content_type, form=form,
        **{k: v for k, v in extra.items() if v is not None})
    return prescreening_upsert_from_payload(answer, position=position, candidate=candidate,
                                            source=PreScreening.Source.FILE, file_name=filename)
