"""Candidates: register-users, invite-users, job-interview-token, create-for-candidate, candidate list."""

from __future__ import annotations

from mojito import vocabulary as v
from mojito.sandbox import credits, generation, outbox
from mojito.sandbox.api import common as c
from mojito.sandbox.api import interviews as iv
from mojito.sandbox.api.prescreening import (already_screened, new_enrolment, new_position, run_prescreening,
                                             upsert_candidate)
from mojito.sandbox.state import now_iso
from mojito.sandbox.validation import F, ApiError, invalid, is_email, require, truthy

FLAG = F(("boolean", "string"))

REGISTER = {
    "users": F("array", required=True, items=F("any")),
    "interview_id": F("string", required=True, min_length=1, uuid=True),
    "merchant_id": F("string", uuid=True),
    "send_email": F("boolean"),
    "type": F("string", enum=v.values(v.RegisterType)),  # the cookbook's switch; absent -> send_email decides
    "hide_menu": FLAG, "hide_iframe": FLAG, "is_test": FLAG,
}

INVITE = {
    "users": F("array", required=True, items=F("any")),
    "force_invite": F("boolean"),
    "merchant_id": F("string", uuid=True),
    "mojito_language_code": F("string", enum=c.LANGUAGES),
    "message_from_recruiter": F("string"),
}

TOKEN = {
    "type": F("string", required=True, enum=v.values(v.TokenType)),
    **{k: F("string", null=False) for k in ("merchant_id", "interview_profile_id", "interview_id",
                                            "interview_result_id")},
    "hide_menu": F(("string", "boolean"), null=False),
}

TOKEN_NEEDS = {
    "interview-for-profile": ("interview_profile_id", "interview_id"),
    "results-for-profile": ("interview_profile_id",),
    "interview-result-candidate": ("interview_result_id",),
    "interview-result-talent-seeker": ("interview_result_id",),
    "interview-results-for-position": ("interview_id",),
}

CREATE_FOR_CANDIDATE = {
    **c.strings("position_def_set_id", "position_external_id", "interview_template_id", "merchant_id",
                "position_name", "position_location", "position_country_code", "position_description",
                "position_description_long"),
    "mojito_language_code": F("string", enum=c.LANGUAGES),
    "candidate_name": F("string", required=True, min_length=1),
    "candidate_email": F("string", required=True, min_length=1),
    "candidate_country_code": F("string", required=True, min_length=1),
    "candidate_resume": F("string", required=True, min_length=1),
    **c.strings("candidate_external_id", "candidate_linkedin_url", "instructional_video_custom_text",
                "welcome_message", "thank_you_message", "interview_department", "interview_salary",
                "interview_available_till", "recruiter_profile_id"),
    "candidate_video_introduction": F("string", enum=c.VIDEO_INTRO),
    "interview_attempts": F("number", minimum=1, maximum=20),
    "seniority_level": F("string", enum=c.SENIORITY),
    "result_view": F("string", enum=c.RESULT_VIEW),
    "custom_scoring": F("object"),
    **c.booleans("use_enhanced_expectations", "include_rapport_question", "include_closing_prompt",
                 "instructional_video", "is_embedded", "required_pronunciation", "result_enable_edit_transcript"),
    "max_duration": F("number"),
    "interview_conversation_speed": F("string", enum=c.SPEED),
    "max_followups": F("integer", minimum=0, maximum=999),
    "questions_random_subset": F("number", minimum=0.01, maximum=0.9),
    "tags": F("array", items=F("string", null=False)),
    "hiring_for_company": c.HIRING_FOR_COMPANY,
    "pdf_export_auto_config": c.PDF_AUTO_CONFIG,
}

CANDIDATE_LIST = {
    "merchant_id": F("string", uuid=True),
    "tab": F("string", enum=v.values(v.CandidateTab)),
    "source": F("string", enum=v.values(v.CandidateSource)),
    "order_by": F("string", enum=v.values(v.CandidateOrder)),
    **c.strings("filter_text", "filter_emoji"),
    **c.PAGING,
}

TEAM_TYPES = {"merchant_owner", "merchant", "merchant_selection"}
COACHING_TYPES = {"user", "mentor"}


def _service_key_merchant(request, data) -> None:
    if request.context.get("service_key") and not data.get("merchant_id"):
        raise invalid("merchant_id is required when calling with the service key.", "merchant_id")


