"""Part 1, bulk invite: a CSV of candidates through the real path, against the latency model.

Upload and validation (``bulk_invite_create_from_csv``) here, the job (``bulk_invite_run``) in a
real Celery worker process, register-users on the sandbox over loopback HTTP with the
``jobmojito`` latency model (40 ms per request + 1 ms per row). The naive way (one register-users
per candidate, in sequence, ``candidates_register``) runs on a sample and is scaled.
"""

from __future__ import annotations

import datetime as dt
import os
import time

from bench.common import (Figure, ceil_div, configure_sandbox, cpu_seconds, env_int, modelled_limit_seconds, peak_rss_mb,
                          ratio, start_worker, thread_cpu_seconds, wait_until)

FAULT_KINDS = ("500", "502", "503", "504", "timeout", "drop")


def _interview(name: str):
    from recruiting.services.interviews import interview_create_from_questions
    from recruiting.services.client import get_client

    template = get_client().list_avatars(type="interactive_heygen").data[0]["id"]
    return interview_create_from_questions(
        name=name, location="Remote", interview_template_id=template, mojito_language_code="en",
        description="Benchmark interview.", status="active", type="interview", visibility="merchant_invite",
        questions=[{"question": "Tell us about yourself."}])


def _csv(rows: int, prefix: str) -> bytes:
    return ("name,email,external_id\n" + "".join(
        f"Candidate {i},{prefix}{i}@example.com,{prefix}-{i}\n" for i in range(rows))).encode()


def _run_job(ctx, *, rows: int, prefix: str, timeout: float) -> dict:
    """Upload, enqueue, wait for every row's final outcome; what happened."""
    from recruiting.models import BulkInvite, BulkInviteRow
    from recruiting.services.candidates import bulk_invite_create_from_csv
    from recruiting.tasks import bulk_invite_run, enqueue

    interview = _interview(f"Bench {prefix}")
    ctx.meter.reset()
    data = _csv(rows, prefix)
    started_wall = dt.datetime.now(dt.timezone.utc)
    started = time.perf_counter()
    bulk = bulk_invite_create_from_csv(interview=interview, csv_file=data, file_name=f"{prefix}.csv")
    uploaded = time.perf_counter() - started
    enqueue(bulk_invite_run, bulk.pk)
    done_states = (BulkInvite.Status.COMPLETED, BulkInvite.Status.COMPLETED_WITH_ERRORS)
    finished = wait_until(lambda: BulkInvite.objects.filter(pk=bulk.pk, status__in=done_states).exists(),
                          timeout=timeout, interval=0.05)
    bulk.refresh_from_db()
    unsettled = BulkInviteRow.objects.filter(bulk=bulk, state__in=[BulkInviteRow.State.PENDING,
                                                                   BulkInviteRow.State.SENDING]).count()
    last_outcome = (BulkInviteRow.objects.filter(bulk=bulk).order_by("-updated_at")
                    .values_list("updated_at", flat=True).first())
    seconds = (last_outcome - started_wall).total_seconds() if finished and last_outcome else None
    if os.environ.get("BENCH_DEBUG"):
        from mojito.models import ApiCall
        print("  debug: upload", round(uploaded, 2), "started", (bulk.started_at - started_wall).total_seconds(),
              "finished", (bulk.finished_at - started_wall).total_seconds() if bulk.finished_at else None,
              "api", list(ApiCall.objects.filter(endpoint="job-interview-register-users").order_by("-id")
                          .values_list("duration_ms", flat=True)[:10]))
    registered = {email: n for (iid, email), n in ctx.meter.registered.items() if iid == interview.mojito_id}
    return {"bulk": bulk, "interview": interview, "finished": finished, "seconds": seconds, "upload_s": uploaded,
            "unsettled": unsettled, "registered": registered,
            "requests": ctx.meter.requests["job-interview-register-users"],
            "service_ms": ctx.meter.mean_cpu_ms("job-interview-register-users")}


def _naive(ctx, sample: int) -> float:
    """Seconds per candidate the quick way: one register-users call each, one after the other."""
    from recruiting.services.candidates import candidates_register

    interview = _interview("Bench naive")
    started = time.perf_counter()
    for i in range(sample):
        candidates_register(interview=interview, email=f"naive{i}@example.com", name=f"Naive {i}")
    return (time.perf_counter() - started) / sample


