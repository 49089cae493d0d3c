"""What every benchmark shares: result rows, percentiles, the instrumented sandbox, child processes.

Nothing here is imported by the app; the benchmarks import the app.
"""

from __future__ import annotations

import io
import itertools
import math
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

BASE = Path(__file__).resolve().parents[1]


@dataclass
class Figure:
    """One row of bench/results.json: the figure, what it is compared with, and how."""

    name: str
    value: float | int | str | None
    unit: str
    baseline: float | int | str | None = None
    limit: float | int | str | None = None
    ratio: float | None = None
    notes: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def ratio(a, b, digits: int = 2) -> float | None:
    if a is None or b is None or not isinstance(a, (int, float)) or not isinstance(b, (int, float)) or b == 0:
        return None
    return round(a / b, digits)


def pct(values, p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# --- the sandbox, with a meter on its API --------------------------------------------------------


@dataclass
class ApiMeter:
    """Counts what reached the sandbox's API: requests per endpoint, the CPU each took (its own
    service time, without the injected latency), and which emails each register-users applied."""

    requests: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    cpu_seconds: defaultdict = field(default_factory=lambda: defaultdict(float))
    registered: Counter = field(default_factory=Counter)  # (interview_id, email) applied with a 200
    details: Counter = field(default_factory=Counter)  # interview_result_id fetched with a 200
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        with self.lock:
            for counter in (self.requests, self.statuses, self.registered, self.details):
                counter.clear()
            self.cpu_seconds.clear()

    def mean_cpu_ms(self, endpoint: str) -> float | None:
        n = self.requests.get(endpoint)
        return round(self.cpu_seconds[endpoint] / n * 1000, 2) if n else None


class MeteredApp:
    """WSGI middleware in front of the sandbox app (the server calls ``sandbox.app``)."""

    def __init__(self, app, meter: ApiMeter):
        self.app, self.meter = app, meter

    def __getattr__(self, name):  # the sandbox's own helpers (dispatch, api, ...) stay reachable
        return getattr(self.app, name)

    def __call__(self, environ, start_response):
        import json
        from urllib.parse import parse_qs

        path = environ.get("PATH_INFO", "")
        if not path.startswith("/functions/v1/"):
            return self.app(environ, start_response)
        endpoint = path.rsplit("/", 1)[-1]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        seen = {}

        def recording_start_response(status, headers, exc_info=None):
            seen["status"] = int(status.split()[0])
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        started = time.thread_time()
        try:
            return self.app(environ, recording_start_response)
        finally:
            cpu = time.thread_time() - started
            status = seen.get("status")
            with self.meter.lock:
                self.meter.requests[endpoint] += 1
                self.meter.statuses[(endpoint, status)] += 1
                self.meter.cpu_seconds[endpoint] += cpu
                if status == 200 and endpoint == "job-interview-register-users":
                    data = json.loads(body or b"{}")
                    for user in data.get("users") or []:
                        self.meter.registered[(data.get("interview_id"), (user.get("email") or "").strip().lower())] += 1
                if status == 200 and endpoint == "job-interview-details":
                    params = parse_qs(environ.get("QUERY_STRING", ""))
                    result_id = (params.get("interview_result_id") or [None])[0]
                    if result_id is None and body:
                        result_id = json.loads(body).get("interview_result_id")
                    self.meter.details[result_id] += 1


def start_sandbox(token: str, port: int):
    """The JobMojito sandbox served on loopback ``port`` in a thread of this process, metered."""
    from mojito.sandbox import Sandbox
    from mojito.sandbox.server import SandboxServer

    sandbox = Sandbox(tokens=[token], base_url=f"http://127.0.0.1:{port}")
    meter = ApiMeter()
    sandbox.app = MeteredApp(sandbox.app, meter)
    server = SandboxServer(sandbox, "127.0.0.1", port).start()
    return sandbox, server, meter


def configure_sandbox(sandbox, **config) -> None:
    """Reset latency and faults, then apply ``config`` (SandboxConfig field names)."""
    defaults = {"latency_ms": 0, "row_latency_ms": 0, "fault_rate": 0.0, "fault_kinds": ("500", "timeout", "drop"),
                "timeout_sleep_s": None, "fault_seed": None}
    for key, value in {**defaults, **config}.items():
        setattr(sandbox.state.config, key, value)
    sandbox.state.__dict__.pop("_fault_rng", None)  # a new seed takes effect


# --- child processes: a Celery worker, gunicorn ---------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The child processes (Celery worker, gunicorn) run as production runs them: DEBUG off, so no SQL
# query is recorded and static files come from the collected manifest. TLS is not in the picture
# (loopback HTTP, as behind a TLS-terminating proxy), so the HTTPS redirect and HSTS are off. The
# required secrets are this run's own (bench/run.py sets them for every process).
PRODUCTION = {"DJANGO_DEBUG": "false", "DJANGO_SECURE_SSL_REDIRECT": "false", "DJANGO_HSTS_SECONDS": "0",
              "DJANGO_LOG_LEVEL": "WARNING"}
_collected = False


def collect_static() -> None:
    """``collectstatic`` under the production settings, once a run (gunicorn renders pages with it)."""
    global _collected
    if not _collected:
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=BASE,
                       env={**os.environ, **PRODUCTION}, check=True)
        _collected = True