def resolve_target(state, target_id: str) -> tuple[str | None, str | None]:
    """(interview_id, position_id) for an interview-definition or position id; (None, None) if unknown."""
    interview = state.live_interview(target_id)
    if interview is not None:
        return interview["id"], interview.get("_position_id")
    position = state.positions.get(target_id or "")
    if position is not None and position.get("status") != "deleted":
        live = [i for i in position.get("interview_ids") or [] if state.live_interview(i)]
        return (live[0] if live else None), position["id"]
    return None, None


def _no_headroom(state) -> str | None:
    """The row error when no candidate invitation may be emailed now (4 x available credits used)."""
    if credits.invitations_available(state) == 0:
        return (v.ROW_ERROR_PREFIX + "not enough interview credits to invite more candidates "
                f"(invitations limit {credits.invitations_limit(state)} reached)")
    return None


def _enrol(state, profile, interview_id, position_id, **kwargs) -> dict:
    existing = state.find_enrolment(profile["id"], interview_id=interview_id, position_id=None) if interview_id \
        else state.find_enrolment(profile["id"], position_id=position_id)
    return existing or new_enrolment(state, profile, interview_id=interview_id, position_id=position_id, **kwargs)


# --- register-users -----------------------------------------------------------------------------

def handle_job_interview_register_users(sandbox, request):
    data = c.body(request, REGISTER)
    _service_key_merchant(request, data)
    state = sandbox.state
    hide_menu, hide_iframe, is_test = truthy(data.get("hide_menu")), truthy(data.get("hide_iframe")), truthy(
        data.get("is_test"))
    send = data["type"] == v.RegisterType.INVITATION if data.get("type") else bool(data.get("send_email"))
    rows = []
    with state.lock:
        interview_id, position_id = resolve_target(state, data["interview_id"])
        if interview_id is None and position_id is None:
            raise ApiError(422, f"Interview {data['interview_id']} was not found.", "interview_id")
        for user in data["users"]:
            rows.append(_register_row(sandbox, user, interview_id, position_id, hide_menu, hide_iframe, is_test,
                                      send=send))
    return c.ok(rows)


def _register_row(sandbox, user, interview_id, position_id, hide_menu, hide_iframe, is_test, *, send: bool) -> dict:
    state = sandbox.state
    if not isinstance(user, dict):
        return {"email": None, "result": "Error: each user must be an object with name, email and external_id"}
    row = {"name": user.get("name"), "email": user.get("email"), "external_id": user.get("external_id")}
    if row["email"] is None:  # the row echoes its input; `email` is a string when present
        del row["email"]
    email = user.get("email")
    if not email or not str(email).strip():
        return row | {"result": "Error: email is required"}
    if not is_email(email):
        return row | {"result": f"Error: invalid email address {email!r}"}
    full = _no_headroom(state) if send else None
    if full:
        return row | {"result": full}
    profile = upsert_candidate(state, email=email, name=user.get("name"), external_id=user.get("external_id"))
    enrolment = _enrol(state, profile, interview_id, position_id, is_test=is_test)
    if enrolment.get("status") != "active":
        enrolment["status"] = "active"
    enrolment["is_test"] = is_test or bool(enrolment.get("is_test"))
    url = c.interview_url(sandbox, enrolment, hide_menu=hide_menu, hide_iframe=hide_iframe)
    if send:
        enrolment["email_chain"] = True  # reminders and the completion notice follow (outbox)
        enrolment["invites_sent"] = (enrolment.get("invites_sent") or 0) + 1
        outbox.send(state, kind=outbox.INTERVIEW_INVITATION, recipient=profile["email"], name=profile.get("name"),
                    interview_id=enrolment.get("interview_id"), profile_interview_id=enrolment["id"], link=url)
    # profile_interview_id is not in the spec's row; the API reference (2.8) documents it from the cookbook.
    return row | {"result": v.REGISTER_RESULT_OK, "interview_url": url, "profile_interview_id": enrolment["id"]}


# --- invite-users -------------------------------------------------------------------------------

def handle_invite_users(sandbox, request):
    data = c.body(request, INVITE)
    _service_key_merchant(request, data)
    state = sandbox.state
    letter = {"message": data.get("message_from_recruiter"), "language": data.get("mojito_language_code") or "en"}
    rows = []
    with state.lock:
        for user in data["users"]:
            rows.append(_invite_row(sandbox, user, force=bool(data.get("force_invite")), letter=letter))
    return c.ok(rows)


