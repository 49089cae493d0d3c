"""Mirror sync: make the local mirror agree with JobMojito when a webhook never arrived.

``results_reconcile`` pages through ``merchant-result-list`` newest-updated first and stops at the
watermark: the newest ``remote_updated_at`` we hold, minus a small overlap (the watermark lives in
the data itself, so there is nothing extra to keep durable). A row whose ``updated_at`` is newer
than our copy (or that we do not have) gets its details fetched (``job-interview-details``) and is
upserted; anything else is left alone, so a second run fetches nothing and changes nothing.
With ``defer_details`` a page is stored from its list rows at once (statuses, scores, candidates:
what the lists and the overview show) and its results are marked ``details_pending``;
``results_fetch_pending_details`` then fetches their details, ``MOJITO_RECONCILE_CONCURRENCY`` at a
time (the periodic task runs both, in that order), so 50,000 results appear in seconds while
their transcripts follow at the rate JobMojito answers ``job-interview-details``.
``interviews_reconcile`` does the same for ``merchant-interview-list`` with ``job-interview-get``.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Max

from mojito.errors import MojitoError
from mojito.vocabulary import ResultOrder
from recruiting.models import Interview, InterviewResult
from recruiting.services.client import get_client
from recruiting.services.results import RESULT_TYPES
from recruiting.services.upserts import parse_remote_datetime
from recruiting.services.upserts import interview_upsert_from_payload, result_upsert_from_payload, results_create_many

logger = logging.getLogger(__name__)

DEFAULT_OVERLAP = dt.timedelta(minutes=10)
RECONCILED_TYPES = RESULT_TYPES  # each list is walked separately
PAGE_SIZE = 100


@dataclass
class SyncReport:
    """What a reconciliation run did (printed by ``sync_results``, returned by the task)."""

    interviews_seen: int = 0
    interview_fetches: int = 0
    interviews_created: int = 0
    interviews_updated: int = 0
    results_seen: int = 0
    detail_fetches: int = 0
    results_created: int = 0
    results_updated: int = 0
    results_unchanged: int = 0
    details_deferred: int = 0
    errors: list[str] = field(default_factory=list)
    results_watermark: str | None = None
    interviews_watermark: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        return (
            f"interviews: {self.interviews_seen} listed, {self.interview_fetches} fetched, "
            f"{self.interviews_created} new, {self.interviews_updated} updated; "
            f"results: {self.results_seen} listed, {self.detail_fetches} details fetched, "
            f"{self.results_created} new, {self.results_updated} updated, {self.results_unchanged} unchanged, "
            f"{self.details_deferred} with details to fetch; "
            f"{len(self.errors)} errors"
        )


def _watermark(model, overlap: dt.timedelta) -> dt.datetime | None:
    newest = model.objects.aggregate(newest=Max("remote_updated_at"))["newest"]
    return newest - overlap if newest else None


def _fingerprint(obj) -> tuple:
    return (obj.synced_at, obj.remote_updated_at, getattr(obj, "state_rank", None))


def results_reconcile(*, client=None, overlap: dt.timedelta = DEFAULT_OVERLAP, full: bool = False,
                      page_size: int = PAGE_SIZE, report: SyncReport | None = None,
                      defer_details: bool = False) -> SyncReport:
    """Fetch and upsert every result changed since the watermark (all of them with ``full``).
    ``defer_details``: store the list rows now, mark the results ``details_pending``."""
    client = client or get_client()
    report = report or SyncReport()
    watermark = None if full else _watermark(InterviewResult, overlap)
    report.results_watermark = watermark.isoformat() if watermark else None
    for kind in RECONCILED_TYPES:
        rows = client.iter_all(client.list_interview_results, page_size=page_size, type=kind,
                               order_by=ResultOrder.UPDATED_AT_NEWEST)
        _reconcile_result_rows(client, rows, watermark, report, page_size=page_size, defer_details=defer_details)
    return report


def _reconcile_result_rows(client, rows, watermark, report: SyncReport, page_size: int = PAGE_SIZE,
                           defer_details: bool = False) -> None:
    """Newest-updated first, a page at a time: one query for what we hold of the page, the details
    of new and changed results fetched with bounded concurrency, the new ones stored together."""
    page: list[tuple[dict, dt.datetime | None]] = []
    for row in rows:
        updated = parse_remote_datetime(row.get("updated_at"))
        if watermark and updated and updated < watermark:
            break
        report.results_seen += 1
        if not row.get("interview_result_id"):  # a pre-screening-only position result: no interview attempt yet
            continue
        page.append((row, updated))
        if len(page) >= page_size:
            _reconcile_result_page(client, page, report, defer_details)
            page = []
    if page:
        _reconcile_result_page(client, page, report, defer_details)


def _reconcile_result_page(client, page, report: SyncReport, defer_details: bool = False) -> None:
    held = {r.mojito_id: r for r in InterviewResult.objects.filter(
        mojito_id__in=[row["interview_result_id"] for row, _ in page])}
    wanted = []
    for row, updated in page:
        local = held.get(row["interview_result_id"])
        if local is not None and local.remote_updated_at and (updated is None or updated <= local.remote_updated_at):
            report.results_unchanged += 1
            continue
        wanted.append((row, updated, local))
    fetched = {} if defer_details else _fetch_details(client, [row["interview_result_id"] for row, _, _ in wanted])
    new, changed = [], []
    for row, updated, local in wanted:
        result_id = row["interview_result_id"]
        details = fetched.get(result_id)
        if isinstance(details, Exception):
            report.errors.append(f"result {result_id}: {details}")
            logger.warning("Reconcile: result %s not synced: %s", result_id, details)
            continue
        if not defer_details:
            report.detail_fetches += 1
        (new if local is None else changed).append((row, updated, local, details))
    created, leftovers = results_create_many([(row["interview_result_id"], row, details)
                                              for row, _, _, details in new])
    report.results_created += len(created)
    left = {mojito_id for mojito_id, _, _ in leftovers}
    for row, updated, local, details in [item for item in new if item[0]["interview_result_id"] in left] + changed:
        _upsert_result_row(row, updated, local, details, report)
    if defer_details and wanted:
        ids = [row["interview_result_id"] for row, _, _ in wanted]
        report.details_deferred += InterviewResult.objects.filter(mojito_id__in=ids).update(details_pending=True)


def results_fetch_pending_details(*, client=None, page_size: int = PAGE_SIZE, limit: int | None = None,
                                  report: SyncReport | None = None) -> SyncReport:
    """job-interview-details for the results a deferred reconcile stored from their list rows,
    ``MOJITO_RECONCILE_CONCURRENCY`` at a time, a page at a time, oldest first; each is upserted
    as the reconcile would have (never moving it back) and leaves the pending set. A fetch that
    fails stays pending for the next run (and is reported); ``limit`` bounds one run."""
    client = client or get_client()
    report = report or SyncReport()
    failed: set[int] = set()
    done = 0
    while limit is None or done < limit:
        take = page_size if limit is None else min(page_size, limit - done)
        batch = list(InterviewResult.objects.filter(details_pending=True).exclude(pk__in=failed).order_by("pk")
                     .values_list("pk", "mojito_id", "raw")[:take])
        if not batch:
            break
        fetched = _fetch_details(client, [mojito_id for _, mojito_id, _ in batch])
        for pk, mojito_id, raw in batch:
            details = fetched.get(mojito_id)
            done += 1
            if isinstance(details, Exception) or details is None:
                failed.add(pk)
                report.errors.append(f"result {mojito_id}: {details}")
                logger.warning("Details of result %s not fetched: %s", mojito_id, details)
                continue
            report.detail_fetches += 1
            payload = raw.get("payload") if isinstance(raw, dict) else None
            try:
                result_upsert_from_payload(payload or {"interview_result_id": mojito_id}, details=details,
                                           mojito_id=mojito_id)
            except (MojitoError, ValueError) as exc:
                failed.add(pk)
                report.errors.append(f"result {mojito_id}: {exc}")
                continue
            # An upsert that found a newer state kept it and stored nothing: the details are still
            # JobMojito's current ones for this result, so it is no longer pending either way.
            InterviewResult.objects.filter(pk=pk).update(details_pending=False)
    return report


def _upsert_result_row(row, updated, local, details, report: SyncReport) -> None:
    result_id = row["interview_result_id"]
    try:
        stored = result_upsert_from_payload(row, details=details, mojito_id=result_id)
        if updated and (stored.remote_updated_at is None or stored.remote_updated_at < updated):
            # JobMojito's current answer ranks below ours (the result was reset, e.g. another
            # attempt was requested): the API is the authority, apply it.
            stored = result_upsert_from_payload(row, details=details, mojito_id=result_id, force=True)
    except (MojitoError, ValueError) as exc:
        report.errors.append(f"result {result_id}: {exc}")
        logger.warning("Reconcile: result %s not synced: %s", result_id, exc)
        return
    if local is None:
        report.results_created += 1
    elif _fingerprint(stored) != _fingerprint(local):
        report.results_updated += 1
    else:
        report.results_unchanged += 1


def _fetch_details(client, result_ids: list[str]) -> dict[str, dict | Exception]:
    """job-interview-details of each id, ``MOJITO_RECONCILE_CONCURRENCY`` at a time (in this thread
    when other threads could not use the database: inside a transaction, in-memory SQLite)."""
    def fetch(result_id: str):
        try:
            return result_id, client.get_interview_result_details(result_id)
        except MojitoError as exc:
            return result_id, exc
        finally:
            if threading.current_thread() is not main:
                connection.close()  # each call's log row was written on this thread's own connection

    main = threading.current_thread()
    workers = max(1, min(int(settings.MOJITO_RECONCILE_CONCURRENCY), len(result_ids)))
    if workers == 1 or connection.in_atomic_block or (connection.vendor == "sqlite" and connection.is_in_memory_db()):
        return dict(fetch(result_id) for result_id in result_ids)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="reconcile") as pool:
        return dict(pool.map(fetch, result_ids))


def interviews_reconcile(*, client=None, overlap: dt.timedelta = DEFAULT_OVERLAP, full: bool = False,
                         page_size: int = PAGE_SIZE, report: SyncReport | None = None) -> SyncReport:
    """Fetch and upsert every interview definition changed since the watermark."""
    client = client or get_client()
    report = report or SyncReport()
    watermark = None if full else _watermark(Interview, overlap)
    report.interviews_watermark = watermark.isoformat() if watermark else None
    for kind in RECONCILED_TYPES:
        _reconcile_interview_rows(client, client.iter_all(client.list_interviews, page_size=page_size, type=kind),
                                  watermark, report)
    return report


def _reconcile_interview_rows(client, rows, watermark, report: SyncReport) -> None:
    for row in rows:
        interview_id = row.get("id")
        updated = parse_remote_datetime(row.get("updated_at"))
        if watermark and updated and updated < watermark:
            break  # the list is newest-updated first
        report.interviews_seen += 1
        if not interview_id:
            continue
        local = Interview.objects.filter(mojito_id=interview_id).first()
        if local is not None and local.remote_updated_at and (updated is None or updated <= local.remote_updated_at):
            continue
        try:
            definition = client.get_interview_definition(interview_id)
            report.interview_fetches += 1
            merged = {**row, **(definition or {})}
            if row.get("updated_at"):
                merged["updated_at"] = row["updated_at"]
            interview_upsert_from_payload(merged, mojito_id=interview_id)
        except (MojitoError, ValueError) as exc:
            report.errors.append(f"interview {interview_id}: {exc}")
            logger.warning("Reconcile: interview %s not synced: %s", interview_id, exc)
            continue
        if local is None:
            report.interviews_created += 1
        else:
            report.interviews_updated += 1


def reconcile_all(*, client=None, overlap: dt.timedelta = DEFAULT_OVERLAP, full: bool = False,
                  results: bool = True, interviews: bool = True) -> SyncReport:
    """Interviews first (results point at them), then the results' list rows, then their details."""
    client = client or get_client()
    report = SyncReport()
    if interviews:
        interviews_reconcile(client=client, overlap=overlap, full=full, report=report)
    if results:
        results_reconcile(client=client, overlap=overlap, full=full, report=report, defer_details=True)
        results_fetch_pending_details(client=client, report=report)
    logger.info("Reconcile: %s", report.summary())
    return report