class Child:
    """A child process of the benchmark (production settings), stopped (SIGTERM, then SIGKILL) by ``stop``."""

    def __init__(self, args: list[str], *, env: dict | None = None, name: str):
        self.name = name
        self.log = open(os.environ["BENCH_DIR"] + f"/{name}.log", "wb")
        self.proc = subprocess.Popen(args, cwd=BASE, env={**os.environ, **PRODUCTION, **(env or {})},
                                     stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.log.close()

    def tail(self, n: int = 20) -> str:
        try:
            return "\n".join(Path(self.log.name).read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


def start_worker(*, concurrency: int = 2, env: dict | None = None) -> Child:
    """``celery -A recruiting worker`` as production runs it (prefork), waiting until it is ready."""
    worker = Child([sys.executable, "-m", "celery", "-A", "recruiting", "worker", "--loglevel", "INFO",
                    "--concurrency", str(concurrency), "--pool", "prefork", "--without-gossip",
                    "--without-mingle", "--without-heartbeat", "-n", f"bench-{os.getpid()}@%h"],
                   env=env, name="worker")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if "ready." in Path(worker.log.name).read_text(errors="replace"):
            return worker
        if worker.proc.poll() is not None:
            raise RuntimeError(f"the Celery worker exited at start:\n{worker.tail()}")
        time.sleep(0.2)
    worker.stop()
    raise RuntimeError(f"the Celery worker was not ready within 60 s:\n{worker.tail()}")


def process_tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                children = Path(f"/proc/{current}/task/{task}/children").read_text().split()
                todo.extend(int(c) for c in children)
        except OSError:
            continue
    return pids


def peak_rss_mb(pid: int) -> float | None:
    """The largest peak resident set (VmHWM) of any process in the tree under ``pid``."""
    peaks = []
    for p in process_tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        except OSError:
            continue
    return round(max(peaks), 1) if peaks else None


def process_cpu(pid: int) -> tuple[str, float] | None:
    """(command name, CPU seconds so far, user + system) of process ``pid``; None once it is gone."""
    try:
        head, tail = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)
    except OSError:
        return None
    fields = tail.split()
    return head.split("(", 1)[1], (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> dict[int, float]:
    """CPU time (user + system) of each process in the tree under ``pid``."""
    return {p: found[1] for p in process_tree(pid) if (found := process_cpu(p)) is not None}


def thread_cpu_seconds(pid: int) -> list[float]:
    """CPU time (user + system) of each live thread of process ``pid``."""
    ticks = os.sysconf("SC_CLK_TCK")
    out = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for task in tasks:
        try:
            fields = Path(f"/proc/{pid}/task/{task}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out.append(round((int(fields[11]) + int(fields[12])) / ticks, 2))
    return out


def wait_until(predicate, *, timeout: float, interval: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def chunks(n: int, size: int) -> list[int]:
    return [min(size, n - start) for start in range(0, n, size)]


def modelled_limit_seconds(rows: int, chunk: int, concurrency: int, latency_ms: int, row_latency_ms: int) -> float:
    """The fastest a job can go under the latency model: requests of ``chunk`` rows, ``concurrency``
    at a time, each costing ``latency_ms + rows * row_latency_ms`` (no CPU cost at all)."""
    from mojito.sandbox.faults import modelled_seconds

    sizes = chunks(rows, chunk)
    total = 0.0
    for start in range(0, len(sizes), concurrency):
        total += max(modelled_seconds(latency_ms, row_latency_ms, s) for s in sizes[start:start + concurrency])
    return total


def batched(iterable, n: int):
    it = iter(iterable)
    while batch := list(itertools.islice(it, n)):
        yield batch


def ceil_div(a: int, b: int) -> int:
    return -(-a // b) if b else 0


__all__ = ["BASE", "PRODUCTION", "ApiMeter", "Child", "Figure", "batched", "ceil_div", "chunks", "collect_static",
           "configure_sandbox", "cpu_seconds", "env_int", "free_port", "math", "modelled_limit_seconds", "peak_rss_mb",
           "pct", "ratio", "start_sandbox", "start_worker", "thread_cpu_seconds", "wait_until"]
