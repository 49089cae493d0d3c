"""Interview definitions: create (AI / from questions), get, set-state, list; embed keys."""

from __future__ import annotations

import re
import secrets

from mojito.sandbox import generation
from mojito.sandbox.api import common as c
from mojito.sandbox.state import new_id, now_iso
from mojito.sandbox.validation import F, ApiError, invalid

# --- request schemas ----------------------------------------------------------------------------

QUESTION = F("object", props={
    "question": F("string", required=True, min_length=1),
    "id": F("string"),
    "duration": F("number", minimum=0),
    "mojito_language_code": F("string", enum=c.LANGUAGES),
    "label": F("string"),
    **c.booleans("is_conditional", "is_without_scoring", "is_candidate_asking_recruiter", "is_expert",
                 "is_multiple_choice"),
    "question_alternatives": F("array", items=F("string", null=False)),
    "conditional_question_main_id": F("string"),
    "knowledge_base_id": F("string"),
    "external_id": F("string"),
    "external_data": F("object"),
    "candidate_expectations_json": F("object"),
})

COMMON_CREATE = {
    "name": F("string", required=True, min_length=1),
    "location": F("string", required=True, min_length=1),
    "interview_template_id": F("string", required=True, min_length=1),
    "mojito_language_code": F("string", required=True, enum=c.LANGUAGES),
    "status": F("string", required=True, enum=c.CREATE_STATUS),
    "type": F("string", required=True, enum=c.CREATE_TYPE),
    "visibility": F("string", required=True, enum=c.CREATE_VISIBILITY),
    "recording": F("string", enum=c.RECORDING),
    "recording_full_session": F("string", enum=c.RECORDING_FULL),
    "interview_type": F("string", enum=c.STYLE),
    "seniority_level": F("string", enum=c.SENIORITY),
    "result_view": F("string", enum=c.RESULT_VIEW),
    "interview_conversation_speed": F("string", enum=c.SPEED),
    "candidate_video_introduction": F("string", enum=c.VIDEO_INTRO),
    "interview_attempts": F("number", minimum=1, maximum=20),
    "max_followups": F("integer", minimum=0, maximum=999),
    "questions_random_subset": F("number", minimum=0.01, maximum=0.9),
    **c.strings("interview_tone", "code", "cover_image_url", "interview_department", "interview_salary",
                "interview_available_till", "recruiter_profile_id", "merchant_id", "knowledge_base_store_id",
                "description", "description_long", "candidate_expectations", "welcome_message",
                "thank_you_message", "instructional_video_custom_text"),
    "hiring_for_company": c.HIRING_FOR_COMPANY,
    "tags": F("array", items=F("string", null=False)),
    "additional_context": F("object"),
    "custom_scoring": F("object"),
    "pdf_export_auto_config": c.PDF_AUTO_CONFIG,
    **c.booleans("is_embedded", "instructional_video", "required_pronunciation", "result_enable_edit_transcript"),
}

CREATE = {
    **COMMON_CREATE,
    "interview_template_id": F("string", required=True, min_length=1, uuid=True),
    "interview_type": F("string", null=False, enum=c.STYLE),
    "interview_length": F(("number", "string")),  # a number of questions; other text -> the default count
    "max_duration": F("number"),  # the spec gives no range; 0 or less -> the 1200 s default
    **c.booleans("include_rapport_question", "include_closing_prompt", "use_enhanced_expectations"),
}

CREATE_FROM_ARRAY = {
    **COMMON_CREATE,
    "description": F("string", required=True, min_length=1),
    "questions": F("array", required=True, min_items=1, items=QUESTION),
    "candidate_expectations_json": F("object", props={
        k: F("array", null=False, items=F("string", null=False)) for k in ("weak", "moderate", "strong")}),
    "disable_deduplication": F("boolean"),
    # the spec gives these no range here (unlike job-interview-create)
    "interview_attempts": F("number"),
    "questions_random_subset": F("number"),
}

GET = {"position_id": F("string", required=True, min_length=1, uuid=True)}

SET_STATE = {
    "position_id": F("string", required=True, min_length=1, uuid=True),
    "status": F("string", enum=c.INTERVIEW_STATUS),
    "is_embedded": F("boolean"),
}

