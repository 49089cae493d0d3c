"""Part 3, list pages at 200 and at 200,000 results (50,000 candidates, 200 interviews).

Each page is requested through Django's test client as a logged-in staff user, fifteen times after
one warm-up; the median time and the SQL query count are kept. A page is measured when its URL
name resolves to a built view (``recruiting.views.placeholder.not_built`` is not one); otherwise
its rows say "not measurable yet". ``results_export`` is timed to its first byte of data: the first
result row (its header line is written before the query runs).
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time

from bench.common import Figure, env_int, ratio

INTERVIEWS = 200
REPEATS = 15
PAGES = ("overview", "results", "results_filtered", "results_export", "candidates", "interview", "admin_results")
URL_NAMES = {"overview": ("overview:home", "home"), "results": "results:list", "results_filtered": "results:list",
             "results_export": "results:export", "candidates": "candidates:list", "interview": "interviews:detail",
             "admin_results": "admin:recruiting_interviewresult_changelist"}


def _seed(results: int, candidates: int, state: dict) -> None:
    """Grow the tables to ``results`` results and ``candidates`` candidates (bulk inserts)."""
    from django.utils import timezone

    from recruiting.models import Candidate, Interview, InterviewResult, InterviewTemplate, Invitation, result_state_rank

    now = timezone.now()
    if not state:
        template = InterviewTemplate.objects.create(mojito_id="list-template", name="Bench", type="interactive_heygen",
                                                    status="active")
        state["interviews"] = Interview.objects.bulk_create([
            Interview(mojito_id=f"list-interview-{i}", name=f"Interview {i}", template=template, status="active",
                      type="interview", remote_created_at=now, remote_updated_at=now) for i in range(INTERVIEWS)])
        state["candidates"], state["results"], state["invitations"] = 0, 0, []
    interviews = state["interviews"]
    batch = 5000
    for start in range(state["candidates"], candidates, batch):
        made = Candidate.objects.bulk_create([
            Candidate(email=f"list{i}@example.com", normalised_email=f"list{i}@example.com", name=f"Person {i}",
                      mojito_id=f"list-profile-{i}") for i in range(start, min(candidates, start + batch))])
        state["invitations"] += Invitation.objects.bulk_create([
            # every invitation gets results below (they cycle through them), so each is started
            Invitation(candidate=c, interview=interviews[c.pk % INTERVIEWS], mojito_id=f"list-pi-{c.pk}",
                       delivery_state="registered", started_at=now) for c in made])
    state["candidates"] = candidates
    invitations = state["invitations"]
    # A quarter each: scored, collected (processing), ongoing, archived; ranks as the app computes them.
    statuses = [(status, coach, processing, result_state_rank(status, coach, processing)) for status, coach, processing
                in (("active", "completed", "completed"), ("draft", "completed", "processing"),
                    ("draft", "started", "new"), ("archived", "completed", "completed"))]
    for start in range(state["results"], results, batch):
        rows = []
        for i in range(start, min(results, start + batch)):
            invitation = invitations[i % len(invitations)]
            status, coach, processing, rank = statuses[i % len(statuses)]
            rows.append(InterviewResult(
                mojito_id=f"list-result-{i}", interview_id=invitation.interview_id, invitation=invitation,
                candidate_id=invitation.candidate_id, profile_interview_id=invitation.mojito_id, status=status,
                coach_status=coach, processing_status=processing, state_rank=rank, score=(i % 50) / 10,
                remote_created_at=now - dt.timedelta(seconds=60 * i), remote_updated_at=now - dt.timedelta(seconds=i)))
        InterviewResult.objects.bulk_create(rows)
    state["results"] = results
    from django.db import connection

    if connection.vendor == "postgresql":
        # The tables as autovacuum leaves them (statistics, visibility map), not mid-way through
        # its first pass over 200,000 fresh rows while the pages are timed.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    elif connection.vendor == "sqlite":
        # Likewise: the rows moved from the write-ahead log into the database file, as SQLite's
        # checkpoints leave them once the writes are done, not 200,000 rows read through the log.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _built(url: str) -> bool:
    from django.urls import resolve

    try:
        from recruiting.views import placeholder
    except ImportError:  # every area has its views
        return True
    return resolve(url.split("?")[0]).func is not placeholder.not_built


def _filtered_query(web, url: str, interview_pk: int) -> str | None:
    """?interview=..&state=..&score range, named as the results page's FilterSet names them."""
    response = web.get(url)
    filterset = None
    for context in (response.context or []):
        for value in context.flatten().values() if hasattr(context, "flatten") else []:
            if hasattr(value, "filters") and hasattr(value, "qs"):
                filterset = value
    if filterset is None:
        return None
    params, has = {}, set()
    for name, flt in filterset.filters.items():
        field = getattr(flt, "field_name", name)
        lookup = getattr(flt, "lookup_expr", "exact")
        if field == "interview" and "interview" not in has:
            params[name], _ = interview_pk, has.add("interview")
        elif field in ("status", "state", "coach_status") and "state" not in has:
            choices = [c for c, _ in (getattr(flt, "extra", {}).get("choices") or []) if c]
            preferred = [c for c in choices if c in ("scored", "completed", "active")]
            params[name], _ = (preferred or choices or ["active"])[0], has.add("state")
        elif field == "score":
            if type(flt).__name__ == "RangeFilter":
                params[f"{name}_min"], params[f"{name}_max"] = 2, 4
                has.add("score")
            elif lookup in ("gte", "gt"):
                params[name] = 2
                has.add("score")
            elif lookup in ("lte", "lt"):
                params[name] = 4
                has.add("score")
    if not {"interview", "state", "score"} <= has:
        return None
    from urllib.parse import urlencode

    return url + "?" + urlencode(params)


