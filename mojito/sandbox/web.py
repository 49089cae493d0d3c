"""Every sandbox path outside ``/functions/v1``: candidate pages, embed, reports, the overview
and the sandbox-only control API.

    GET       /interview/take/<profile_interview_id>/?interview_token=...   the interview
    POST      /interview/take/<profile_interview_id>/                        Submit / Abandon
    GET|POST  /embed?embed_id=...[&name=&email=&signature=]                  embedded interview
    GET       /interview/result/<id>/?interview_token=...                    result URLs
    GET       /reports/<id>.pdf                                               stored PDF reports
    GET       /sandbox/                                                       HTML overview
    GET       /sandbox/api/ping                                               {"sandbox": true, "version"}
    GET|POST  /sandbox/api/config                                             run-time settings
    GET       /sandbox/api/outbox[?recipient=&kind=]                          the emails "sent" (JSON)
    POST      /sandbox/api/complete                                           play the candidate
              {"profile_interview_id", "outcome"?, "answers"?, "taken_at"? (ISO time in the past:
              the attempt's start, end and created_at are moved there, for demo data over weeks)}
"""

from __future__ import annotations

import html
import json
import logging
import re
from datetime import datetime, timedelta, timezone

from mojito.sandbox import candidate, credits, lifecycle, outbox, reports, webhooks
from mojito.sandbox.http import Request, Response
from mojito.sandbox.state import now_iso

logger = logging.getLogger("mojito.sandbox")
VERSION = "1.0"
TAKE = re.compile(r"^/interview/take/([^/]+)/?$")
RESULT = re.compile(r"^/interview/result/([^/]+)/?$")
REPORT = re.compile(r"^/reports/([0-9a-fA-F-]+)\.pdf$")
CONFIG_FIELDS = ("latency_ms", "row_latency_ms", "fault_rate", "fault_kinds", "webhook_urls", "webhook_headers",
                 "webhook_retry_seconds", "timeout_sleep_s", "fault_seed", "processing_delay_s",
                 "interview_token_ttl_s")
FAULT_KINDS = ("500", "502", "503", "504", "timeout", "drop")


def _state(sandbox):
    return getattr(sandbox, "state", sandbox)


def handle(sandbox, request: Request) -> Response | None:
    """The response for a non-API path, or None (404)."""
    try:
        return _route(sandbox, request)
    except Exception as exc:  # a page must answer, not take the server thread down
        logger.exception("sandbox page %s failed", request.path)
        if request.path.startswith("/sandbox/api/"):
            return Response.error(500, f"Internal error in the sandbox: {exc.__class__.__name__}: {exc}")
        return candidate.error_page(500, "Something went wrong in the sandbox.")


def _route(sandbox, request: Request) -> Response | None:
    path = request.path
    webhooks.install(_state(sandbox))
    match = TAKE.match(path)
    if match:
        return candidate.take(sandbox, request, match.group(1))
    if path in ("/embed", "/embed/"):
        return candidate.embed_entry(sandbox, request)
    match = RESULT.match(path)
    if match:
        return candidate.result_view(sandbox, request, match.group(1))
    match = REPORT.match(path)
    if match and request.method in ("GET", "HEAD"):
        return reports.serve(sandbox, match.group(1))
    if path in ("/sandbox", "/sandbox/"):
        return overview(sandbox)
    if path == "/sandbox/api/ping":
        return Response.json({"sandbox": True, "version": VERSION})
    if path == "/sandbox/api/config":
        return config_view(sandbox, request)
    if path == "/sandbox/api/complete":
        return complete_view(sandbox, request)
    if path == "/sandbox/api/outbox":
        return outbox_view(sandbox, request)
    return None