INTERVIEW_LIST = {
    "merchant_id": F("string", uuid=True),
    "type": F("string", enum=c.INTERVIEW_TYPE),
    "status": F("string", enum=c.INTERVIEW_STATUS),
    "show_public": F("string", enum=c.TRUE_FALSE),
    "show_demo": F("string", enum=c.TRUE_FALSE),
    **c.strings("filter_text", "filter_emoji"),
    **c.PAGING,
}

SPEECH_LOCALES = {
    "en": ("en-US", "English (United States)"), "de": ("de-DE", "German (Germany)"),
    "fr": ("fr-FR", "French (France)"), "es": ("es-ES", "Spanish (Spain)"), "nl": ("nl-NL", "Dutch (Netherlands)"),
    "it": ("it-IT", "Italian (Italy)"), "pt": ("pt-PT", "Portuguese (Portugal)"), "br": ("pt-BR", "Portuguese (Brazil)"),
    "pl": ("pl-PL", "Polish (Poland)"), "cs": ("cs-CZ", "Czech (Czechia)"), "hr": ("hr-HR", "Croatian (Croatia)"),
}

QUESTION_KEYS = ("question", "id", "duration", "mojito_language_code", "label", "is_conditional",
                 "is_without_scoring", "is_candidate_asking_recruiter", "is_expert", "is_multiple_choice",
                 "question_alternatives", "conditional_question_main_id", "knowledge_base_id", "external_id",
                 "external_data", "candidate_expectations_json")


# --- helpers shared with other families --------------------------------------------------------

def resolve_template(sandbox, template_id: str | None, *, quirk_status: int | None = None) -> dict:
    """The avatar template to create with (422 when unknown, deleted or legacy)."""
    template = sandbox.state.templates.get(template_id or "")
    if template is None or template.get("status") == "deleted":
        raise c.not_found(sandbox, f"interview_template_id {template_id!r} does not match any avatar template.",
                          "interview_template_id", status=422, quirk_status=quirk_status)
    if template["type"] in c.LEGACY_TEMPLATE_TYPES:
        raise invalid(f"Avatar template {template['name']!r} is a legacy {template['type']} template and cannot "
                      "be used to create new interviews; pick another from merchant-avatar-list.",
                      "interview_template_id")
    return template


def default_template(sandbox) -> dict:
    for template in sandbox.state.templates.values():
        if template["type"] == "interactive_heygen" and template.get("status") == "active":
            return template
    return next(t for t in sandbox.state.templates.values() if t["type"] not in c.LEGACY_TEMPLATE_TYPES)


def ensure_embed(sandbox, interview_id: str, position_id: str | None = None) -> dict:
    """The interview's embed key, created when it has none ("ensures a key exists")."""
    state = sandbox.state
    for embed in state.embeds.values():
        if embed["interview_id"] == interview_id:
            return embed
    embed = {"embed_id": new_id(), "embed_signing_key": secrets.token_hex(32), "interview_id": interview_id,
             "position_id": position_id, "created_at": now_iso()}
    state.embeds[embed["embed_id"]] = embed
    if interview_id in state.interviews:
        state.interviews[interview_id]["_embed_id"] = embed["embed_id"]
    return embed


def remove_embeds(sandbox, interview_id: str) -> None:
    state = sandbox.state
    for embed_id in [k for k, e in state.embeds.items() if e["interview_id"] == interview_id]:
        del state.embeds[embed_id]
    if interview_id in state.interviews:
        state.interviews[interview_id]["_embed_id"] = None


def embed_fields(embed: dict) -> dict:
    return {"embed_id": embed["embed_id"], "embed_signing_key": embed["embed_signing_key"]}


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "interview"


