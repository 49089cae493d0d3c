"""Latency and fault injection (mojito.sandbox.faults)."""

from __future__ import annotations

import time

import httpx
import pytest

from mojito.sandbox import Sandbox, faults
from mojito.sandbox.http import Request
from mojito.sandbox.server import serve_in_thread

from .test_lifecycle_support import api, create_interview, in_process_client


def configure(client, **settings):
    response = client.post("/sandbox/api/config", json=settings)
    assert response.status_code == 200, response.text
    return response.json()


def test_fault_rate_one_with_500_gives_5xx(sb):
    client = in_process_client(sb)
    configure(client, fault_rate=1.0, fault_kinds=["500"])
    response = api(client, "merchant-status", method="GET")
    assert response.status_code == 500 and "fault" in response.json()["error"]
    configure(client, fault_kinds=["503"])
    assert api(client, "merchant-status", method="GET").status_code == 503
    # sandbox-only paths never fault
    assert client.get("/sandbox/api/ping").json() == {"sandbox": True, "version": "1.0"}
    assert client.get("/sandbox/").status_code == 200


def test_mojito_client_sees_server_errors(sb):
    from mojito import errors
    from mojito.client import MojitoClient

    sb.state.config.fault_rate = 1.0
    sb.state.config.fault_kinds = ("500",)
    client = MojitoClient(sb.base_url + "/functions/v1", "sandbox-token", transport=sb.transport(),
                          record_calls=False, sleep=lambda s: None)
    with pytest.raises(errors.ServerError):
        client.get_merchant_status()
    sb.state.config.fault_kinds = ("drop",)
    with pytest.raises(errors.MojitoTransportError):
        client.get_merchant_status()
    client.close()


def test_latency_is_applied(sb):
    client = in_process_client(sb)
    configure(client, latency_ms=300)
    started = time.monotonic()
    assert api(client, "merchant-status", method="GET").status_code == 200
    assert time.monotonic() - started >= 0.3
    slept = []
    request = Request("GET", "/functions/v1/merchant-status", {}, {})
    assert faults.inject(sb, request, "merchant-status", 10.0, sleep=slept.append) is None
    assert slept == []  # no fault: the request is served, then held
    faults.hold(sb, request, "merchant-status", 10.0, sleep=slept.append, clock=lambda: 10.0)
    assert slept == [pytest.approx(0.3)]


def test_the_latency_counts_from_the_arrival_and_includes_the_sandboxs_own_work(sb):
    """The model is the API's response time: what the sandbox spent serving counts inside it."""
    configure(in_process_client(sb), latency_ms=300)
    request = Request("GET", "/functions/v1/merchant-status", {}, {})
    slept = []
    faults.hold(sb, request, "merchant-status", 10.0, sleep=slept.append, clock=lambda: 10.1)
    assert slept == [pytest.approx(0.2)]
    faults.hold(sb, request, "merchant-status", 10.0, sleep=slept.append, clock=lambda: 10.5)
    assert slept == [pytest.approx(0.2)]  # served slower than the model: answered at once


def test_an_injected_fault_is_answered_after_the_modelled_latency(sb):
    configure(in_process_client(sb), latency_ms=300, fault_rate=1.0, fault_kinds=["503"])
    request = Request("GET", "/functions/v1/merchant-status", {}, {})
    slept = []
    response = faults.inject(sb, request, "merchant-status", 10.0, sleep=slept.append, clock=lambda: 10.0)
    assert response.status == 503 and slept == [pytest.approx(0.3)]


def test_row_latency_for_batch_endpoints(sb):
    client = in_process_client(sb)
    interview_id = create_interview(sb, client)
    configure(client, row_latency_ms=100)
    users = [{"name": f"U{i}", "email": f"u{i}@example.com"} for i in range(4)]
    started = time.monotonic()
    assert api(client, "job-interview-register-users", {"interview_id": interview_id, "users": users}).status_code == 200
    assert time.monotonic() - started >= 0.4
    request = Request("POST", "/functions/v1/invite-users", {}, {}, body=b'{"users": [{}, {}]}')
    assert faults.delay_seconds(sb.state.config, request, "invite-users") == pytest.approx(0.2)
    assert faults.delay_seconds(sb.state.config, request, "merchant-status") == 0


def test_drop_makes_the_in_process_client_see_a_transport_error(sb):
    client = in_process_client(sb)
    configure(client, fault_rate=1.0, fault_kinds=["drop"])
    with pytest.raises(httpx.TransportError):
        api(client, "merchant-status", method="GET")


def test_drop_over_a_real_server_closes_the_connection(sb):
    server = serve_in_thread(sb)
    try:
        client = httpx.Client(base_url=server.url, timeout=5)
        configure(client, fault_rate=1.0, fault_kinds=["drop"])
        with pytest.raises(httpx.RemoteProtocolError):
            api(client, "merchant-status", method="GET")
        configure(client, fault_rate=0.0)
        assert api(client, "merchant-status", method="GET").status_code == 200  # the server lives on
    finally:
        server.stop()


