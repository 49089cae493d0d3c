"""Pieces shared by the endpoint handlers: enum sets, request parsing, pagination, URLs, quirks."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from mojito import vocabulary as v
from mojito.sandbox.http import Request, Response
from mojito.sandbox import tokens
from mojito.sandbox.state import now_iso
from mojito.sandbox.validation import F, ApiError, invalid, validate

LANGUAGES = v.values(v.Language)
CREATE_STATUS = v.values(v.CreateStatus)
INTERVIEW_STATUS = v.values(v.InterviewStatus)
CREATE_TYPE = v.values(v.CreateType)
INTERVIEW_TYPE = v.values(v.InterviewType)
CREATE_VISIBILITY = v.values(v.CreateVisibility)
RECORDING = v.values(v.Recording)
RECORDING_FULL = v.values(v.RecordingFullSession)
STYLE = v.values(v.InterviewStyle)
SENIORITY = v.values(v.SeniorityLevel)
RESULT_VIEW = v.values(v.ResultView)
SPEED = v.values(v.ConversationSpeed)
VIDEO_INTRO = v.values(v.VideoIntroductionInput)
TEMPLATE_TYPES = v.values(v.AvatarTemplateType)
LEGACY_TEMPLATE_TYPES = frozenset(str(t) for t in v.LEGACY_TEMPLATE_TYPES)
TRUE_FALSE = frozenset({"true", "false"})

PAGING = {
    "limit": F("integer", minimum=1, maximum=1000),
    "offset": F("integer", minimum=0),
}

HIRING_FOR_COMPANY = F("object", props={k: F("string") for k in
                                        ("name", "description", "location", "sector", "company_size")})
PDF_AUTO_CONFIG = F("object", props={
    "mojito_language_code": F("string", null=False),  # a plain string in the spec
    **{k: F("boolean", null=False) for k in (
        "contact_details", "ai_recruiter_assessment", "ai_scoring_rubric", "analytics", "files", "transcript",
        "answer_recording", "session_recording", "group_by_question")},
    "template": F("string", null=False, enum=v.values(v.ReportTemplate)),
})


def strings(*names: str) -> dict[str, F]:
    return {name: F("string") for name in names}


def booleans(*names: str) -> dict[str, F]:
    return {name: F("boolean") for name in names}


# --- request parsing ----------------------------------------------------------------------------

def json_body(request: Request) -> dict:
    """The JSON object body of a write request (422 when it is not one)."""
    if not request.body.strip():
        return {}
    try:
        data = request.json()
    except (ValueError, UnicodeDecodeError):
        raise invalid("The request body must be valid JSON.") from None
    if not isinstance(data, dict):
        raise invalid("The request body must be a JSON object.")
    return data


def body(request: Request, schema: dict[str, F]) -> dict:
    return validate(json_body(request), schema)


def _as_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return value


def read_params(request: Request, schema: dict[str, F], aliases: dict[str, str] | None = None) -> dict:
    """Parameters of a read: the query string (GET) or query + JSON body (POST, §8 of the reference)."""
    data = dict(request.query)
    if request.method == "POST" and request.content_type != "multipart/form-data":
        data.update({k: _as_text(val) for k, val in json_body(request).items()})
    for alias, name in (aliases or {}).items():
        if data.get(name) in (None, "") and data.get(alias) not in (None, ""):
            data[name] = data.pop(alias)
    return validate(data, schema, query=True)


def paginate(rows: list, params: dict) -> dict:
    limit = params.get("limit") or 50
    offset = params.get("offset") or 0
    page = rows[offset:offset + limit]
    return {
        "data": page,
        "pagination": {"total": len(rows), "limit": limit, "offset": offset,
                       "has_more": offset + len(page) < len(rows)},
    }


def text_match(needle: str | None, *haystack) -> bool:
    if not needle:
        return True
    needle = needle.lower()
    return any(needle in (h or "").lower() for h in haystack)


def ok(data, status: int = 200) -> Response:
    return Response.json(data, status=status)


# --- quirks -------------------------------------------------------------------------------------

def not_found(sandbox, message: str, field: str | None, *, status: int = 404, quirk_status: int | None = None):
    """An unknown-id error with the status the reference documents (or its quirk, when switched on)."""
    if quirk_status and sandbox.state.config.quirks_500_for_authorization:
        return ApiError(quirk_status, message, field)
    return ApiError(status, message, field)


# --- URLs handed out ----------------------------------------------------------------------------

def interview_url(sandbox, enrolment: dict, *, hide_menu: bool = False, hide_iframe: bool = False) -> str:
    """Mint a fresh interview_token (a JWT, see mojito.sandbox.tokens) for the enrolment and return
    the candidate-page URL; the enrolment's previous token stops working."""
    token = tokens.mint(sandbox.state, audience="interview", subject=enrolment["id"], token_type="interview-for-profile")
    params = {"interview_token": token}
    if hide_menu:
        params["view_hm"] = "true"
    if hide_iframe:
        params["view_hi"] = "true"
    url = f"{sandbox.base_url}/interview/take/{enrolment['id']}/?{urlencode(params)}"
    state = sandbox.state
    previous = enrolment.get("token")
    if previous:
        state.url_tokens.pop(previous, None)
    enrolment.update(token=token, url=url, hide_menu=hide_menu, hide_iframe=hide_iframe, updated_at=now_iso())
    state.url_tokens[token] = {"kind": "interview", "type": "interview-for-profile", "id": enrolment["id"],
                               "created_at": now_iso()}
    return url


def result_url(sandbox, token_type: str, object_id: str, *, hide_menu: bool = True) -> str:
    token = tokens.mint(sandbox.state, audience="result", subject=object_id, token_type=token_type)
    params = {"interview_token": token}
    if hide_menu:
        params["view_hm"] = "true"
    sandbox.state.url_tokens[token] = {"kind": "result", "type": token_type, "id": object_id,
                                       "created_at": now_iso()}
    return f"{sandbox.base_url}/interview/result/{object_id}/?{urlencode(params)}"


def dumps(data) -> str:
    return json.dumps(data, sort_keys=True)
