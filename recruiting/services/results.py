"""Interview results: sync one from JobMojito, request another attempt, generate reports, view links.

Every answer is stored through ``result_upsert_from_payload`` (monotonic: an older state never
overwrites a newer one, except with ``force`` after "another attempt requested").

Reports: a PDF comes back as a short-lived signed URL; we download it once and keep the file in
``InterviewResult.report`` so logged-in users get it from us. The download goes through the
JobMojito client's HTTP connection pool, and only to the API's own host or a host listed in
``settings.MOJITO_REPORT_HOSTS`` (exact names, or ``.example.com`` for subdomains; default:
JobMojito's storage host). This is an SSRF guard: the URL comes from a remote answer. The bearer
token is sent to the API host only.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from mojito.errors import MojitoAPIError, MojitoError
from mojito.vocabulary import ExportType, InterviewType, ReportTemplate, ResultOrder, ResultStatus, TokenType
from recruiting.models import InterviewResult
from recruiting.services.client import get_client
from recruiting.services.upserts import result_upsert_from_payload

logger = logging.getLogger("recruiting.services.results")

RESULT_LIST_SCAN_LIMIT = 2000
# The result types JobMojito sends webhooks for (API reference 3.2); the result list shows one at a time.
RESULT_TYPES = (InterviewType.INTERVIEW.value, InterviewType.ASSESSMENT.value)
# Row keys a payload may always contribute: they link the result, they do not describe its state.
LINK_KEYS = frozenset({"interview_result_id", "definition_id", "profile_interview_id", "profile_id",
                       "candidate_email", "candidate_name", "external_id", "candidate_external_id"})
# Row keys that describe the state; a payload that disagrees with JobMojito on one of them is stale.
STATE_KEYS = ("status", "coach_status", "processing_status", "score")


class ReportDownloadRefused(MojitoError):
    """The report URL points somewhere we do not fetch from (not the API host, not allow-listed)."""


def _find_result_row(client, mojito_id: str, *, profile_interview_id: str | None = None,
                     interview_id: str | None = None, kinds: tuple[str, ...] = RESULT_TYPES) -> dict | None:
    """The merchant-result-list row of a result: filtered by what we know, newest updated first,
    a bounded scan per result type (the list shows one type at a time)."""
    filters = {"order_by": ResultOrder.UPDATED_AT_NEWEST}
    if profile_interview_id:
        filters["profile_interview_id"] = profile_interview_id
    if interview_id:
        filters["interview_id"] = interview_id
    for kind in kinds:
        rows = client.iter_all(client.list_interview_results, page_size=200, type=kind, **filters)
        for seen, row in enumerate(rows):
            if row.get("interview_result_id") == mojito_id:
                return row
            if seen >= RESULT_LIST_SCAN_LIMIT:
                break
    return None


def _same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(float(a) - float(b)) < 1e-9
    return a == b


def current_summary(row: dict | None, details: dict, hints: dict) -> dict:
    """What to upsert: JobMojito's current state wins; a payload only fills in what it lacks.

    ``row`` (merchant-result-list) and ``details`` (job-interview-details, whose ``status`` is the
    coach status) were fetched just now. ``hints`` is a webhook payload as a row (or nothing). A
    payload that disagrees with them on a state field is stale (an older delivery processed late):
    only its linking ids are used. A payload never clears a value (null fills nothing)."""
    current = dict(row or {})
    if details.get("status") is not None:
        current.setdefault("coach_status", details["status"])
    if details.get("score") is not None:
        current["score"] = details["score"]
    stale = any(current.get(key) is not None and key in hints and not _same(hints[key], current[key])
                for key in STATE_KEYS)
    summary = dict(current)
    for key, value in hints.items():
        if value is None or summary.get(key) is not None:
            continue
        if stale and key not in LINK_KEYS:
            continue
        summary[key] = value
    return summary


def result_sync(*, mojito_id: str | None = None, result_mojito_id: str | None = None, payload: dict | None = None,
                force: bool = False) -> InterviewResult:
    """job-interview-details + the result's merchant-result-list row -> InterviewResult (+ transcript).

    Links the invitation and candidate through profile_interview_id (from the row or ``payload``, a
    webhook payload in row shape). ``result_mojito_id`` is an alias of ``mojito_id``."""
    mojito_id = mojito_id or result_mojito_id
    if not mojito_id:
        raise TypeError("result_sync() needs mojito_id (the interview_result_id).")
    client = get_client()
    details = client.get_interview_result_details(mojito_id)
    hints = dict(payload or {})
    existing = InterviewResult.objects.select_related("interview").filter(mojito_id=mojito_id).first()
    interview = existing.interview if existing else None
    kinds = (interview.type,) if interview is not None and interview.type in RESULT_TYPES else RESULT_TYPES
    row = _find_result_row(
        client, mojito_id,
        profile_interview_id=hints.get("profile_interview_id") or (existing.profile_interview_id if existing else None),
        interview_id=hints.get("definition_id") or (interview.mojito_id if interview else None), kinds=kinds)
    summary = current_summary(row, details, hints)
    summary["interview_result_id"] = mojito_id
    return result_upsert_from_payload(summary, details=details, mojito_id=mojito_id, interview=interview,
                                      force=force)


def result_request_another_attempt(*, result: InterviewResult) -> InterviewResult:
    """Re-open a submitted result for the candidate; the local result goes back to draft."""
    get_client().request_another_interview_attempt(result.mojito_id)
    try:
        return result_sync(mojito_id=result.mojito_id, payload={"interview_result_id": result.mojito_id,
                                                                "status": ResultStatus.DRAFT}, force=True)
    except MojitoError as exc:
        logger.warning("Another attempt requested for %s but the result could not be re-read: %s",
                       result.mojito_id, exc)
        return result_upsert_from_payload({"interview_result_id": result.mojito_id, "status": ResultStatus.DRAFT,
                                           "decision_status": ""},
                                          mojito_id=result.mojito_id, interview=result.interview, force=True)


def result_view_url(*, result: InterviewResult) -> str:
    """A signed recruiter-view URL of the result (job-interview-token interview-result-talent-seeker)."""
    return get_client().generate_interview_url(TokenType.INTERVIEW_RESULT_TALENT_SEEKER,
                                               interview_result_id=result.mojito_id)


# --- reports ----------------------------------------------------------------------------------


# JobMojito's storage (its Supabase project, API reference 1.1) serves the signed report URLs.
DEFAULT_REPORT_HOSTS = ("momsbvnltsydezmoesqt.supabase.co",)


def _allowed_hosts(client) -> tuple[str, set[str]]:
    api = urlsplit(client.base_url)
    configured = getattr(settings, "MOJITO_REPORT_HOSTS", None)
    hosts = DEFAULT_REPORT_HOSTS if configured is None else configured
    if isinstance(hosts, str):
        hosts = hosts.split(",")
    return (api.netloc.lower(), {h.strip().lower() for h in hosts if h and h.strip()})


def _host_allowed(hostname: str, allowed: set[str]) -> bool:
    """Exact host names, or ``.example.com`` for any subdomain of example.com."""
    hostname = hostname.lower().rstrip(".")
    return any(hostname == h or (h.startswith(".") and hostname.endswith(h)) for h in allowed)


def _check_url(url: str, client) -> bool:
    """Whether ``url`` may be fetched; returns True when it is the API host (token may be sent)."""
    parts = urlsplit(url)
    api_netloc, extra = _allowed_hosts(client)
    api_scheme = urlsplit(client.base_url).scheme
    schemes = {"https"} | ({"http"} if api_scheme == "http" else set())
    if parts.scheme not in schemes or not parts.hostname:
        raise ReportDownloadRefused(f"Refusing to download a report over {parts.scheme or 'no scheme'}.",
                                    endpoint="report download")
    if parts.netloc.lower() == api_netloc:
        return True
    if _host_allowed(parts.hostname, extra):
        return False
    raise ReportDownloadRefused(
        f"Refusing to download a report from {parts.hostname}: not the JobMojito API host. "
        "Add the host to MOJITO_REPORT_HOSTS if JobMojito serves reports from it.", endpoint="report download")


def download_report(url: str, *, max_bytes: int | None = None) -> bytes:
    """Fetch a signed report URL through the JobMojito client (SSRF-guarded: see ``_check_url``)."""
    client = get_client()
    max_bytes = max_bytes or int(getattr(settings, "REPORT_MAX_BYTES", 50 * 1024 * 1024))
    is_api_host = _check_url(url, client)
    return client.download(url, send_token=is_api_host, max_bytes=max_bytes)


def _store_report(result: InterviewResult, name: str, content: bytes) -> InterviewResult:
    with transaction.atomic():
        result = InterviewResult.objects.select_for_update().get(pk=result.pk)
        old = result.report.name if result.report else ""
        result.report.save(name, ContentFile(content), save=False)
        result.save(update_fields=["report", "updated_at"])
    if old and old != result.report.name:
        transaction.on_commit(lambda: result.report.storage.delete(old))
    return result


def report_generate(*, result: InterviewResult, export_type: str = ExportType.PDF,
                    template: str | None = None, toggles: dict | None = None) -> InterviewResult | dict:
    """job-interview-pdf. PDF and HTML are stored in ``result.report``; JSON is returned as it came.

    ``toggles`` is ``export_features_result`` (contact_details, transcript, ...).
    """
    if export_type not in ExportType.values:
        raise ValueError(f"Unknown export type {export_type!r}.")
    if template is not None and template not in ReportTemplate.values:
        raise ValueError(f"Unknown report template {template!r}.")
    answer = get_client().generate_interview_report(
        export_type=export_type, interview_result_id=result.mojito_id, export_features_result=toggles or None,
        template=template, store_file=True if export_type == ExportType.PDF else None)
    suffix = f"-{template}" if template else ""
    if export_type == ExportType.PDF:
        url = answer.get("pdf_export_url")
        if not url:
            raise MojitoAPIError("JobMojito returned no pdf_export_url.", status_code=200, endpoint="job-interview-pdf")
        content = download_report(url)
        if not content.startswith(b"%PDF"):
            raise MojitoAPIError("The downloaded report is not a PDF.", status_code=200, endpoint="report download")
        return _store_report(result, f"report{suffix}.pdf", content)
    if export_type == ExportType.HTML:
        html = answer.get("html_export")
        if not html:
            raise MojitoAPIError("JobMojito returned no html_export.", status_code=200, endpoint="job-interview-pdf")
        return _store_report(result, f"report{suffix}.html", html.encode("utf-8"))
    return answer.get("json_export") or {}
