"""Part 2, webhook intake: deliveries from concurrent senders to the app under gunicorn.

The sandbox holds the results; each unique delivery is a result's section 3.5 payload, and a share
of the deliveries are exact re-deliveries of earlier ones. The senders post them to
``/mojito/webhooks/`` on gunicorn (the README's production command), then the same bodies to the
same server's trivial endpoint (bench/urls.py). A Celery worker then drains the queue; every
result's processing (``result_sync``: one job-interview-details fetch) is counted at the sandbox.
"""

from __future__ import annotations

import os
import random
import sys
import threading
import time

from bench.common import (Child, Figure, configure_sandbox, env_int, free_port, pct, process_cpu, process_tree, ratio,
                          start_worker, wait_until)

SENDERS = 16
DUPLICATE_SHARE = 0.2
GUNICORN_WORKERS = 5  # README, "Running in production"
GUNICORN_THREADS = 1
WORKER_CONCURRENCY = 4  # README: celery -A recruiting worker --concurrency 4


def _seed_results(ctx, interview, n: int) -> list[dict]:
    """``n`` scored results in the sandbox for people enrolled in ``interview``; their payloads."""
    from mojito.sandbox.api.prescreening import new_enrolment, upsert_candidate
    from mojito.sandbox.webhooks import build_payload

    state = ctx.sandbox.state
    payloads = []
    with state.lock:
        for i in range(n):
            profile = upsert_candidate(state, email=f"hook{i}@example.com", name=f"Hook {i}")
            enrolment = new_enrolment(state, profile, interview_id=interview.mojito_id)
            result = state.add_result(enrolment["id"], status="active", coach_status="completed",
                                      processing_status="completed", score=round(1 + (i % 40) / 10, 1),
                                      score_interview_ai=3.5, ai_analysis="Fine.", ai_analysis_recruiter="Fine.")
            payloads.append(build_payload(state, result, None))
    return payloads


def _deliveries(payloads: list[dict], total: int) -> list[dict]:
    """``total`` deliveries: every payload once plus exact re-deliveries of earlier ones."""
    rng = random.Random(7)
    out = list(payloads)
    rng.shuffle(out)
    for _ in range(total - len(payloads)):
        position = rng.randrange(1, len(out))
        out.insert(min(len(out), position + rng.randrange(1, 50)), out[rng.randrange(0, position)])
    return out


def _blast(url: str, bodies: list[bytes], headers: dict) -> tuple[float, list[float], dict]:
    """POST every body from SENDERS threads (keep-alive connections); (seconds, latencies ms, statuses)."""
    import httpx

    lock = threading.Lock()
    cursor = iter(range(len(bodies)))
    latencies: list[float] = []
    statuses: dict[int, int] = {}

    def sender():
        with httpx.Client(timeout=30, headers={"content-type": "application/json", **headers}) as http:
            while True:
                with lock:
                    index = next(cursor, None)
                if index is None:
                    return
                started = time.perf_counter()
                try:
                    status = http.post(url, content=bodies[index]).status_code
                except httpx.HTTPError:
                    status = 0
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=sender) for _ in range(SENDERS)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started, latencies, statuses


def _cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine so far (/proc/stat; (0, 0) where there is none)."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(x) for x in stat.readline().split()[1:]]
    except OSError:
        return 0, 0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


def _cpu_by_name(labels: dict[int, str]) -> dict[str, float]:
    """CPU seconds (user + system) so far of every process, summed by ``labels[pid]`` or command name."""
    out: dict[str, float] = {}
    for pid in map(int, filter(str.isdigit, os.listdir("/proc"))):
        if (found := process_cpu(pid)) is not None:
            name = labels.get(pid) or found[0]
            out[name] = out.get(name, 0) + found[1]
    return out


def _busy(blast, label: str = "", server: Child | None = None):
    """Run ``blast()``; (its result, the share of the machine's CPU time that was busy meanwhile).
    With BENCH_DEBUG, prints where the CPU time went, by process name (ms per request)."""
    debug = os.environ.get("BENCH_DEBUG")
    labels = {os.getpid(): "bench (senders)", **{pid: "gunicorn" for pid in (process_tree(server.pid) if server else [])}}
    by_name = _cpu_by_name(labels) if debug else {}
    before = _cpu_ticks()
    result = blast()
    after = _cpu_ticks()
    total = after[1] - before[1]
    if debug:
        spent = {name: cpu - by_name.get(name, 0) for name, cpu in _cpu_by_name(labels).items()}
        n = len(result[1]) or 1
        print(f"  debug: {label} CPU ms a request: " + ", ".join(
            f"{name} {cpu * 1000 / n:.2f}" for name, cpu in sorted(spent.items(), key=lambda kv: -kv[1]) if cpu > 0.05),
            flush=True)
    return result, ((after[0] - before[0]) / total if total else None)


def _share(value) -> str:
    return "?" if value is None else f"{value:.0%}"


