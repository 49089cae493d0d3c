"""The candidate's pages of the sandbox: the interview (questions, answer boxes, Submit and
Abandon), the thank-you page, the embed entry (signed link, or a name/email form standing in for
JobMojito's e-mail OTP) and the result view behind job-interview-token result URLs.

Plain HTML built with ``html.escape``; no Django, no database. Every page is served by the sandbox
itself, so its forms post to the same origin and carry the interview token.
"""

from __future__ import annotations

import hmac
import html
import logging

from mojito import embed as embed_signing
from mojito.sandbox import lifecycle, tokens
from mojito.sandbox.api import common
from mojito.sandbox.http import Request, Response
from mojito.sandbox.state import new_id, now_iso, persist
from mojito.vocabulary import CandidateStatus

logger = logging.getLogger("mojito.sandbox")
STYLE = """
body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1a202c}
h1{font-size:1.5rem}.q{margin:1.2rem 0;padding:.8rem;border:1px solid #e2e8f0;border-radius:6px}
textarea{width:100%;min-height:5rem}.actions{display:flex;gap:1rem;margin-top:1rem}
button{padding:.5rem 1.2rem;font-size:1rem}.error{color:#9b2c2c}.muted{color:#718096;font-size:.9rem}
table{border-collapse:collapse}.scroll{overflow-x:auto;max-width:100%}td,th{padding:.2rem .6rem;border-bottom:1px solid #e2e8f0;text-align:left}
"""


def _state(sandbox):
    return getattr(sandbox, "state", sandbox)