def _measure(web, url: str, *, first_byte: bool = False) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries, status = [], 0, 0
    for attempt in range(REPEATS + 1):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = web.get(url)
            if getattr(response, "streaming", False):
                iterator = iter(response.streaming_content)
                next(iterator, b"")
                if first_byte:  # the header line goes out before the query runs: wait for the first row
                    next(iterator, b"")
                elapsed = time.perf_counter() - started
                if not first_byte:
                    for _ in iterator:
                        pass
                    elapsed = time.perf_counter() - started
                else:
                    for _ in iterator:  # drain outside the clock (the connection closes cleanly)
                        pass
            else:
                elapsed = time.perf_counter() - started
        status = response.status_code
        if attempt:
            timings.append(elapsed * 1000)
            queries = len(captured)
    if os.environ.get("BENCH_DEBUG"):  # the last request's slowest queries, to see what grows
        slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:4]
        print(f"  {url[:70]}: median {statistics.median(timings):.1f} ms, SQL "
              f"{sum(float(q['time']) for q in captured.captured_queries) * 1000:.1f} ms in {queries} queries; "
              + "; ".join(f"{float(q['time']) * 1000:.1f} ms {q['sql'][:90]}" for q in slowest), flush=True)
    return statistics.median(timings), queries, status


def _urls(interview_pk: int) -> dict[str, str | None]:
    from django.urls import NoReverseMatch, reverse

    urls = {}
    for page, names in URL_NAMES.items():
        urls[page] = None
        for name in (names,) if isinstance(names, str) else names:
            try:
                urls[page] = reverse(name, kwargs={"pk": interview_pk} if page == "interview" else None)
                break
            except NoReverseMatch:
                continue
    return urls


def run(ctx) -> list[Figure]:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client keeps each response's template context (the FilterSet)
    large_results = env_int("BENCH_LIST_LARGE", 200_000)
    large_candidates = max(50, large_results // 4)
    state: dict = {}
    user = get_user_model().objects.create_superuser("bench-lists", "lists@example.com", "bench-password-123")
    web = Client()
    web.force_login(user)
    measured: dict[str, dict] = {}
    for size, results, candidates in (("small", 200, 50), ("large", large_results, large_candidates)):
        started = time.perf_counter()
        _seed(results, candidates, state)
        seeded = time.perf_counter() - started
        interview_pk = state["interviews"][0].pk
        urls = _urls(interview_pk)
        for page in PAGES:
            url = urls[page]
            why = None
            if url is None:
                why = f"URL name {URL_NAMES[page]!r} does not exist yet"
            elif not _built(url):
                why = f"{URL_NAMES[page]} is still the 'not built' placeholder"
            elif page == "results_filtered":
                url = _filtered_query(web, url, interview_pk)
                if url is None:
                    why = "the results page has no FilterSet with interview, state and score filters yet"
            if why:
                measured.setdefault(page, {})["why"] = why
                continue
            median, queries, status = _measure(web, url, first_byte=page == "results_export")
            measured.setdefault(page, {})[size] = {"ms": median, "queries": queries, "status": status, "url": url,
                                                   "seed_s": seeded}
    figures = []
    for page in PAGES:
        data = measured.get(page, {})
        small, large = data.get("small"), data.get("large")
        if not (small and large):
            note = f"not measurable yet: {data.get('why', 'no measurement')}"
            figures += [Figure(f"list_pages.{page}.large_median_ms", None, "ms", limit=150, notes=note),
                        Figure(f"list_pages.{page}.large_vs_small", None, "x", limit=1.5, notes=note),
                        Figure(f"list_pages.{page}.query_count_delta", None, "queries", limit=0, notes=note)]
            continue
        where = (f"{large_results:,} results, {large_candidates:,} candidates, {INTERVIEWS} interviews vs 200 results; "
                 f"GET {large['url']} -> {large['status']}")
        kind = "time to the first result row's first byte" if page == "results_export" else f"median of {REPEATS}"
        figures += [
            Figure(f"list_pages.{page}.large_median_ms", round(large["ms"], 1), "ms", baseline=round(small["ms"], 1),
                   limit=150, ratio=ratio(large["ms"], 150), notes=f"{kind}; {where}; target < 150 ms"),
            Figure(f"list_pages.{page}.large_vs_small", ratio(large["ms"], small["ms"]), "x",
                   baseline=round(small["ms"], 1), limit=1.5, ratio=ratio(ratio(large["ms"], small["ms"], 3), 1.5),
                   notes="median on the large data / on the small; target <= 1.5"),
            Figure(f"list_pages.{page}.query_count_delta", large["queries"] - small["queries"], "queries",
                   baseline=small["queries"], limit=0,
                   notes=f"{large['queries']} SQL queries on the large data, {small['queries']} on the small"),
        ]
    return figures