# --- control API ---------------------------------------------------------------------------------
def _masked_config(config) -> dict:
    return {
        "latency_ms": config.latency_ms, "row_latency_ms": config.row_latency_ms,
        "fault_rate": config.fault_rate, "fault_kinds": list(config.fault_kinds),
        "timeout_sleep_s": getattr(config, "timeout_sleep_s", None), "fault_seed": getattr(config, "fault_seed", None),
        "webhook_urls": list(config.webhook_urls), "webhook_headers": webhooks.mask_headers(config.webhook_headers),
        "webhook_retry_seconds": config.webhook_retry_seconds, "base_url": config.base_url,
        "processing_delay_s": getattr(config, "processing_delay_s", 0),
        "interview_token_ttl_s": config.interview_token_ttl_s,
    }


def _json_object(request: Request) -> dict | Response:
    """The JSON object body of a POST, or the error Response to answer with."""
    if request.method != "POST":
        return Response.error(405, "Method not allowed.")
    try:
        data = request.json()
    except ValueError:
        return Response.error(422, "Body must be JSON.")
    if not isinstance(data, dict):
        return Response.error(422, "Body must be a JSON object.")
    return data


def config_view(sandbox, request: Request) -> Response:
    state = _state(sandbox)
    if request.method == "GET":
        return Response.json(_masked_config(state.config))
    data = _json_object(request)
    if isinstance(data, Response):
        return data
    try:
        changes = validate_config(data)
    except ValueError as exc:
        field, _, message = str(exc).partition(":")
        return Response.error(422, message.strip(), field)
    with state.lock:
        for key, value in changes.items():
            setattr(state.config, key, value)
        if "fault_seed" in changes:
            state.__dict__.pop("_fault_rng", None)
    return Response.json(_masked_config(state.config))


def validate_config(data: dict) -> dict:
    changes = {}
    for key, value in data.items():
        if key not in CONFIG_FIELDS:
            raise ValueError(f"{key}: Unknown setting.")
        if key in ("latency_ms", "row_latency_ms"):
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{key}: Must be a number of milliseconds >= 0.")
            changes[key] = int(value)
        elif key in ("webhook_retry_seconds", "timeout_sleep_s", "processing_delay_s", "interview_token_ttl_s"):
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{key}: Must be a number >= 0.")
            changes[key] = float(value)
        elif key == "fault_rate":
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
                raise ValueError("fault_rate: Must be between 0 and 1.")
            changes[key] = float(value)
        elif key == "fault_kinds":
            if not isinstance(value, list) or not value or any(str(k) not in FAULT_KINDS for k in value):
                raise ValueError(f"fault_kinds: Must be a non-empty list of {', '.join(FAULT_KINDS)}.")
            changes[key] = tuple(str(k) for k in value)
        elif key == "fault_seed":
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise ValueError("fault_seed: Must be an integer or null.")
            changes[key] = value
        elif key == "webhook_urls":
            if not isinstance(value, list) or any(not isinstance(u, str) or not u.startswith(("http://", "https://")) for u in value):
                raise ValueError("webhook_urls: Must be a list of http(s) URLs.")
            changes[key] = list(value)
        elif key == "webhook_headers":
            if not isinstance(value, dict) or any(not isinstance(k, str) or not isinstance(v, str) for k, v in value.items()):
                raise ValueError("webhook_headers: Must be an object of header names to string values.")
            changes[key] = dict(value)
    return changes


def complete_view(sandbox, request: Request) -> Response:
    data = _json_object(request)
    if isinstance(data, Response):
        return data
    pid = data.get("profile_interview_id")
    if not isinstance(pid, str) or not pid:
        return Response.error(422, "Field is required.", "profile_interview_id")
    outcome = data.get("outcome", "submit")
    if outcome not in lifecycle.OUTCOMES:
        return Response.error(422, "Must be 'submit' or 'abandon'.", "outcome")
    answers = data.get("answers")
    if answers is not None and not isinstance(answers, (list, dict)):
        return Response.error(422, "Must be a list of answers or an object keyed by question id.", "answers")
    taken_at = _past_time(data.get("taken_at"))
    if isinstance(taken_at, Response):
        return taken_at
    try:
        result_id = lifecycle.complete(sandbox, pid, outcome, answers)
        if taken_at is not None:
            _move_attempt(sandbox, result_id, taken_at)
    except lifecycle.UnknownEnrolment as exc:
        return Response.error(404, str(exc), "profile_interview_id")
    except lifecycle.LifecycleError as exc:
        return Response.error(exc.status, str(exc), "answers" if exc.status == 422 else "profile_interview_id")
    candidate.persist(sandbox)
    return Response.json({"interview_result_id": result_id})


