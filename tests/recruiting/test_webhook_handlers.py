"""Processing stored webhook deliveries: one fixture per event, order tolerance, failures kept."""

import json
from pathlib import Path

import pytest

from mojito.models import WebhookDelivery
from mojito.sandbox import lifecycle
from recruiting import webhooks
from recruiting.models import InterviewResult, ResultRank
from recruiting.tasks.webhooks import MAX_RETRIES, webhook_process

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "webhooks"
HEADER = "X-Mojito-Webhook-Secret"


def fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def deliver(client, payload: dict) -> WebhookDelivery | None:
    response = client.post("/mojito/webhooks/", data=json.dumps(payload), content_type="application/json",
                           headers={HEADER: "test-webhook-secret"})
    assert response.status_code in (200, 202), response.content
    return WebhookDelivery.objects.order_by("-id").first()


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    monkeypatch.setattr("recruiting.tasks.webhooks.webhook_process.delay", lambda pk: None)


@pytest.fixture
def completed(sandbox):
    """A real result in the sandbox: interview, registered candidate, submitted answers.
    Returns the payloads the sandbox emitted, by event."""
    from recruiting.services.candidates import candidates_register
    from recruiting.services.interviews import interview_create_from_questions

    def run(outcome="submit", email="ada@example.com"):
        template = next(t for t in sandbox.client().list_avatars().data
                        if t.get("type") in ("interactive_heygen", "interactive_elevenlabs"))
        interview = interview_create_from_questions(
            name="Backend engineer", location="Remote", interview_template_id=template["id"],
            description="Build and run our APIs.", questions=["Why this role?", "A hard bug you fixed?"],
            status="active")
        invitation = candidates_register(interview=interview, email=email, name="Ada")
        result_id = sandbox.complete(invitation.mojito_id, outcome)
        if outcome == "submit":
            lifecycle.wait_processing(sandbox, result_id)
        events = {d["event"]: d["payload"] for d in sandbox.state.webhook_deliveries
                  if d["payload"]["id"] == result_id}
        return result_id, events

    return run


# --- one short test per fixture / event kind ----------------------------------------------------


@pytest.mark.django_db
def test_interview_collected(client, completed):
    result_id, events = completed()
    delivery = deliver(client, events["interview_collected"])
    assert delivery.event == "interview_collected"
    assert webhooks.process_delivery(delivery.pk) == "processed"
    assert InterviewResult.objects.get(mojito_id=result_id).state_rank >= ResultRank.COLLECTED


@pytest.mark.django_db
def test_interview_result(client, completed):
    result_id, events = completed()
    delivery = deliver(client, events["interview_result"])
    assert webhooks.process_delivery(delivery.pk) == "processed"
    result = InterviewResult.objects.get(mojito_id=result_id)
    assert (result.status, result.processing_status, result.state_rank) == ("active", "completed", ResultRank.FINAL)
    assert result.score is not None and result.transcript_rows.exists()
    assert result.invitation is not None and result.candidate.email == "ada@example.com"
    delivery.refresh_from_db()
    assert delivery.state == "processed" and delivery.processed_at and delivery.attempts == 1


@pytest.mark.django_db
def test_interview_failed(client, completed):
    result_id, events = completed(outcome="abandon")
    delivery = deliver(client, events["interview_failed"])
    assert delivery.event == "interview_failed"
    assert webhooks.process_delivery(delivery.pk) == "processed"
    assert InterviewResult.objects.get(mojito_id=result_id).coach_status == "abandoned"


@pytest.mark.django_db
def test_legacy_envelope(client, completed):
    result_id, events = completed()
    payload = events["interview_result"]
    envelope = {"table": "interview_result", "schema": "public", "record": {
        k: payload[k] for k in ("id", "question_set_id", "profile_interview_id", "status", "processing_status",
                                "score", "ai_analysis_recruiter")}}
    delivery = deliver(client, envelope)
    assert delivery.event == "interview_result"
    assert webhooks.process_delivery(delivery.pk) == "processed"
    assert InterviewResult.objects.get(mojito_id=result_id).status == "active"


@pytest.mark.parametrize("name, event", [("interview_collected", "interview_collected"),
                                         ("interview_result", "interview_result"),
                                         ("interview_failed", "interview_failed"),
                                         ("legacy_envelope", "interview_result")])
def test_fixture_infers_its_event(name, event):
    from mojito.webhooks import infer_event, unwrap_payload

    assert infer_event(unwrap_payload(fixture(name))) == event


def test_fixture_payload_maps_to_a_result_row():
    row = webhooks.payload_as_row(fixture("interview_result"))
    assert row["interview_result_id"] == fixture("interview_result")["id"]
    assert row["definition_id"] == fixture("interview_result")["interview_id"]
    assert row["coach_status"] == "completed" and row["score_interview_ai"] == 4.212


# --- order tolerance, duplicates, ignoring, failures -------------------------------------------------


