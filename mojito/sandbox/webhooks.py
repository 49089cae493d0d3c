"""Outgoing webhooks of the sandbox: the three events of API reference section 3, delivered like
JobMojito delivers them (POST, JSON, the configured static headers, retried on non-2xx/timeout).

One daemon worker thread per sandbox state, started on the first delivery and stopped by
``close()``. Every delivery and every attempt is recorded in ``state.webhook_deliveries``::

    {id, event, url, interview_result_id, reason, payload, created_at, state, attempts: [
        {at, status | None, error | None, duration_ms, response}]}

``state`` is ``pending`` -> ``delivered`` | ``failed`` (gave up after
``config.webhook_retry_seconds``), or ``skipped`` when no webhook URL is configured (recorded so
the overview still shows the event).

Events reach this module three ways: ``lifecycle`` calls ``emit`` / ``result_event``; the API side
calls ``result_changed(sandbox, result, changed_fields)`` after it changes a watched field (e.g. a
recruiter decision, a new PDF URL); and ``install(state)`` subscribes a listener to
``state.notify(event, result)``.
"""

from __future__ import annotations

import heapq
import itertools
import json
import threading
import time

import httpx

from mojito.sandbox.state import new_id, now_iso, persist
from mojito.vocabulary import (
    COMPLETED_COACH_STATUSES, FAILED_COACH_STATUSES, ProcessingStatus, ResultStatus, WebhookEvent,
)

ATTEMPT_TIMEOUT_S = 5.0
BACKOFF_BASE_S = 0.2
BACKOFF_CAP_S = 10.0
RESPONSE_KEEP_CHARS = 500

# Watched fields of interview_result (API reference 3.2): payload name -> result record key.
WATCHED = {
    "status": "status",
    "processing_status": "processing_status",
    "interview_status": "coach_status",
    "score": "score",
    "ai_analysis_recruiter_score": "score_interview_ai",
    "ai_analysis_recruiter": "ai_analysis_recruiter",
    "ai_analysis_recruiter_why_hire": "ai_analysis_recruiter_why_hire",
    "ai_analysis_recruiter_why_not_hire": "ai_analysis_recruiter_why_not_hire",
    "recruiter_go_next_round": "recruiter_go_next_round",
    "pdf_export_url": "pdf_export_url",
}
_RECORD_TO_PAYLOAD = {v: k for k, v in WATCHED.items()}
_EVENTS = {e.value for e in WebhookEvent}


def _state(sandbox_or_state):
    return getattr(sandbox_or_state, "state", sandbox_or_state)


# --- payload -------------------------------------------------------------------------------------
def build_payload(state, result: dict, reason: str | None) -> dict:
    """The section 3.5 ``WebhookInterviewResultPayload`` (one schema for all three events)."""
    enrolment = state.enrolments.get(result.get("profile_interview_id") or "") or {}
    profile_id = result.get("profile_id") or enrolment.get("profile_id")
    profile = state.profiles.get(profile_id or "") or {}
    external_id = profile.get("external_id", result.get("candidate_external_id", result.get("external_id")))
    interview_id = result.get("interview_id") or result.get("definition_id") or enrolment.get("interview_id")
    return {
        "id": result.get("id") or result.get("interview_result_id"),
        "interview_id": interview_id,
        "question_set_id": interview_id,
        "status": result.get("status"),
        "interview_status": result.get("coach_status"),
        "processing_status": result.get("processing_status"),
        "profile_interview_id": result.get("profile_interview_id"),
        "profile_id": profile_id,
        "score": result.get("score"),
        "ai_analysis_recruiter_score": result.get("score_interview_ai"),
        "ai_analysis": result.get("ai_analysis"),
        "ai_analysis_recruiter": result.get("ai_analysis_recruiter"),
        "recruiter_go_next_round": result.get("recruiter_go_next_round"),
        "pdf_export_url": result.get("pdf_export_url"),
        "reason": reason,
        "candidate_external_id": external_id,
        "candidate_name": profile.get("name", result.get("candidate_name")),
        "candidate_email": profile.get("email", result.get("candidate_email")),
        "candidate_phone_number": profile.get("phone_number") or profile.get("phone"),
        "ai_analysis_recruiter_why_hire": why(result, "reasons_to_hire"),
        "ai_analysis_recruiter_why_not_hire": why(result, "reasons_not_to_hire"),
    }


def why(result: dict, key: str):
    """reasons_to_hire / reasons_not_to_hire (ai_analysis_other.hiring_reasons, else the deprecated copy)."""
    reasons = ((result.get("ai_analysis_other") or {}).get("hiring_reasons") or {}).get(key)
    if reasons is None:
        legacy = "ai_analysis_recruiter_why_hire" if key == "reasons_to_hire" else "ai_analysis_recruiter_why_not_hire"
        reasons = result.get(legacy)
    return reasons


