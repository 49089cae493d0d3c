"""Sample JobMojito responses shaped like the spec, the helpers the client tests share, and the
tests that keep the samples honest (every sample validates against the spec's JSON Schema).

Other test modules import from here: ``SAMPLES``, ``CALLS``, ``Recorder``, ``make_client``,
``parse_multipart``, ``validate``.
"""

from __future__ import annotations

import copy
import json
from email import policy
from email.parser import BytesParser
from pathlib import Path

import httpx
import jsonschema
import pytest

from mojito.client import MojitoClient

SPEC = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "jobmojito-spec-core.json").read_text())
ENDPOINTS = SPEC["endpoints"]

BASE_URL = "https://jm.example.test/functions/v1"
TOKEN = "tok-5ecret-bearer-9f8e7d"  # distinctive: the secrets tests grep for it

INTERVIEW_ID = "0f8a2c7e-1b3d-4e5f-8a9b-0c1d2e3f4a5b"
POSITION_ID = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
RESULT_ID = "93c98d21-e04d-4a84-9afa-ed154cf73636"
PROFILE_INTERVIEW_ID = "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e"
PROFILE_ID = "3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f"
TEMPLATE_ID = "baa3bf7c-6926-46fd-9005-16738a31f72d"
MERCHANT_ID = "28106cba-1c27-4e53-b149-32113e5e8e31"
KB_STORE_ID = "d9d6f121-1230-48fd-b3a7-8b5a1e8db052"
EMBED_ID = "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a"
SIGNING_KEY = "embed-signing-key-SECRET-7c1e55aa"
INTERVIEW_URL = (f"https://interviews.example.com/interview/take/{INTERVIEW_ID}/"
                 "?interview_token=eyJhbGciOiJFUzI1NiJ9.e30.sig&view_hm=true")


def _first_type(schema: dict):
    t = schema.get("type")
    if isinstance(t, list):
        t = next((x for x in t if x != "null"), "null")
    return t


def filler(schema: dict):
    """A minimal valid value for a schema (used to complete required keys of hand-written samples)."""
    if "anyOf" in schema:
        return filler(schema["anyOf"][0])
    if "enum" in schema:
        return next(v for v in schema["enum"] if v is not None)
    t = _first_type(schema)
    if t == "object":
        return {k: filler(schema["properties"][k]) for k in schema.get("required", [])}
    return {"string": "x", "number": 1, "integer": 1, "boolean": False, "array": [], "null": None}.get(t)


def complete(schema: dict, partial: dict) -> dict:
    out = {k: filler(schema["properties"][k]) for k in schema.get("required", [])}
    out.update(partial)
    return out


def response_schema(endpoint: str, status: str = "200") -> dict:
    return ENDPOINTS[endpoint]["responses"][status]


def validate(endpoint: str, instance, status: str = "200") -> None:
    jsonschema.Draft202012Validator(response_schema(endpoint, status)).validate(instance)


def validate_request(endpoint: str, instance) -> None:
    jsonschema.Draft202012Validator(ENDPOINTS[endpoint]["request"]).validate(instance)


def _page(rows, *, total=None, offset=0, limit=50):
    total = len(rows) + offset if total is None else total
    return {"data": rows, "pagination": {"total": total, "limit": limit, "offset": offset,
                                         "has_more": offset + len(rows) < total}}