def store_questions(raw_questions: list[dict], language: str) -> list[dict]:
    """Give each question a real id, resolving caller-local ids of conditional parents."""
    local_to_real: dict[str, str] = {}
    stored = []
    for index, raw in enumerate(raw_questions):
        question = {key: raw.get(key) for key in QUESTION_KEYS}
        question.update({k: val for k, val in raw.items() if k not in question})
        real_id = new_id()
        if raw.get("id"):
            local_to_real[str(raw["id"])] = real_id
        parent = raw.get("conditional_question_main_id")
        if parent:
            if str(parent) not in local_to_real:
                raise invalid(f"questions[{index}].conditional_question_main_id must name the id of an earlier "
                              "question in the same array.", f"questions[{index}].conditional_question_main_id")
            question["conditional_question_main_id"] = local_to_real[str(parent)]
        question["id"] = real_id
        question["mojito_language_code"] = question.get("mojito_language_code") or language
        stored.append(question)
    return stored


def build_interview(sandbox, data: dict, template: dict, questions: list[dict], *, position_id=None) -> dict:
    """A definition record in job-interview-get shape (plus private keys) from validated create fields."""
    stamp = now_iso()
    language = data["mojito_language_code"]
    locale, locale_name = SPEECH_LOCALES.get(language, (f"{language}-{language.upper()}", language))
    kind = data.get("type") or "interview"
    scoring = dict(data.get("custom_scoring") or {})
    if data.get("interview_attempts") is not None:
        scoring["max_retries"] = int(data["interview_attempts"])
    description = data.get("description") or generation.generate_description(data["name"], data.get("location"))
    interview_id = new_id()
    return {
        "id": interview_id,
        "name": data["name"],
        "created_at": stamp,
        "updated_at": stamp,
        "calc_definition_json": None,
        "questions": questions,
        "is_multistage": False,
        "status": data.get("status") or "draft",
        "visibility": data.get("visibility") or "merchant_invite",
        "stage": "Interest",
        "type": kind,
        "code": data.get("code") or None,
        "interview_location": data.get("location"),
        "cover_image_url": data.get("cover_image_url"),
        "merchant_id": sandbox.state.config.merchant_id,
        "interview_template_id": template["id"],
        "interview_template_type": template["type"],
        "is_voice_only": template["type"] == "interactive_elevenlabs",
        "knowledge_base_store_id": data.get("knowledge_base_store_id"),
        "mojito_language_code": language,
        "speech_language_code": locale,
        "speech_language_name": locale_name,
        "recording": data.get("recording"),
        "recording_full_session": data.get("recording_full_session"),
        "type_credit": "interview_coach_manager" if kind == "coaching" else None,
        "result_view": data.get("result_view"),
        "candidate_video_introduction": data.get("candidate_video_introduction"),
        "description": description,
        "interview_description_long": data.get("description_long")
        or (f"## {data['name']}\n\n{description}" if kind in ("interview", "assessment") else None),
        "candidate_expectations": data.get("candidate_expectations"),
        "candidate_expectations_json": data.get("candidate_expectations_json")
        or generation.generate_expectations(data["name"], description, data.get("candidate_expectations")),
        "result_scoring": scoring or None,
        "creation_parameters": {
            "interview_type": data.get("interview_type") or "pre-screening",
            "interview_tone": (data.get("interview_tone") or "relaxed").lower(),
            "interview_length": data.get("interview_length"),
            "additional_context": data.get("additional_context"),
            "include_rapport_question": bool(data.get("include_rapport_question")),
            "include_closing_prompt": data.get("include_closing_prompt", True) is not False,
            "knowledge_base_store_id": data.get("knowledge_base_store_id"),
            "seniority_level": data.get("seniority_level"),
            "hiring_for_company": data.get("hiring_for_company"),
        },
        "interview_department": data.get("interview_department") or None,
        "interview_salary": data.get("interview_salary") or None,
        "interview_available_till": data.get("interview_available_till"),
        "recruiter_profile_id": data.get("recruiter_profile_id"),
        "slug": f"{slugify(data['name'])}-{interview_id[:8]}",
        "tags": data.get("tags"),
        "coach_plan": None,
        "interview_conversation_speed": data.get("interview_conversation_speed") or "normal",
        "max_followups": data.get("max_followups"),
        "max_duration": _duration(data.get("max_duration")),
        "questions_random_subset": data.get("questions_random_subset"),
        "required_pronunciation": bool(data.get("required_pronunciation")),
        "result_enable_edit_transcript": data.get("result_enable_edit_transcript", True) is not False,
        "pdf_export_auto_config": data.get("pdf_export_auto_config"),
        # accepted on create, not returned by job-interview-get (the candidate page shows them)
        "_welcome_message": data.get("welcome_message"),
        "_thank_you_message": data.get("thank_you_message"),
        "_position_id": position_id,
        "_embed_id": None,
    }


