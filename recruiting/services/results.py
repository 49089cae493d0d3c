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
from mojito.vocabulary import ExportType, ReportTemplate, ResultOrder, ResultStatus, TokenType
from recruiting.models import InterviewResult
from recruiting.services.client import get_client
from recruiting.services.upserts import result_upsert_from_payload

logger = logging.getLogger("recruiting.services.results")

# Keys of a job-interview-details answer that describe the result row (passthrough fields the API
# may add) mapped to the merchant-result-list row keys the upsert understands.
_DETAIL_SUMMARY_KEYS = {
    "result_status": "status",
    "processing_status": "processing_status",
    "decision_status": "decision_status",
    "profile_interview_id": "profile_interview_id",
    "definition_id": "definition_id",
    "interview_id": "definition_id",
    "candidate_name": "candidate_name",
    "candidate_email": "candidate_email",
    "is_test": "is_test",
    "updated_at": "updated_at",
}
RESULT_LIST_SCAN_LIMIT = 2000


class ReportDownloadRefused(MojitoError):
    """The report URL points somewhere we do not fetch from (not the API host, not allow-listed)."""


def _summary_from_details(mojito_id: str, details: dict) -> dict:
    summary = {}
    for key, target in _DETAIL_SUMMARY_KEYS.items():
        if details.get(key) is not None and target not in summary:
            summary[target] = details[key]
    if summary:
        summary["interview_result_id"] = mojito_id
    return summary


def _find_result_row(client, mojito_id: str, profile_interview_id: str | None) -> dict | None:
    """The merchant-result-list row of a result (bounded scan; newest updated first)."""
    filters = {"order_by": ResultOrder.UPDATED_AT_NEWEST}
    if profile_interview_id:
        filters["profile_interview_id"] = profile_interview_id
    for seen, row in enumerate(client.iter_all(client.list_interview_results, page_size=200, **filters)):
        if row.get("interview_result_id") == mojito_id:
            return row
        if seen >= RESULT_LIST_SCAN_LIMIT:
            break
    return None


def result_sync(*, mojito_id: str | None = None, result_mojito_id: str | None = None, payload: dict | None = None,
                force: bool = False) -> InterviewResult:
    """job-interview-details -> InterviewResult (+ transcript); links the invitation and candidate
    through profile_interview_id when known. ``payload``: a webhook payload or list row, if any.
    ``result_mojito_id`` is an alias of ``mojito_id`` (the interview_result_id)."""
    mojito_id = mojito_id or result_mojito_id
    if not mojito_id:
        raise TypeError("result_sync() needs mojito_id (the interview_result_id).")
    client = get_client()
    details = client.get_interview_result_details(mojito_id)
    existing = InterviewResult.objects.select_related("interview").filter(mojito_id=mojito_id).first()
    summary = {**_summary_from_details(mojito_id, details), **(payload or {})}
    interview = existing.interview if existing else None
    if interview is None and not (summary.get("definition_id") or summary.get("interview_id")):
        summary = {**(_find_result_row(client, mojito_id, summary.get("profile_interview_id")) or {}), **summary}
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