@pytest.mark.django_db
def test_stale_collected_after_result_does_not_regress(client, completed):
    result_id, events = completed()
    webhooks.process_delivery(deliver(client, events["interview_result"]).pk)
    before = InterviewResult.objects.get(mojito_id=result_id)
    webhooks.process_delivery(deliver(client, events["interview_collected"]).pk)
    after = InterviewResult.objects.get(mojito_id=result_id)
    assert (after.status, after.state_rank, after.score) == ("active", ResultRank.FINAL, before.score)


@pytest.mark.django_db
def test_deliveries_processed_in_reverse_order_leave_the_current_state(client, completed, sandbox):
    """Score 5 / no decision, then score 7 / go next round; processed newest first, JobMojito's
    current state (score 7) wins and the late old payload clears nothing."""
    result_id, events = completed()
    remote = sandbox.state.results[result_id]
    remote.update(score=7.0, recruiter_go_next_round=True)
    old = dict(events["interview_result"], score=5.0, recruiter_go_next_round=None)
    new = dict(events["interview_result"], score=7.0, recruiter_go_next_round=True,
               reason="recruiter_go_next_round")
    newer_first = [deliver(client, new), deliver(client, old)]
    for delivery in newer_first:
        assert webhooks.process_delivery(delivery.pk) == "processed"
    result = InterviewResult.objects.get(mojito_id=result_id)
    assert (result.score, result.recruiter_go_next_round) == (7.0, True)


@pytest.mark.django_db
def test_a_stale_payload_fills_in_nothing_but_its_ids(client, completed, sandbox):
    """An old delivery whose score disagrees with JobMojito's is stale: its pdf_export_url and
    decision (fields only payloads carry) are not taken."""
    result_id, events = completed()
    webhooks.process_delivery(deliver(client, events["interview_result"]).pk)
    stale = dict(events["interview_result"], score=1.0, recruiter_go_next_round=False,
                 pdf_export_url="https://momsbvnltsydezmoesqt.supabase.co/old.pdf")
    assert webhooks.process_delivery(deliver(client, stale).pk) == "processed"
    result = InterviewResult.objects.get(mojito_id=result_id)
    assert result.score == sandbox.state.results[result_id]["score"] != 1.0
    assert result.recruiter_go_next_round is None and "old.pdf" not in result.pdf_export_url


@pytest.mark.django_db
def test_a_stale_collected_after_the_result_changes_nothing(client, completed):
    result_id, events = completed()
    webhooks.process_delivery(deliver(client, events["interview_result"]).pk)
    fields = ["status", "coach_status", "processing_status", "decision_status", "state_rank", "score",
              "score_recruiter_ai", "recruiter_go_next_round", "pdf_export_url", "ai_analysis", "invitation_id",
              "candidate_id", "interview_id", "remote_updated_at"]
    before = InterviewResult.objects.filter(mojito_id=result_id).values(*fields).get()
    assert webhooks.process_delivery(deliver(client, events["interview_collected"]).pk) == "processed"
    assert InterviewResult.objects.filter(mojito_id=result_id).values(*fields).get() == before


@pytest.mark.django_db
def test_already_processed_delivery_is_skipped(client, completed, sandbox):
    _, events = completed()
    delivery = deliver(client, events["interview_result"])
    webhooks.process_delivery(delivery.pk)
    calls = len(sandbox.state.api_calls) if hasattr(sandbox.state, "api_calls") else None
    assert webhooks.process_delivery(delivery.pk) == "skipped"
    if calls is not None:
        assert len(sandbox.state.api_calls) == calls


@pytest.mark.django_db
def test_state_matching_no_event_is_ignored(client):
    payload = dict(fixture("interview_result"), status="draft", interview_status="ongoing", processing_status="new")
    delivery = deliver(client, payload)
    assert webhooks.process_delivery(delivery.pk) == "ignored"
    delivery.refresh_from_db()
    assert delivery.state == "ignored" and "no webhook event" in delivery.last_error


@pytest.mark.django_db
def test_legacy_envelope_of_another_table_is_ignored(client):
    delivery = deliver(client, {"table": "profile", "record": {"id": "p-1"}})
    assert webhooks.process_delivery(delivery.pk) == "ignored"


@pytest.mark.django_db
def test_handler_failure_keeps_the_delivery_pending_then_succeeds(client, completed, monkeypatch):
    """Regression for dj-stripe #832: a failed handler must not lose the event."""
    result_id, events = completed()
    delivery = deliver(client, events["interview_result"])

    def broken(**kwargs):
        raise RuntimeError("database is on fire")

    monkeypatch.setattr("recruiting.services.results.result_sync", broken)
    with pytest.raises(RuntimeError):
        webhooks.process_delivery(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("pending", 1)
    assert "database is on fire" in delivery.last_error
    assert not InterviewResult.objects.filter(mojito_id=result_id).exists()

    monkeypatch.undo()
    monkeypatch.setattr("recruiting.tasks.webhooks.webhook_process.delay", lambda pk: None)
    assert webhooks.process_delivery(delivery.pk) == "processed"
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_error) == ("processed", 2, "")
    assert InterviewResult.objects.filter(mojito_id=result_id).exists()