# --- triggering ----------------------------------------------------------------------------------
def _watched_snapshot(result: dict) -> dict:
    snapshot = {name: result.get(key) for name, key in WATCHED.items()}
    snapshot["ai_analysis_recruiter_why_hire"] = why(result, "reasons_to_hire")
    snapshot["ai_analysis_recruiter_why_not_hire"] = why(result, "reasons_not_to_hire")
    return snapshot


def _is_final(result: dict) -> bool:
    return (result.get("status") == ResultStatus.ACTIVE
            and result.get("processing_status") == ProcessingStatus.COMPLETED
            and result.get("coach_status") in COMPLETED_COACH_STATUSES)


def _held_for_pdf(state, result: dict) -> bool:
    interview = state.interviews.get(result.get("interview_id") or result.get("definition_id") or "") or {}
    return bool(interview.get("pdf_export_auto_config")) and not result.get("pdf_export_url")


def result_event(sandbox, result: dict, changed_fields=None) -> bool:
    """Send ``interview_result`` if the result is final, not held for its PDF, and a watched field
    changed since the last one sent (``changed_fields`` given, or computed). True when sent."""
    state = _state(sandbox)
    with state.lock:
        if not _is_final(result) or _held_for_pdf(state, result):
            return False
        current = _watched_snapshot(result)
        last = result.get("_webhook_sent")
        if changed_fields is not None:
            names = [_RECORD_TO_PAYLOAD.get(f, f) for f in changed_fields]
            changed = [n for n in WATCHED if n in names]
            if last is not None:  # a field "changed" to the value already sent is no change
                changed = [n for n in changed if last.get(n) != current.get(n)] or changed
        else:
            changed = [n for n in WATCHED if (last or {}).get(n) != current[n]] if last else [
                n for n in ("status", "processing_status", "interview_status") ]
        if not changed or (last is not None and last == current):
            return False
        result["_webhook_sent"] = current
        emit(state, WebhookEvent.INTERVIEW_RESULT, result, reason=",".join(changed))
        return True


def result_changed(sandbox, result: dict, changed_fields) -> bool:
    """For the API side: call after changing fields of a result (names of the result record or of
    the payload). Re-sends ``interview_result`` when a watched field changed; sends
    ``interview_failed`` when the interview status became failed / abandoned / terminated (e.g.
    request-another-attempt sets ``failed``, which the reference says is used for that)."""
    changed_fields = list(changed_fields)
    if ({"coach_status", "interview_status"} & set(changed_fields)
            and result.get("coach_status") in FAILED_COACH_STATUSES):
        emit(sandbox, WebhookEvent.INTERVIEW_FAILED, result, reason="interview_status")
        return True
    return result_event(sandbox, result, changed_fields)


def _listener(state, event, result):
    event = getattr(event, "value", event)
    if event in (WebhookEvent.INTERVIEW_COLLECTED, WebhookEvent.INTERVIEW_FAILED):
        emit(state, event, result, reason="interview_status")
    elif isinstance(result, dict):
        result_event(state, result)


def install(sandbox) -> None:
    """Subscribe the dispatcher to ``state.notify`` (idempotent)."""
    state = _state(sandbox)
    with state.lock:
        if _listener not in state.listeners:
            state.listeners.append(_listener)


def emit(sandbox, event: str, result: dict, reason: str | None = None) -> list[dict]:
    """Record one delivery per configured URL (or one ``skipped``) and queue them."""
    state = _state(sandbox)
    event = getattr(event, "value", event)
    created = []
    worker = dispatcher(state)  # before recording, so a new dispatcher does not resume these too
    with state.lock:
        payload = build_payload(state, result, reason)
        urls = list(state.config.webhook_urls or []) or [None]
        for url in urls:
            delivery = {
                "id": new_id(), "event": event, "url": url, "interview_result_id": payload["id"],
                "reason": reason, "payload": payload, "created_at": now_iso(), "_first_at": time.time(),
                "state": "pending" if url else "skipped", "attempts": [],
            }
            state.webhook_deliveries.append(delivery)
            created.append(delivery)
    for delivery in created:
        if delivery["state"] == "pending":
            worker.enqueue(delivery["id"])
    return created