def _email_invite(state, kind: str, profile: dict, letter: dict, *, enrolment: dict | None = None,
                  resent: bool = False) -> None:
    outbox.send(state, kind=kind, recipient=profile["email"], name=profile.get("name"),
                interview_id=(enrolment or {}).get("interview_id"),
                profile_interview_id=(enrolment or {}).get("id"), link=(enrolment or {}).get("url"),
                resent=resent, **letter)


def _invite_row(sandbox, user, *, force: bool, letter: dict) -> dict:
    state = sandbox.state
    if not isinstance(user, dict):
        return {"email": "", "result": "Error: each user must be an object"}
    row = dict(user)
    if not isinstance(row.get("email"), str):  # the spec's row always has `email`, a string
        row["email"] = "" if row.get("email") is None else str(row["email"])
    kind = user.get("type") or "user"
    row["type"] = kind
    email = user.get("email")
    error = None
    if not email or not str(email).strip():
        error = "email is required"
    elif not is_email(email):
        error = f"invalid email address {email!r}"
    elif kind not in v.values(v.InviteUserType):
        error = f"unknown type {kind!r} (use one of {', '.join(sorted(v.values(v.InviteUserType)))})"
    if error:  # the spec's answer row always carries email as a string, even when the request had none
        return row | {"email": "" if email is None else str(email), "result": v.ROW_ERROR_PREFIX + error}
    if kind == "candidate":
        return _invite_candidate(sandbox, row, force=force, letter=letter)
    email_kind = outbox.COACHING_INVITATION if kind in COACHING_TYPES else outbox.TEAM_INVITATION
    profile = state.profile_by_email(email)
    if profile is None:
        profile = upsert_candidate(state, email=email, name=user.get("name"))
        profile.update(role=kind, status="invited")
        _email_invite(state, email_kind, profile, letter)
        return row | {"result": "Invited", "profile_id": profile["id"], "profile_interview_id": None}
    if profile.get("role") == kind:
        pending = profile.get("status") == "invited"
        result = "Invited" if force and pending else "Skipped"
        if result == "Invited":
            _email_invite(state, email_kind, profile, letter, resent=True)
    elif kind in COACHING_TYPES:
        result = "CoachingAccessAdded"
    else:
        result = "Activated"
        profile["role"] = kind
    return row | {"result": result, "profile_id": profile["id"], "profile_interview_id": None}


def _invite_candidate(sandbox, row: dict, *, force: bool, letter: dict) -> dict:
    state = sandbox.state
    if not row.get("interview_id"):
        return row | {"result": "Error: interview_id is required for type candidate"}
    interview_id, position_id = resolve_target(state, str(row["interview_id"]))
    if interview_id is None and position_id is None:
        return row | {"result": f"Error: interview {row['interview_id']} was not found"}
    profile = state.profile_by_email(row["email"])
    enrolment = None
    if profile is not None:
        enrolment = state.find_enrolment(profile["id"], interview_id=interview_id) if interview_id else \
            state.find_enrolment(profile["id"], position_id=position_id)
    if enrolment is not None and not (force and enrolment.get("status") == "invited"):
        return row | {"result": "Skipped", "profile_id": profile["id"], "profile_interview_id": enrolment["id"]}
    full = _no_headroom(state)
    if full:
        return row | {"result": full}
    resent = enrolment is not None
    if enrolment is None:
        profile = upsert_candidate(state, email=row["email"], name=row.get("name"))
        enrolment = new_enrolment(state, profile, interview_id=interview_id, position_id=position_id,
                                  status="invited", source="invited")
    if not enrolment.get("url"):
        c.interview_url(sandbox, enrolment)
    enrolment["invites_sent"] = (enrolment.get("invites_sent") or 0) + 1
    enrolment["email_chain"] = True
    enrolment["updated_at"] = now_iso()
    _email_invite(state, outbox.CANDIDATE_INVITATION, profile, letter, enrolment=enrolment, resent=resent)
    return row | {"result": "Invited", "profile_id": profile["id"], "profile_interview_id": enrolment["id"]}


# --- job-interview-token ------------------------------------------------------------------------

