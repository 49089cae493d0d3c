"""Pre-screening: positions (pre-screening-create) and résumé screening (text and binary)."""

from __future__ import annotations

import json

from mojito import documents
from mojito import vocabulary as v
from mojito.sandbox import credits, generation
from mojito.sandbox.api import common as c
from mojito.sandbox.state import new_id, now_iso
from mojito.sandbox.validation import F, ApiError, invalid, is_email, require, validate

RULE_IDS = v.values(v.RuleId)

RULE = F("object", props={
    "id": F("string", required=True, min_length=1),
    "type": F("string", null=False, enum=v.values(v.RuleType)),
    "action": F("string", null=False, enum=v.values(v.RuleAction)),
    "country": F("array", items=F("string", null=False)),
    "country_eu": F("boolean"),
    "languages": F("array", items=F("object", props={
        "code": F("string", required=True),
        "level": F("string", required=True, enum=v.values(v.LanguageLevel))})),
    # plain strings in the spec: known values drive the stand-in, unknown ones are kept as given
    "education": F("string"),
    "visa": F("array", items=F("string", null=False)),
    "age_min": F("integer"),
    "age_max": F("integer"),
    "gender": F("array", items=F("string", null=False)),
    "technical_experience_years": F("integer"),
    "resume_score_reject": F("integer", minimum=0, maximum=10),
    "resume_score_accept": F("integer", minimum=0, maximum=10),
})

FORM_FIELD = F("object", props={
    "id": F("string", required=True, min_length=1),
    "mandatory": F("boolean"),
    "title": F("string"),
    "description": F("string"),
    "type": F("string", null=False, enum=v.values(v.RuleType)),
    "field_type": F("string", null=False, enum=v.values(v.FormFieldType)),
    "options": F("array", items=F("string", null=False)),
})

CREATE = {
    **c.strings("update_position_def_set_id", "position_name", "position_location", "position_country_code",
                "position_description", "position_description_long", "merchant_id", "candidate_expectations",
                "visibility", "interview_available_till"),
    "mojito_language_code": F("string", enum=c.LANGUAGES),
    "type": F("string", enum=v.values(v.PreScreeningType)),
    "status": F("string", enum=v.values(v.PreScreeningStatus)),
    "assessment_rules": F("array", items=RULE),
    "form_fields": F("array", items=FORM_FIELD),
    "kombo_parameters": F("any"),
    "creation_parameters": F("any"),
}

FORM = F("object", props={  # every field a plain string (or integer) in the spec: "native" is a level too
    "education": F("string"),
    "languages": F("array", items=F("object", props={"code": F("string"), "level": F("string")})),
    **c.strings("residency", "nationality", "visa"),
    "age": F("integer"),
    "gender": F("string"),
})

RESUME_TEXT = {
    "position_id": F("string", required=True, min_length=1),
    "candidate_name": F("string", required=True, min_length=1),
    "candidate_email": F("string", required=True, min_length=1),
    "candidate_country_code": F("string"),
    "candidate_resume": F("string", required=True, min_length=1),
    **c.strings("candidate_external_id", "candidate_linkedin_url"),
    "form": FORM,
}

RESUME_BINARY = {k: spec for k, spec in RESUME_TEXT.items() if k not in ("candidate_resume", "form")}


# --- positions ----------------------------------------------------------------------------------

def _check_rules(data: dict) -> None:
    """The documented rules for custom form fields (API reference 2.23). Rule and field ids are plain
    strings in the spec: an id the stand-in does not know is kept and ignored when screening, and
    overlapping thresholds are not an error (score >= accept passes first)."""
    for i, form_field in enumerate(data.get("form_fields") or []):
        if form_field["id"].startswith(v.CUSTOM_RULE_PREFIX):
            if form_field.get("type") == "screening":
                raise invalid(f"form_fields[{i}].type cannot be 'screening' for a custom field.",
                              f"form_fields[{i}].type")
            if form_field.get("field_type") == "radio" and len(form_field.get("options") or []) < 2:
                raise invalid(f"form_fields[{i}].options needs at least 2 options for a radio field.",
                              f"form_fields[{i}].options")


