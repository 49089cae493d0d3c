"""Part 4, reconcile: results listed by the sandbox (merchant-result-list) synced into empty tables.

``results_reconcile(full=True, defer_details=True)`` (what the periodic reconcile runs first) against
the sandbox over loopback HTTP (no injected latency), then the same rows written with a plain
``bulk_create`` of InterviewResult (fields from the list rows), in the same run, into emptied
tables. The details that follow (``results_fetch_pending_details``: one job-interview-details per
result) are measured on a sample and reported beside it.
"""

from __future__ import annotations

import time

from bench.common import Figure, configure_sandbox, env_int, ratio


def _seed(ctx, interview, n: int) -> None:
    from mojito.sandbox.api.prescreening import new_enrolment, upsert_candidate

    state = ctx.sandbox.state
    with state.lock:
        for i in range(n):
            profile = upsert_candidate(state, email=f"sync{i}@example.com", name=f"Sync {i}")
            enrolment = new_enrolment(state, profile, interview_id=interview.mojito_id)
            state.add_result(enrolment["id"], status="active", coach_status="completed", processing_status="completed",
                             score=round(1 + (i % 40) / 10, 1), score_interview_ai=3.0, ai_analysis="Fine.",
                             ai_analysis_recruiter="Fine.")


def _bulk_create_baseline(interview, n: int) -> float:
    from recruiting.models import InterviewResult
    from recruiting.services.client import get_client
    from recruiting.services.upserts import parse_remote_datetime

    client = get_client()
    rows = list(client.iter_all(client.list_interview_results, page_size=100, type="interview"))[:n]
    started = time.perf_counter()
    batch = [InterviewResult(mojito_id=row["interview_result_id"], interview=interview, status=row["status"] or "",
                             coach_status=row["coach_status"] or "", processing_status=row["processing_status"] or "",
                             score=row.get("score"), score_recruiter_ai=row.get("score_interview_ai"),
                             profile_interview_id=row.get("profile_interview_id") or "", raw=row,
                             remote_updated_at=parse_remote_datetime(row.get("updated_at"))) for row in rows]
    InterviewResult.objects.bulk_create(batch, batch_size=1000)
    return time.perf_counter() - started


def _empty() -> None:
    from recruiting.models import Candidate, InterviewResult, Invitation, TranscriptRow

    for model in (TranscriptRow, InterviewResult, Invitation, Candidate):
        model.objects.all().delete()


def run(ctx) -> list[Figure]:
    from bench.bulk import _interview
    from recruiting.services.mirror_sync import results_fetch_pending_details, results_reconcile

    n = env_int("BENCH_RECONCILE_ROWS", 50_000)
    configure_sandbox(ctx.sandbox)
    interview = _interview("Bench reconcile")
    _seed(ctx, interview, n)
    _empty()
    ctx.meter.reset()
    started = time.perf_counter()
    report = results_reconcile(full=True, defer_details=True)
    ours = time.perf_counter() - started
    sandbox_cpu = sum(ctx.meter.cpu_seconds.values())
    requests = dict(ctx.meter.requests)
    from recruiting.models import InterviewResult

    synced = InterviewResult.objects.count()  # every result the sandbox lists (earlier parts' too)
    pending = InterviewResult.objects.filter(details_pending=True).count()
    sample = min(pending, env_int("BENCH_RECONCILE_DETAILS", 2000))
    ctx.meter.reset()
    started = time.perf_counter()
    details = results_fetch_pending_details(limit=sample)
    details_s = time.perf_counter() - started
    details_rate = details.detail_fetches / details_s if details_s else None
    details_sandbox_cpu = sum(ctx.meter.cpu_seconds.values())
    _empty()
    baseline = _bulk_create_baseline(interview, synced)
    ours_rate, base_rate = synced / ours, synced / baseline
    return [
        Figure("reconcile.rows_per_s", round(ours_rate, 1), "rows/s", baseline=round(base_rate, 1),
               limit=round(0.3 * base_rate, 1), ratio=ratio(ours_rate, base_rate),
               notes=f"{n} results seeded for this part, {synced} listed by the sandbox and synced in {ours:.1f} s "
                     f"({report.detail_fetches} details fetched, {len(report.errors)} errors); requests {requests}; "
                     f"the sandbox's own CPU {sandbox_cpu:.1f} s of it"),
        Figure("reconcile.vs_bulk_create", ratio(ours_rate, base_rate, 3), "x", baseline=round(base_rate, 1), limit=0.3,
               ratio=ratio(ratio(ours_rate, base_rate, 4), 0.3),
               notes=f"ours / a plain bulk_create of the same {synced} rows ({baseline:.2f} s, same run); target >= 0.3"),
        Figure("reconcile.details_per_s", round(details_rate, 1) if details_rate else None, "results/s",
               notes=f"then the details (results_fetch_pending_details): {details.detail_fetches} of the {pending} "
                     f"pending results fetched in {details_s:.1f} s as a sample, {len(details.errors)} errors, "
                     f"MOJITO_RECONCILE_CONCURRENCY in flight; the sandbox's own CPU {details_sandbox_cpu:.1f} s of it; "
                     f"all {pending} would take about {pending / details_rate / 60 if details_rate else 0:.0f} min "
                     f"here, in the background (the results and their scores are listed meanwhile)"),
    ]
