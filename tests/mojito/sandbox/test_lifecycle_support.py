"""Helpers shared by the sandbox runtime tests (no tests here): a live webhook receiver, a sandbox
served on a free loopback port, and API calls that set up interviews and candidates."""

from __future__ import annotations

import json
import re
import threading
from html import unescape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from mojito.sandbox import Sandbox
from mojito.sandbox.server import serve_in_thread

TOKEN = "sandbox-token"
SECRET_HEADER = "X-Mojito-Webhook-Secret"
SECRET = "s3cret-value"
QUESTIONS = [
    {"question": "Tell me about a data pipeline you built and how you measured its reliability."},
    {"question": "Which tool do you prefer for orchestration?", "is_multiple_choice": True,
     "question_alternatives": ["Airflow", "Dagster", "Cron"]},
    {"question": "Describe a time you disagreed with a stakeholder."},
]


class Receiver:
    """A tiny webhook receiver on a free loopback port that records every request."""

    def __init__(self, statuses=()):
        self.requests: list[dict] = []
        self.statuses = list(statuses)  # answered in order, then 200
        self.event = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                receiver.requests.append({"path": self.path, "headers": dict(self.headers.items()),
                                          "json": json.loads(body or b"null")})
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
                receiver.event.set()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def events(self):
        return [r["headers"].get("X-Mojito-Event") for r in self.requests]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def live(receiver):
    """A sandbox served over HTTP on a free loopback port, webhooks to the receiver."""
    sb = Sandbox(tokens=[TOKEN], webhook_urls=[receiver.url], webhook_headers={SECRET_HEADER: SECRET},
                 webhook_retry_seconds=10)
    server = serve_in_thread(sb)
    client = httpx.Client(base_url=server.url, timeout=10)
    yield sb, server, client
    client.close()
    server.stop()
    sb.close()


def api(client: httpx.Client, endpoint: str, body: dict | None = None, *, method="POST") -> httpx.Response:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    if method == "GET":
        return client.get(f"/functions/v1/{endpoint}", params=body, headers=headers)
    return client.post(f"/functions/v1/{endpoint}", json=body or {}, headers=headers)


def create_interview(sb, client, questions=None, **extra) -> str:
    template_id = next(iter(sb.state.templates))
    body = {"name": "Data engineer", "location": "Remote", "interview_template_id": template_id,
            "mojito_language_code": "en", "status": "active", "type": "interview",
            "visibility": "merchant_invite", "description": "Build reliable data pipelines with Airflow.",
            "questions": questions or QUESTIONS, **extra}
    response = api(client, "job-interview-create-from-array", body)
    assert response.status_code == 200, response.text
    return response.json()["interview_def_set_id"]


def register(client, interview_id, name="Ada Lovelace", email="ada@example.com", **extra) -> dict:
    response = api(client, "job-interview-register-users",
                   {"interview_id": interview_id, "users": [{"name": name, "email": email, **extra}]})
    assert response.status_code == 200, response.text
    row = response.json()[0]
    assert row["result"] == "ok", row
    return row


def in_process_client(sb) -> httpx.Client:
    return httpx.Client(transport=sb.transport(), base_url=sb.base_url, timeout=10)


def form_of(html: str) -> tuple[str, dict]:
    """(action, hidden fields) of the interview page's form."""
    action = unescape(re.search(r'<form method="post" action="([^"]+)"', html).group(1))
    hidden = {unescape(n): unescape(v) for n, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)}
    return action, hidden


def answer_fields(html: str) -> list[str]:
    return sorted(set(re.findall(r'name="(answer_\d+)"', html)))
