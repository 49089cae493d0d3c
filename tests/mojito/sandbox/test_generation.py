"""The deterministic stand-in for AI question generation."""

from __future__ import annotations

import pytest

from mojito.sandbox import Sandbox, generation
from mojito.sandbox.seed import TEMPLATE_IDS
from tests.mojito.sandbox.test_contract import TOKEN, api


def create(client, **extra):
    body = {"name": "Backend engineer", "location": "Berlin", "interview_template_id": TEMPLATE_IDS["interactive_heygen"],
            "mojito_language_code": "en", "status": "active", "type": "interview", "visibility": "merchant_invite",
            "description": "Backend engineer for payment services in Go and PostgreSQL with Kafka",
            **extra}
    return client.post("/job-interview-create", json=body)


@pytest.fixture
def client():
    return api(Sandbox(tokens=[TOKEN]))


@pytest.mark.parametrize(("max_duration", "cap"), [(1200, 10), (1800, 15), (2700, 22), (3600, 30), (4800, 40)])
def test_question_count_is_capped_by_max_duration(client, max_duration, cap):
    body = create(client, interview_length=40, max_duration=max_duration).json()
    assert body["questions_generated"] == cap
    assert body["max_duration"] == max_duration
    questions = client.get("/job-interview-get", params={"position_id": body["interview_def_set_id"]}).json()["questions"]
    assert len(questions) == cap and len({q["question"] for q in questions}) == cap


def test_default_count_and_max_duration(client):
    body = create(client).json()
    assert body["questions_generated"] == 6 and body["max_duration"] == 1200


@pytest.mark.parametrize(("length", "expected"), [(3, 3), ("8", 8), (8.0, 8), (12, 10)])
def test_interview_length_is_respected(client, length, expected):
    assert create(client, interview_length=length).json()["questions_generated"] == expected


@pytest.mark.parametrize("length, expected", [(0, 1), (-2, 1), ("many", 6), ("12", 10)])
def test_interview_length_the_spec_allows_is_not_an_error(client, length, expected):
    """The spec types interview_length number | string with no range: out of 1..40 is clamped,
    text that is not a number gives the default count (issue 12: no stricter than the spec)."""
    response = create(client, interview_length=length)
    assert response.status_code == 200, response.text
    assert response.json()["questions_generated"] == expected


def test_questions_are_deterministic_and_built_from_the_input():
    kwargs = dict(name="Backend engineer", description="Payment services in Go with PostgreSQL and Kafka",
                  candidate_expectations="Kafka consumers, idempotency", seniority_level="senior",
                  interview_type="second-interview", count=6)
    first = generation.generate_questions(**kwargs)
    assert first == generation.generate_questions(**kwargs)
    text = " ".join(q["question"] for q in first).lower()
    assert "kafka" in text and "idempotency" in text
    assert first[0]["question"].startswith("Going deeper:")
    assert "trade-offs" in text
    other = generation.generate_questions(**{**kwargs, "description": "Frontend work in React and TypeScript"})
    assert other != first


def test_same_request_twice_gives_the_same_questions(client):
    ids = [create(client, interview_length=5).json()["interview_def_set_id"] for _ in range(2)]
    texts = [[q["question"] for q in client.get("/job-interview-get", params={"position_id": i}).json()["questions"]]
             for i in ids]
    assert texts[0] == texts[1]


def test_create_generates_description_and_expectations_when_blank(client):
    interview_id = create(client, description=None).json()["interview_def_set_id"]
    body = client.get("/job-interview-get", params={"position_id": interview_id}).json()
    assert body["description"] and "Backend engineer" in body["description"]
    assert set(body["candidate_expectations_json"]) == {"weak", "moderate", "strong"}


def test_question_count_helper():
    assert generation.question_count() == 6
    assert generation.question_count(None, 600) == 5
    assert generation.question_count(100, None) == 40
