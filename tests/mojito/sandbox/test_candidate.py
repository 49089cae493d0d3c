"""The candidate pages and the deterministic answer scoring."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from mojito.sandbox import scoring

from .test_lifecycle_support import (
    api,
    create_interview,
    form_of,
    in_process_client,
    register,
)


def open_url(client, url):
    parts = urlsplit(url)
    return client.get(parts.path, params={k: v[0] for k, v in parse_qs(parts.query).items()})


def test_page_escapes_question_text_and_shows_choices(sb):
    client = in_process_client(sb)
    interview_id = create_interview(sb, client, questions=[
        {"question": "<script>alert(1)</script> What is 2 + 2?"},
        {"question": "Pick a colour", "is_multiple_choice": True, "question_alternatives": ["Red & Blue", "Green"]},
    ])
    page = open_url(client, register(client, interview_id)["interview_url"])
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text
    assert page.text.count('type="radio"') == 2 and 'value="Red &amp; Blue"' in page.text
    assert page.headers["cache-control"] == "no-store"
    action, hidden = form_of(page.text)
    client.post(action, data=dict(hidden, action="submit", answer_0="4", answer_1="Red & Blue"))
    (result,) = sb.state.results.values()
    answers = [t for t in result["transcript"] if t["is_answer"]]
    assert answers[1]["answer"] == "Red & Blue" and answers[1]["score"] == 4


def test_a_newer_link_replaces_the_older_token(sb):
    client = in_process_client(sb)
    interview_id = create_interview(sb, client)
    first = register(client, interview_id)
    second = register(client, interview_id)  # registering again mints a new one-time URL
    assert open_url(client, second["interview_url"]).status_code == 200
    if first["interview_url"] != second["interview_url"]:
        assert open_url(client, first["interview_url"]).status_code == 403


def test_draft_interview_needs_a_test_token(sb):
    client = in_process_client(sb)
    interview_id = create_interview(sb, client, status="draft")
    assert open_url(client, register(client, interview_id)["interview_url"]).status_code == 409
    response = api(client, "job-interview-register-users", {"interview_id": interview_id, "is_test": True,
                                                           "users": [{"name": "T", "email": "t@example.com"}]})
    assert open_url(client, response.json()[0]["interview_url"]).status_code == 200


def test_opening_the_page_twice_keeps_one_draft_result(sb):
    client = in_process_client(sb)
    url = register(client, create_interview(sb, client))["interview_url"]
    open_url(client, url)
    open_url(client, url)
    (result,) = sb.state.results.values()
    assert result["status"] == "draft" and result["coach_status"] == "ongoing"


def test_result_urls_from_job_interview_token(sb):
    client = in_process_client(sb)
    row = register(client, create_interview(sb, client))
    result_id = sb.complete(row["profile_interview_id"])
    response = api(client, "job-interview-token", {"type": "interview-result-talent-seeker",
                                                   "interview_result_id": result_id})
    assert response.status_code == 200, response.text
    page = open_url(client, response.json())
    assert page.status_code == 200 and "Ada Lovelace" in page.text
    assert client.get(f"/interview/result/{result_id}/", params={"interview_token": "nope"}).status_code == 403


def test_unknown_paths_are_404(sb):
    client = in_process_client(sb)
    assert client.get("/nothing/here").status_code == 404
    assert client.get("/sandbox/api/complete").status_code == 405


# --- scoring -------------------------------------------------------------------------------------
QUESTION = {"id": "q1", "question": "Describe how you improved the reliability of a data pipeline."}


def test_scores_are_between_one_and_five_and_reward_substance():
    empty = scoring.score_answer(QUESTION, "")
    short = scoring.score_answer(QUESTION, "I did it.")
    rich = scoring.score_answer(QUESTION, "I rebuilt our data pipeline in 2023: added retries, idempotent loads and "
                                          "alerting, which improved reliability from 97% to 99.9% over 6 months, "
                                          "and I reported the numbers to the team every week as the owner of it.")
    assert empty == 1 and 1 <= short < rich <= 5 and rich == 5


def test_evaluate_is_deterministic_and_well_shaped():
    interview = {"name": "Data engineer", "description": "pipelines"}
    questions = [QUESTION, {"id": "q2", "question": "Not scored", "is_without_scoring": True}]
    answers = ["We measured reliability and improved it by 20%.", "Anything"]
    one = scoring.evaluate(interview, questions, answers, result_id="r1")
    two = scoring.evaluate(interview, questions, answers, result_id="r1")
    assert one == two
    assert len(one["transcript"]) == 4
    assert [t["is_answer"] for t in one["transcript"]] == [False, True, False, True]
    assert one["transcript"][3]["score"] is None  # is_without_scoring
    keys = {"id", "is_answer", "view", "question_original_id", "question_original", "question_asked", "answer",
            "ai_analysis", "ai_analysis_recruiter", "score", "duration", "mojito_language_code"}
    assert all(keys <= set(t) for t in one["transcript"])
    assert 0 <= one["score"] <= 10 and 1 <= one["score_interview_ai"] <= 5
    reasons = one["ai_analysis_other"]["hiring_reasons"]
    assert set(reasons) == {"reasons_to_hire", "reasons_not_to_hire"}
    assert one["duration"] == sum(t["duration"] for t in one["transcript"])


def test_plausible_answers_are_stable_and_on_topic():
    a = scoring.plausible_answer(QUESTION, seed="x")
    assert a == scoring.plausible_answer(QUESTION, seed="x")
    assert "pipeline" in a.lower() or "reliability" in a.lower()
    mc = {"question": "Pick", "is_multiple_choice": True, "question_alternatives": ["A", "B"]}
    assert scoring.plausible_answer(mc, seed="x") in ("A", "B")