SAMPLES: dict = {
    "job-interview-create": {
        "interview_def_set_id": INTERVIEW_ID, "questions_generated": 8, "max_duration": 1200,
        "embed_id": EMBED_ID, "embed_signing_key": SIGNING_KEY, "unknown_future_key": {"a": 1},
    },
    "job-interview-create-from-array": {"interview_def_set_id": INTERVIEW_ID},
    "job-interview-create-for-candidate-with-token": {
        "status": "ai_accept", "interview_url": INTERVIEW_URL, "position_def_set_id": POSITION_ID,
        "interview_def_set_id": INTERVIEW_ID, "profile_interview_id": PROFILE_INTERVIEW_ID,
    },
    "job-interview-get": complete(response_schema("job-interview-get"), {
        "name": "Project manager", "created_at": "2026-01-05T10:00:00Z", "updated_at": "2026-01-06T10:00:00Z",
        "questions": [
            {"id": "q1", "question": "Tell us about a project you led.", "duration": 120,
             "mojito_language_code": "en", "label": None, "is_conditional": False, "external_id": "ext-1",
             "candidate_expectations_json": {"weak": ["vague"], "moderate": ["clear"], "strong": ["metrics"]}},
            {"id": "q2", "question": "How do you handle scope creep?", "duration": None},
        ],
        "is_multistage": False, "status": "active", "visibility": "merchant_public", "stage": "Interest",
        "type": "interview", "interview_location": "remote", "merchant_id": MERCHANT_ID,
        "interview_template_id": TEMPLATE_ID, "interview_template_type": "interactive_heygen",
        "is_voice_only": False, "mojito_language_code": "en", "max_duration": 1200, "tags": ["pm"],
        "result_scoring": {"max_retries": 2}, "unknown_future_key": True,
    }),
    "job-interview-set-state": {"success": True},
    "job-interview-token": INTERVIEW_URL,
    "job-interview-result-request-another-attempt": {},
    "invite-users": [
        {"email": "ann@example.com", "name": "Ann", "type": "candidate", "interview_id": INTERVIEW_ID,
         "result": "Invited", "profile_id": PROFILE_ID, "profile_interview_id": PROFILE_INTERVIEW_ID},
        {"email": "not-an-email", "name": "Bob", "type": "candidate", "interview_id": INTERVIEW_ID,
         "result": "Error: invalid email", "profile_id": None, "profile_interview_id": None},
        {"email": "cy@example.com", "name": None, "type": "merchant", "interview_id": None, "result": "Skipped",
         "extra": 1},
    ],
    "job-interview-register-users": [
        {"name": "Peter Parker", "email": "peter.parker@example.com", "external_id": "abcd", "result": "ok",
         "interview_url": INTERVIEW_URL, "profile_interview_id": PROFILE_INTERVIEW_ID},
        {"name": "Bad", "email": "bad@", "external_id": None, "result": "Error: invalid email"},
    ],
    "job-interview-details": {
        "score": 7.5, "score_simulation": None, "score_text": "Good", "status": "completed",
        "start": "2026-01-07T09:00:00Z", "end": "2026-01-07T09:20:00Z", "duration": 12000,
        "ai_analysis": "Solid answers.", "ai_analysis_recruiter": "Hire.",
        "ai_analysis_other": {"hiring_reasons": {"reasons_to_hire": ["clear"], "reasons_not_to_hire": []}},
        "recruiter_risks": None, "recording_url": None,
        "transcript": [
            {"id": "t1", "is_answer": False, "question_asked": "Tell us about a project you led.",
             "question_original_id": "q1"},
            {"id": "t2", "is_answer": True, "answer": "I led a migration.", "score": 8, "duration": 600,
             "future": "x"},
        ],
        "unknown_future_key": [1, 2],
    },
    "job-interview-pdf": {"pdf_export_url": "https://files.example.com/r.pdf?sig=abc",
                          "pdf_export_valid_until": "2026-01-08T00:00:00Z"},
    "pre-screening-create": {"created": True, "position_def_set_id": POSITION_ID,
                             "interview_pre_screening_id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b"},
    "job-interview-pre-screening-api-resume-text": {
        "success": True, "decision_status": "recruiter_action", "recommendation": "recruiter_action",
        "profile_interview_id": PROFILE_INTERVIEW_ID, "interview_result_pre_screening_id": "pre-1",
        "interview_file_id": "file-1", "pre_screening_score": 6.5, "resume_ai_analysis": "Matches most.",
        "resume_ai_education": "masters", "resume_ai_technical_experience": 5,
        "resume_ai_is_switching_profession": False, "processing_reason": None,
    },
    "job-interview-pre-screening-api-resume-binary": {
        "success": True, "decision_status": "ai_accept", "recommendation": None,
        "profile_interview_id": PROFILE_INTERVIEW_ID, "interview_result_pre_screening_id": "pre-2",
        "interview_file_id": "file-2", "pre_screening_score": 8, "resume_ai_analysis": None,
        "resume_ai_education": None, "resume_ai_technical_experience": None,
        "resume_ai_is_switching_profession": None, "processing_reason": None,
    },
    "knowledge-base-document-upload": {"knowledge_base_id": "6f7a8b9c-0d1e-4f2a-8b3c-4d5e6f7a8b9c"},
    "merchant-avatar-list": _page([
        {"id": TEMPLATE_ID, "merchant_id": MERCHANT_ID, "name": "Anna", "type": "interactive_heygen",
         "status": "active", "visibility": "merchant_public", "mojito_language_code": "en",
         "background_blur": 0.4, "video_background_remove": True},
        {"id": "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d", "name": "Voice", "type": "interactive_elevenlabs"},
    ], total=5, limit=2),
    "merchant-result-list": _page([
        {"id": "pr-1", "interview_result_id": RESULT_ID, "candidate_name": "Ann", "candidate_email": "ann@x.io",
         "score": 7.5, "status": "active", "coach_status": "completed", "is_test": False, "duration_ds": 12000,
         "recruiter_risks": {"tab_switch": 2}},
    ]),
    "merchant-candidate-list": _page([
        {"id": PROFILE_INTERVIEW_ID, "profile_id": PROFILE_ID, "name": "Ann", "email": "ann@x.io",
         "status": "active", "interview_count": 1},
    ]),
    "merchant-interview-list": _page([
        {"id": INTERVIEW_ID, "name": "Project manager", "type": "interview", "status": "active",
         "environment": "test", "is_multi_stage": False, "interview_count": 3, "calc_duration": None},
    ]),
    "merchant-status": {
        "profile_id": PROFILE_ID, "default_merchant_id": MERCHANT_ID, "merchant_id": MERCHANT_ID,
        "credits_interview_monthly": 40, "credits_interview_monthly_limit": 50, "credits_interview_extra": 0,
        "credits_interview_single": None, "definitions_active": 3, "interviews_without_credits": 0,
        "interviews_undecided": 2, "interviews_ongoing": 1, "interview_results": 10, "candidates": 12,
        "candidates_history": [1] * 14, "interview_result_history": [0] * 14, "subscription_type": "Growth",
        "subscription_status": "active", "invitations_sent": 5, "invitations_limit": 160,
        "invitations_available": 155,
    },
}