def public_definition(interview: dict) -> dict:
    """The job-interview-get body: exactly the properties the spec declares (no ``id``: the caller
    asked by it), questions with their declared keys only."""
    body = {key: interview.get(key) for key in GET_KEYS}
    if isinstance(body["questions"], list):
        body["questions"] = [{key: q.get(key) for key in QUESTION_KEYS} for q in body["questions"]]
    return body


def position_definition(position: dict) -> dict:
    """job-interview-get for a multi-stage position: identity fields, the rest null."""
    keys = c_get_required_keys()
    body = {k: None for k in keys}
    body.update({
        "name": position.get("name"), "created_at": position.get("created_at"),
        "updated_at": position.get("updated_at"), "questions": None, "is_multistage": True,
        "status": position.get("status") or "draft", "visibility": position.get("visibility") or "merchant_invite",
        "stage": None, "type": "interview", "interview_location": position.get("location"),
        "merchant_id": position.get("merchant_id"), "mojito_language_code": position.get("mojito_language_code"),
        "description": position.get("description"), "interview_description_long": position.get("description_long"),
        "candidate_expectations": position.get("candidate_expectations"), "tags": None,
    })
    return body


def c_get_required_keys() -> tuple:
    return ("name", "created_at", "updated_at", "questions", "is_multistage", "status", "visibility", "stage",
            "type", "code", "interview_location", "cover_image_url", "merchant_id", "interview_template_id",
            "interview_template_type", "is_voice_only", "knowledge_base_store_id", "mojito_language_code",
            "speech_language_code", "speech_language_name", "recording", "recording_full_session", "type_credit",
            "result_view", "candidate_video_introduction", "description", "interview_description_long",
            "candidate_expectations", "interview_department", "interview_salary", "interview_available_till",
            "recruiter_profile_id", "slug", "tags", "coach_plan", "interview_conversation_speed", "max_followups",
            "max_duration", "questions_random_subset", "required_pronunciation", "result_enable_edit_transcript")


def _duration(value) -> float:
    return value if isinstance(value, (int, float)) and value > 0 else 1200

# job-interview-get's declared properties: the required ones, then the optional ones.
GET_KEYS = c_get_required_keys() + ("calc_definition_json", "candidate_expectations_json", "result_scoring",
                                    "creation_parameters", "pdf_export_auto_config")


def _parse_length(value):
    """interview_length as a number of questions (clamped to 1..40 by question_count), or None for the
    default: the spec types it number | string, so text that is not a number is not an error."""
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return max(1.0, number) if number == number else None


# --- handlers -----------------------------------------------------------------------------------

def handle_job_interview_create(sandbox, request):
    data = c.body(request, CREATE)
    length = _parse_length(data.get("interview_length"))
    template = resolve_template(sandbox, data["interview_template_id"])
    count = generation.question_count(length, _duration(data.get("max_duration")))
    generated = generation.generate_questions(
        name=data["name"], description=data.get("description"), candidate_expectations=data.get("candidate_expectations"),
        seniority_level=data.get("seniority_level"), interview_type=data.get("interview_type"), count=count,
        mojito_language_code=data["mojito_language_code"])
    with sandbox.state.lock:
        interview = build_interview(sandbox, data, template, store_questions(generated, data["mojito_language_code"]))
        sandbox.state.interviews[interview["id"]] = interview
        answer = {"interview_def_set_id": interview["id"], "questions_generated": len(generated),
                  "max_duration": interview["max_duration"]}
        if data.get("is_embedded"):
            answer.update(embed_fields(ensure_embed(sandbox, interview["id"])))
    return c.ok(answer)


