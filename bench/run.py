#!/usr/bin/env python
"""`make bench`: measure what the mission cares about and write bench/results.json.

Numbers, not assertions (the machine is shared and noisy). Every benchmark runs on this machine
against loopback only: the JobMojito sandbox served over HTTP with an injected per-request latency
(50 ms, a realistic API round trip), a fresh SQLite database under var/bench/ (or DATABASE_URL when
BENCH_DATABASE_URL is set), and the embedded Celery broker.

    client_roundtrip     sequential API calls through one shared client (ms per call)
    bulk_invite          1,000-row CSV -> register-users in chunks with bounded concurrency (invites/s)
    webhook_ingest       POST /mojito/webhooks/ through Django's handler (deliveries/s, p50/p99)
    webhook_ack_http     the same over HTTP: gunicorn (5 sync workers), 50 concurrent senders (p99 ack)
    admin_changelist     results changelist with 100,000 rows (ms per page, SQL queries)
    sandbox_inprocess    API calls through the in-process sandbox transport (calls/s)
"""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import statistics
import sys
import time
import traceback
from pathlib import Path

BASE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE))
BENCH_DIR = BASE / "var" / "bench"
shutil.rmtree(BENCH_DIR, ignore_errors=True)
BENCH_DIR.mkdir(parents=True)
os.environ["DJANGO_DEBUG"] = "true"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}")
os.environ.pop("REDIS_URL", None)
os.environ["CELERY_BROKER_DIR"] = str(BENCH_DIR / "broker")  # never the demo's var/celery-broker
os.environ["DJANGO_LOG_LEVEL"] = "WARNING"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recruiting.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.db import connection  # noqa: E402

from mojito.sandbox import Sandbox  # noqa: E402
from mojito.sandbox.server import serve_in_thread  # noqa: E402
from recruiting.services import client as client_factory  # noqa: E402

settings.ALLOWED_HOSTS.append("testserver")
LATENCY_MS = int(os.environ.get("BENCH_LATENCY_MS", "50"))


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def served_sandbox(**config):
    sandbox = Sandbox(tokens=[settings.MOJITO_API_TOKEN], **config)
    server = serve_in_thread(sandbox)
    client_factory.reset_client()
    settings.MOJITO_API_BASE_URL = server.url + "/functions/v1"
    return sandbox, server


def demo_interview(client):
    from recruiting.services.interviews import interview_create_from_questions
    from recruiting.services.templates import templates_sync

    templates_sync()
    template = client.list_avatars(type="interactive_heygen").data[0]["id"]
    return interview_create_from_questions(
        name="Bench interview", location="Remote", interview_template_id=template, mojito_language_code="en",
        description="Benchmark interview.", status="active", type="interview", visibility="merchant_invite",
        questions=[{"question": "Tell us about yourself."}])


def bench_client_roundtrip():
    sandbox, server = served_sandbox(latency_ms=LATENCY_MS)
    try:
        client = client_factory.get_client()
        n = 100
        timings = []
        for _ in range(n):
            started = time.perf_counter()
            client.get_merchant_status()
            timings.append((time.perf_counter() - started) * 1000)
        overhead = [t - LATENCY_MS for t in timings]
        return {"calls": n, "injected_latency_ms": LATENCY_MS, "mean_ms": round(statistics.mean(timings), 1),
                "p99_ms": round(pct(timings, 99), 1), "client_overhead_mean_ms": round(statistics.mean(overhead), 1)}
    finally:
        server.stop()
        sandbox.close()