def handle_job_interview_token(sandbox, request):
    data = c.body(request, TOKEN)
    token_type = data["type"]
    require(data, *TOKEN_NEEDS[token_type], reason=f"for type {token_type}")
    hide_menu = data.get("hide_menu") != "false"
    state = sandbox.state
    with state.lock:
        if token_type in ("interview-result-candidate", "interview-result-talent-seeker"):
            result = state.results.get(data["interview_result_id"])
            if result is None:
                raise ApiError(422, f"Interview result {data['interview_result_id']} was not found.",
                               "interview_result_id")
            return c.ok(c.result_url(sandbox, token_type, result["id"], hide_menu=hide_menu))
        if token_type == "interview-results-for-position":
            interview_id, position_id = resolve_target(state, data["interview_id"])
            if interview_id is None and position_id is None:
                raise ApiError(422, f"Interview {data['interview_id']} was not found.", "interview_id")
            return c.ok(c.result_url(sandbox, token_type, data["interview_id"], hide_menu=hide_menu))
        profile_ref = data["interview_profile_id"]
        enrolment = state.enrolments.get(profile_ref)
        profile = state.profiles.get(enrolment["profile_id"] if enrolment else profile_ref)
        if profile is None:
            raise ApiError(422, f"Candidate profile {profile_ref} was not found.", "interview_profile_id")
        if token_type == "results-for-profile":
            return c.ok(c.result_url(sandbox, token_type, profile["id"], hide_menu=hide_menu))
        interview_id, position_id = resolve_target(state, data["interview_id"])
        if interview_id is None and position_id is None:
            raise ApiError(422, f"Interview {data['interview_id']} was not found.", "interview_id")
        if enrolment is None or enrolment.get("interview_id") != interview_id:
            enrolment = _enrol(state, profile, interview_id, position_id)
        return c.ok(c.interview_url(sandbox, enrolment, hide_menu=hide_menu))


# --- create-for-candidate -----------------------------------------------------------------------

def _position_interview(sandbox, data: dict, position: dict) -> dict:
    """The position's interview, created (AI questions from the position) when it has none."""
    state = sandbox.state
    for interview_id in position.get("interview_ids") or []:
        interview = state.live_interview(interview_id)
        if interview is not None:
            return interview
    template = iv.resolve_template(sandbox, data["interview_template_id"]) if data.get("interview_template_id") \
        else iv.default_template(sandbox)
    fields = {k: val for k, val in data.items() if val is not None}
    fields.update(name=position["name"], location=position.get("location"),
                  mojito_language_code=position.get("mojito_language_code") or "en", status="active",
                  type="interview", visibility="merchant_invite", description=position.get("description"),
                  description_long=position.get("description_long"),
                  candidate_expectations=position.get("candidate_expectations"))
    count = generation.question_count(None, iv._duration(data.get("max_duration")))
    generated = generation.generate_questions(
        name=position["name"], description=position.get("description"),
        candidate_expectations=position.get("candidate_expectations"), seniority_level=data.get("seniority_level"),
        count=count, mojito_language_code=fields["mojito_language_code"])
    interview = iv.build_interview(sandbox, fields, template,
                                   iv.store_questions(generated, fields["mojito_language_code"]),
                                   position_id=position["id"])
    state.interviews[interview["id"]] = interview
    position.setdefault("interview_ids", []).append(interview["id"])
    return interview


