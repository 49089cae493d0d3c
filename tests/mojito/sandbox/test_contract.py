"""Contract tests of the sandbox API against the reference's request/response schemas.

Per endpoint of tests/fixtures/jobmojito-spec-core.json: a valid request built from the
reference's example -> 200 and a body valid against the 200 schema; each required field missing
-> 422 naming it; each enum given a wrong value -> 422 naming it; no token / an unknown token -> 401.
Driven with raw httpx through ``Sandbox().transport()``.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import httpx
import jsonschema
import pytest

from mojito.sandbox import Sandbox
from mojito.sandbox.seed import TEMPLATE_IDS

SPEC = json.loads((Path(__file__).parents[2] / "fixtures" / "jobmojito-spec-core.json").read_text())
ENDPOINTS = SPEC["endpoints"]
TOKEN = "sandbox-token"

STRONG_RESUME = ("Senior Python developer with 8 years of experience building Django REST APIs on PostgreSQL; "
                 "Celery, Redis, Docker, AWS. MSc in Computer Science.")


# --- helpers (imported by the other sandbox test modules) ---------------------------------------

def api(sb: Sandbox, token: str | None = TOKEN) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(transport=sb.transport(), base_url="http://sandbox.test/functions/v1", headers=headers)


def send(client: httpx.Client, endpoint: str, payload: dict) -> httpx.Response:
    """GET with query parameters for reads, POST with a JSON body otherwise."""
    spec = ENDPOINTS.get(endpoint, {"method": "POST"})
    if spec["method"] == "GET":
        params = {k: (("true" if v else "false") if isinstance(v, bool) else v) for k, v in payload.items()}
        return client.get(f"/{endpoint}", params=params)
    return client.post(f"/{endpoint}", json=payload)


def create_interview(client, **overrides) -> str:
    body = {"name": "Python developer", "location": "Remote", "interview_template_id": TEMPLATE_IDS["interactive_heygen"],
            "mojito_language_code": "en", "description": "Python and Django developer", "status": "active",
            "type": "interview", "visibility": "merchant_invite",
            "questions": [{"question": "Tell us about a Django project you led."},
                          {"question": "How do you test a REST API?"}]}
    body.update(overrides)
    response = client.post("/job-interview-create-from-array", json=body)
    assert response.status_code == 200, response.text
    return response.json()["interview_def_set_id"]


def register(client, interview_id: str, email="ada@example.com", name="Ada Lovelace", **extra) -> dict:
    response = client.post("/job-interview-register-users",
                           json={"interview_id": interview_id, "users": [{"name": name, "email": email}], **extra})
    assert response.status_code == 200, response.text
    return response.json()[0]


def create_position(client, **overrides) -> str:
    body = {"position_name": "Python developer", "position_location": "Remote", "position_country_code": "US",
            "mojito_language_code": "en",
            "position_description": "Python developer building Django REST APIs with PostgreSQL, Celery and Docker",
            "candidate_expectations": "Django, PostgreSQL, REST APIs, testing",
            "assessment_rules": [{"id": "resume_match", "resume_score_reject": 3, "resume_score_accept": 7}]}
    body.update(overrides)
    response = client.post("/pre-screening-create", json=body)
    assert response.status_code == 200, response.text
    return response.json()["position_def_set_id"]


def submitted_result(sb: Sandbox, profile_interview_id: str, **fields) -> dict:
    base = dict(status="active", coach_status="completed", processing_status="completed", score=4.2,
                score_interview_ai=4.0, ai_analysis="Clear answers.", ai_analysis_recruiter="Strong candidate.",
                duration=5400, end="2026-01-01T10:09:00Z",
                transcript=[{"id": "q1", "is_answer": False, "question_original": "Tell us about Django.",
                             "question_asked": "Tell us about Django."},
                            {"id": "a1", "is_answer": True, "answer": "I built several Django apps.", "score": 4}])
    base.update(fields)
    return sb.state.add_result(profile_interview_id, **base)


def build_world(sb: Sandbox) -> dict:
    client = api(sb)
    interview_id = create_interview(client)
    row = register(client, interview_id)
    result = submitted_result(sb, row["profile_interview_id"])
    position_id = create_position(client)
    return {"interview_id": interview_id, "profile_interview_id": row["profile_interview_id"],
            "profile_id": sb.state.enrolments[row["profile_interview_id"]]["profile_id"], "result_id": result["id"], "position_id": position_id}


def valid_request(endpoint: str, world: dict) -> dict:
    """The reference's example request, with ids that exist in the sandbox."""
    payload = copy.deepcopy(ENDPOINTS[endpoint].get("example_request") or {})
    ids = {
        "job-interview-create": {"interview_template_id": TEMPLATE_IDS["interactive_heygen"]},
        "job-interview-create-from-array": {"interview_template_id": TEMPLATE_IDS["interactive_elevenlabs"]},
        "job-interview-create-for-candidate-with-token": {"position_def_set_id": world["position_id"]},
        "job-interview-get": {"position_id": world["interview_id"]},
        "job-interview-set-state": {"position_id": world["interview_id"]},
        "job-interview-token": {"interview_result_id": world["result_id"]},
        "job-interview-result-request-another-attempt": {"interview_result_id": world["result_id"]},
        "job-interview-register-users": {"interview_id": world["interview_id"]},
        "job-interview-details": {"interview_result_id": world["result_id"]},
        "job-interview-pdf": {"interview_result_id": world["result_id"], "export_type": "json"},
        "job-interview-pre-screening-api-resume-text": {"position_id": world["position_id"],
                                                        "candidate_resume": STRONG_RESUME},
        "job-interview-pre-screening-api-resume-binary": {"position_id": world["position_id"],
                                                          "file": STRONG_RESUME},
        "knowledge-base-document-upload": {"file": "Onboarding process: step one, step two."},
    }
    payload.update(ids.get(endpoint, {}))
    return payload