def bench_bulk_invite():
    from recruiting.services.candidates import bulk_invite_create_from_csv, invitations_send_bulk

    sandbox, server = served_sandbox(latency_ms=LATENCY_MS)
    try:
        interview = demo_interview(client_factory.get_client())
        rows = 1000
        csv = "name,email\n" + "".join(f"Candidate {i},candidate{i}@example.com\n" for i in range(rows))
        bulk = bulk_invite_create_from_csv(interview=interview, csv_file=csv.encode(), file_name="bench.csv")
        started = time.perf_counter()
        bulk = invitations_send_bulk(bulk_invite_id=bulk.pk)
        elapsed = time.perf_counter() - started
        registered = sum(1 for e in sandbox.state.enrolments.values() if e.get("interview_id") == interview.mojito_id)
        return {"rows": rows, "sent": bulk.sent_count, "registered_in_sandbox": registered,
                "seconds": round(elapsed, 2), "invites_per_s": round(bulk.sent_count / elapsed, 1),
                "chunk_size": settings.MOJITO_BULK_CHUNK_SIZE, "concurrency": settings.MOJITO_BULK_CONCURRENCY,
                "injected_latency_ms": LATENCY_MS, "requests": -(-rows // settings.MOJITO_BULK_CHUNK_SIZE)}
    finally:
        server.stop()
        sandbox.close()


def bench_webhook_ingest():
    from django.db import transaction  # noqa: F401

    web = Client()
    header = "HTTP_" + settings.MOJITO_WEBHOOK_HEADER.upper().replace("-", "_")
    secret = settings.MOJITO_WEBHOOK_SECRETS[0]
    n = 500
    timings = []
    statuses = {}
    for i in range(n):
        payload = {"id": f"00000000-0000-4000-8000-{i:012d}", "interview_id": "i", "question_set_id": "i",
                   "status": "active", "interview_status": "completed", "processing_status": "completed",
                   "profile_interview_id": None, "profile_id": None, "score": 4.2,
                   "ai_analysis_recruiter_score": 4.0, "ai_analysis": "ok", "ai_analysis_recruiter": "ok",
                   "recruiter_go_next_round": None}
        started = time.perf_counter()
        response = web.post("/mojito/webhooks/", data=json.dumps(payload), content_type="application/json",
                            **{header: secret})
        timings.append((time.perf_counter() - started) * 1000)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    total = sum(timings) / 1000
    return {"deliveries": n, "statuses": statuses, "per_s": round(n / total, 1),
            "p50_ms": round(pct(timings, 50), 2), "p99_ms": round(pct(timings, 99), 2),
            "note": f"in-process through Django's handler, one at a time, {connection.vendor} + embedded broker enqueue"}


def bench_webhook_ack_http():
    """reliability.md 2.5.9: ack p99 < 1 s at 50 concurrent deliveries, measured over loopback HTTP."""
    import socket
    import subprocess
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, DJANGO_DEBUG="true")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "recruiting.wsgi", "--workers", "5", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning"], cwd=BASE, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/mojito/webhooks/"
    headers = {settings.MOJITO_WEBHOOK_HEADER: settings.MOJITO_WEBHOOK_SECRETS[0]}
    try:
        for _ in range(100):
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        senders, per_sender = 50, 20

        def send(sender: int) -> list[tuple[int, float]]:
            out = []
            with httpx.Client(timeout=10) as http:
                for i in range(per_sender):
                    payload = {"id": f"10000000-0000-4000-8000-{sender:04d}{i:08d}", "interview_id": "i",
                               "question_set_id": "i", "status": "draft", "interview_status": "completed",
                               "processing_status": "new", "profile_interview_id": None, "profile_id": None,
                               "score": None, "ai_analysis_recruiter_score": None, "ai_analysis": None,
                               "ai_analysis_recruiter": None, "recruiter_go_next_round": None}
                    started = time.perf_counter()
                    response = http.post(url, json=payload, headers=headers)
                    out.append((response.status_code, (time.perf_counter() - started) * 1000))
            return out

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=senders) as pool:
            results = [r for chunk in pool.map(send, range(senders)) for r in chunk]
        elapsed = time.perf_counter() - started
        timings = [ms for _, ms in results]
        statuses = {}
        for status, _ in results:
            statuses[status] = statuses.get(status, 0) + 1
        return {"deliveries": len(results), "concurrent_senders": senders, "statuses": statuses,
                "per_s": round(len(results) / elapsed, 1), "p50_ms": round(pct(timings, 50), 1),
                "p99_ms": round(pct(timings, 99), 1), "server": "gunicorn 5 sync workers", "database": connection.vendor}
    finally:
        server.terminate()
        server.wait(timeout=10)


def bench_admin_changelist():
    from django.contrib.auth import get_user_model

    from recruiting.models import Interview, InterviewResult, InterviewTemplate

    rows = int(os.environ.get("BENCH_CHANGELIST_ROWS", "100000"))
    template = InterviewTemplate.objects.create(mojito_id="bench-template", name="Bench", type="interactive_heygen",
                                                status="active")
    interview = Interview.objects.create(mojito_id="bench-interview", name="Bench interview", template=template)
    started = time.perf_counter()
    batch = []
    for i in range(rows):
        batch.append(InterviewResult(mojito_id=f"bench-result-{i}", interview=interview, status="active",
                                     coach_status="completed", processing_status="completed", score=(i % 50) / 10,
                                     state_rank=4))
        if len(batch) == 5000:
            InterviewResult.objects.bulk_create(batch)
            batch = []
    InterviewResult.objects.bulk_create(batch)
    seeded = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    user = get_user_model().objects.create_superuser("bench", "bench@example.com", "bench-password-123")
    web = Client()
    web.force_login(user)
    out = {"rows": rows, "seed_seconds": round(seeded, 1)}
    for label, url in (("unfiltered", "/admin/recruiting/interviewresult/"),
                       ("filtered", "/admin/recruiting/interviewresult/?status__exact=active"),
                       ("search", "/admin/recruiting/interviewresult/?q=bench-result-99")):
        timings = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = web.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        out[label] = {"median_ms": round(statistics.median(timings), 1), "queries": len(queries)}
    return out


def bench_sandbox_inprocess():
    sandbox = Sandbox(tokens=["bench"])
    try:
        client = sandbox.client()
        n = 300
        started = time.perf_counter()
        for _ in range(n):
            client.list_avatars(limit=10)
        elapsed = time.perf_counter() - started
        return {"calls": n, "per_s": round(n / elapsed, 1)}
    finally:
        sandbox.close()


BENCHMARKS = [bench_client_roundtrip, bench_bulk_invite, bench_webhook_ingest, bench_webhook_ack_http,
              bench_admin_changelist,
              bench_sandbox_inprocess]


def main() -> int:
    call_command("migrate", verbosity=0)
    results = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                           "database": connection.vendor, "date": time.strftime("%Y-%m-%d %H:%M:%S")},
               "benchmarks": {}}
    failed = 0
    for bench in BENCHMARKS:
        name = bench.__name__.removeprefix("bench_")
        print(f"- {name} ...", flush=True)
        try:
            results["benchmarks"][name] = bench()
        except Exception as exc:  # report and go on: one broken benchmark should not hide the others
            failed += 1
            traceback.print_exc()
            results["benchmarks"][name] = {"error": f"{type(exc).__name__}: {exc}"}
        print("  ", json.dumps(results["benchmarks"][name]), flush=True)
    results["max_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    out = BASE / "bench" / "results.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Results in {out.relative_to(BASE)} (peak RSS {results['max_rss_mib']} MiB)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