SET_STATE_EMBED = {"embed_id": EMBED_ID, "embed_signing_key": SIGNING_KEY}
PDF_HTML = {"html_export": "<html><body>Report</body></html>"}
PDF_JSON = {"json_export": {"results": [{"data": {"score": 7}, "files": [
    {"type": "resume", "page": 1, "page_signed": "https://files.example.com/p1?sig=x"}]}]}}
PRESCREEN_EARLY_EXIT = {"decision_status": "unknown", "message": "Candidate already screened."}


# Every client method, called the way a service would: endpoint -> callable(client).
CALLS = {
    "job-interview-create": lambda c: c.create_interview(
        name="Project manager", location="remote", interview_template_id=TEMPLATE_ID, mojito_language_code="en",
        status="active", type="interview", visibility="merchant_public", is_embedded=True),
    "job-interview-create-from-array": lambda c: c.create_interview_from_questions(
        name="PM", location="remote", interview_template_id=TEMPLATE_ID, mojito_language_code="en",
        description="PM role", status="draft", type="interview", visibility="merchant_invite",
        questions=[{"question": "Why us?"}]),
    "job-interview-create-for-candidate-with-token": lambda c: c.create_interview_for_candidate(
        candidate_name="John", candidate_email="john@example.com", candidate_country_code="HR",
        candidate_resume="Curriculum Vitae ...", position_def_set_id=POSITION_ID),
    "job-interview-get": lambda c: c.get_interview_definition(INTERVIEW_ID),
    "job-interview-set-state": lambda c: c.set_interview_state(INTERVIEW_ID, status="active"),
    "job-interview-token": lambda c: c.generate_interview_url("interview-result-candidate",
                                                             interview_result_id=RESULT_ID),
    "job-interview-result-request-another-attempt": lambda c: c.request_another_interview_attempt(RESULT_ID),
    "invite-users": lambda c: c.invite_users([{"email": "ann@example.com", "type": "candidate",
                                                "interview_id": INTERVIEW_ID}]),
    "job-interview-register-users": lambda c: c.register_users_for_interview(
        INTERVIEW_ID, [{"name": "Peter Parker", "email": "peter.parker@example.com"}]),
    "job-interview-details": lambda c: c.get_interview_result_details(RESULT_ID),
    "job-interview-pdf": lambda c: c.generate_interview_report(export_type="pdf", interview_result_id=RESULT_ID),
    "pre-screening-create": lambda c: c.upsert_pre_screening(update_position_def_set_id=POSITION_ID,
                                                             status="active"),
    "job-interview-pre-screening-api-resume-text": lambda c: c.pre_screen_resume_text(
        position_id=POSITION_ID, candidate_name="Jane", candidate_email="jane@example.com",
        candidate_resume="Jane Doe. Ten years of Python."),
    "job-interview-pre-screening-api-resume-binary": lambda c: c.pre_screen_resume_binary(
        position_id=POSITION_ID, candidate_name="Jane", candidate_email="jane@example.com",
        file=b"%PDF-1.4 resume", filename="cv.pdf"),
    "knowledge-base-document-upload": lambda c: c.upload_knowledge_base_document(
        knowledge_base_store_id=KB_STORE_ID, file=b"handbook", filename="handbook.txt"),
    "merchant-avatar-list": lambda c: c.list_avatars(),
    "merchant-result-list": lambda c: c.list_interview_results(),
    "merchant-candidate-list": lambda c: c.list_candidates(),
    "merchant-interview-list": lambda c: c.list_interviews(),
    "merchant-status": lambda c: c.get_merchant_status(),
}