def _past_time(value):
    """None, a timezone-aware datetime not in the future, or a 422 naming ``taken_at``."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return Response.error(422, "Must be an ISO 8601 date and time.", "taken_at")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    if moment > datetime.now(timezone.utc):
        return Response.error(422, "Must not be in the future.", "taken_at")
    return moment


def _move_attempt(sandbox, result_id: str, taken_at) -> None:
    """Move a finished attempt back in time (start, end, created_at); updated_at stays the newest."""
    def iso(moment):
        return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")

    state = _state(sandbox)
    with state.lock:
        result = state.results[result_id]
        try:
            start = datetime.fromisoformat(str(result.get("start")).replace("Z", "+00:00"))
            end = datetime.fromisoformat(str(result.get("end")).replace("Z", "+00:00"))
            length = max(end - start, timedelta(0))
        except ValueError:
            length = timedelta(minutes=12)
        result.update({"start": iso(taken_at), "end": iso(taken_at + length), "created_at": iso(taken_at),
                       "updated_at": now_iso()})


def outbox_view(sandbox, request: Request) -> Response:
    if request.method != "GET":
        return Response.error(405, "Method not allowed.")
    kind = request.query.get("kind") or None
    if kind and kind not in outbox.KINDS:
        return Response.error(422, f"kind must be one of {', '.join(outbox.KINDS)} (got {kind!r}).", "kind")
    state = _state(sandbox)
    return Response.json({"emails": outbox.emails(state, recipient=request.query.get("recipient"), kind=kind),
                          "invitations_sent": outbox.invitations_sent(state),
                          "invitations_limit": credits.invitations_limit(state),
                          "invitations_available": credits.invitations_available(state)})


# --- overview ------------------------------------------------------------------------------------
def _e(value) -> str:
    return html.escape("" if value is None else str(value))


def _table(headers: list[str], rows: list[list]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return (f"<div class=\"scroll\"><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{body or '<tr><td>none</td></tr>'}</tbody></table></div>")


def _balances(state) -> str:
    balances = credits.balances(state)
    return f"<p>Available: {_e(balances.get('available'))} (monthly {_e(balances.get('monthly'))} of " \
           f"{_e(balances.get('monthly_limit'))}, extra {_e(balances.get('extra'))})</p>"


def _headroom(state) -> str:
    limit = credits.invitations_limit(state)
    if limit is None:
        return f"<p>{_e(outbox.invitations_sent(state))} candidate invitations emailed this month; no limit on this plan.</p>"
    return (f"<p>{_e(outbox.invitations_sent(state))} of {_e(limit)} candidate invitations emailed this month "
            f"(4 &times; available credits); {_e(credits.invitations_available(state))} left.</p>")


def _emails(state) -> list[list]:
    rows = []
    for mail in reversed(state.outbox):
        interview = state.interviews.get(mail.get("interview_id") or "") or {}
        link = f"<a href=\"{_e(mail['link'])}\">open</a>" if mail.get("link") else "&mdash;"
        message = f"<br><span class=\"muted\">&ldquo;{_e(mail['message'])}&rdquo;</span>" if mail.get("message") else ""
        sent = (mail.get("sent_at") or "")[:19].replace("T", " ")
        rows.append([f"<span title=\"{_e(mail.get('sent_at'))}\">{_e(sent)}</span>", _e(outbox.KIND_LABELS.get(mail.get("kind"), mail.get("kind")))
                     + (" (re-sent)" if mail.get("resent") else ""),
                     _e(mail.get("recipient")) + (f" ({_e(mail['name'])})" if mail.get("name") else ""),
                     _e(interview.get("name") or mail.get("interview_id") or "") + message, link])
    return rows


def overview(sandbox) -> Response:
    state = _state(sandbox)
    with state.lock:
        config = _masked_config(state.config)
        interviews = [[_e(i.get("name")), f"<code>{_e(k)}</code>", _e(i.get("status")), _e(len(i.get("questions") or [])),
                       _e(", ".join(e for e, rec in state.embeds.items() if rec.get("interview_id") == k))]
                      for k, i in state.interviews.items()]
        enrolments = []
        for k, e in state.enrolments.items():
            profile = state.profiles.get(e.get("profile_id") or "") or {}
            link = f"<a href=\"{_e(e.get('url'))}\">open interview</a>" if e.get("url") else ""
            enrolments.append([_e(profile.get("name")), _e(profile.get("email")), _e((state.interviews.get(e.get("interview_id") or "") or {}).get("name")),
                               f"<code>{_e(k)}</code>", _e(e.get("status")), link])
        results = [[f"<code>{_e(k)}</code>", _e(r.get("candidate_name")), _e(r.get("status")), _e(r.get("coach_status")),
                    _e(r.get("processing_status")), _e(r.get("score")),
                    f"<a href=\"{_e(r.get('pdf_export_url'))}\">PDF</a>" if r.get("pdf_export_url") else ""]
                   for k, r in state.results.items()]
        ledger = [[_e(row.get("event_date") or row.get("created_at")), _e(row.get("event")),
                   _e(row.get("credit_amount")), _e(row.get("candidate_name")), _e(row.get("object_uuid"))]
                  for row in state.credit_ledger]
        emails = _emails(state)
        deliveries = []
        for d in reversed(state.webhook_deliveries):
            attempts = "<br>".join(
                f"{_e(a.get('at'))}: {_e(a.get('status') if a.get('status') is not None else a.get('error'))}"
                f" ({_e(a.get('duration_ms'))} ms) {_e((a.get('response') or '')[:120])}" for a in d.get("attempts") or [])
            deliveries.append([_e(d.get("created_at")), _e(d.get("event")), _e(d.get("url") or "(no URL configured)"),
                               f"<code>{_e(d.get('interview_result_id'))}</code>", _e(d.get("reason")), _e(d.get("state")),
                               attempts, f"<details><summary>payload</summary><pre>{_e(json.dumps(d.get('payload'), indent=1))}</pre></details>"])
    body = (
        "<h1>JobMojito sandbox</h1>"
        f"<p class=\"muted\">Base URL {_e(config['base_url'])}. Settings: <code>{_e(json.dumps(config))}</code></p>"
        "<h2>Interviews</h2>" + _table(["name", "id", "status", "questions", "embed ids"], interviews)
        + "<h2>Candidates</h2>" + _table(["name", "email", "interview", "profile_interview_id", "status", "link"], enrolments)
        + "<h2>Results</h2>" + _table(["id", "candidate", "status", "interview status", "processing", "score", "report"], results)
        + "<h2>Emails sent</h2>" + _headroom(state)
        + _table(["sent", "kind", "to", "interview", "link"], emails)
        + "<h2>Credits</h2>" + _balances(state) + _table(["at", "event", "credits", "candidate", "object"], ledger)
        + "<h2>Webhook deliveries</h2>" + _table(["at", "event", "url", "result", "reason", "state", "attempts", "payload"], deliveries)
    )
    document = candidate.page("JobMojito sandbox", body)
    document.body = document.body.replace(b"max-width:46rem", b"max-width:90rem")
    return document
