"""Latency and fault injection for the sandbox's API requests (never for sandbox-only paths).

Around every ``/functions/v1`` request the app calls ``inject`` before serving it and ``hold``
after:

* the latency: a request takes ``latency_ms``, plus ``row_latency_ms`` per row of the batch
  endpoints (``users`` of job-interview-register-users and invite-users), from its arrival to its
  answer. That is the API's response time, its own work included, so the sandbox's own processing
  counts inside it: ``hold`` sleeps only what remains (a request whose processing took longer than
  the model is answered at once). ``LATENCY_MODELS`` names ready-made pairs
  (``latency_model("jobmojito")``: 40 ms per request plus 1 ms per row, the model the benchmarks
  use for a real API round trip);
* with probability ``fault_rate``, ``inject`` answers instead with one of ``fault_kinds``, after
  the same latency:
  ``"500"`` / ``"502"`` / ``"503"`` / ``"504"`` -> that status with the error envelope;
  ``"timeout"`` -> sleeps ``timeout_sleep_s`` (default 20 s, beyond any sane client read
  timeout) and then answers 504; ``"drop"`` -> raises ``DropConnection``: the HTTP server closes
  the socket without an answer, and in-process (httpx.WSGITransport re-raises app exceptions) the
  client sees it as ``httpx.RemoteProtocolError``, a transport error, as it would on the wire.

Deterministic when ``config.fault_seed`` is set (one ``random.Random(seed)`` per sandbox).
"""

from __future__ import annotations

import json
import random
import threading
import time

import httpx

from mojito.sandbox.http import Request, Response

BATCH_ENDPOINTS = {"job-interview-register-users": "users", "invite-users": "users"}
DEFAULT_TIMEOUT_SLEEP_S = 20.0
STATUS_KINDS = {"500": 500, "502": 502, "503": 503, "504": 504}

_rng_lock = threading.Lock()

# Named latency settings: {name: {"latency_ms": per request, "row_latency_ms": per batch row}}.
LATENCY_MODELS = {
    "none": {"latency_ms": 0, "row_latency_ms": 0},
    "jobmojito": {"latency_ms": 40, "row_latency_ms": 1},  # a JobMojito round trip, as `make bench` models it
}


def latency_model(name: str) -> dict[str, int]:
    """The sandbox settings of a named latency model (``Sandbox(**latency_model("jobmojito"))``)."""
    try:
        return dict(LATENCY_MODELS[name])
    except KeyError:
        raise ValueError(f"Unknown latency model {name!r}; known: {', '.join(sorted(LATENCY_MODELS))}") from None


def modelled_seconds(latency_ms: int, row_latency_ms: int, rows: int = 0) -> float:
    """What one request with ``rows`` batch rows takes under a latency model, arrival to answer."""
    return (max(0, latency_ms or 0) + max(0, row_latency_ms or 0) * max(0, rows)) / 1000.0


class DropConnection(httpx.RemoteProtocolError):
    """Raised by the app to make the server drop the connection without answering."""

    def __init__(self, message: str = "Sandbox fault: connection dropped without a response"):
        super().__init__(message)


def _state(sandbox):
    return getattr(sandbox, "state", sandbox)


def rng(state) -> random.Random:
    with _rng_lock:
        existing = state.__dict__.get("_fault_rng")
        if existing is None:
            existing = random.Random(getattr(state.config, "fault_seed", None))
            state.__dict__["_fault_rng"] = existing
        return existing


def row_count(request: Request, endpoint: str) -> int:
    key = BATCH_ENDPOINTS.get(endpoint)
    if not key or not request.body:
        return 0
    try:
        data = json.loads(request.body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return 0
    rows = data.get(key) if isinstance(data, dict) else None
    return len(rows) if isinstance(rows, list) else 0


def delay_seconds(config, request: Request, endpoint: str) -> float:
    return modelled_seconds(config.latency_ms, config.row_latency_ms, row_count(request, endpoint))


def pick_fault(state) -> str | None:
    """The fault kind to inject into this request, or None."""
    config = state.config
    rate = float(config.fault_rate or 0)
    kinds = [str(k) for k in (config.fault_kinds or ())]
    if rate <= 0 or not kinds:
        return None
    generator = rng(state)
    with _rng_lock:
        if generator.random() >= rate:
            return None
        return generator.choice(kinds)


def hold(sandbox, request: Request, endpoint: str, started: float, *, sleep=time.sleep,
         clock=time.monotonic) -> None:
    """Sleep what remains of the request's modelled latency, counted from ``started`` (its arrival,
    a ``clock`` reading)."""
    remaining = delay_seconds(_state(sandbox).config, request, endpoint) - (clock() - started)
    if remaining > 0:
        sleep(remaining)


def inject(sandbox, request: Request, endpoint: str, started: float, *, sleep=time.sleep,
           clock=time.monotonic) -> Response | None:
    """The injected fault's answer, after the modelled latency (or ``DropConnection``), or None:
    serve the request."""
    state = _state(sandbox)
    kind = pick_fault(state)
    if kind is None:
        return None
    hold(sandbox, request, endpoint, started, sleep=sleep, clock=clock)
    config = state.config
    if kind in STATUS_KINDS:
        return Response.error(STATUS_KINDS[kind], f"Sandbox fault: injected {kind} for {endpoint}.")
    if kind == "timeout":
        sleep(float(getattr(config, "timeout_sleep_s", None) or DEFAULT_TIMEOUT_SLEEP_S))
        return Response.error(504, f"Sandbox fault: {endpoint} timed out.")
    if kind == "drop":
        raise DropConnection()
    return Response.error(500, f"Sandbox fault: {kind} for {endpoint}.")
