"""Helpers for the service tests: transports that wrap the in-process sandbox to count requests
or inject a failure, and a few ready-made remote objects."""

from __future__ import annotations

import json
import threading
from collections import Counter

import httpx
import pytest

from recruiting.services import client as client_service


class SpyTransport(httpx.BaseTransport):
    """Forwards to ``inner``; records (endpoint, JSON body) of every request; can inject faults.

    ``faults`` maps an endpoint to a list of actions consumed one per request:
    ``"timeout_after_send"`` forwards the request (so it is applied) and then raises ReadTimeout;
    ``"timeout_before_send"`` raises ReadTimeout without forwarding; an int answers that status.
    """

    def __init__(self, inner: httpx.BaseTransport, faults: dict | None = None):
        self.inner = inner
        self.faults = {k: list(v) for k, v in (faults or {}).items()}
        # email -> message: register-users rejects that row once ("Error: <message>"), without
        # forwarding it to the sandbox; the other rows of the request go through.
        self.row_errors: dict[str, str] = {}
        self.requests: list[tuple[str, object]] = []
        self.urls_with_auth: list[tuple[str, bool]] = []  # (URL, sent with an Authorization header)
        self.lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        endpoint = request.url.path.rsplit("/", 1)[-1]
        body = None
        if request.headers.get("content-type", "").startswith("application/json"):
            request.read()
            body = json.loads(request.content or b"null")
        with self.lock:
            self.requests.append((endpoint, body))
            self.urls_with_auth.append((str(request.url), "authorization" in request.headers))
            actions = self.faults.get(endpoint) or []
            action = actions.pop(0) if actions else None
        if action == "timeout_before_send":
            raise httpx.ReadTimeout("injected timeout", request=request)
        if isinstance(action, int):
            return httpx.Response(action, json={"error": "injected failure"}, request=request)
        if endpoint == "job-interview-register-users" and self.row_errors:
            return self._with_row_errors(request, body)
        response = self.inner.handle_request(request)
        if action == "timeout_after_send":
            response.read()
            raise httpx.ReadTimeout("injected timeout after the request was applied", request=request)
        return response

    def _with_row_errors(self, request: httpx.Request, body: dict) -> httpx.Response:
        with self.lock:
            rejected = {u["email"].lower(): self.row_errors.pop(u["email"].lower())
                        for u in body["users"] if u.get("email", "").lower() in self.row_errors}
        kept = [u for u in body["users"] if u.get("email", "").lower() not in rejected]
        answered = []
        if kept:
            forwarded = httpx.Request(request.method, request.url, headers={
                k: v for k, v in request.headers.items() if k.lower() != "content-length"},
                json={**body, "users": kept})
            response = self.inner.handle_request(forwarded)
            response.read()
            answered = response.json()
        rows = iter(answered)
        merged = [{**u, "result": f"Error: {rejected[u['email'].lower()]}"} if u.get("email", "").lower() in rejected
                  else next(rows) for u in body["users"]]
        return httpx.Response(200, json=merged, request=request)

    def count(self, endpoint: str) -> int:
        return sum(1 for name, _ in self.requests if name == endpoint)

    def bodies(self, endpoint: str) -> list:
        return [body for name, body in self.requests if name == endpoint]

    def emails_sent(self) -> Counter:
        """How many times each email was sent to register-users (rows rejected by row_errors included)."""
        return Counter(user["email"].lower() for body in self.bodies("job-interview-register-users")
                       for user in body["users"])


@pytest.fixture
def spy(sandbox):
    """Route the app's client through a SpyTransport wrapped around the sandbox."""
    transport = SpyTransport(sandbox.transport())
    client_service.use_transport(transport)
    return transport


@pytest.fixture
def template_id(sandbox):
    from mojito.sandbox.seed import TEMPLATE_IDS

    return TEMPLATE_IDS["interactive_heygen"]


@pytest.fixture
def remote_interview(sandbox, template_id, db):
    """An active interview created through the service (exists in the sandbox and locally)."""
    from recruiting.services.interviews import interview_create_from_questions

    return interview_create_from_questions(
        name="Backend engineer", location="Remote", interview_template_id=template_id,
        description="Python and Django.", questions=["Tell us about a system you built.", "How do you test?"],
        status="active")