def page(title: str, body: str, status: int = 200) -> Response:
    document = (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
                f"<body><main>{body}</main><p class=\"muted\">JobMojito sandbox</p></body></html>")
    response = Response.html(document, status=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def error_page(status: int, message: str) -> Response:
    return page("Interview unavailable", f"<h1>Interview unavailable</h1><p class=\"error\">{html.escape(message)}</p>", status)


# --- tokens --------------------------------------------------------------------------------------
def token_problem(state, enrolment: dict, token: str | None) -> tuple[int, str] | None:
    """None when ``token`` opens this enrolment's interview, else (status, message) for the error page.

    The token must be a JWT the sandbox signed for this profile_interview, not expired, and still
    the enrolment's current link (minting a new URL replaces the old one)."""
    try:
        tokens.verify(state, token or "", audience="interview", subject=enrolment.get("id"))
    except tokens.ExpiredToken:
        return 410, "This interview link has expired. Ask the recruiter to send you a new one."
    except tokens.InvalidToken:
        return 403, "This interview link is not valid. Open the link from your invitation again."
    current = enrolment.get("token") or ""
    if current and hmac.compare_digest(current.encode(), token.encode()):
        return None
    minted = state.url_tokens.get(token)
    if minted and minted.get("kind") == "interview" and minted.get("id") == enrolment.get("id"):
        return None
    return 403, "This interview link has been replaced by a newer one. Use the latest link you were sent."


# --- the interview page --------------------------------------------------------------------------
def _question_html(index: int, question: dict) -> str:
    text = html.escape(question.get("question") or "")
    name = f"answer_{index}"
    if question.get("is_multiple_choice") and question.get("question_alternatives"):
        choices = "".join(
            f"<label><input type=\"radio\" name=\"{name}\" value=\"{html.escape(choice)}\"> {html.escape(choice)}</label><br>"
            for choice in question["question_alternatives"])
        control = f"<fieldset><legend>{text}</legend>{choices}</fieldset>"
        return f"<div class=\"q\" data-question-id=\"{html.escape(str(question.get('id') or ''))}\"><p><strong>Question {index + 1}</strong></p>{control}</div>"
    return (f"<div class=\"q\" data-question-id=\"{html.escape(str(question.get('id') or ''))}\">"
            f"<label for=\"{name}\"><strong>Question {index + 1}.</strong> {text}</label>"
            f"<textarea id=\"{name}\" name=\"{name}\"></textarea></div>")


def interview_page(sandbox, enrolment: dict, token: str) -> Response:
    state = _state(sandbox)
    try:
        result = lifecycle.start_attempt(sandbox, enrolment["id"])
    except lifecycle.AlreadySubmitted:
        return page("Interview submitted", "<h1>Interview already submitted</h1><p>Thank you, your answers are with the recruiter.</p>")
    except lifecycle.NoAttemptsLeft as exc:
        return error_page(409, str(exc))
    interview = lifecycle.interview_of(state, enrolment)
    questions = lifecycle.questions_of(interview)
    profile = state.profiles.get(enrolment.get("profile_id") or "") or {}
    action = f"/interview/take/{html.escape(enrolment['id'])}/"
    body = [
        f"<h1>{html.escape(interview.get('name') or 'Interview')}</h1>",
        f"<p>Welcome, {html.escape(profile.get('name') or profile.get('email') or 'candidate')}.</p>",
        f"<p class=\"muted\">{html.escape(interview.get('description') or '')}</p>",
        f"<form method=\"post\" action=\"{action}\">",
        f"<input type=\"hidden\" name=\"interview_token\" value=\"{html.escape(token)}\">",
        f"<input type=\"hidden\" name=\"interview_result_id\" value=\"{html.escape(result['id'])}\">",
    ]
    body += [_question_html(i, q) for i, q in enumerate(questions)] or ["<p>This interview has no questions.</p>"]
    body.append("<div class=\"actions\"><button type=\"submit\" name=\"action\" value=\"submit\">Submit</button>"
                "<button type=\"submit\" name=\"action\" value=\"abandon\" formnovalidate>Abandon</button></div></form>")
    return page(interview.get("name") or "Interview", "".join(body))


def take(sandbox, request: Request, profile_interview_id: str) -> Response:
    """GET shows the interview; POST (the page's form) submits or abandons it."""
    state = _state(sandbox)
    enrolment = state.enrolments.get(profile_interview_id)
    if not enrolment or enrolment.get("status") == CandidateStatus.DELETED:
        return error_page(404, "This interview link is not valid.")
    enrolment.setdefault("id", profile_interview_id)
    fields = request.form()[0] if request.method == "POST" else {}
    token = fields.get("interview_token") or request.query.get("interview_token")
    problem = token_problem(state, enrolment, token)
    if problem:
        return error_page(*problem)
    closed = _closed_reason(state, enrolment)
    if closed:
        return error_page(409, closed)
    if request.method == "GET":
        return interview_page(sandbox, enrolment, token)
    if request.method != "POST":
        return error_page(405, "Method not allowed.")
    outcome = fields.get("action") or "submit"
    answers = {key[len("answer_"):]: value for key, value in fields.items()
               if key.startswith("answer_") and key[len("answer_"):].isdigit() and value.strip()}
    try:
        result_id = lifecycle.complete(sandbox, profile_interview_id, outcome,
                                       {int(k): v for k, v in answers.items()} or None)
    except lifecycle.AlreadySubmitted:
        return page("Interview submitted", "<h1>Interview already submitted</h1>")
    except lifecycle.LifecycleError as exc:
        return error_page(exc.status, str(exc))
    _save(sandbox)
    if outcome == "abandon":
        return page("Interview ended", "<h1>Interview ended</h1><p>You left the interview. The recruiter has been told.</p>"
                    f"<p class=\"muted\">Result {html.escape(result_id)}</p>")
    return page("Thank you", "<h1>Thank you!</h1><p>Your interview has been submitted.</p>"
                f"<p class=\"muted\">Result {html.escape(result_id)}</p>")


def _closed_reason(state, enrolment: dict) -> str | None:
    """Why this interview cannot be taken now (archived/deleted, or a draft without a test token)."""
    interview = lifecycle.interview_of(state, enrolment)
    status = interview.get("status")
    if status in ("archived", "deleted", "completed"):
        return "This interview is closed."
    if status in ("draft", "preparing") and not enrolment.get("is_test"):
        return "This interview is not published yet (register with is_test to try a draft)."
    return None


_save = persist  # re-exported: mojito.sandbox.state.persist


# --- embed ---------------------------------------------------------------------------------------
def _enrol(sandbox, interview_id: str, position_id: str | None, name: str, email: str) -> dict:
    """Find or register the person and their enrolment for the embedded interview."""
    state = _state(sandbox)
    with state.lock:
        email = email.strip().lower()
        finder = getattr(state, "profile_by_email", None)
        profile = finder(email) if finder else next(
            (p for p in state.profiles.values() if p.get("email") == email), None)
        stamp = now_iso()
        if profile is None:
            profile = {"id": new_id(), "name": name, "email": email, "external_id": None, "linkedin_url": None,
                       "country_code": None, "role": "candidate", "created_at": stamp, "updated_at": stamp}
            state.profiles[profile["id"]] = profile
        enrolment = next((e for e in state.enrolments.values()
                          if e.get("profile_id") == profile["id"] and e.get("interview_id") == interview_id
                          and e.get("status") != CandidateStatus.DELETED), None)
        if enrolment is None:
            enrolment = {"id": new_id(), "profile_id": profile["id"], "interview_id": interview_id,
                         "position_id": position_id, "status": CandidateStatus.ACTIVE.value, "source": "registered",
                         "token": None, "url": None, "hide_menu": False, "hide_iframe": False, "is_test": False,
                         "attempts": 1, "decision_status": None, "prescreening_id": None, "invites_sent": 0,
                         "created_at": stamp, "updated_at": stamp}
            state.enrolments[enrolment["id"]] = enrolment
        if not enrolment.get("token"):
            _mint(sandbox, enrolment)
        return enrolment


def _mint(sandbox, enrolment: dict) -> None:
    common.interview_url(sandbox, enrolment)


def embed_entry(sandbox, request: Request) -> Response:
    """``/embed``: a signed link logs the candidate in and shows the interview; an unsigned link
    asks for name and e-mail (the sandbox's stand-in for SSO / OTP)."""
    state = _state(sandbox)
    params = dict(request.query)
    if request.method == "POST":
        params.update(request.form()[0])
    embed_id = params.get("embed_id") or ""
    record = state.embeds.get(embed_id)
    if not record:
        return error_page(404, "Unknown embed.")
    interview_id = record.get("interview_id")
    position_id = record.get("position_id")
    if not interview_id and position_id:
        position = state.positions.get(position_id) or {}
        interview_id = next(iter(position.get("interview_ids") or []), None)
    interview = state.interviews.get(interview_id or "")
    if not interview:
        return error_page(404, "This embedded interview is not available.")
    if "signature" in params or ("name" in params and request.method == "GET"):
        try:
            name, email = embed_signing.verify(embed_id, params.get("name", ""), params.get("email", ""),
                                               params.get("signature", ""), record.get("embed_signing_key") or "")
        except embed_signing.InvalidSignature:
            return error_page(403, "The sign-in link is not valid.")
    elif request.method == "POST":
        name, email = (params.get("name_plain") or "").strip(), (params.get("email_plain") or "").strip().lower()
        if not name or "@" not in email:
            return _embed_form(embed_id, interview, "Please enter your name and a valid e-mail address.", 422)
    else:
        return _embed_form(embed_id, interview)
    enrolment = _enrol(sandbox, interview_id, position_id, name, email)
    _save(sandbox)
    closed = _closed_reason(state, enrolment)
    if closed:
        return error_page(409, closed)
    return interview_page(sandbox, enrolment, enrolment["token"])


def _embed_form(embed_id: str, interview: dict, error: str = "", status: int = 200) -> Response:
    message = f"<p class=\"error\">{html.escape(error)}</p>" if error else ""
    return page(interview.get("name") or "Interview", (
        f"<h1>{html.escape(interview.get('name') or 'Interview')}</h1>"
        f"<p>{html.escape(interview.get('description') or '')}</p>{message}"
        "<p class=\"muted\">Sandbox stand-in for the e-mail code sign-in.</p>"
        "<form method=\"post\" action=\"/embed\">"
        f"<input type=\"hidden\" name=\"embed_id\" value=\"{html.escape(embed_id)}\">"
        "<p><label>Name <input name=\"name_plain\" required></label></p>"
        "<p><label>E-mail <input type=\"email\" name=\"email_plain\" required></label></p>"
        "<button type=\"submit\">Start interview</button></form>"), status)


# --- result pages (job-interview-token result URLs) ----------------------------------------------
def result_view(sandbox, request: Request, object_id: str) -> Response:
    state = _state(sandbox)
    token = request.query.get("interview_token") or ""
    try:
        tokens.verify(state, token, audience="result", subject=object_id)
    except tokens.ExpiredToken:
        return error_page(410, "This result link has expired. Ask for a new one.")
    except tokens.InvalidToken:
        return error_page(403, "This result link is not valid.")
    minted = state.url_tokens.get(token)
    if not minted or minted.get("kind") != "result" or minted.get("id") != object_id:
        return error_page(403, "This result link is not valid.")
    results = [r for r in state.results.values()
               if object_id in (r.get("id"), r.get("profile_interview_id"), r.get("interview_id"), r.get("profile_id"))]
    recruiter = minted.get("type") in ("interview-result-talent-seeker", "interview-results-for-position")
    rows = "".join(
        f"<tr><td>{html.escape(str(r.get('candidate_name') or ''))}</td><td>{html.escape(str(r.get('position_name') or ''))}</td>"
        f"<td>{html.escape(str(r.get('status')))} / {html.escape(str(r.get('coach_status')))}</td>"
        f"<td>{html.escape(str(r.get('score')))}</td>"
        + (f"<td>{html.escape(str(r.get('ai_analysis_recruiter') or ''))}</td>" if recruiter
           else f"<td>{html.escape(str(r.get('ai_analysis') or ''))}</td>") + "</tr>"
        for r in results)
    return page("Interview results", "<h1>Interview results</h1><table><thead><tr><th>Candidate</th><th>Interview</th>"
                f"<th>Status</th><th>Score</th><th>Analysis</th></tr></thead><tbody>{rows}</tbody></table>")
