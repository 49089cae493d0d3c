"""The sandbox served over HTTP: the management command as a real process, and persistence."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from mojito.sandbox import Sandbox
from mojito.sandbox.server import SandboxServer, free_port

from .test_lifecycle_support import api, create_interview, register

ROOT = Path(__file__).resolve().parents[3]


def wait_for(url: str, timeout: float = 20.0) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return httpx.get(url, timeout=1)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.mark.slow
def test_management_command_serves_ping_and_stops(tmp_path):
    port = free_port()
    state_file = tmp_path / "state" / "sandbox.json"
    env = dict(os.environ, DJANGO_DEBUG="true", PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "mojito_sandbox", "--port", str(port), "--state-file", str(state_file),
         "--token", "tok-1", "--token", "tok-2", "--webhook-url", "http://127.0.0.1:9/hooks",
         "--webhook-header", "X-Secret: abc", "--latency-ms", "0", "--fault-rate", "0"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        ping = wait_for(f"http://127.0.0.1:{port}/sandbox/api/ping")
        assert ping.status_code == 200 and ping.json()["sandbox"] is True
        config = httpx.get(f"http://127.0.0.1:{port}/sandbox/api/config").json()
        assert config["webhook_urls"] == ["http://127.0.0.1:9/hooks"]
        assert config["webhook_headers"] == {"X-Secret": "***"}
        assert config["base_url"] == f"http://127.0.0.1:{port}"
        for token in ("tok-1", "tok-2"):
            status = httpx.get(f"http://127.0.0.1:{port}/functions/v1/merchant-status",
                               headers={"Authorization": f"Bearer {token}"})
            assert status.status_code == 200
        assert httpx.get(f"http://127.0.0.1:{port}/functions/v1/merchant-status",
                         headers={"Authorization": "Bearer other"}).status_code == 401
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert f"http://127.0.0.1:{port}/sandbox/" in out
    assert "abc" not in out
    assert state_file.exists() and "interviews" in json.loads(state_file.read_text())


@pytest.mark.slow
def test_management_command_rejects_a_bad_fault_rate(tmp_path):
    env = dict(os.environ, DJANGO_DEBUG="true")
    process = subprocess.run(
        [sys.executable, "manage.py", "mojito_sandbox", "--port", "0", "--fault-rate", "1.5",
         "--state-file", str(tmp_path / "s.json")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert process.returncode != 0 and "fault-rate" in process.stderr


def test_state_persists_across_restarts(tmp_path):
    state_file = tmp_path / "sandbox-state.json"
    sb = Sandbox(tokens=["sandbox-token"], state_file=state_file)
    server = SandboxServer(sb, "127.0.0.1", 0)
    sb.state.config.base_url = server.url
    server.start()
    try:
        client = httpx.Client(base_url=server.url, timeout=10)
        interview_id = create_interview(sb, client)
        row = register(client, interview_id)
        page = client.get(row["interview_url"].replace(server.url, ""))
        assert page.status_code == 200
        done = client.post(f"/interview/take/{row['profile_interview_id']}/",
                           data={"interview_token": row["interview_url"].split("interview_token=")[1].split("&")[0],
                                 "action": "submit", "answer_0": "An answer."})
        assert done.status_code == 200
    finally:
        server.stop()
        sb.close()
    again = Sandbox(tokens=["sandbox-token"], state_file=state_file)
    try:
        assert interview_id in again.state.interviews
        (result,) = again.state.results.values()
        assert result["status"] == "active" and result["profile_interview_id"] == row["profile_interview_id"]
        assert [d["event"] for d in again.state.webhook_deliveries] == ["interview_collected", "interview_result"]
    finally:
        again.close()


def test_server_overview_lists_what_happened(tmp_path):
    sb = Sandbox(tokens=["sandbox-token"])
    server = SandboxServer(sb, "127.0.0.1", 0)
    sb.state.config.base_url = server.url
    server.start()
    try:
        client = httpx.Client(base_url=server.url, timeout=10)
        interview_id = create_interview(sb, client)
        row = register(client, interview_id, name="Overview Person", email="ov@example.com")
        sb.complete(row["profile_interview_id"])
        html = client.get("/sandbox/").text
        for text in ("Data engineer", "Overview Person", row["profile_interview_id"], "interview_collected",
                     "interview_result", "Webhook deliveries", "Credits", "open interview"):
            assert text in html
        assert api(client, "merchant-status", method="GET").status_code == 200
    finally:
        server.stop()
        sb.close()


# --- HTTP/1.1 keep-alive -------------------------------------------------------------------------

def _read_response(sock) -> tuple[bytes, dict, bytes]:
    """One HTTP response off ``sock``: (status line, headers, body framed by Content-Length)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed after {data!r}")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status, *lines = head.split(b"\r\n")
    headers = {k.strip().lower().decode(): v.strip().decode() for k, v in (line.split(b":", 1) for line in lines)}
    while len(body) < int(headers["content-length"]):
        body += sock.recv(65536)
    return status, headers, body


def test_one_connection_serves_request_after_request_until_the_client_closes_it():
    import socket

    sandbox = Sandbox(tokens=["sandbox-token"])
    server = SandboxServer(sandbox, "127.0.0.1", 0).start()
    try:
        with socket.create_connection((server.host, server.port), timeout=5) as sock:
            sock.sendall(b"GET /sandbox/api/ping HTTP/1.1\r\nHost: t\r\n\r\n")
            status, headers, body = _read_response(sock)
            assert status.startswith(b"HTTP/1.1 200") and json.loads(body)["sandbox"] is True
            assert headers.get("connection") != "close"
            # a request with a body: the body is read whole, so the next request starts after it
            payload = json.dumps({"status": "active"}).encode()
            sock.sendall(b"POST /functions/v1/merchant-status HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer "
                         b"sandbox-token\r\nContent-Type: application/json\r\nContent-Length: "
                         + str(len(payload)).encode() + b"\r\n\r\n" + payload)
            status, _, _ = _read_response(sock)
            assert status.split()[1] in (b"200", b"405")
            sock.sendall(b"GET /sandbox/api/ping HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            status, headers, _ = _read_response(sock)
            assert status.startswith(b"HTTP/1.1 200") and headers["connection"] == "close"
            assert sock.recv(10) == b""  # the server closed it, as asked
    finally:
        server.stop()
        sandbox.close()


def test_httpx_reuses_the_connection_and_stop_closes_the_ones_kept_open():
    import socket

    sandbox = Sandbox(tokens=["sandbox-token"])
    server = SandboxServer(sandbox, "127.0.0.1", 0).start()
    seen = []
    original = server.httpd.track
    server.httpd.track = lambda connection: (seen.append(connection), original(connection))
    try:
        with httpx.Client(base_url=server.url, timeout=5) as client:
            for _ in range(5):
                assert client.get("/sandbox/api/ping").status_code == 200
        assert len(seen) == 1  # five requests, one connection
        idle = socket.create_connection((server.host, server.port), timeout=5)
        idle.sendall(b"GET /sandbox/api/ping HTTP/1.1\r\nHost: t\r\n\r\n")
        _read_response(idle)
    finally:
        server.stop()
        sandbox.close()
    try:
        assert idle.recv(10) == b""  # the stopped server let go of the connection it kept open
    except ConnectionResetError:
        pass
    finally:
        idle.close()
