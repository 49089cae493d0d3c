"""The sandbox's webhook dispatcher (unit level, against a live receiver)."""

from __future__ import annotations

import threading

from mojito.sandbox import Sandbox, webhooks
from mojito.sandbox.state import SandboxConfig, SandboxState

from .test_lifecycle_support import Receiver, create_interview, in_process_client, receiver, register  # noqa: F401


def final_result(**extra):
    return {"id": "r-1", "interview_id": "i-1", "status": "active", "coach_status": "completed",
            "processing_status": "completed", "score": 7.0, "score_interview_ai": 3.5,
            "ai_analysis_other": {"hiring_reasons": {"reasons_to_hire": ["a"], "reasons_not_to_hire": []}}, **extra}


def test_payload_maps_record_fields_and_candidate(receiver):
    state = SandboxState(config=SandboxConfig(webhook_urls=[receiver.url], webhook_headers={"Authorization": "Bearer x"}))
    state.profiles["p-1"] = {"id": "p-1", "name": "Ada", "email": "ada@example.com", "external_id": "e-1",
                             "phone_number": "+1 555"}
    result = final_result(profile_id="p-1", profile_interview_id="pi-1")
    try:
        payload = webhooks.build_payload(state, result, "status")
        assert payload["ai_analysis_recruiter_score"] == 3.5 and payload["interview_status"] == "completed"
        assert payload["question_set_id"] == payload["interview_id"] == "i-1"
        assert payload["ai_analysis_recruiter_why_hire"] == ["a"] and payload["ai_analysis_recruiter_why_not_hire"] == []
        assert payload["candidate_phone_number"] == "+1 555" and payload["candidate_external_id"] == "e-1"
        assert webhooks.result_event(state, result)
        assert webhooks.wait(state, 5)
        (request,) = receiver.requests
        assert request["headers"]["Authorization"] == "Bearer x"
        assert request["headers"]["X-Mojito-Event"] == "interview_result"
        assert request["json"]["reason"] == "status,processing_status,interview_status"
        assert not webhooks.result_event(state, result)  # nothing changed: nothing sent
    finally:
        webhooks.close(state)


def test_result_event_held_until_pdf_url(receiver):
    state = SandboxState(config=SandboxConfig(webhook_urls=[receiver.url]))
    state.interviews["i-1"] = {"id": "i-1", "pdf_export_auto_config": {"template": "classic"}}
    result = final_result()
    try:
        assert not webhooks.result_event(state, result)
        result["pdf_export_url"] = "http://x/reports/1.pdf"
        assert webhooks.result_event(state, result)
        webhooks.wait(state, 5)
        assert receiver.requests[0]["json"]["pdf_export_url"] == "http://x/reports/1.pdf"
    finally:
        webhooks.close(state)


def test_draft_results_never_send_interview_result():
    state = SandboxState()
    assert not webhooks.result_event(state, final_result(status="draft"))
    assert not webhooks.result_event(state, final_result(processing_status="processing"))
    assert not state.webhook_deliveries


def test_every_configured_url_gets_a_delivery():
    first, second = Receiver(), Receiver()
    state = SandboxState(config=SandboxConfig(webhook_urls=[first.url, second.url]))
    try:
        webhooks.emit(state, "interview_failed", final_result(status="draft", coach_status="abandoned"), "interview_status")
        assert webhooks.wait(state, 5)
        assert len(first.requests) == len(second.requests) == 1
        assert {d["url"] for d in state.webhook_deliveries} == {first.url, second.url}
        assert all(d["state"] == "delivered" for d in state.webhook_deliveries)
    finally:
        webhooks.close(state)
        first.close()
        second.close()


def test_backoff_grows_between_attempts():
    receiver = Receiver(statuses=[503, 503, 503])
    state = SandboxState(config=SandboxConfig(webhook_urls=[receiver.url], webhook_retry_seconds=10))
    try:
        webhooks.emit(state, "interview_collected", final_result(), "interview_status")
        assert webhooks.wait(state, 10)
        (delivery,) = state.webhook_deliveries
        assert [a["status"] for a in delivery["attempts"]] == [503, 503, 503, 200]
        assert delivery["state"] == "delivered"
    finally:
        webhooks.close(state)
        receiver.close()


def test_pending_deliveries_resume_after_a_restart(tmp_path):
    receiver = Receiver()
    state_file = tmp_path / "state.json"
    try:
        state = SandboxState(config=SandboxConfig(webhook_urls=[receiver.url]), state_file=state_file)
        state.webhook_deliveries.append({"id": "d-1", "event": "interview_result", "url": receiver.url,
                                         "interview_result_id": "r-1", "payload": {"id": "r-1"}, "state": "pending",
                                         "attempts": [], "created_at": "2026-01-01T00:00:00Z"})
        state.save()
        reloaded = SandboxState(config=SandboxConfig(webhook_urls=[receiver.url]), state_file=state_file)
        reloaded.load()
        assert webhooks.wait(reloaded, 5)
        assert reloaded.webhook_deliveries[0]["state"] == "delivered" and len(receiver.requests) == 1
    finally:
        webhooks.close(reloaded)
        receiver.close()


def test_close_stops_the_worker(receiver):
    sb = Sandbox(tokens=["sandbox-token"], webhook_urls=[receiver.url])
    client = in_process_client(sb)
    sb.complete(register(client, create_interview(sb, client))["profile_interview_id"], outcome="abandon")
    sb.wait_for_webhooks(5)
    worker = sb.state.__dict__["_webhook_dispatcher"].thread
    sb.close()
    worker.join(2)
    assert not worker.is_alive()
    assert not [t for t in threading.enumerate() if t is worker]
