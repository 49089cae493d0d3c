#!/usr/bin/env python
"""The results area on a big table: the overview, the results list, the review queue and the CSV
export with 200,000 results (numbers, not assertions; the machine is shared and noisy).

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/some_db .venv/bin/python bench/results_pages.py [ROWS]

The database is migrated and filled once (rows are kept between runs when the count matches).
Prints ms per page (best of 3), SQL queries per page, and the export's rows, bytes and peak Python
memory (the process's peak RSS before and after streaming it).
"""

from __future__ import annotations

import json
import os
import sys
import time
import resource
from pathlib import Path

BASE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE))
os.environ["DJANGO_DEBUG"] = "true"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or sys.exit("Set BENCH_DATABASE_URL (PostgreSQL).")
os.environ["DJANGO_LOG_LEVEL"] = "WARNING"
os.environ.setdefault("MOJITO_API_BASE_URL", "http://sandbox.invalid/functions/v1")
os.environ.setdefault("MOJITO_API_TOKEN", "bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recruiting.settings")

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402
import random  # noqa: E402
import uuid  # noqa: E402

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.db.models import F  # noqa: E402
from django.utils import timezone  # noqa: E402

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000


def fill():
    from django.contrib.auth import get_user_model

    from recruiting.models import Candidate, Interview, InterviewResult, ResultReview, result_state_rank

    if InterviewResult.objects.count() == ROWS:
        return
    InterviewResult.objects.all().delete()
    Candidate.objects.all().delete()
    Interview.objects.all().delete()
    rng = random.Random(7)
    interviews = Interview.objects.bulk_create([Interview(mojito_id=str(uuid.uuid4()), name=f"Role {i}", status="active")
                                                for i in range(20)])
    candidates = Candidate.objects.bulk_create([
        Candidate(email=f"c{i}@example.com", normalised_email=f"c{i}@example.com", name=f"Candidate {i}")
        for i in range(20_000)])
    now = timezone.now()
    states = [("active", "completed", "completed")] * 8 + [("draft", "abandoned", "new"), ("draft", "ongoing", "new")]
    batch = []
    for i in range(ROWS):
        status, coach, processing = rng.choice(states)
        when = now - dt.timedelta(minutes=rng.randrange(60 * 24 * 60))
        batch.append(InterviewResult(
            mojito_id=str(uuid.uuid4()), interview=rng.choice(interviews), candidate=rng.choice(candidates),
            status=status, coach_status=coach, processing_status=processing,
            state_rank=result_state_rank(status, coach, processing),
            score=round(rng.uniform(0, 10), 2) if coach == "completed" else None, remote_updated_at=when))
        if len(batch) == 10_000:
            InterviewResult.objects.bulk_create(batch)
            batch = []
    InterviewResult.objects.bulk_create(batch)
    InterviewResult.objects.update(created_at=F("remote_updated_at"))  # arrivals spread over 60 days
    user = get_user_model().objects.filter(username="bench").first()
    ids = list(InterviewResult.objects.filter(state_rank=4).values_list("pk", flat=True)[: ROWS // 10])
    ResultReview.objects.bulk_create([ResultReview(result_id=pk, decision="advance", decided_by=user, decided_at=now)
                                      for pk in ids])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(client, url, runs=3):
    best, queries, status = None, 0, None
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
        status = response.status_code
        best = elapsed if best is None else min(best, elapsed)
        queries = len(ctx.captured_queries)
    return {"url": url, "status": status, "best_ms": round(best, 1), "queries": queries}


def main():
    setup_test_environment()
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="bench", defaults={"is_staff": True})
    started = time.perf_counter()
    fill()
    fill_s = time.perf_counter() - started
    from recruiting.services.merchant import CACHE_KEY, MerchantStatus

    cache.set(CACHE_KEY, MerchantStatus(True, {}), 3600)  # the overview's JobMojito card is not what we measure
    client = Client()
    client.force_login(user)
    pages = [timed(client, url) for url in ("/", "/results/", "/results/?review=pending", "/results/?state=scored&sort=-score",
                                            "/results/?q=candidate%201234", "/results/?page=2000")]
    print(json.dumps({"rows": ROWS, "fill_s": round(fill_s, 1), "pages": pages}, indent=2), flush=True)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    response = client.get("/results/export.csv")
    rows, size = -1, 0
    for chunk in response.streaming_content:
        size += len(chunk)
        rows += chunk.count(b"\n")
    export_s = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"export": {"rows": rows, "bytes": size, "seconds": round(export_s, 1),
                                 "max_rss_mb_before": round(rss_before / 1024, 1),
                                 "max_rss_mb_after": round(rss_after / 1024, 1)}}, indent=2))


if __name__ == "__main__":
    main()
