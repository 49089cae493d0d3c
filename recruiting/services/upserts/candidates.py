"""Upserts of candidates (one per normalised email) and invitations (candidate x interview)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from mojito.vocabulary import ROW_ERROR_PREFIX, CandidateStatus
from recruiting.models import (
    Candidate,
    Interview,
    Invitation,
    normalise_email,
)

from ._bulk import bulk_insert_rows, bulk_update_rows, instance_maker, select_rows
from ._base import (
    UpsertError,
    _finish,
    _locked_upsert,
    _raw_changes,
    _str,
)

_CANDIDATE_STATUSES = frozenset(CandidateStatus.values)  # the enum builds its list on every access

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
    if status is None and payload.get("status") in _CANDIDATE_STATUSES:
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



# --- many registrations at once (the bulk-invite engine) ----------------------------------------


@dataclass
class Registration:
    """One register-users row that came back ok, as the bulk engine stores it."""

    email: str
    name: str = ""
    external_id: str = ""
    profile_id: str | None = None
    profile_interview_id: str | None = None
    interview_url: str = ""
    payload: dict = field(default_factory=dict)


def registrations_upsert(*, interview: Interview, registrations: list[Registration], send_email: bool,
                         sent_at: dt.datetime) -> dict[str, Invitation]:
    """Store many successful registrations with a constant number of queries -> {normalised email: Invitation}.

    The same outcome as ``candidate_upsert`` + ``invitation_upsert(delivery_state=registered,
    count_attempt=True)`` per row, but reading, inserting and updating each table once per call
    (rows locked with SELECT ... FOR UPDATE where the database has it). When a concurrent writer
    inserted one of these people first (IntegrityError), the batch is rolled back to its savepoint
    and every row goes through the one-row upserts, which settle the race.
    """
    wanted: dict[str, Registration] = {}
    for registration in registrations:
        normalised = normalise_email(registration.email)
        if not normalised:
            raise UpsertError("A candidate needs an email.")
        wanted.setdefault(normalised, registration)
    if not wanted:
        return {}
    try:
        with transaction.atomic():
            candidates = _candidates_upsert_many(wanted)
            return _invitations_upsert_many(interview, wanted, candidates, send_email=send_email, sent_at=sent_at)
    except IntegrityError:
        return _registrations_one_by_one(interview, wanted, send_email=send_email, sent_at=sent_at)


class _Batch:
    """The rows one bulk upsert creates and changes, written with one INSERT and one UPDATE."""

    def __init__(self):
        self.now = timezone.now()
        self.created, self.changed, self.fields = [], [], set()

    def add(self, obj, values: dict[str, Any], is_new: bool) -> None:
        """A new row takes ``values`` as they are (nothing to compare them with); a known one only
        the ones that differ, and is written only if some did. Both are stamped synced."""
        if is_new:
            for name, value in values.items():
                setattr(obj, name, value)
            obj.synced_at = self.now
            self.created.append(obj)
            return
        changed_fields = _finish(obj, values, False, now=self.now)
        if changed_fields:
            obj.updated_at = self.now
            self.fields.update(changed_fields)
            self.changed.append(obj)

    def write(self, model) -> None:
        if self.created:
            bulk_insert_rows(self.created)
        if self.changed:
            bulk_update_rows(self.changed, sorted(self.fields | {"updated_at"}))


def _candidates_upsert_many(wanted: dict[str, Registration]) -> dict[str, Candidate]:
    existing = {c.normalised_email: c for c in select_rows(Candidate, {}, within=("normalised_email", list(wanted)),
                                                            lock=True)}
    profile_ids = {r.profile_id for r in wanted.values() if r.profile_id}
    owners = dict(Candidate.objects.filter(mojito_id__in=profile_ids).values_list("mojito_id", "normalised_email")) \
        if profile_ids else {}
    batch = _Batch()
    make = instance_maker(Candidate)
    for normalised, registration in wanted.items():
        candidate = existing.get(normalised)
        is_new = candidate is None
        if is_new:
            candidate = make(email=registration.email.strip(), normalised_email=normalised)
        values: dict[str, Any] = {}
        for name, value, n in (("name", registration.name, 255), ("external_id", registration.external_id, 128)):
            if value:
                values[name] = _str(value, n)
        profile_id = _str(registration.profile_id, 64)
        if profile_id and candidate.mojito_id != profile_id and owners.get(profile_id, normalised) == normalised:
            values["mojito_id"] = profile_id
            owners[profile_id] = normalised  # never hand one profile id to two people of this batch
        batch.add(candidate, values, is_new)
        existing[normalised] = candidate
    batch.write(Candidate)
    return existing


def _invitations_upsert_many(interview: Interview, wanted: dict[str, Registration], candidates: dict[str, Candidate],
                             *, send_email: bool, sent_at: dt.datetime) -> dict[str, Invitation]:
    by_candidate = {inv.candidate_id: inv for inv in select_rows(
        Invitation, {"interview_id": interview.pk}, within=("candidate_id", [c.pk for c in candidates.values()]),
        lock=True)}
    batch, out = _Batch(), {}
    make = instance_maker(Invitation)
    for normalised, registration in wanted.items():
        candidate = candidates[normalised]
        invitation = by_candidate.get(candidate.pk)
        is_new = invitation is None
        if is_new:
            invitation = make(candidate=candidate, interview=interview)
        else:
            invitation.candidate = candidate
        payload = registration.payload or {}
        profile_interview_id = _str(registration.profile_interview_id or payload.get("profile_interview_id"), 64)
        values: dict[str, Any] = {"delivery_state": Invitation.DeliveryState.REGISTERED, "last_error": "",
                                  "sent_at": sent_at, "send_email": send_email, "attempts": invitation.attempts + 1}
        if profile_interview_id and invitation.mojito_id != profile_interview_id:
            values["mojito_id"] = profile_interview_id
        url = registration.interview_url or _str(payload.get("interview_url"))
        if url:
            values["interview_url"] = url
        if payload.get("status") in _CANDIDATE_STATUSES:
            values["status"] = payload["status"]
        if payload:
            values.update(_raw_changes(invitation, {k: v for k, v in payload.items() if k != "interview_url"}))
        batch.add(invitation, values, is_new)
        out[normalised] = invitation
    batch.write(Invitation)
    return out


def _registrations_one_by_one(interview: Interview, wanted: dict[str, Registration], *, send_email: bool,
                              sent_at: dt.datetime) -> dict[str, Invitation]:
    out = {}
    for normalised, registration in wanted.items():
        with transaction.atomic():
            candidate = candidate_upsert(email=registration.email.strip(), name=registration.name or None,
                                         external_id=registration.external_id or None,
                                         profile_id=registration.profile_id)
            out[normalised] = invitation_upsert(
                candidate=candidate, interview=interview, payload=registration.payload,
                profile_interview_id=registration.profile_interview_id,
                interview_url=registration.interview_url or None, delivery_state=Invitation.DeliveryState.REGISTERED,
                last_error="", sent_at=sent_at, send_email=send_email, count_attempt=True)
    return out