def new_position(sandbox, *, name, location, country_code, language, description=None, description_long=None,
                 candidate_expectations=None, kind="resume", status="draft", visibility=None, rules=None,
                 form_fields=None, external_id=None) -> dict:
    stamp = now_iso()
    position = {
        "id": new_id(), "name": name, "location": location, "country_code": (country_code or "").upper() or None,
        "description": description, "description_long": description_long,
        "mojito_language_code": language, "type": kind or "resume", "status": status or "draft",
        "visibility": visibility or "merchant_invite", "assessment_rules": rules or [], "form_fields": form_fields or [],
        "candidate_expectations": candidate_expectations, "external_id": external_id,
        "merchant_id": sandbox.state.config.merchant_id, "interview_pre_screening_id": new_id(),
        "interview_ids": [], "created_at": stamp, "updated_at": stamp,
    }
    sandbox.state.positions[position["id"]] = position
    return position


def handle_pre_screening_create(sandbox, request):
    data = c.body(request, CREATE)
    _check_rules(data)
    state = sandbox.state
    update_id = (data.get("update_position_def_set_id") or "").strip()
    with state.lock:
        if update_id:
            position = state.positions.get(update_id)
            if position is None:
                raise ApiError(404, f"No pre-screening position with id {update_id}.", "update_position_def_set_id")
            mapping = {"position_name": "name", "position_location": "location", "position_country_code": "country_code",
                       "position_description": "description", "position_description_long": "description_long",
                       "mojito_language_code": "mojito_language_code", "type": "type", "status": "status",
                       "assessment_rules": "assessment_rules", "form_fields": "form_fields",
                       "candidate_expectations": "candidate_expectations", "visibility": "visibility",
                       "interview_available_till": "interview_available_till", "kombo_parameters": "kombo_parameters"}
            for key, target in mapping.items():
                if key in data:
                    position[target] = data[key].upper() if key == "position_country_code" and data[key] else data[key]
            _check_form_positions(position.get("type"), position.get("form_fields"))
            position["updated_at"] = now_iso()
            return c.ok({"updated": True, "position_def_set_id": position["id"],
                         "interview_pre_screening_id": position["interview_pre_screening_id"]})
        require(data, "position_name", "position_location", "position_country_code", "mojito_language_code",
                reason="to create a position (no update_position_def_set_id)")
        _check_form_positions(data.get("type") or "resume", data.get("form_fields"))
        position = new_position(
            sandbox, name=data["position_name"], location=data["position_location"],
            country_code=data["position_country_code"], language=data["mojito_language_code"],
            description=data.get("position_description"), description_long=data.get("position_description_long"),
            candidate_expectations=data.get("candidate_expectations"), kind=data.get("type"),
            status=data.get("status"), visibility=data.get("visibility"), rules=data.get("assessment_rules"),
            form_fields=data.get("form_fields"))
        position["kombo_parameters"] = data.get("kombo_parameters")
        position["creation_parameters"] = data.get("creation_parameters")
    return c.ok({"created": True, "position_def_set_id": position["id"],
                 "interview_pre_screening_id": position["interview_pre_screening_id"]})


def _check_form_positions(kind, form_fields) -> None:
    if kind in ("form", "resume_with_form") and not form_fields:
        raise invalid(f"form_fields needs at least one field for a {kind!r} position.", "form_fields")


# --- screening ----------------------------------------------------------------------------------

def upsert_candidate(state, *, email, name=None, external_id=None, linkedin_url=None, country_code=None) -> dict:
    email = email.strip().lower()
    profile = state.profile_by_email(email)
    stamp = now_iso()
    if profile is None:
        profile = {"id": new_id(), "email": email, "name": None, "external_id": None, "linkedin_url": None,
                   "country_code": None, "role": "candidate", "created_at": stamp}
        state.profiles[profile["id"]] = profile
    for key, value in (("name", name), ("external_id", external_id), ("linkedin_url", linkedin_url),
                       ("country_code", country_code)):
        if value:
            profile[key] = value
    profile["updated_at"] = stamp
    return profile


def new_enrolment(state, profile: dict, *, interview_id=None, position_id=None, status="active",
                  source="registered", is_test=False) -> dict:
    stamp = now_iso()
    enrolment = {
        "id": new_id(), "profile_id": profile["id"], "interview_id": interview_id, "position_id": position_id,
        "status": status, "source": source, "token": None, "url": None, "hide_menu": False, "hide_iframe": False,
        "is_test": bool(is_test), "attempts": 1, "decision_status": None, "prescreening_id": None,
        "invites_sent": 0, "created_at": stamp, "updated_at": stamp,
    }
    state.enrolments[enrolment["id"]] = enrolment
    return enrolment