def test_a_dropped_connection_leaves_no_traceback_on_the_server(sb, capsys):
    server = serve_in_thread(sb)
    try:
        client = httpx.Client(base_url=server.url, timeout=5)
        configure(client, fault_rate=1.0, fault_kinds=["drop"])
        for _ in range(3):
            with pytest.raises(httpx.RemoteProtocolError):
                api(client, "merchant-status", method="GET")
        configure(client, fault_rate=0.0)
        assert api(client, "merchant-status", method="GET").status_code == 200
    finally:
        server.stop()
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "Exception occurred" not in captured.err


def test_timeout_sleeps_then_answers_504(sb):
    client = in_process_client(sb)
    configure(client, fault_rate=1.0, fault_kinds=["timeout"], timeout_sleep_s=0.2)
    started = time.monotonic()
    assert api(client, "merchant-status", method="GET").status_code == 504
    assert time.monotonic() - started >= 0.2


def test_timeout_exceeds_a_client_read_timeout_over_http(sb):
    server = serve_in_thread(sb)
    try:
        client = httpx.Client(base_url=server.url, timeout=httpx.Timeout(5, read=0.3))
        configure(client, fault_rate=1.0, fault_kinds=["timeout"], timeout_sleep_s=1.0)
        with pytest.raises(httpx.ReadTimeout):
            api(client, "merchant-status", method="GET")
    finally:
        server.stop()


def test_seeded_faults_are_deterministic():
    def run(seed):
        sandbox = Sandbox(tokens=["sandbox-token"], fault_rate=0.5, fault_kinds=("500", "503"))
        try:
            client = in_process_client(sandbox)
            configure(client, fault_seed=seed)
            return [api(client, "merchant-status", method="GET").status_code for _ in range(20)]
        finally:
            sandbox.close()

    first = run(7)
    assert first == run(7)
    assert {200, 500, 503} >= set(first) and 200 in first and len(set(first)) > 1


def test_config_endpoint_validates_and_masks(sb):
    client = in_process_client(sb)
    settings = configure(client, webhook_urls=["http://127.0.0.1:9/hooks"], webhook_headers={"X-Secret": "abc"})
    assert settings["webhook_headers"] == {"X-Secret": "***"} and "abc" not in client.get("/sandbox/api/config").text
    assert sb.state.config.webhook_headers == {"X-Secret": "abc"}
    for bad in ({"fault_rate": 2}, {"fault_rate": "x"}, {"latency_ms": -1}, {"fault_kinds": ["explode"]},
                {"webhook_urls": ["ftp://x"]}, {"webhook_headers": {"X": 1}}, {"nonsense": 1}):
        response = client.post("/sandbox/api/config", json=bad)
        assert response.status_code == 422, bad
        assert response.json()["name"] == next(iter(bad))


def test_the_jobmojito_latency_model_is_40_ms_per_request_and_1_ms_per_row():
    model = faults.latency_model("jobmojito")
    assert model == {"latency_ms": 40, "row_latency_ms": 1}
    sandbox = Sandbox(tokens=["t"], **model)
    try:
        users = b'{"interview_id": "x", "users": [' + b",".join([b'{"email": "a@example.com"}'] * 50) + b"]}"
        batch = Request("POST", "/functions/v1/job-interview-register-users", {}, {}, body=users)
        slept = []
        faults.hold(sandbox, batch, "job-interview-register-users", 5.0, sleep=slept.append, clock=lambda: 5.0)
        assert slept == [pytest.approx(0.090)]  # 40 ms + 50 rows x 1 ms
        assert faults.delay_seconds(sandbox.state.config, Request("GET", "/functions/v1/merchant-status", {}, {}),
                                    "merchant-status") == pytest.approx(0.040)
        assert faults.modelled_seconds(40, 1, 50) == pytest.approx(0.090)
    finally:
        sandbox.close()
    with pytest.raises(ValueError, match="Unknown latency model 'fast'"):
        faults.latency_model("fast")


def test_the_command_takes_a_latency_model_and_its_parts_override_it(monkeypatch):
    from django.core.management import call_command

    from mojito.management.commands import mojito_sandbox

    seen = {}

    class Stop(Exception):
        pass

    class FakeServer:
        def __init__(self, sandbox, host, port):
            seen.update(latency_ms=sandbox.state.config.latency_ms, row=sandbox.state.config.row_latency_ms)
            sandbox.close()
            raise Stop()

    monkeypatch.setattr("mojito.sandbox.server.SandboxServer", FakeServer)
    with pytest.raises(Stop):
        call_command(mojito_sandbox.Command(), "--latency-model", "jobmojito", "--state-file", "", "--port", "0")
    assert seen == {"latency_ms": 40, "row": 1}
    with pytest.raises(Stop):
        call_command(mojito_sandbox.Command(), "--latency-model", "jobmojito", "--row-latency-ms", "3",
                     "--state-file", "", "--port", "0")
    assert seen == {"latency_ms": 40, "row": 3}
