"""Part 5, candidate apply: p95 of the apply POST under 8 concurrent candidates.

An open candidate page for an interview; gunicorn as in production (the same command as the
webhook part); 8 sender threads, each a candidate: GET /jobs/<slug>/apply/ (the CSRF cookie and
the form token), then POST the form with a pasted résumé. The POST's own time is measured: the
pre-screen it enqueues runs in the background (no worker runs here, so it cannot compete). The
per-address rate limit is raised for this run: every candidate comes from 127.0.0.1.
"""

from __future__ import annotations

import re
import threading
import time

from bench.common import Figure, env_int, free_port, pct, ratio

CANDIDATES = 8
RESUME = ("Senior Python engineer, ten years of Django and PostgreSQL, led a team of five, "
          "built payment and search systems, mentors juniors. " * 8)


def _apply_url(slug: str) -> str | None:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("careers:apply", kwargs={"slug": slug})
    except NoReverseMatch:
        return None


def _page(ctx):
    from bench.bulk import _interview
    from recruiting.models import CareerPage

    interview = _interview("Bench apply")
    return CareerPage.objects.create(interview=interview, enabled=True, slug="bench-apply", country_code="US")


def _candidate(base: str, path: str, index: int, per: int, out: list, lock) -> None:
    import httpx

    token_re = re.compile(r'name="form_token" value="([^"]+)"')
    for j in range(per):
        with httpx.Client(base_url=base, timeout=30, follow_redirects=False) as http:
            form = http.get(path)
            # Production cookies are Secure ("__Host-" names): a client keeps them off plain HTTP,
            # where a TLS proxy would be in front. Send them back as the browser would over HTTPS.
            cookies = {name: value for name, value in form.cookies.items()}
            csrf = next((v for k, v in cookies.items() if k.endswith("csrftoken")), "")
            http.cookies.clear()
            http.headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
            match = token_re.search(form.text)
            data = {"name": f"Applicant {index}-{j}", "email": f"applicant{index}-{j}@example.com", "country": "US",
                    "resume_text": RESUME, "consent": "on", "website": "",
                    "form_token": match.group(1) if match else "", "csrfmiddlewaretoken": csrf}
            started = time.perf_counter()
            response = http.post(path, data=data, headers={"Referer": base + path})
            elapsed = (time.perf_counter() - started) * 1000
        with lock:
            out.append((response.status_code, elapsed))


def run(ctx) -> list[Figure]:
    import os

    from bench.webhooks import GUNICORN_THREADS, GUNICORN_WORKERS, _gunicorn

    probe = _apply_url("bench-apply")
    if probe is None:
        return [Figure("apply.p95_ms", None, "ms", limit=None,
                       notes="not measurable yet: /jobs/<slug>/apply/ (URL name careers:apply) has not landed")]
    per = env_int("BENCH_APPLY_PER_CANDIDATE", 25)
    page = _page(ctx)
    path = _apply_url(page.slug)
    port = free_port()
    os.environ["CAREERS_APPLY_RATE_IP"] = "100000/h"  # read by the gunicorn processes started below
    try:
        server = _gunicorn(port)
    finally:
        os.environ.pop("CAREERS_APPLY_RATE_IP", None)
    results: list[tuple[int, float]] = []
    lock = threading.Lock()
    base = f"http://127.0.0.1:{port}"
    try:
        threads = [threading.Thread(target=_candidate, args=(base, path, i, per, results, lock))
                   for i in range(CANDIDATES)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    finally:
        server.stop()
    from recruiting.models import Application

    statuses: dict[int, int] = {}
    for status, _ in results:
        statuses[status] = statuses.get(status, 0) + 1
    posts = [ms for status, ms in results if status == 302]
    stored = Application.objects.filter(page=page).count()
    value = round(pct(posts, 95), 1) if posts else None
    return [Figure("apply.p95_ms", value, "ms", baseline=round(pct(posts, 50), 1) if posts else None,
                   ratio=ratio(value, pct(posts, 50)) if posts else None,
                   notes=f"{len(results)} apply POSTs from {CANDIDATES} concurrent candidates in {elapsed:.1f} s "
                         f"(each after its GET of the form); baseline = p50; statuses {statuses}; "
                         f"{stored} applications stored; gunicorn {GUNICORN_WORKERS} sync workers x "
                         f"{GUNICORN_THREADS} thread; pre-screens left queued (no worker)")]