# --- delivery ------------------------------------------------------------------------------------
class Dispatcher:
    """The delivery worker of one sandbox state."""

    def __init__(self, state):
        self.state = state
        self.cond = threading.Condition()
        self.heap: list[tuple[float, int, str]] = []
        self.seq = itertools.count()
        self.thread: threading.Thread | None = None
        self.stopped = False
        self.busy = 0
        self.client: httpx.Client | None = None

    def enqueue(self, delivery_id: str, delay: float = 0.0) -> None:
        with self.cond:
            if self.stopped:
                return
            heapq.heappush(self.heap, (time.monotonic() + delay, next(self.seq), delivery_id))
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="sandbox-webhooks", daemon=True)
                self.thread.start()
            self.cond.notify_all()

    def stop(self) -> None:
        with self.cond:
            self.stopped = True
            self.heap.clear()
            self.cond.notify_all()
        if self.thread and self.thread is not threading.current_thread():
            self.thread.join(timeout=ATTEMPT_TIMEOUT_S + 1)
        if self.client is not None:
            self.client.close()
            self.client = None

    def _run(self) -> None:
        while True:
            with self.cond:
                while not self.stopped and (not self.heap or self.heap[0][0] > time.monotonic()):
                    self.cond.wait(None if not self.heap else max(0.0, self.heap[0][0] - time.monotonic()))
                if self.stopped:
                    return
                _, _, delivery_id = heapq.heappop(self.heap)
                self.busy += 1
            try:
                self._attempt(delivery_id)
            finally:
                with self.cond:
                    self.busy -= 1
                    self.cond.notify_all()

    def _find(self, delivery_id):
        for delivery in reversed(self.state.webhook_deliveries):
            if delivery.get("id") == delivery_id:
                return delivery
        return None

    def _http(self) -> httpx.Client:
        if self.client is None:
            transport = getattr(self.state.config, "webhook_transport", None)
            self.client = httpx.Client(transport=transport, follow_redirects=False)
        return self.client

    def _attempt(self, delivery_id: str) -> None:
        config = self.state.config
        with self.state.lock:
            delivery = self._find(delivery_id)
            if not delivery or delivery.get("state") != "pending":
                return
            url = delivery["url"]
            body = json.dumps(delivery["payload"]).encode("utf-8")
            first_at = delivery.get("_first_at") or time.time()
            headers = dict(config.webhook_headers or {})
        headers["Content-Type"] = "application/json"
        # Informational only: the real API sends no event name (header or field); receivers must
        # infer the event from status / interview_status (API reference 3.3).
        headers["X-Mojito-Event"] = delivery["event"]
        headers.setdefault("User-Agent", "JobMojito-Sandbox-Webhooks/1")
        budget = max(0.5, float(config.webhook_retry_seconds) - (time.time() - first_at))
        started = time.monotonic()
        attempt = {"at": now_iso(), "status": None, "error": None, "duration_ms": None, "response": None}
        try:
            response = self._http().post(url, content=body, headers=headers,
                                         timeout=min(ATTEMPT_TIMEOUT_S, budget))
            attempt["status"] = response.status_code
            attempt["response"] = response.text[:RESPONSE_KEEP_CHARS]
        except httpx.HTTPError as exc:
            attempt["error"] = f"{type(exc).__name__}: {exc}"[:RESPONSE_KEEP_CHARS]
        attempt["duration_ms"] = int((time.monotonic() - started) * 1000)
        with self.state.lock:
            delivery["attempts"].append(attempt)
            if attempt["status"] is not None and 200 <= attempt["status"] < 300:
                delivery["state"] = "delivered"
                delivery["delivered_at"] = now_iso()
            else:
                n = len(delivery["attempts"])
                delay = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** (n - 1))
                if time.time() + delay - first_at > float(config.webhook_retry_seconds):
                    delivery["state"] = "failed"
        if delivery["state"] == "pending":
            self.enqueue(delivery_id, delay)
        else:
            self._persist()

    def _persist(self) -> None:
        if getattr(self.state, "state_file", None):
            persist(self.state)

    def pending(self) -> bool:
        with self.state.lock:
            return any(d.get("state") == "pending" for d in self.state.webhook_deliveries)

    def wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            # never hold self.cond while taking state.lock (emit enqueues under state.lock)
            if not self.pending() and self.busy == 0:
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            with self.cond:
                self.cond.wait(min(remaining, 0.05))


_dispatchers_lock = threading.Lock()


def dispatcher(sandbox) -> Dispatcher:
    """The state's dispatcher; created on first use, resuming deliveries left pending on disk."""
    state = _state(sandbox)
    with _dispatchers_lock:
        existing = state.__dict__.get("_webhook_dispatcher")
        if existing is not None and not existing.stopped:
            return existing
        created = Dispatcher(state)
        state.__dict__["_webhook_dispatcher"] = created
    with state.lock:
        resume = [d["id"] for d in state.webhook_deliveries if d.get("state") == "pending"]
    for delivery_id in resume:
        created.enqueue(delivery_id)
    return created


def _processing(state) -> bool:
    with state.lock:
        return any(r.get("processing_status") == ProcessingStatus.PROCESSING for r in state.results.values())


def wait(sandbox, timeout: float = 10.0) -> bool:
    """Block until no result is still being scored (``processing_delay_s``) and no delivery is
    pending (all delivered, failed or skipped); False on timeout."""
    state = _state(sandbox)
    deadline = time.monotonic() + timeout
    while _processing(state) and time.monotonic() < deadline:
        time.sleep(0.02)
    with state.lock:
        if not any(d.get("state") == "pending" for d in state.webhook_deliveries):
            return not _processing(state)
    return dispatcher(state).wait(max(0.0, deadline - time.monotonic()))


def close(sandbox) -> None:
    """Stop the delivery worker (pending deliveries stay recorded as pending)."""
    state = _state(sandbox)
    existing = state.__dict__.get("_webhook_dispatcher")
    if existing is not None:
        existing.stop()


stop = close


def mask_headers(headers: dict) -> dict:
    return {name: "***" for name in (headers or {})}
