"""The sandbox answers with the real API's properties only (tests/contract.py, unknown forbidden)."""

from __future__ import annotations

from tests.contract import DOCUMENTED_EXTRAS, violations_of
from tests.mojito.sandbox.test_contract import api, build_world, send


def test_the_checker_forbids_an_undeclared_property_and_allows_a_documented_extra():
    assert violations_of("job-interview-details", 200, {"score": 1.0, "candidate_email": "a@example.com"})
    assert violations_of("merchant-status", 200, {"credits_used": 1})
    row = {"email": "a@example.com", "result": "ok", "profile_interview_id": "p1"}
    assert ("job-interview-register-users", "[]") in DOCUMENTED_EXTRAS
    assert violations_of("job-interview-register-users", 200, [row]) == []
    assert violations_of("job-interview-register-users", 200, [{**row, "profile_id": "x"}])


def test_the_fields_the_real_api_does_not_send_are_gone(sb):
    world = build_world(sb)
    client = api(sb)
    details = send(client, "job-interview-details", {"interview_result_id": world["result_id"]}).json()
    assert not {"candidate_email", "candidate_name", "interview_id", "profile_interview_id", "result_status",
                "processing_status", "pdf_export_url", "mojito_language_code", "id"} & set(details)
    definition = send(client, "job-interview-get", {"position_id": world["interview_id"]}).json()
    assert not {"id", "welcome_message", "thank_you_message"} & set(definition)
    rows = send(client, "merchant-candidate-list", {}).json()["data"]
    assert rows and not {"decision_status", "interview_id", "position_id", "source"} & set().union(*rows)
    assert "credits_used" not in send(client, "merchant-status", {}).json()


def test_every_answer_of_the_endpoint_walk_is_on_contract(sb):
    """Each endpoint once with a valid request (the sb fixture checks the answers as they pass)."""
    from tests.mojito.sandbox.test_contract import ENDPOINTS, call, valid_request

    client = api(sb)
    statuses = {endpoint: call(client, endpoint, valid_request(endpoint, build_world(sb))).status_code
                for endpoint in ENDPOINTS}
    assert set(statuses.values()) == {200}, statuses
    assert sb.contract.endpoints == set(ENDPOINTS)
    assert sb.contract.violations() == []
