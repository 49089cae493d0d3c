"""MojitoClient: one method per JobMojito endpoint, typed errors, bounded retries, a call log.

The interface is fixed in docs/CONTRACTS.md. Wire conventions (API reference 1.3, 8):

* URL = base URL + "/" + endpoint; ``Authorization: Bearer <token>`` on every request.
* Reads are GET with query parameters (booleans as "true"/"false", None left out); writes are POST
  JSON with top-level None values left out; résumé files and knowledge-base documents go multipart.
* Successes are 200 with a JSON body; anything else raises ``error_for_status(status)`` built from
  the ``{"error", "name"}`` envelope. No usable answer raises ``MojitoTransportError`` (or
  ``MojitoOutcomeUnknown`` when a non-repeatable write may have been applied).

Responses are plain dicts, tolerant of null anywhere and of unknown keys; lists come back as
``Page`` and batch endpoints as typed rows that carry their own per-row error.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
import mimetypes
import time
from typing import Any, Callable, Iterator

import httpx
from django.core.exceptions import ImproperlyConfigured

import mojito
from mojito.calllog import CallOutcome, log_call, logger, record_call
from mojito.errors import (
    MojitoAPIError,
    MojitoError,
    MojitoOutcomeUnknown,
    MojitoTransportError,
    error_for_status,
)
from mojito.retry import (
    MAYBE_SENT,
    NEVER_SENT,
    NOT_SENT_FATAL,
    RetryPolicy,
    is_repeatable,
)
from mojito.types import InviteUserRow, Page, RegisterUserRow

__all__ = ["MojitoClient", "Page", "RegisterUserRow", "InviteUserRow"]

# Endpoints that make JobMojito generate content with AI: slow, so they get the long read timeout.
AI_ENDPOINTS = frozenset({
    "job-interview-create",
    "job-interview-create-from-array",
    "job-interview-create-for-candidate-with-token",
    "job-interview-pdf",
    "pre-screening-create",
    "job-interview-pre-screening-api-resume-text",
    "job-interview-pre-screening-api-resume-binary",
    "knowledge-base-document-upload",
})



# --- Encoding helpers -------------------------------------------------------------------------

def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, set, frozenset)):
        return ",".join(_query_value(v) for v in value)
    return str(value)


def _query(params: dict) -> dict[str, str]:
    return {k: _query_value(v) for k, v in params.items() if v is not None}


def _body(fields: dict) -> dict:
    return {k: v for k, v in fields.items() if v is not None}


def _form_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def _guess_type(filename: str) -> str:
    return mimetypes.guess_type(filename or "")[0] or "application/octet-stream"


def _int(value: Any, default: int) -> int:
    if isinstance(value, bool) or value is None:
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class _ShapeError(Exception):
    """A 200 whose body is not what the endpoint returns."""


# --- The client -------------------------------------------------------------------------------

class MojitoClient:
    """A JobMojito API client bound to one base URL and token, reusing one ``httpx.Client``."""

    def __init__(self, base_url: str, token: str, *, transport: httpx.BaseTransport | None = None,
                 connect_timeout: float = 5.0, read_timeout: float = 15.0, ai_read_timeout: float = 60.0,
                 max_attempts: int = 3, retry_deadline: float = 45.0, backoff_base: float = 0.5,
                 backoff_cap: float = 5.0, record_calls: bool = True,
                 sleep: Callable[[float], None] = time.sleep):
        if not base_url:
            raise ImproperlyConfigured("MojitoClient needs a base URL: set MOJITO_API_BASE_URL.")
        if not token:
            raise ImproperlyConfigured("MojitoClient needs an API token: set MOJITO_API_TOKEN.")
        if not str(base_url).startswith(("http://", "https://")):
            raise ImproperlyConfigured("MOJITO_API_BASE_URL must be an http(s) URL, e.g. "
                                       "https://cool.jobmojito.com/functions/v1.")
        token = str(token).strip()
        if not token.isascii() or not token.isprintable() or " " in token:
            # Never echo the token itself.
            raise ImproperlyConfigured("MOJITO_API_TOKEN contains spaces or non-printable characters.")
        self.base_url = base_url.rstrip("/")
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.ai_read_timeout = ai_read_timeout
        self.retry = RetryPolicy(max_attempts=max(1, int(max_attempts)), deadline=retry_deadline,
                                 base=backoff_base, cap=backoff_cap)
        self.record_calls = record_calls
        self._sleep = sleep
        self._clock = time.monotonic
        self._http = httpx.Client(
            transport=transport,
            timeout=self.timeout_for("job-interview-get"),
            headers={
                "Authorization": f"Bearer {token}",
                "User-Agent": f"jobmojito-recruiter/{mojito.__version__} httpx/{httpx.__version__}",
                "Accept": "application/json",
            },
            follow_redirects=False,
        )

    def __repr__(self) -> str:  # never the token
        return f"<MojitoClient {self.base_url}>"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "MojitoClient":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # --- policy hooks (tests inspect these) ---------------------------------------------------

    def timeout_for(self, endpoint: str) -> httpx.Timeout:
        read = self.ai_read_timeout if endpoint in AI_ENDPOINTS else self.read_timeout
        return httpx.Timeout(connect=self.connect_timeout, read=read, write=read, pool=self.connect_timeout)

    def backoff_delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt ``attempt``: full jitter, capped."""
        return self.retry.backoff_delay(attempt)

    def is_repeatable(self, endpoint: str, method: str, payload: dict | None = None) -> bool:
        return is_repeatable(endpoint, method, payload)

    # --- files served by JobMojito ---------------------------------------------------------------

    def download(self, url: str, *, send_token: bool = False, max_bytes: int = 50 * 1024 * 1024) -> bytes:
        """Fetch a file JobMojito pointed us at (e.g. a signed report URL), through this client's pool.

        Which hosts may be fetched is the caller's policy (an SSRF guard); this method only sends
        the bearer token when ``send_token`` is true (the API host) and stops past ``max_bytes``.
        Recorded like every call, under the endpoint name "download" (never the URL: it is signed).
        """
        with self._recorded("download", "GET") as call:
            request = self._http.build_request("GET", url, timeout=self.timeout_for("job-interview-pdf"))
            if not send_token:
                request.headers.pop("Authorization", None)
            try:
                response = self._http.send(request, stream=True)
            except httpx.HTTPError as exc:
                raise MojitoTransportError(f"Could not download the file ({type(exc).__name__}).",
                                           endpoint="download") from None
            try:
                call.status_code = response.status_code
                if response.status_code != 200:
                    raise error_for_status(response.status_code)(
                        f"The download answered HTTP {response.status_code}.", status_code=response.status_code,
                        endpoint="download")
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise MojitoAPIError(f"The file is larger than {max_bytes} bytes.", status_code=200,
                                             endpoint="download")
                    chunks.append(chunk)
            except httpx.HTTPError as exc:
                raise MojitoTransportError(f"The download broke off ({type(exc).__name__}).",
                                           endpoint="download") from None
            finally:
                response.close()
            call.ok = True
            return b"".join(chunks)

    # --- the engine ---------------------------------------------------------------------------

    def _request(self, method: str, endpoint: str, *, params: dict | None = None, json_body: dict | None = None,
                 data: dict | None = None, files: dict | None = None, shape: str = "object") -> Any:
        """Send one logical call (with its retries), record it, return the decoded body."""
        repeatable = self.is_repeatable(endpoint, method, json_body if json_body is not None else data)
        with self._recorded(endpoint, method) as call:
            response = self._send_with_retries(call, method, endpoint, repeatable, call.started, params=params,
                                               json=json_body, data=data, files=files)
            try:
                result = self._decode(response, shape)
            except _ShapeError as exc:
                raise MojitoAPIError(f"JobMojito returned an unexpected 200 body for {endpoint}: {exc}",
                                     status_code=response.status_code, endpoint=endpoint) from None
            call.ok = True
            return result

    @contextmanager
    def _recorded(self, endpoint: str, method: str) -> Iterator[CallOutcome]:
        """One logical call's record: errors noted on the way out, then logged and stored."""
        call = CallOutcome(endpoint=endpoint, method=method)
        call.started = self._clock()
        try:
            yield call
        except MojitoError as exc:
            call.error = exc.message
            call.error_field = getattr(exc, "field", None) or ""
            call.outcome_unknown = isinstance(exc, MojitoOutcomeUnknown)
            raise
        except Exception as exc:
            call.error = f"Unexpected {type(exc).__name__} while calling JobMojito"
            raise
        finally:
            call.duration_ms = int((self._clock() - call.started) * 1000)
            log_call(call)
            if self.record_calls:
                record_call(call)

    def _send_with_retries(self, call: CallOutcome, method: str, endpoint: str, repeatable: bool,
                           started: float, **request_kwargs) -> httpx.Response:
        timeout = self.timeout_for(endpoint)
        url = f"{self.base_url}/{endpoint}"
        attempt = 0
        while True:
            attempt += 1
            call.attempts = attempt
            call.status_code = None
            try:
                response = self._http.request(method, url, timeout=timeout, **request_kwargs)
            except NEVER_SENT as exc:
                failure: MojitoError = MojitoTransportError(
                    f"Could not connect to JobMojito for {endpoint} ({type(exc).__name__}).", endpoint=endpoint)
            except MAYBE_SENT as exc:
                if not repeatable:
                    raise self._outcome_unknown(endpoint, exc) from None
                failure = MojitoTransportError(
                    f"No answer from JobMojito for {endpoint} ({type(exc).__name__}).", endpoint=endpoint)
            except httpx.HTTPError as exc:
                # Not retried. After sending (e.g. an undecodable answer) a write's outcome is unknown.
                if not repeatable and not isinstance(exc, NOT_SENT_FATAL):
                    raise self._outcome_unknown(endpoint, exc) from None
                raise MojitoTransportError(
                    f"Could not call JobMojito for {endpoint} ({type(exc).__name__}).", endpoint=endpoint) from None
            else:
                call.status_code = response.status_code
                if 200 <= response.status_code < 300:
                    return response
                failure = self._api_error(response, endpoint)
                if response.status_code < 500 or not repeatable:
                    raise failure
            delay = self.retry.next_delay(attempt, self._clock() - started)
            if delay is None:
                raise failure
            logger.warning("JobMojito %s %s attempt %d failed (%s); retrying in %.2f s", method, endpoint,
                           attempt, call.status_code or type(failure).__name__, delay)
            self._sleep(delay)

    @staticmethod
    def _outcome_unknown(endpoint: str, exc: Exception) -> MojitoOutcomeUnknown:
        return MojitoOutcomeUnknown(
            f"{endpoint} was sent but no usable answer came back ({type(exc).__name__}); it may have been "
            "applied. Look the object up before sending it again.", endpoint=endpoint)

    @staticmethod
    def _api_error(response: httpx.Response, endpoint: str) -> MojitoAPIError:
        message, field_name = None, None
        try:
            envelope = response.json()
        except ValueError:
            envelope = None
        if isinstance(envelope, dict):
            if envelope.get("error") not in (None, ""):
                message = str(envelope["error"])[:500]
            if isinstance(envelope.get("name"), str):
                field_name = envelope["name"][:120]
        if message is None:
            reason = response.reason_phrase or "error"
            message = f"HTTP {response.status_code} {reason} (no error message in the response)"
        return error_for_status(response.status_code)(
            message, status_code=response.status_code, field=field_name, endpoint=endpoint)

    @staticmethod
    def _decode(response: httpx.Response, shape: str) -> Any:
        try:
            body = response.json()
        except ValueError:
            ctype = response.headers.get("content-type", "no content type")
            raise _ShapeError(f"not JSON ({ctype[:60]}, {len(response.content)} bytes)") from None
        expected = {"object": dict, "string": str, "list": list, "page": dict}[shape]
        if shape == "object" and body is None:
            return {}
        if not isinstance(body, expected):
            raise _ShapeError(f"expected a JSON {expected.__name__}, got {type(body).__name__}")
        if shape == "list" and not all(row is None or isinstance(row, dict) for row in body):
            raise _ShapeError("expected a list of objects")
        if shape == "page":
            data = body.get("data")
            if data is not None and not isinstance(data, list):
                raise _ShapeError(f"expected 'data' to be a list, got {type(data).__name__}")
            pagination = body.get("pagination")
            if pagination is not None and not isinstance(pagination, dict):
                raise _ShapeError("expected 'pagination' to be an object")
        return body

    def _get(self, endpoint: str, params: dict, shape: str = "object") -> Any:
        return self._request("GET", endpoint, params=_query(params), shape=shape)

    def _post(self, endpoint: str, fields: dict, shape: str = "object") -> Any:
        return self._request("POST", endpoint, json_body=_body(fields), shape=shape)

    def _page(self, endpoint: str, filters: dict) -> Page:
        body = self._get(endpoint, filters, shape="page")
        data = [row for row in (body.get("data") or []) if isinstance(row, dict)]
        pagination = body.get("pagination") or {}
        offset = _int(pagination.get("offset"), _int(filters.get("offset"), 0))
        limit = _int(pagination.get("limit"), _int(filters.get("limit"), len(data)))
        total = _int(pagination.get("total"), offset + len(data))
        has_more = pagination.get("has_more")
        if not isinstance(has_more, bool):
            has_more = offset + len(data) < total
        return Page(data=data, total=total, limit=limit, offset=offset, has_more=has_more)

    # --- interviews ---------------------------------------------------------------------------

    def create_interview(self, **fields) -> dict:
        """POST job-interview-create: AI generates description and questions. Not repeatable."""
        return self._post("job-interview-create", fields)

    def create_interview_from_questions(self, **fields) -> dict:
        """POST job-interview-create-from-array: your own questions. Not repeatable."""
        return self._post("job-interview-create-from-array", fields)

    def create_interview_for_candidate(self, **fields) -> dict:
        """POST job-interview-create-for-candidate-with-token: position + candidate + pre-screen + URL.

        Repeatable only when it resolves an existing position (``position_def_set_id`` or
        ``position_external_id``).
        """
        return self._post("job-interview-create-for-candidate-with-token", fields)

    def get_interview_definition(self, position_id: str) -> dict:
        return self._get("job-interview-get", {"position_id": position_id})

    def set_interview_state(self, position_id: str, *, status: str | None = None,
                            is_embedded: bool | None = None) -> dict:
        """POST job-interview-set-state. With is_embedded=True the answer holds the embed signing key."""
        return self._post("job-interview-set-state",
                          {"position_id": position_id, "status": status, "is_embedded": is_embedded})

    def generate_interview_url(self, type: str, *, interview_profile_id: str | None = None,  # noqa: A002
                               interview_id: str | None = None, interview_result_id: str | None = None,
                               hide_menu: bool | str | None = None, merchant_id: str | None = None) -> str:
        """POST job-interview-token: the signed URL (a bare JSON string)."""
        if isinstance(hide_menu, bool):
            # JobMojito shows the menu only for the *string* "false".
            hide_menu = "true" if hide_menu else "false"
        return self._post("job-interview-token", {
            "type": type, "interview_profile_id": interview_profile_id, "interview_id": interview_id,
            "interview_result_id": interview_result_id, "hide_menu": hide_menu, "merchant_id": merchant_id,
        }, shape="string")

    # --- candidates ---------------------------------------------------------------------------

    def register_users_for_interview(self, interview_id: str, users: list[dict], *, send_email: bool | None = None,
                                     hide_menu: bool | None = None, hide_iframe: bool | None = None,
                                     is_test: bool | None = None,
                                     merchant_id: str | None = None) -> list[RegisterUserRow]:
        """POST job-interview-register-users: one row per user, each with its own ``ok`` / ``error``."""
        rows = self._post("job-interview-register-users", {
            "interview_id": interview_id, "users": list(users), "send_email": send_email,
            "hide_menu": hide_menu, "hide_iframe": hide_iframe, "is_test": is_test, "merchant_id": merchant_id,
        }, shape="list")
        return [RegisterUserRow.from_payload(row) for row in rows]

    def invite_users(self, users: list[dict], *, force_invite: bool | None = None, merchant_id: str | None = None,
                     mojito_language_code: str | None = None,
                     message_from_recruiter: str | None = None) -> list[InviteUserRow]:
        """POST invite-users: one row per user. Repeatable unless ``force_invite`` (re-sends emails)."""
        rows = self._post("invite-users", {
            "users": list(users), "force_invite": force_invite, "merchant_id": merchant_id,
            "mojito_language_code": mojito_language_code, "message_from_recruiter": message_from_recruiter,
        }, shape="list")
        return [InviteUserRow.from_payload(row) for row in rows]

    # --- results ------------------------------------------------------------------------------

    def request_another_interview_attempt(self, interview_result_id: str) -> dict:
        return self._post("job-interview-result-request-another-attempt",
                          {"interview_result_id": interview_result_id})

    def get_interview_result_details(self, interview_result_id: str, *, get_signed_recordings: bool = False) -> dict:
        return self._get("job-interview-details", {"interview_result_id": interview_result_id,
                                                   "get_signed_recordings": bool(get_signed_recordings)})

    def generate_interview_report(self, *, export_type: str, interview_result_id: str | None = None,
                                  interview_result_ids: list[str] | None = None,
                                  export_features_result: dict | None = None, template: str | None = None,
                                  store_file: bool | None = None) -> dict:
        return self._post("job-interview-pdf", {
            "export_type": export_type, "interview_result_id": interview_result_id,
            "interview_result_ids": list(interview_result_ids) if interview_result_ids is not None else None,
            "export_features_result": export_features_result, "template": template, "store_file": store_file,
        })

    # --- pre-screening and knowledge base -----------------------------------------------------

    def upsert_pre_screening(self, **fields) -> dict:
        """POST pre-screening-create: creates, or updates when ``update_position_def_set_id`` is given."""
        return self._post("pre-screening-create", fields)

    def pre_screen_resume_text(self, **fields) -> dict:
        return self._post("job-interview-pre-screening-api-resume-text", fields)

    def pre_screen_resume_binary(self, *, position_id: str, candidate_name: str, candidate_email: str, file: bytes,
                                 filename: str, content_type: str = "application/octet-stream",
                                 form: dict | None = None, **fields) -> dict:
        """POST job-interview-pre-screening-api-resume-binary (multipart; ``form`` goes as a JSON string)."""
        data = {"position_id": position_id, "candidate_name": candidate_name, "candidate_email": candidate_email,
                **fields}
        if form is not None:
            data["form"] = form if isinstance(form, str) else json.dumps(form)
        data = {k: _form_value(v) for k, v in data.items() if v is not None}
        return self._request("POST", "job-interview-pre-screening-api-resume-binary", data=data,
                             files={"file": (filename, file, content_type)})

    def upload_knowledge_base_document(self, *, knowledge_base_store_id: str, file: bytes, filename: str,
                                       name: str | None = None, merchant_id: str | None = None) -> dict:
        data = {"knowledge_base_store_id": knowledge_base_store_id, "name": name, "merchant_id": merchant_id}
        data = {k: _form_value(v) for k, v in data.items() if v is not None}
        return self._request("POST", "knowledge-base-document-upload", data=data,
                             files={"file": (filename, file, _guess_type(filename))})

    # --- lists --------------------------------------------------------------------------------

    def list_avatars(self, **filters) -> Page:
        return self._page("merchant-avatar-list", filters)

    def list_interview_results(self, **filters) -> Page:
        return self._page("merchant-result-list", filters)

    def list_candidates(self, **filters) -> Page:
        return self._page("merchant-candidate-list", filters)

    def list_interviews(self, **filters) -> Page:
        return self._page("merchant-interview-list", filters)

    def get_merchant_status(self, merchant_id: str | None = None) -> dict:
        return self._get("merchant-status", {"merchant_id": merchant_id})

    def iter_all(self, list_method: Callable[..., Page], *, page_size: int = 100, **filters) -> Iterator[dict]:
        """Every row of a list, page by page, until ``has_more`` is false or a page comes back empty."""
        offset = _int(filters.pop("offset", 0), 0)
        filters.pop("limit", None)
        while True:
            page = list_method(limit=page_size, offset=offset, **filters)
            yield from page.data
            if not page.data or not page.has_more:
                return
            offset += len(page.data)
