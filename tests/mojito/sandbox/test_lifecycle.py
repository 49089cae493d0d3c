"""The candidate lifecycle end to end over HTTP: register through the API, open the interview URL,
answer through the page's form, receive the webhooks on a live receiver."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from mojito.sandbox import Sandbox, lifecycle, webhooks
from mojito.vocabulary import CoachStatus, ProcessingStatus, ResultStatus, WebhookEvent

from .test_lifecycle_support import (  # noqa: F401  (fixtures)
    SECRET, SECRET_HEADER, answer_fields, api, create_interview, form_of, in_process_client, live,
    receiver, register,
)

PAYLOAD_KEYS = {
    "id", "interview_id", "question_set_id", "status", "interview_status", "processing_status",
    "profile_interview_id", "profile_id", "score", "ai_analysis_recruiter_score", "ai_analysis",
    "ai_analysis_recruiter", "recruiter_go_next_round", "pdf_export_url", "reason", "candidate_external_id",
    "candidate_name", "candidate_email", "candidate_phone_number", "ai_analysis_recruiter_why_hire",
    "ai_analysis_recruiter_why_not_hire",
}


def open_page(client, url):
    parts = urlsplit(url)
    response = client.get(parts.path, params={k: v[0] for k, v in parse_qs(parts.query).items()})
    return response


def test_register_open_submit_over_http_delivers_both_webhooks(live, receiver):
    sb, server, client = live
    interview_id = create_interview(sb, client)
    row = register(client, interview_id, external_id="ext-42")
    assert row["interview_url"].startswith(server.url + "/interview/take/")

    page = open_page(client, row["interview_url"])
    assert page.status_code == 200
    assert "Tell me about a data pipeline" in page.text
    assert 'type="radio"' in page.text and "Dagster" in page.text
    assert ">Submit</button>" in page.text and ">Abandon</button>" in page.text
    result_id_open = next(iter(sb.state.results))
    assert sb.state.results[result_id_open]["status"] == ResultStatus.DRAFT
    assert sb.state.results[result_id_open]["coach_status"] == CoachStatus.ONGOING

    action, hidden = form_of(page.text)
    assert answer_fields(page.text) == ["answer_0", "answer_1", "answer_2"]
    data = dict(hidden, action="submit", answer_0="I built a pipeline in Airflow processing 2 TB a day; "
                "we measured reliability with SLOs and cut failures by 80% in 3 months.",
                answer_1="Airflow", answer_2="We disagreed about scope; I showed the data and we agreed.")
    done = client.post(action, data=data)
    assert done.status_code == 200 and "Thank you" in done.text

    assert sb.wait_for_webhooks(10) is not False
    assert receiver.events() == [WebhookEvent.INTERVIEW_COLLECTED, WebhookEvent.INTERVIEW_RESULT]
    collected, result = (r["json"] for r in receiver.requests)
    for request in receiver.requests:
        assert request["headers"][SECRET_HEADER] == SECRET
        assert request["headers"]["Content-Type"] == "application/json"
        assert set(request["json"]) == PAYLOAD_KEYS
    assert collected["status"] == ResultStatus.DRAFT and collected["interview_status"] == CoachStatus.COMPLETED
    assert collected["processing_status"] == ProcessingStatus.NEW and collected["score"] is None
    assert result["id"] == collected["id"] == result_id_open
    assert result["status"] == ResultStatus.ACTIVE and result["processing_status"] == ProcessingStatus.COMPLETED
    assert result["interview_status"] == CoachStatus.COMPLETED
    assert isinstance(result["score"], float) and 0 <= result["score"] <= 10
    assert 1 <= result["ai_analysis_recruiter_score"] <= 5
    assert result["interview_id"] == result["question_set_id"] == interview_id
    assert result["candidate_name"] == "Ada Lovelace" and result["candidate_email"] == "ada@example.com"
    assert result["candidate_external_id"] == "ext-42"
    assert result["profile_interview_id"] == row.get("profile_interview_id", result["profile_interview_id"])
    assert isinstance(result["ai_analysis_recruiter_why_hire"], list)

    stored = sb.state.results[result["id"]]
    answers = [t for t in stored["transcript"] if t["is_answer"]]
    questions = [t for t in stored["transcript"] if not t["is_answer"]]
    assert len(answers) == len(questions) == 3
    assert answers[1]["answer"] == "Airflow" and 1 <= answers[0]["score"] <= 5
    assert all(isinstance(t["duration"], int) for t in stored["transcript"])

    again = open_page(client, row["interview_url"])
    assert "already been submitted" in again.text or "already submitted" in again.text


def test_abandon_gives_interview_failed(live, receiver):
    sb, server, client = live
    interview_id = create_interview(sb, client)
    row = register(client, interview_id)
    page = open_page(client, row["interview_url"])
    action, hidden = form_of(page.text)
    done = client.post(action, data=dict(hidden, action="abandon"))
    assert done.status_code == 200
    sb.wait_for_webhooks(10)
    assert receiver.events() == [WebhookEvent.INTERVIEW_FAILED]
    payload = receiver.requests[0]["json"]
    assert payload["interview_status"] == CoachStatus.ABANDONED and payload["status"] == ResultStatus.DRAFT
    assert payload["score"] is None and payload["pdf_export_url"] is None


def test_receiver_failing_twice_gets_the_third_attempt(receiver):
    receiver.statuses = [500, 500]
    sb = Sandbox(tokens=["sandbox-token"], webhook_urls=[receiver.url], webhook_headers={SECRET_HEADER: SECRET})
    try:
        client = in_process_client(sb)
        interview_id = create_interview(sb, client)
        row = register(client, interview_id)
        sb.complete(row["profile_interview_id"], outcome="abandon")
        sb.wait_for_webhooks(10)
        (delivery,) = sb.state.webhook_deliveries
        assert delivery["state"] == "delivered"
        assert [a["status"] for a in delivery["attempts"]] == [500, 500, 200]
        assert all(a["duration_ms"] is not None and a["at"] for a in delivery["attempts"])
        assert len(receiver.requests) == 3
        assert len({r["json"]["id"] for r in receiver.requests}) == 1
    finally:
        sb.close()


def test_unreachable_receiver_gives_up_after_the_retry_window():
    sb = Sandbox(tokens=["sandbox-token"], webhook_urls=["http://127.0.0.1:9/nothing"], webhook_retry_seconds=1)
    try:
        client = in_process_client(sb)
        row = register(client, create_interview(sb, client))
        sb.complete(row["profile_interview_id"], outcome="abandon")
        assert sb.wait_for_webhooks(30) is True  # the retry window closed: nothing left pending
        (delivery,) = sb.state.webhook_deliveries
        assert delivery["state"] == "failed"
        assert len(delivery["attempts"]) >= 2 and all(a["error"] for a in delivery["attempts"])
    finally:
        sb.close()


def test_wrong_or_missing_token_is_an_error_page(live):
    sb, server, client = live
    row = register(client, create_interview(sb, client))
    pid = row["profile_interview_id"]
    assert client.get(f"/interview/take/{pid}/", params={"interview_token": "nope"}).status_code == 403
    assert client.get(f"/interview/take/{pid}/").status_code == 403
    assert client.post(f"/interview/take/{pid}/", data={"interview_token": "nope", "action": "submit"}).status_code == 403
    assert client.get("/interview/take/00000000-0000-4000-8000-00000000dead/", params={"interview_token": "x"}).status_code == 404
    assert not sb.state.results


def test_complete_endpoint(receiver):
    sb = Sandbox(tokens=["sandbox-token"], webhook_urls=[receiver.url])
    try:
        client = in_process_client(sb)
        row = register(client, create_interview(sb, client))
        pid = row["profile_interview_id"]
        bad = client.post("/sandbox/api/complete", json={"outcome": "submit"})
        assert bad.status_code == 422 and bad.json()["name"] == "profile_interview_id"
        bad = client.post("/sandbox/api/complete", json={"profile_interview_id": pid, "outcome": "explode"})
        assert bad.status_code == 422 and bad.json()["name"] == "outcome"
        bad = client.post("/sandbox/api/complete", json={"profile_interview_id": pid, "answers": "text"})
        assert bad.status_code == 422 and bad.json()["name"] == "answers"
        missing = client.post("/sandbox/api/complete", json={"profile_interview_id": "00000000-0000-4000-8000-000000000999"})
        assert missing.status_code == 404
        ok = client.post("/sandbox/api/complete", json={"profile_interview_id": pid, "outcome": "submit",
                                                         "answers": ["A short answer.", "Cron", None]})
        assert ok.status_code == 200
        result_id = ok.json()["interview_result_id"]
        result = sb.state.results[result_id]
        assert result["status"] == ResultStatus.ACTIVE and result["processing_status"] == ProcessingStatus.COMPLETED
        assert [t["answer"] for t in result["transcript"] if t["is_answer"]] == ["A short answer.", "Cron", ""]
        twice = client.post("/sandbox/api/complete", json={"profile_interview_id": pid})
        assert twice.status_code == 409
        sb.wait_for_webhooks(10)
        assert receiver.events() == ["interview_collected", "interview_result"]
    finally:
        sb.close()


def test_submit_without_answers_makes_up_plausible_ones_deterministically():
    sb = Sandbox(tokens=["sandbox-token"])
    try:
        client = in_process_client(sb)
        interview_id = create_interview(sb, client)
        r1 = sb.complete(register(client, interview_id)["profile_interview_id"])
        answers = [t["answer"] for t in sb.state.results[r1]["transcript"] if t["is_answer"]]
        assert all(answers) and answers[1] in ("Airflow", "Dagster", "Cron")
        result = sb.state.results[r1]
        again = lifecycle.scoring.evaluate(sb.state.interviews[interview_id], lifecycle.questions_of(
            sb.state.interviews[interview_id]), answers, result_id=r1)
        assert again["score"] == result["score"]
        reasons = result["ai_analysis_other"]["hiring_reasons"]
        assert len(reasons["reasons_to_hire"]) <= 4 and len(reasons["reasons_not_to_hire"]) <= 4
        assert result["ai_analysis_recruiter_why_hire"] == reasons["reasons_to_hire"]
    finally:
        sb.close()


def test_no_webhook_url_records_skipped_deliveries():
    sb = Sandbox(tokens=["sandbox-token"])
    try:
        client = in_process_client(sb)
        sb.complete(register(client, create_interview(sb, client))["profile_interview_id"])
        sb.wait_for_webhooks(5)
        assert [(d["event"], d["state"]) for d in sb.state.webhook_deliveries] == [
            ("interview_collected", "skipped"), ("interview_result", "skipped")]
        overview = client.get("/sandbox/")
        assert overview.status_code == 200 and "interview_result" in overview.text and "skipped" in overview.text
    finally:
        sb.close()


def test_pdf_auto_export_is_ready_before_the_result_webhook(receiver):
    sb = Sandbox(tokens=["sandbox-token"], webhook_urls=[receiver.url])
    try:
        client = in_process_client(sb)
        interview_id = create_interview(sb, client, pdf_export_auto_config={"template": "modern", "transcript": True})
        sb.complete(register(client, interview_id)["profile_interview_id"])
        sb.wait_for_webhooks(10)
        result_payload = receiver.requests[-1]["json"]
        assert receiver.events()[-1] == "interview_result"
        assert result_payload["pdf_export_url"].startswith(sb.base_url + "/reports/")
        pdf = client.get(urlsplit(result_payload["pdf_export_url"]).path)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    finally:
        sb.close()


def test_watched_field_change_resends_interview_result_with_reason(receiver):
    sb = Sandbox(tokens=["sandbox-token"], webhook_urls=[receiver.url])
    try:
        client = in_process_client(sb)
        result_id = sb.complete(register(client, create_interview(sb, client))["profile_interview_id"])
        sb.wait_for_webhooks(10)
        result = sb.state.results[result_id]
        assert not webhooks.result_changed(sb, result, ["score"])  # nothing really changed
        result["recruiter_go_next_round"] = True
        assert webhooks.result_changed(sb, result, ["recruiter_go_next_round"])
        result["score"] = 9.5
        sb.state.notify("result_updated", result)  # the listener path computes the change itself
        sb.wait_for_webhooks(10)
        assert receiver.events() == ["interview_collected", "interview_result", "interview_result", "interview_result"]
        assert receiver.requests[2]["json"]["reason"] == "recruiter_go_next_round"
        assert receiver.requests[2]["json"]["recruiter_go_next_round"] is True
        assert receiver.requests[3]["json"]["reason"] == "score" and receiver.requests[3]["json"]["score"] == 9.5
    finally:
        sb.close()


def test_another_attempt_reuses_the_result_and_scores_again(receiver):
    sb = Sandbox(tokens=["sandbox-token"], webhook_urls=[receiver.url])
    try:
        client = in_process_client(sb)
        row = register(client, create_interview(sb, client))
        pid = row["profile_interview_id"]
        first = sb.complete(pid, answers=["x", "Cron", "y"])
        response = api(client, "job-interview-result-request-another-attempt", {"interview_result_id": first})
        assert response.status_code == 200, response.text
        second = sb.complete(pid, answers=["In 2023 I rebuilt our pipeline and measured 99.9% uptime over 6 months "
                                           "with clear ownership and weekly reporting to stakeholders.", "Airflow",
                                           "I listened, measured the impact and we agreed within 2 weeks."])
        assert second == first
        result = sb.state.results[first]
        assert result["status"] == ResultStatus.ACTIVE and result["_attempt_no"] == 2
        sb.wait_for_webhooks(10)
        # collected, result, failed (another attempt requested), collected, result
        assert receiver.events() == ["interview_collected", "interview_result", "interview_failed",
                                     "interview_collected", "interview_result"]
        assert receiver.requests[2]["json"]["interview_status"] == CoachStatus.FAILED
        assert receiver.requests[2]["json"]["status"] == ResultStatus.DRAFT
    finally:
        sb.close()


def test_abandoned_attempt_can_be_retaken_when_the_interview_allows_it():
    sb = Sandbox(tokens=["sandbox-token"])
    try:
        client = in_process_client(sb)
        pid = register(client, create_interview(sb, client, interview_attempts=2))["profile_interview_id"]
        first = sb.complete(pid, outcome="abandon")
        second = sb.complete(pid, outcome="submit")
        assert first == second and sb.state.results[first]["status"] == ResultStatus.ACTIVE
        with pytest.raises(lifecycle.AlreadySubmitted):
            sb.complete(pid)
        pid2 = register(client, create_interview(sb, client), email="once@example.com")["profile_interview_id"]
        sb.complete(pid2, outcome="abandon")
        with pytest.raises(lifecycle.NoAttemptsLeft):
            sb.complete(pid2)
    finally:
        sb.close()


def test_credits_are_charged_for_a_submitted_interview_only():
    sb = Sandbox(tokens=["sandbox-token"])
    try:
        client = in_process_client(sb)
        interview_id = create_interview(sb, client)
        sb.complete(register(client, interview_id)["profile_interview_id"], outcome="abandon")
        assert not [r for r in sb.state.credit_ledger if r.get("event") == "interview"]
        sb.complete(register(client, interview_id, email="b@example.com")["profile_interview_id"])
        assert len([r for r in sb.state.credit_ledger if r.get("event") == "interview"]) == 1
    finally:
        sb.close()


def test_processing_delay_shows_the_processing_state(receiver):
    sb = Sandbox(tokens=["sandbox-token"], webhook_urls=[receiver.url])
    try:
        client = in_process_client(sb)
        assert client.post("/sandbox/api/config", json={"processing_delay_s": 0.3}).status_code == 200
        result_id = sb.complete(register(client, create_interview(sb, client))["profile_interview_id"])
        result = sb.state.results[result_id]
        assert result["status"] == ResultStatus.DRAFT and result["processing_status"] == ProcessingStatus.PROCESSING
        assert sb.wait_for_webhooks(10)
        assert result["status"] == ResultStatus.ACTIVE and result["processing_status"] == ProcessingStatus.COMPLETED
        assert receiver.events() == ["interview_collected", "interview_result"]
    finally:
        sb.close()


def test_complete_can_date_the_attempt_in_the_past():
    """``taken_at`` (sandbox only, for demo data) moves start, end and created_at; updated_at stays new."""
    from datetime import datetime, timedelta, timezone

    sb = Sandbox(tokens=["sandbox-token"])
    try:
        client = in_process_client(sb)
        pid = register(client, create_interview(sb, client))["profile_interview_id"]
        future = (datetime.now(timezone.utc) + timedelta(days=1)).isoformat()
        bad = client.post("/sandbox/api/complete", json={"profile_interview_id": pid, "taken_at": future})
        assert bad.status_code == 422 and bad.json()["name"] == "taken_at"
        bad = client.post("/sandbox/api/complete", json={"profile_interview_id": pid, "taken_at": "last tuesday"})
        assert bad.status_code == 422 and bad.json()["name"] == "taken_at"
        assert not sb.state.results

        when = datetime.now(timezone.utc) - timedelta(days=12)
        ok = client.post("/sandbox/api/complete", json={"profile_interview_id": pid, "taken_at": when.isoformat()})
        result = sb.state.results[ok.json()["interview_result_id"]]
        start = datetime.fromisoformat(result["start"].replace("Z", "+00:00"))
        end = datetime.fromisoformat(result["end"].replace("Z", "+00:00"))
        assert abs((start - when).total_seconds()) < 1 and end >= start
        assert result["created_at"] == result["start"]
        assert datetime.fromisoformat(result["updated_at"].replace("Z", "+00:00")) > when + timedelta(days=11)
    finally:
        sb.close()