def already_screened(state, enrolment: dict | None) -> dict | None:
    if enrolment is None or not enrolment.get("prescreening_id"):
        return None
    return {"decision_status": enrolment.get("decision_status") or "unknown",
            "message": "The candidate is not in the pre-screening candidate_action state: this candidate was "
                       "already pre-screened for this position."}


def run_prescreening(sandbox, position: dict, profile: dict, enrolment: dict, resume: str, form=None,
                     country_code=None) -> dict:
    """Screen, record the pre-screening, charge it, set the enrolment decision; returns the record."""
    state = sandbox.state
    outcome = generation.screen(position, resume, form, country_code or profile.get("country_code"))
    record = {
        "success": True, **outcome, "profile_interview_id": enrolment["id"],
        "interview_result_pre_screening_id": new_id(), "interview_file_id": new_id(),
        "position_id": position["id"], "profile_id": profile["id"], "created_at": now_iso(),
        "_resume_text": resume,
    }
    state.prescreenings[record["interview_result_pre_screening_id"]] = record
    enrolment.update(prescreening_id=record["interview_result_pre_screening_id"],
                     decision_status=outcome["decision_status"], updated_at=now_iso())
    credits.charge_pre_screening(state, record, candidate_name=profile.get("name"))
    return record


def public_prescreening(record: dict) -> dict:
    keys = ("success", "decision_status", "recommendation", "profile_interview_id",
            "interview_result_pre_screening_id", "interview_file_id", "pre_screening_score", "resume_ai_analysis",
            "resume_ai_education", "resume_ai_technical_experience", "resume_ai_is_switching_profession",
            "processing_reason")
    return {k: record.get(k) for k in keys}


def _screen_request(sandbox, data: dict, resume: str, form: dict | None):
    state = sandbox.state
    if not is_email(data["candidate_email"]):
        raise invalid(f"candidate_email {data['candidate_email']!r} is not a valid email address.", "candidate_email")
    with state.lock:
        position = state.positions.get(data["position_id"])
        if position is None or position.get("status") == "deleted":
            raise ApiError(404, f"No pre-screening position with id {data['position_id']}.", "position_id")
        profile = upsert_candidate(state, email=data["candidate_email"], name=data["candidate_name"],
                                   external_id=data.get("candidate_external_id"),
                                   linkedin_url=data.get("candidate_linkedin_url"),
                                   country_code=data.get("candidate_country_code"))
        enrolment = state.find_enrolment(profile["id"], position_id=position["id"])
        early = already_screened(state, enrolment)
        if early:
            return c.ok(early)
        if enrolment is None:
            interview_ids = position.get("interview_ids") or []
            enrolment = new_enrolment(state, profile, interview_id=interview_ids[0] if interview_ids else None,
                                      position_id=position["id"])
        record = run_prescreening(sandbox, position, profile, enrolment, resume, form,
                                  data.get("candidate_country_code"))
    return c.ok(public_prescreening(record))


def handle_job_interview_pre_screening_api_resume_text(sandbox, request):
    data = c.body(request, RESUME_TEXT)
    return _screen_request(sandbox, data, data["candidate_resume"], data.get("form"))


def handle_job_interview_pre_screening_api_resume_binary(sandbox, request):
    if request.content_type != "multipart/form-data":
        raise invalid("Send the résumé as multipart/form-data with a file part named 'file'.", "file")
    fields, files = request.form()
    data = validate(fields, RESUME_BINARY)
    upload = files.get("file")
    if upload is None or not upload.data:
        raise invalid("file is required (the résumé as a file part).", "file")
    form = None
    if fields.get("form"):
        try:
            form = json.loads(fields["form"])
        except ValueError:
            raise invalid("form must be a JSON-encoded object.", "form") from None
        form = validate({"form": form}, {"form": FORM})["form"]
    try:
        text = documents.extract_text(upload.data, filename=upload.filename or "").text
    except documents.DocumentError as exc:
        raise invalid(exc.message, "file") from None
    return _screen_request(sandbox, data, text, form)