def post_multipart(client, endpoint: str, payload: dict) -> httpx.Response:
    data = {k: val for k, val in payload.items() if k != "file"}
    files = {"file": ("document.txt", payload["file"].encode(), "text/plain")} if "file" in payload else \
        {"other": ("note.txt", b"", "text/plain")}
    return client.post(f"/{endpoint}", data=data, files=files)


def call(client, endpoint: str, payload: dict) -> httpx.Response:
    spec = ENDPOINTS[endpoint]
    if spec["content_type"] == "multipart/form-data":
        return post_multipart(client, endpoint, payload)
    return send(client, endpoint, payload)


@pytest.fixture
def world(sb):
    return build_world(sb)


# --- valid requests -------------------------------------------------------------------------------

def schema_200(endpoint: str) -> dict:
    return ENDPOINTS[endpoint]["responses"]["200"]


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_valid_request_answers_200_matching_the_schema(sb, world, endpoint):
    response = call(api(sb), endpoint, valid_request(endpoint, world))
    assert response.status_code == 200, response.text
    jsonschema.validate(response.json(), schema_200(endpoint))


@pytest.mark.parametrize("endpoint", sorted(e for e, s in ENDPOINTS.items() if s["method"] == "GET"))
def test_reads_also_accept_post_with_json_body(sb, world, endpoint):
    response = api(sb).post(f"/{endpoint}", json=valid_request(endpoint, world))
    assert response.status_code == 200, response.text
    jsonschema.validate(response.json(), schema_200(endpoint))


def test_required_response_fields_of_job_interview_get_are_present(sb, world):
    body = api(sb).get("/job-interview-get", params={"position_id": world["interview_id"]}).json()
    for key in schema_200("job-interview-get")["required"]:
        assert key in body


# --- required fields ------------------------------------------------------------------------------

