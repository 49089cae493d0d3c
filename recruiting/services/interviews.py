"""Interview definitions: create (three ways), refresh, lifecycle state, embedding.

Every answer from JobMojito is stored through ``interview_upsert_from_payload``. Creates that
may have been applied without an answer are reconciled (``recruiting.services.create_recovery``) before
anything is sent again. API errors propagate (``InvalidRequest.field`` names the form field).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from django.db import transaction

from mojito.errors import MojitoError
from mojito.vocabulary import (
    CreateStatus,
    CreateType,
    CreateVisibility,
    InterviewStatus,
    PreScreeningType,
    Recommendation,
)
from recruiting.models import CreationMethod, Interview, Invitation, PreScreening
from recruiting.services import create_recovery
from recruiting.services.client import get_client
from recruiting.services.upserts import (
    candidate_upsert,
    interview_upsert_from_payload,
    invitation_upsert,
    position_upsert_from_payload,
    prescreening_upsert_from_payload,
)

logger = logging.getLogger("recruiting.services.interviews")

# Admin / UI verbs -> the lifecycle status sent to job-interview-set-state.
STATE_ACTIONS = {
    "publish": InterviewStatus.ACTIVE,
    "unpublish": InterviewStatus.DRAFT,
    "archive": InterviewStatus.ARCHIVED,
    "delete": InterviewStatus.DELETED,
}

# What the create answer echoes of the request, so the local row is useful even before a refresh.
_ECHOED = ("name", "status", "type", "visibility", "mojito_language_code", "description")


def _echo(fields: dict) -> dict:
    echo = {k: fields[k] for k in _ECHOED if fields.get(k) is not None}
    if fields.get("location"):
        echo["interview_location"] = fields["location"]
    if fields.get("interview_template_id"):
        echo["interview_template_id"] = fields["interview_template_id"]
    return echo


def _find_interview(name: str, type_: str | None):
    def find(since):
        row = create_recovery.interview_find_recent(name=name, since=since, type=type_)
        return {"interview_def_set_id": row["id"]} if row else None
    return find


def _store_created(answer_outcome: create_recovery.CreateOutcome, fields: dict, creation_method: str) -> Interview:
    """Upsert the create answer, fetch the full definition (questions included) and upsert that."""
    client = get_client()
    answer = dict(answer_outcome.answer)
    mojito_id = answer["interview_def_set_id"]
    if fields.get("is_embedded") and not answer.get("embed_signing_key"):
        # An adopted create came back without its embed key: ask for it (set-state is repeatable).
        answer.update(client.set_interview_state(mojito_id, is_embedded=True) or {})
    interview = interview_upsert_from_payload(
        {**_echo(fields), **answer, **answer_outcome.record()}, mojito_id=mojito_id,
        creation_method=creation_method)
    try:
        definition = client.get_interview_definition(mojito_id)
    except MojitoError as exc:
        # The interview exists (remotely and here); a later refresh fills in the definition.
        logger.warning("Interview %s created but its definition could not be read: %s", mojito_id, exc)
        return interview
    return interview_upsert_from_payload(definition, mojito_id=mojito_id)


def _create_fields(*, name, location, interview_template_id, mojito_language_code, status, type, visibility,
                   extra: dict) -> dict:
    fields = {"name": name, "location": location, "interview_template_id": interview_template_id,
              "mojito_language_code": mojito_language_code, "status": status, "type": type,
              "visibility": visibility}
    fields.update({k: v for k, v in extra.items() if v is not None})
    return fields


def interview_create_from_description(
    *, name: str, location: str, interview_template_id: str, mojito_language_code: str = "en",
    status: str = CreateStatus.DRAFT, type: str = CreateType.INTERVIEW,  # noqa: A002
    visibility: str = CreateVisibility.MERCHANT_INVITE, **options,
) -> Interview:
    """job-interview-create (JobMojito writes the questions), then job-interview-get -> Interview."""
    fields = _create_fields(name=name, location=location, interview_template_id=interview_template_id,
                            mojito_language_code=mojito_language_code, status=status, type=type,
                            visibility=visibility, extra=options)
    client = get_client()
    outcome = create_recovery.create_once(lambda: client.create_interview(**fields), _find_interview(name, type),
                                    what=f"job-interview-create {name!r}")
    return _store_created(outcome, fields, CreationMethod.FROM_DESCRIPTION)


def interview_create_from_questions(
    *, name: str, location: str, interview_template_id: str, description: str, questions: list,
    mojito_language_code: str = "en", status: str = CreateStatus.DRAFT, type: str = CreateType.INTERVIEW,  # noqa: A002
    visibility: str = CreateVisibility.MERCHANT_INVITE, **options,
) -> Interview:
    """job-interview-create-from-array with our own questions (strings or question dicts)."""
    items = [q if isinstance(q, dict) else {"question": str(q)} for q in questions]
    fields = _create_fields(name=name, location=location, interview_template_id=interview_template_id,
                            mojito_language_code=mojito_language_code, status=status, type=type,
                            visibility=visibility, extra={"description": description, "questions": items,
                                                          **options})
    client = get_client()
    outcome = create_recovery.create_once(lambda: client.create_interview_from_questions(**fields),
                                    _find_interview(name, type), what=f"job-interview-create-from-array {name!r}")
    return _store_created(outcome, fields, CreationMethod.FROM_QUESTIONS)


@dataclass
class CandidateInterview:
    """What job-interview-create-for-candidate-with-token produced here."""

    interview: Interview | None
    invitation: Invitation | None
    prescreening: PreScreening | None
    status: str
    reason: str
    interview_url: str


def interview_create_for_candidate(
    *, candidate_name: str, candidate_email: str, candidate_country_code: str, candidate_resume: str,
    position_def_set_id: str | None = None, position_external_id: str | None = None,
    position_name: str | None = None, position_location: str | None = None,
    position_country_code: str | None = None, mojito_language_code: str | None = None, **options,
) -> CandidateInterview:
    """One call: position + interview + candidate enrolment + pre-screening decision + link.

    Without a position id we send a fresh ``position_external_id``: JobMojito then resolves the
    position by it, which makes the call repeatable (the client may retry it safely).
    """
    if not position_def_set_id and not position_external_id:
        position_external_id = f"recruiter-{uuid.uuid4()}"
    fields = {
        "candidate_name": candidate_name, "candidate_email": candidate_email,
        "candidate_country_code": candidate_country_code, "candidate_resume": candidate_resume,
        "position_def_set_id": position_def_set_id, "position_external_id": position_external_id,
        "position_name": position_name, "position_location": position_location,
        "position_country_code": position_country_code, "mojito_language_code": mojito_language_code,
        **options,
    }
    fields = {k: v for k, v in fields.items() if v is not None}
    client = get_client()
    answer = client.create_interview_for_candidate(**fields)
    status = answer.get("status") or ""
    reason = answer.get("reason") or ""
    url = answer.get("interview_url") or ""
    interview_id = answer.get("interview_def_set_id")
    definition = None
    if interview_id:
        try:
            definition = client.get_interview_definition(interview_id)
        except MojitoError as exc:
            logger.warning("Interview %s created for a candidate but not readable: %s", interview_id, exc)

    with transaction.atomic():
        position = None
        position_id = answer.get("position_def_set_id") or position_def_set_id
        if position_id:
            position = position_upsert_from_payload({
                k: v for k, v in {
                    "position_def_set_id": position_id, "position_name": position_name,
                    "position_location": position_location, "position_country_code": position_country_code,
                    "mojito_language_code": mojito_language_code, "type": PreScreeningType.RESUME,
                    "external_id": position_external_id,
                }.items() if v is not None})
        candidate = candidate_upsert(email=candidate_email, name=candidate_name,
                                     country_code=candidate_country_code,
                                     external_id=options.get("candidate_external_id"),
                                     linkedin_url=options.get("candidate_linkedin_url"))
        interview = invitation = prescreening = None
        if interview_id:
            secrets = {k: answer[k] for k in ("embed_id", "embed_signing_key") if answer.get(k)}
            interview = interview_upsert_from_payload(
                {"name": position_name, "interview_location": position_location, **(definition or {}), **secrets},
                mojito_id=interview_id, creation_method=CreationMethod.FOR_CANDIDATE, position=position)
            invitation = invitation_upsert(
                candidate=candidate, interview=interview,
                profile_interview_id=answer.get("profile_interview_id"), interview_url=url or None,
                delivery_state=Invitation.DeliveryState.REGISTERED, last_error="",
                payload={k: v for k, v in answer.items() if k not in ("embed_signing_key", "interview_url")})
        if position is not None:
            decision = {"decision_status": status, "profile_interview_id": answer.get("profile_interview_id"),
                        "message": reason}
            if status in Recommendation.values:
                decision["recommendation"] = status
            prescreening = prescreening_upsert_from_payload(
                {k: v for k, v in decision.items() if v is not None}, position=position, candidate=candidate,
                source=PreScreening.Source.TEXT)
    return CandidateInterview(interview=interview, invitation=invitation, prescreening=prescreening,
                              status=status, reason=reason, interview_url=url)


def interview_refresh(*, interview: Interview) -> Interview:
    """job-interview-get -> Interview (questions included)."""
    definition = get_client().get_interview_definition(interview.mojito_id)
    return interview_upsert_from_payload(definition, mojito_id=interview.mojito_id)


def interview_set_state(*, interview: Interview, status: str) -> Interview:
    """job-interview-set-state: publish (active), unpublish (draft), archive, delete, ..."""
    status = STATE_ACTIONS.get(status, status)
    if status not in InterviewStatus.values:
        raise ValueError(f"Unknown interview status {status!r}; expected one of {sorted(InterviewStatus.values)}.")
    get_client().set_interview_state(interview.mojito_id, status=status)
    # JobMojito answered success: mirror the new status (a deleted interview may not be readable).
    return interview_upsert_from_payload({"status": status}, mojito_id=interview.mojito_id)


def interview_set_embedding(*, interview: Interview, enabled: bool) -> Interview:
    """Enable (store embed_id + encrypted signing key) or disable (clear both) iframe embedding."""
    answer = get_client().set_interview_state(interview.mojito_id, is_embedded=bool(enabled)) or {}
    if enabled:
        if not answer.get("embed_id") or not answer.get("embed_signing_key"):
            raise MojitoError("JobMojito enabled embedding but returned no embed key.",
                              endpoint="job-interview-set-state")
        payload = {"embed_id": answer["embed_id"], "embed_signing_key": answer["embed_signing_key"]}
    else:
        payload = {"embed_id": "", "embed_signing_key": ""}
    return interview_upsert_from_payload(payload, mojito_id=interview.mojito_id)