class Recorder:
    """An httpx.MockTransport handler: records requests, answers from a queue (or one fixed reply).

    Each queued item is an ``httpx.Response``, a JSON-able body (-> 200), an exception instance
    (raised), or a callable(request) returning one of those.
    """

    def __init__(self, *replies):
        self.replies = list(replies)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        if callable(reply) and not isinstance(reply, httpx.Response):
            reply = reply(request)
        if isinstance(reply, BaseException):
            raise reply
        if isinstance(reply, httpx.Response):
            return reply
        return httpx.Response(200, json=copy.deepcopy(reply))

    @property
    def count(self) -> int:
        return len(self.requests)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


class FakeClock:
    """A monotonic clock that sleeping advances, so deadline tests take no real time."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def make_client(recorder: Recorder, *, clock: FakeClock | None = None, **kwargs) -> MojitoClient:
    clock = clock or FakeClock()
    kwargs.setdefault("record_calls", False)
    client = MojitoClient(BASE_URL, TOKEN, transport=httpx.MockTransport(recorder), sleep=clock.sleep, **kwargs)
    client._clock = clock
    client.fake_clock = clock
    return client


def parse_multipart(request: httpx.Request) -> dict[str, tuple[str | None, str | None, bytes]]:
    """name -> (filename, content type, bytes) of a multipart/form-data request."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = BytesParser(policy=policy.default).parsebytes(head + request.content)
    assert message.is_multipart()
    parts = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        parts[name] = (part.get_filename(), part.get_content_type() if part.get_filename() else None,
                       part.get_payload(decode=True))
    return parts


# --- the samples are honest -------------------------------------------------------------------

@pytest.mark.parametrize("endpoint", sorted(SAMPLES))
def test_sample_matches_spec(endpoint):
    validate(endpoint, SAMPLES[endpoint])


@pytest.mark.parametrize("endpoint,sample", [
    ("job-interview-set-state", SET_STATE_EMBED),
    ("job-interview-pdf", PDF_HTML),
    ("job-interview-pdf", PDF_JSON),
    ("job-interview-pre-screening-api-resume-text", PRESCREEN_EARLY_EXIT),
    ("job-interview-pre-screening-api-resume-binary", PRESCREEN_EARLY_EXIT),
])
def test_variant_samples_match_spec(endpoint, sample):
    validate(endpoint, sample)


def test_every_spec_endpoint_has_a_sample_and_a_call():
    assert set(SAMPLES) == set(ENDPOINTS) == set(CALLS)


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_error_envelope_matches_spec(endpoint):
    for status, schema in ENDPOINTS[endpoint]["responses"].items():
        if status != "200":
            validate(endpoint, {"error": "Field is required.", "name": "interview_template_id"}, status)