def run(ctx) -> list[Figure]:
    from django.conf import settings

    from mojito.sandbox.faults import latency_model

    rows = env_int("BENCH_BULK_ROWS", 10_000)
    sample = env_int("BENCH_NAIVE_ROWS", 300)
    chunk, concurrency = int(settings.MOJITO_BULK_CHUNK_SIZE), int(settings.MOJITO_BULK_CONCURRENCY)
    model = latency_model("jobmojito")
    configure_sandbox(ctx.sandbox, **model)
    figures = []

    worker = start_worker(concurrency=int(settings.CELERY_WORKER_CONCURRENCY))
    try:
        job = _run_job(ctx, rows=rows, prefix="bulk", timeout=600)
        rss = peak_rss_mb(worker.pid)
        if os.environ.get("BENCH_DEBUG"):
            for pid, seconds in cpu_seconds(worker.pid).items():
                print(f"  debug: worker pid {pid} cpu {seconds:.1f} s")
                if seconds > 1:  # the threads still running (a job's senders have ended)
                    print("  debug:   its threads' cpu", sorted(thread_cpu_seconds(pid), reverse=True))
            print(f"  debug: bench process cpu {sum(os.times()[:2]):.1f} s")
    finally:
        worker.stop()
    if not job["finished"]:
        raise RuntimeError(f"the bulk job did not finish within 600 s ({job['unsettled']} rows unsettled)\n"
                           f"{worker.tail()}")
    bulk = job["bulk"]
    ours = job["seconds"]
    per_row_naive = _naive(ctx, sample)
    naive = per_row_naive * rows
    limit = modelled_limit_seconds(rows, chunk, min(concurrency, ceil_div(rows, chunk)), **model)
    expected_requests = ceil_div(rows, chunk)
    common = (f"{rows} rows, chunks of {chunk}, {concurrency} concurrent requests; "
              f"{bulk.sent_count} sent, {bulk.failed_count} failed")
    figures += [
        Figure("bulk_invite.seconds", round(ours, 2), "s", baseline=round(naive, 1), limit=round(limit, 2),
               ratio=ratio(ours, limit),
               notes=f"upload to the last row's outcome (upload + validation {job['upload_s']:.2f} s); {common}"),
        Figure("bulk_invite.speedup_vs_naive", ratio(naive, ours, 1), "x", baseline=round(naive, 1),
               limit=50, ratio=ratio(ratio(naive, ours, 3), 50),
               notes=f"naive = one register-users per candidate in sequence: {sample} rows measured "
                     f"({per_row_naive * 1000:.1f} ms each) and scaled to {rows}; target >= 50x"),
        Figure("bulk_invite.vs_limit", ratio(ours, limit), "x", baseline=round(ours, 2), limit=1.3,
               ratio=ratio(ratio(ours, limit, 3), 1.3),
               notes=f"limit {limit:.2f} s = ceil({rows}/{chunk}) requests, {concurrency} at a time, "
                     f"{model['latency_ms']} ms + {model['row_latency_ms']} ms/row each; the sandbox's own "
                     f"service time (CPU) per register-users request: {job['service_ms']} ms, on the same 2 cores; "
                     f"target <= 1.3"),
        Figure("bulk_invite.requests", job["requests"], "requests", baseline=rows, limit=expected_requests,
               ratio=ratio(job["requests"], expected_requests),
               notes="register-users requests the sandbox answered; baseline = naive (one per row), "
                     "limit = one per chunk"),
        Figure("bulk_invite.worker_peak_rss_mb", rss, "MB", limit=250, ratio=ratio(rss, 250),
               notes="largest peak RSS (VmHWM) of the worker's processes; target < 250 MB"),
    ]

    if os.environ.get("BENCH_BULK_FAULTS", "1") == "0":  # while developing
        return figures
    # The same job with 5% of the requests failing.
    configure_sandbox(ctx.sandbox, **model, fault_rate=0.05, fault_kinds=FAULT_KINDS, fault_seed=11,
                      timeout_sleep_s=float(settings.MOJITO_READ_TIMEOUT) + 1)
    worker = start_worker(concurrency=int(settings.CELERY_WORKER_CONCURRENCY))
    try:
        job = _run_job(ctx, rows=rows, prefix="faulty", timeout=900)
    finally:
        worker.stop()
        configure_sandbox(ctx.sandbox)
    bulk = job["bulk"]
    duplicates = sum(n - 1 for n in job["registered"].values() if n > 1)
    faulted = sum(n for (endpoint, status), n in ctx.meter.statuses.items()
                  if endpoint == "job-interview-register-users" and status != 200)
    from recruiting.models import BulkInviteRow

    failed_rows = BulkInviteRow.objects.filter(bulk=bulk, state=BulkInviteRow.State.FAILED).count()
    enrolled = len(job["registered"])
    figures += [
        Figure("bulk_invite_faults.rows_without_outcome", job["unsettled"], "rows", limit=0,
               notes=f"{rows} rows, 5% of requests fail ({', '.join(FAULT_KINDS)}; timeouts hang "
                     f"{float(settings.MOJITO_READ_TIMEOUT) + 1:.0f} s, beyond the {settings.MOJITO_READ_TIMEOUT:.0f} s "
                     f"read timeout); {job['requests']} requests, {faulted} answered with a fault or dropped; "
                     f"finished={job['finished']} in {job['seconds'] or 0:.1f} s; {bulk.sent_count} sent, "
                     f"{failed_rows} failed with their error"),
        Figure("bulk_invite_faults.duplicate_registrations", duplicates, "registrations", limit=0,
               notes=f"register-users rows the sandbox applied beyond one per unique email "
                     f"({enrolled} unique emails registered)"),
    ]
    return figures