def required_cases():
    for endpoint, spec in sorted(ENDPOINTS.items()):
        for field in spec["request"].get("required") or []:
            yield endpoint, field


@pytest.mark.parametrize(("endpoint", "field"), list(required_cases()))
def test_each_required_field_missing_answers_422_naming_it(sb, world, endpoint, field):
    payload = valid_request(endpoint, world)
    payload.pop(field, None)
    response = call(api(sb), endpoint, payload)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["name"] == field
    assert field in body["error"]


CONDITIONAL = [
    ("job-interview-create-for-candidate-with-token", field, {
        "position_def_set_id": None, "position_name": "Data engineer", "position_location": "Zagreb",
        "position_country_code": "HR", "mojito_language_code": "hr"})
    for field in ("position_name", "position_location", "position_country_code", "mojito_language_code")
] + [
    ("pre-screening-create", field, {}) for field in
    ("position_name", "position_location", "position_country_code", "mojito_language_code")
] + [
    ("job-interview-token", "interview_profile_id", {"type": "interview-for-profile", "interview_id": "@interview"}),
    ("job-interview-token", "interview_id", {"type": "interview-for-profile", "interview_profile_id": "@profile"}),
    ("job-interview-token", "interview_profile_id", {"type": "results-for-profile"}),
    ("job-interview-token", "interview_result_id", {"type": "interview-result-talent-seeker"}),
    ("job-interview-token", "interview_id", {"type": "interview-results-for-position"}),
]


@pytest.mark.parametrize(("endpoint", "field", "changes"), CONDITIONAL)
def test_conditional_requirements_answer_422_naming_the_field(sb, world, endpoint, field, changes):
    payload = valid_request(endpoint, world)
    if endpoint == "job-interview-token":
        payload = {}
    for key, value in changes.items():
        value = {"@interview": world["interview_id"], "@profile": world["profile_id"]}.get(value, value)
        if value is None:
            payload.pop(key, None)
        else:
            payload[key] = value
    payload.pop(field, None)
    response = call(api(sb), endpoint, payload)
    assert response.status_code == 422, response.text
    assert response.json()["name"] == field


def test_set_state_without_status_or_is_embedded_is_422(sb, world):
    response = api(sb).post("/job-interview-set-state", json={"position_id": world["interview_id"]})
    assert response.status_code == 422
    assert response.json()["name"] == "status"


def test_pdf_without_any_result_id_is_422(sb):
    response = api(sb).post("/job-interview-pdf", json={"export_type": "pdf"})
    assert response.status_code == 422
    assert response.json()["name"] == "interview_result_id"


# --- enums ------------------------------------------------------------------------------------------

def enum_cases():
    for endpoint, spec in sorted(ENDPOINTS.items()):
        for field, schema in spec["request"]["properties"].items():
            if "enum" in schema:
                yield endpoint, field


@pytest.mark.parametrize(("endpoint", "field"), list(enum_cases()))
def test_each_enum_with_a_wrong_value_answers_422_naming_it(sb, world, endpoint, field):
    payload = valid_request(endpoint, world)
    payload[field] = "not-a-valid-value"
    response = call(api(sb), endpoint, payload)
    assert response.status_code == 422, response.text
    assert response.json()["name"] == field
    assert "not-a-valid-value" in response.json()["error"]


# --- auth -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
@pytest.mark.parametrize("token", [None, "unknown-token"])
def test_missing_or_unknown_token_answers_401(sb, world, endpoint, token):
    response = call(api(sb, token=token), endpoint, valid_request(endpoint, world))
    assert response.status_code == 401
    jsonschema.validate(response.json(), ENDPOINTS["job-interview-create"]["responses"]["401"])
    assert response.json()["error"]


def test_error_envelopes_match_the_schema(sb):
    response = api(sb).post("/job-interview-create", json={})
    assert response.status_code == 422
    jsonschema.validate(response.json(), ENDPOINTS["job-interview-create"]["responses"]["422"])