def _gunicorn(port: int) -> Child:
    import httpx

    server = Child([sys.executable, "-m", "gunicorn", "bench.wsgi", "--workers", str(GUNICORN_WORKERS),
                    "--threads", str(GUNICORN_THREADS), "--bind", f"127.0.0.1:{port}", "--timeout", "30",
                    "--log-level", "warning"], name="gunicorn")
    ok = wait_until(lambda: _up(httpx, port), timeout=60, interval=0.2)
    if not ok:
        server.stop()
        raise RuntimeError(f"gunicorn did not start:\n{server.tail()}")
    return server


def _up(httpx, port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/bench/trivial", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def run(ctx) -> list[Figure]:
    import json

    from django.conf import settings
    from django.db.models import Count

    from mojito.models import WebhookDelivery
    from bench.bulk import _interview

    total = env_int("BENCH_WEBHOOKS", 5000)
    unique = total - int(total * DUPLICATE_SHARE)
    configure_sandbox(ctx.sandbox)
    interview = _interview("Bench webhooks")
    payloads = _seed_results(ctx, interview, unique)
    deliveries = [json.dumps(p).encode() for p in _deliveries(payloads, total)]
    headers = {settings.MOJITO_WEBHOOK_HEADER: settings.MOJITO_WEBHOOK_SECRETS[0]}
    port = free_port()
    server = _gunicorn(port)
    try:
        _blast(f"http://127.0.0.1:{port}/bench/trivial", [b"{}"] * 100, {})  # warm every worker up
        (trivial_s, trivial_ms, trivial_status), trivial_busy = _busy(
            lambda: _blast(f"http://127.0.0.1:{port}/bench/trivial", deliveries, {}), "trivial", server)
        (ours_s, ours_ms, ours_status), ours_busy = _busy(
            lambda: _blast(f"http://127.0.0.1:{port}/mojito/webhooks/", deliveries, headers), "webhooks", server)
    finally:
        server.stop()
    stored = WebhookDelivery.objects.count()

    ctx.meter.reset()
    worker = start_worker(concurrency=WORKER_CONCURRENCY)
    try:
        drained = wait_until(lambda: not WebhookDelivery.objects.filter(state=WebhookDelivery.State.PENDING).exists(),
                             timeout=900, interval=0.5)
        time.sleep(2)  # a duplicate task still in flight would show up here
    finally:
        worker.stop()
    fetched = ctx.meter.details
    ids = [p["id"] for p in payloads]
    not_once = sum(1 for i in ids if fetched.get(i, 0) != 1)
    never = sum(1 for i in ids if fetched.get(i, 0) == 0)
    per_s, trivial_per_s = total / ours_s, total / trivial_s
    states = dict(WebhookDelivery.objects.values_list("state").annotate(n=Count("id")).order_by())
    load = (f"{total} deliveries ({unique} unique, {total - unique} exact re-deliveries) from {SENDERS} concurrent "
            f"senders; gunicorn {GUNICORN_WORKERS} sync workers x {GUNICORN_THREADS} thread (README); "
            f"each gunicorn process handed them over in batches (WEBHOOK_QUEUE_WINDOW_SECONDS="
            f"{settings.WEBHOOK_QUEUE_WINDOW_SECONDS}); the worker was not running while they arrived; then one "
            f"worker, --concurrency {WORKER_CONCURRENCY} (README), drained them")
    return [
        Figure("webhook_intake.per_s", round(per_s, 1), "deliveries/s", baseline=round(trivial_per_s, 1),
               ratio=ratio(per_s, trivial_per_s), notes=f"{load}; statuses {ours_status}; {stored} rows stored"),
        Figure("webhook_intake.p50_ms", round(pct(ours_ms, 50), 1), "ms", baseline=round(pct(trivial_ms, 50), 1),
               ratio=ratio(pct(ours_ms, 50), pct(trivial_ms, 50)), notes="acknowledgement latency at the sender"),
        Figure("webhook_intake.p99_ms", round(pct(ours_ms, 99), 1), "ms", baseline=round(pct(trivial_ms, 99), 1),
               limit=100, ratio=ratio(pct(ours_ms, 99), 100),
               notes=f"target < 100 ms; trivial endpoint statuses {trivial_status}"),
        Figure("webhook_intake.vs_trivial_throughput", ratio(per_s, trivial_per_s), "x",
               baseline=round(trivial_per_s, 1), limit=0.5, ratio=ratio(ratio(per_s, trivial_per_s, 3), 0.5),
               notes="ours / the same server's trivial endpoint (no database) under the same load; target >= 0.5; "
                     f"the machine's CPUs were busy {_share(ours_busy)} of the time during ours, "
                     f"{_share(trivial_busy)} during the trivial endpoint's"),
        Figure("webhook_intake.effects_not_exactly_once", not_once, "results", limit=0,
               notes=f"results whose processing (job-interview-details fetch) ran 0 or 2+ times after the worker "
                     f"drained (drained={drained}); {never} never; deliveries by state {states}"),
    ]
