"""Upserts of candidates (one per normalised email) and invitations (candidate x interview)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from mojito.vocabulary import ROW_ERROR_PREFIX, CandidateStatus
from recruiting.models import (
    Candidate,
    Interview,
    Invitation,
    normalise_email,
)

from ._base import (
    UpsertError,
    _finish,
    _locked_upsert,
    _raw_changes,
    _str,
)

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