@pytest.mark.django_db
def test_task_retries_then_marks_failed(client, monkeypatch):
    delivery = deliver(client, fixture("interview_result"))

    def broken(**kwargs):
        raise RuntimeError("JobMojito down")

    monkeypatch.setattr("recruiting.services.results.result_sync", broken)
    # Run eagerly, the retries happen in place: bounded, each recorded, then the delivery is failed.
    assert webhook_process.apply(args=[delivery.pk]).get() == "failed"
    delivery.refresh_from_db()
    assert delivery.state == "failed" and delivery.attempts == MAX_RETRIES + 1
    assert "JobMojito down" in delivery.last_error


def test_retry_delays_grow_and_stay_below_the_visibility_timeout(settings):
    from recruiting.tasks.webhooks import BACKOFF_CAP, retry_delay

    assert max(retry_delay(n) for n in range(MAX_RETRIES) for _ in range(20)) <= BACKOFF_CAP
    assert BACKOFF_CAP < settings.CELERY_VISIBILITY_TIMEOUT


@pytest.mark.django_db
def test_task_processes_a_delivery(client, completed):
    result_id, events = completed()
    delivery = deliver(client, events["interview_result"])
    assert webhook_process.apply(args=[delivery.pk]).get() == "processed"
    assert InterviewResult.objects.filter(mojito_id=result_id, state_rank=ResultRank.FINAL).exists()


@pytest.mark.django_db
def test_two_updates_of_one_result_end_in_the_later_content(client, completed, sandbox):
    result_id, events = completed()
    first = dict(events["interview_result"])
    webhooks.process_delivery(deliver(client, first).pk)
    second = dict(first, recruiter_go_next_round=True, reason="recruiter_go_next_round")
    delivery = deliver(client, second)
    assert WebhookDelivery.objects.filter(result_mojito_id=result_id).count() == 2
    assert webhooks.process_delivery(delivery.pk) == "processed"
    assert InterviewResult.objects.get(mojito_id=result_id).recruiter_go_next_round is True


# --- the stored fixtures, processed against a stub of job-interview-details -------------------------


@pytest.fixture
def details_stub():
    """job-interview-details answers built from the fixture that is being processed."""
    import httpx

    from recruiting.services import client as client_service

    current: dict = {}

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/merchant-result-list"):  # the list has not caught up yet
            return httpx.Response(200, json={"data": [], "pagination": {"total": 0, "limit": 200, "offset": 0,
                                                                         "has_more": False}})
        assert request.url.path.endswith("/job-interview-details"), request.url
        payload = current["payload"]
        return httpx.Response(200, json={"status": payload.get("interview_status"), "score": payload.get("score"),
                                         "ai_analysis_recruiter": payload.get("ai_analysis_recruiter"),
                                         "transcript": [{"id": "t1", "is_answer": True, "answer": "Yes."}]})

    client_service.use_transport(httpx.MockTransport(handler))
    yield current
    client_service.reset_client()


def process_fixture(client, details_stub, name: str) -> InterviewResult:
    payload = fixture(name)
    details_stub["payload"] = payload.get("record", payload)
    delivery = deliver(client, payload)
    assert webhooks.process_delivery(delivery.pk) == "processed"
    return InterviewResult.objects.get(mojito_id=payload.get("record", payload)["id"])


@pytest.mark.django_db
def test_fixture_interview_collected(client, details_stub):
    result = process_fixture(client, details_stub, "interview_collected")
    assert (result.status, result.coach_status, result.state_rank) == ("draft", "completed", ResultRank.COLLECTED)


@pytest.mark.django_db
def test_fixture_interview_result(client, details_stub):
    result = process_fixture(client, details_stub, "interview_result")
    assert (result.status, result.score, result.state_rank) == ("active", 5.12, ResultRank.FINAL)
    assert result.candidate.email == "ada@example.com" and result.why_hire


@pytest.mark.django_db
def test_fixture_interview_failed(client, details_stub):
    result = process_fixture(client, details_stub, "interview_failed")
    assert (result.coach_status, result.state_rank) == ("abandoned", ResultRank.FINAL)


@pytest.mark.django_db
def test_fixture_legacy_envelope(client, details_stub):
    result = process_fixture(client, details_stub, "legacy_envelope")
    assert (result.status, result.processing_status) == ("active", "completed")


@pytest.mark.django_db
def test_fixtures_in_any_order_end_in_the_final_state(client, details_stub):
    process_fixture(client, details_stub, "interview_result")
    result = process_fixture(client, details_stub, "interview_collected")
    assert (result.status, result.state_rank, result.score) == ("active", ResultRank.FINAL, 5.12)


@pytest.mark.django_db
def test_a_missing_delivery_is_not_retried():
    assert webhook_process.apply(args=[987654]).get() == "missing"
