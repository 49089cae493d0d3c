"""Helpers shared by the upsert entry points: value coercion, locked upserts, secret stripping."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

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


def parse_remote_datetime(value: Any) -> dt.datetime | None:
    """A timestamp from JobMojito (ISO 8601, or with a space before the time) -> aware datetime (UTC
    when it names no zone); None when empty or unparsable. The one parser every service uses."""
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


_dt = parse_remote_datetime


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


def _finish(instance, values: dict[str, Any], created: bool, *, now: dt.datetime | None = None) -> list[str] | None:
    changed = _apply(instance, values)
    if changed or created:
        instance.synced_at = now or timezone.now()
        changed.append("synced_at")
        return changed
    return None