def handle_job_interview_create_from_array(sandbox, request):
    data = c.body(request, CREATE_FROM_ARRAY)
    template = resolve_template(sandbox, data["interview_template_id"], quirk_status=500)
    with sandbox.state.lock:
        questions = store_questions(data["questions"], data["mojito_language_code"])
        interview = build_interview(sandbox, data, template, questions)
        sandbox.state.interviews[interview["id"]] = interview
        answer = {"interview_def_set_id": interview["id"]}
        if data.get("is_embedded"):
            answer.update(embed_fields(ensure_embed(sandbox, interview["id"])))
    return c.ok(answer)


def handle_job_interview_get(sandbox, request):
    params = c.read_params(request, GET, aliases={"interview_id": "position_id"})
    position_id = params["position_id"]
    state = sandbox.state
    interview = state.live_interview(position_id)
    if interview is not None:
        return c.ok(public_definition(interview))
    position = state.positions.get(position_id)
    if position is not None and position.get("status") != "deleted":
        return c.ok(position_definition(position))
    raise ApiError(404, f"No interview or position with id {position_id}.", "position_id")


def handle_job_interview_set_state(sandbox, request):
    data = c.body(request, SET_STATE)
    if data.get("status") is None and data.get("is_embedded") is None:
        raise invalid("Provide status or is_embedded (or both).", "status")
    state = sandbox.state
    with state.lock:
        target = state.live_interview(data["position_id"])
        position = None
        if target is None:
            position = state.positions.get(data["position_id"])
            if position is None or position.get("status") == "deleted":
                raise c.not_found(sandbox, f"No interview or position with id {data['position_id']}.",
                                  "position_id", status=404, quirk_status=500)
        record = target or position
        if data.get("status"):
            record["status"] = data["status"]
            record["updated_at"] = now_iso()
            if position is not None:  # a position's status carries to its interviews
                for interview_id in position.get("interview_ids") or []:
                    if interview_id in state.interviews:
                        state.interviews[interview_id]["status"] = data["status"]
        interview_ids = [target["id"]] if target else list(position.get("interview_ids") or [])
        if data.get("is_embedded") is True:
            if not interview_ids:
                raise invalid("This position has no interview to embed yet.", "is_embedded")
            embed = ensure_embed(sandbox, interview_ids[0], position["id"] if position else target.get("_position_id"))
            return c.ok(embed_fields(embed))
        if data.get("is_embedded") is False:
            for interview_id in interview_ids:
                remove_embeds(sandbox, interview_id)
    return c.ok({"success": True})


def interview_row(state, interview: dict) -> dict:
    results = [r for r in state.results.values() if r.get("definition_id") == interview["id"]]
    last = max((r.get("created_at") or "" for r in results), default=None)
    template = state.templates.get(interview.get("interview_template_id") or "", {})
    return {
        "id": interview["id"], "merchant_id": interview.get("merchant_id"), "name": interview.get("name"),
        "emoji": None, "type": interview.get("type"), "type_avatar": template.get("type"),
        "status": interview.get("status"), "visibility": interview.get("visibility"),
        "mojito_language_code": interview.get("mojito_language_code"),
        "speech_language_code": interview.get("speech_language_code"), "environment": "test",
        "is_ats": False, "is_multi_stage": False, "recording": interview.get("recording"),
        "recording_full_session": interview.get("recording_full_session"), "billing_single_position": False,
        "billing_single_position_end_at": None, "cover_image_url": interview.get("cover_image_url"),
        "interview_count": len(results), "interview_last": last,
        "calc_duration": sum(q.get("duration") or 0 for q in interview.get("questions") or []) or None,
        "created_at": interview.get("created_at"), "updated_at": interview.get("updated_at"),
    }


def handle_merchant_interview_list(sandbox, request):
    params = c.read_params(request, INTERVIEW_LIST)
    state = sandbox.state
    kind = params.get("type") or "interview"
    status = params.get("status")
    with state.lock:
        rows = [
            interview_row(state, i) for i in state.interviews.values()
            if i.get("type") == kind
            and (i.get("status") == status if status else i.get("status") != "deleted")
            and c.text_match(params.get("filter_text"), i.get("name"))
        ]
    rows.sort(key=lambda r: r["updated_at"] or "", reverse=True)
    return c.ok(c.paginate(rows, params))