def handle_job_interview_create_for_candidate_with_token(sandbox, request):
    data = c.body(request, CREATE_FOR_CANDIDATE)
    if not is_email(data["candidate_email"]):
        raise invalid(f"candidate_email {data['candidate_email']!r} is not a valid email address.", "candidate_email")
    state = sandbox.state
    with state.lock:
        position = None
        if data.get("position_def_set_id"):
            position = state.positions.get(data["position_def_set_id"])
            if position is None or position.get("status") == "deleted":
                raise ApiError(404, f"No position with id {data['position_def_set_id']}.", "position_def_set_id")
        elif data.get("position_external_id"):
            position = next((p for p in state.positions.values()
                             if p.get("external_id") == data["position_external_id"]
                             and p.get("status") != "deleted"), None)
        if position is None:
            require(data, "position_name", "position_location", "position_country_code", "mojito_language_code",
                    reason="when position_def_set_id is not given")
            if data.get("interview_template_id"):
                iv.resolve_template(sandbox, data["interview_template_id"])
            description = data.get("position_description") or generation.generate_description(
                data["position_name"], data["position_location"])
            position = new_position(
                sandbox, name=data["position_name"], location=data["position_location"],
                country_code=data["position_country_code"], language=data["mojito_language_code"],
                description=description, description_long=data.get("position_description_long"),
                status="active", external_id=data.get("position_external_id"))
        interview = _position_interview(sandbox, data, position)
        profile = upsert_candidate(state, email=data["candidate_email"], name=data["candidate_name"],
                                   external_id=data.get("candidate_external_id"),
                                   linkedin_url=data.get("candidate_linkedin_url"),
                                   country_code=data.get("candidate_country_code"))
        answer = {"position_def_set_id": position["id"], "interview_def_set_id": interview["id"]}
        if data.get("is_embedded"):
            answer.update(iv.embed_fields(iv.ensure_embed(sandbox, interview["id"], position["id"])))
        enrolment = state.find_enrolment(profile["id"], position_id=position["id"])
        if enrolment is not None and already_screened(state, enrolment):
            url = enrolment.get("url") or c.interview_url(sandbox, enrolment, hide_menu=True)
            return c.ok(answer | {"status": "already-applied", "interview_url": url,
                                  "profile_interview_id": enrolment["id"],
                                  "reason": f"{profile['email']} already applied to {position['name']}."})
        if enrolment is None:
            enrolment = new_enrolment(state, profile, interview_id=interview["id"], position_id=position["id"])
        record = run_prescreening(sandbox, position, profile, enrolment, data["candidate_resume"],
                                  country_code=data["candidate_country_code"])
        url = c.interview_url(sandbox, enrolment, hide_menu=True)
        answer |= {"status": record["decision_status"], "interview_url": url, "profile_interview_id": enrolment["id"]}
        if record["decision_status"] == "ai_reject":
            answer["reason"] = record.get("processing_reason") or record["resume_ai_analysis"]
    return c.ok(answer)


# --- merchant-candidate-list --------------------------------------------------------------------

def candidate_row(state, enrolment: dict) -> dict:
    profile = state.profiles.get(enrolment["profile_id"], {})
    results = [r for r in state.results.values() if r.get("profile_interview_id") == enrolment["id"]]
    interview = state.interviews.get(enrolment.get("interview_id") or "", {})
    return {
        "id": enrolment["id"], "profile_id": profile.get("id"), "merchant_id": state.config.merchant_id,
        "name": profile.get("name"), "email": profile.get("email"), "email_auth": profile.get("email"),
        "emoji": None, "external_id": profile.get("external_id"), "status": enrolment.get("status"),
        "phone_number": None, "linked_in": profile.get("linkedin_url"), "physical_address": None,
        "mojito_language_code": interview.get("mojito_language_code") or "en", "avatar_url": None,
        "avatar_local_path": None, "kyc_image_local_path": None, "kyc_processing_status": None,
        "interview_count": len(results), "pre_screening_count": 1 if enrolment.get("prescreening_id") else 0,
        "public_avatar_count": 0, "interview_last": max((r.get("created_at") for r in results), default=None),
        "last_login_at": None, "created_at": enrolment.get("created_at"), "updated_at": enrolment.get("updated_at"),
        "deleted_at": None,
    }


def _tab_match(tab: str | None, row: dict) -> bool:
    if not tab:
        return True
    if tab == "interview":
        return row["interview_count"] > 0
    if tab == "pre-screening":
        return row["pre_screening_count"] > 0
    if tab == "no-action":
        return row["interview_count"] == 0 and row["pre_screening_count"] == 0
    if tab == "leads":
        return row["status"] == "invited"
    return True


def handle_merchant_candidate_list(sandbox, request):
    params = c.read_params(request, CANDIDATE_LIST)
    state = sandbox.state
    with state.lock:
        rows = [candidate_row(state, e) for e in state.enrolments.values() if e.get("status") != "deleted"
                and (not params.get("source") or e.get("source") == params["source"])]
    rows = [r for r in rows if _tab_match(params.get("tab"), r)
            and c.text_match(params.get("filter_text"), r["name"], r["email"])]
    order = params.get("order_by") or "created_at_newest"
    if order in ("name_accending", "name_decending"):
        rows.sort(key=lambda r: ((r["name"] or "").lower(), r["created_at"] or ""), reverse=order == "name_decending")
    else:
        rows.sort(key=lambda r: r["created_at"] or "", reverse=order == "created_at_newest")
    return c.ok(c.paginate(rows, params))
