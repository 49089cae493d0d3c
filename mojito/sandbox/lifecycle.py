"""The candidate side of a result's life (API reference 5 and 3.2), played by the sandbox.

    page opened     -> result draft / coach ongoing / processing new        (no event)
    submit          -> draft / completed / new            -> interview_collected
                    -> processing                          (scoring)
                    -> active / completed / completed      -> interview_result
                       (PDF generated first when the interview has pdf_export_auto_config,
                        credits charged through mojito.sandbox.credits)
    abandon         -> draft / abandoned                   -> interview_failed

Attempts: a result in progress is reused; a result the recruiter re-opened (request-another-
attempt: draft, coach status failed) is reused under the same id; an abandoned attempt may be
restarted while the interview allows more attempts (``_interview_attempts`` /
``result_scoring.max_retries``, default 1). A submitted result is final.
"""

from __future__ import annotations

import threading
import time

from mojito.sandbox import credits, outbox, reports, scoring, webhooks
from mojito.sandbox.state import now_iso
from mojito.vocabulary import CoachStatus, ProcessingStatus, ResultStatus, WebhookEvent

OUTCOMES = ("submit", "abandon")
IN_PROGRESS = {CoachStatus.ONGOING, CoachStatus.STARTED, None}
SCORE_FIELDS = (
    "score", "score_simulation", "score_text", "score_answer", "score_answer_ai", "score_interview_ai",
    "score_sentiment", "score_words_per_minute", "score_pronunciation", "ai_analysis",
    "ai_analysis_recruiter", "ai_analysis_recruiter_why_hire", "ai_analysis_recruiter_why_not_hire",
    "ai_interview_coverage_percentage", "ai_completion_reason", "pdf_export_url", "pdf_export_valid_until",
    "duration", "duration_ds", "end",
)


class LifecycleError(Exception):
    status = 422


class UnknownEnrolment(LifecycleError):
    status = 404


class AlreadySubmitted(LifecycleError):
    status = 409


class NoAttemptsLeft(LifecycleError):
    status = 409


def _state(sandbox):
    return getattr(sandbox, "state", sandbox)


# --- lookups -------------------------------------------------------------------------------------
def enrolment_of(state, profile_interview_id: str) -> dict:
    enrolment = state.enrolments.get(profile_interview_id or "")
    if not enrolment or enrolment.get("status") == "deleted":
        raise UnknownEnrolment("No candidate enrolment with this profile_interview_id.")
    return enrolment


def interview_of(state, enrolment: dict) -> dict:
    interview = state.interviews.get(enrolment.get("interview_id") or "")
    if interview is None and enrolment.get("position_id"):
        position = state.positions.get(enrolment["position_id"]) or {}
        for interview_id in position.get("interview_ids") or []:
            if interview_id in state.interviews:
                return state.interviews[interview_id]
    return interview or {}


def questions_of(interview: dict) -> list[dict]:
    return [q for q in (interview.get("questions") or []) if isinstance(q, dict) and q.get("question")]


def latest_result(state, profile_interview_id: str) -> dict | None:
    mine = [r for r in state.results.values() if r.get("profile_interview_id") == profile_interview_id]
    if not mine:
        return None
    return max(mine, key=lambda r: (r.get("created_at") or "", r.get("_seq", 0)))


def max_attempts(interview: dict) -> int:
    value = interview.get("_interview_attempts") or (interview.get("result_scoring") or {}).get("max_retries")
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def is_submitted(result: dict) -> bool:
    return result.get("status") != ResultStatus.DRAFT or result.get("coach_status") in (
        CoachStatus.COMPLETED, CoachStatus.COMPLETED_STOPPED_EARLY)


# --- transitions ---------------------------------------------------------------------------------
def _new_result(state, enrolment: dict) -> dict:
    return state.add_result(_enrolment_id(state, enrolment), coach_status=CoachStatus.ONGOING.value,
                            status=ResultStatus.DRAFT.value, processing_status=ProcessingStatus.NEW.value,
                            _attempt_no=1, _seq=len(state.results))


def _enrolment_id(state, enrolment: dict) -> str:
    if enrolment.get("id"):
        return enrolment["id"]
    for key, value in state.enrolments.items():
        if value is enrolment:
            return key
    raise UnknownEnrolment("enrolment without id")


def _restart(result: dict) -> dict:
    for key in SCORE_FIELDS:
        result[key] = None
    result.update({
        "status": ResultStatus.DRAFT.value, "coach_status": CoachStatus.ONGOING.value,
        "processing_status": ProcessingStatus.NEW.value, "processing_error": None, "transcript": [],
        "ai_analysis_other": {"hiring_reasons": {"reasons_to_hire": [], "reasons_not_to_hire": []}},
        "start": now_iso(), "updated_at": now_iso(), "_charged": False, "_webhook_sent": None,
        "_attempt_no": int(result.get("_attempt_no") or 1) + 1,
    })
    return result


def start_attempt(sandbox, profile_interview_id: str) -> dict:
    """The result the candidate is answering now: reused, re-opened or created (page open).

    Raises AlreadySubmitted / NoAttemptsLeft / UnknownEnrolment."""
    state = _state(sandbox)
    with state.lock:
        enrolment = enrolment_of(state, profile_interview_id)
        interview = interview_of(state, enrolment)
        result = latest_result(state, profile_interview_id)
        if result is None:
            return _new_result(state, enrolment)
        coach = result.get("coach_status")
        if result.get("status") == ResultStatus.DRAFT and coach in IN_PROGRESS:
            return result
        if is_submitted(result):
            raise AlreadySubmitted("This interview has already been submitted.")
        if coach == CoachStatus.FAILED:  # re-opened by request-another-attempt
            return _restart(result)
        if int(result.get("_attempt_no") or 1) < max_attempts(interview):
            return _restart(result)
        raise NoAttemptsLeft("No attempts left for this interview.")


def normalise_answers(questions: list[dict], answers) -> list[str | None]:
    """Answers as a list aligned with the questions, from a list (by position; items may be strings
    or {question_id|id, answer}), or a dict keyed by question id or position."""
    aligned: list[str | None] = [None] * len(questions)
    if not answers:
        return aligned
    index_by_id = {str(q.get("id")): i for i, q in enumerate(questions) if q.get("id") is not None}
    if isinstance(answers, dict):
        items = list(answers.items())
    else:
        items = []
        for position, item in enumerate(answers):
            if isinstance(item, dict):
                key = item.get("question_id", item.get("id", position))
                items.append((key, item.get("answer")))
            else:
                items.append((position, item))
    for key, value in items:
        if str(key) in index_by_id:
            i = index_by_id[str(key)]
        elif isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
            i = int(key)
        else:
            raise LifecycleError(f"Unknown question id in answers: {key}")
        if 0 <= i < len(aligned):
            aligned[i] = None if value is None else str(value)
    return aligned


def complete(sandbox, profile_interview_id: str, outcome: str = "submit", answers=None) -> str:
    """Finish the candidate's current attempt (``submit`` or ``abandon``); returns the result id.

    With no answers on submit, plausible ones are made up. Webhooks are queued, not awaited."""
    if outcome not in OUTCOMES:
        raise LifecycleError("outcome must be 'submit' or 'abandon'.")
    state = _state(sandbox)
    with state.lock:
        result = start_attempt(state, profile_interview_id)
        enrolment = enrolment_of(state, profile_interview_id)
        interview = interview_of(state, enrolment)
        questions = questions_of(interview)
        aligned = normalise_answers(questions, answers)
        stamp = now_iso()
        if outcome == "abandon":
            result.update({"coach_status": CoachStatus.ABANDONED.value, "end": stamp, "updated_at": stamp,
                           "ai_completion_reason": "abandoned"})
            if any(aligned):
                result["transcript"] = _answers_only(questions, aligned, result)
            _notify(state, WebhookEvent.INTERVIEW_FAILED, result)
            return result["id"]
        if not any(aligned):
            aligned = [scoring.plausible_answer(q, seed=result["id"]) for q in questions]
        result.update({"coach_status": CoachStatus.COMPLETED.value, "end": stamp, "updated_at": stamp,
                       "processing_status": ProcessingStatus.NEW.value, "ai_completion_reason": "completed",
                       "transcript": _answers_only(questions, aligned, result), "_answers": aligned})
        _notify(state, WebhookEvent.INTERVIEW_COLLECTED, result)
        result["processing_status"] = ProcessingStatus.PROCESSING.value
    delay = float(getattr(state.config, "processing_delay_s", 0) or 0)
    if delay > 0:
        threading.Timer(delay, finish_processing, args=(sandbox, result["id"])).start()
    else:
        finish_processing(sandbox, result["id"])
    return result["id"]


def _answers_only(questions, aligned, result) -> list[dict]:
    rows = []
    for i, (question, answer) in enumerate(zip(questions, aligned)):
        rows.append({"id": f"{result['id']}-a{i + 1}", "is_answer": True, "view": "answer",
                     "question_original_id": question.get("id"), "question_original": question.get("question"),
                     "question_asked": question.get("question"), "answer": answer or "",
                     "duration": scoring.duration_ds(answer) if answer else 0,
                     "mojito_language_code": question.get("mojito_language_code") or result.get("mojito_language_code")})
    return rows


def finish_processing(sandbox, result_id: str) -> dict:
    """Score a collected result, make its PDF when configured, charge it, mark it active."""
    state = _state(sandbox)
    with state.lock:
        result = state.results[result_id]
        if result.get("processing_status") != ProcessingStatus.PROCESSING:
            return result
        enrolment = state.enrolments.get(result.get("profile_interview_id") or "") or {}
        interview = interview_of(state, enrolment) or state.interviews.get(result.get("interview_id") or "", {})
        questions = questions_of(interview)
        answers = result.pop("_answers", None) or [row.get("answer") for row in result.get("transcript") or []]
        evaluated = scoring.evaluate(interview, questions, answers, result_id=result_id,
                                     language=result.get("mojito_language_code"))
        hiring = evaluated["ai_analysis_other"]["hiring_reasons"]
        other = dict(result.get("ai_analysis_other") or {})
        other.update(evaluated.pop("ai_analysis_other"))
        result.update(evaluated)
        result["ai_analysis_other"] = other
        result["ai_analysis_recruiter_why_hire"] = hiring["reasons_to_hire"]
        result["ai_analysis_recruiter_why_not_hire"] = hiring["reasons_not_to_hire"]
        result["status"] = ResultStatus.ACTIVE.value
        auto = interview.get("pdf_export_auto_config")
        if auto:
            try:
                _auto_pdf(sandbox, result, auto)
            except Exception as exc:  # a PDF failure must not lose the result; the event stays held
                result["processing_error"] = f"pdf: {exc}"
        _charge_interview(state, result)
        result["processing_status"] = ProcessingStatus.COMPLETED.value
        result["updated_at"] = now_iso()
        if enrolment.get("email_chain") and result.get("candidate_email"):  # the invitation email chain's last mail
            outbox.send(state, kind=outbox.COMPLETION_NOTICE, recipient=result["candidate_email"],
                        name=result.get("candidate_name"), interview_id=result.get("interview_id"),
                        profile_interview_id=enrolment.get("id"), language=result.get("mojito_language_code"))
        _notify(state, WebhookEvent.INTERVIEW_RESULT, result)
        return result


def _auto_pdf(sandbox, result: dict, auto: dict) -> None:
    features = dict(auto) if isinstance(auto, dict) else {}
    answer = reports.render(sandbox, [result], "pdf", features, features.get("template"), charge_translation=True)
    result["pdf_export_url"] = answer["pdf_export_url"]
    result["pdf_export_valid_until"] = answer["pdf_export_valid_until"]


def _charge_interview(state, result: dict) -> None:
    if not result.get("_charged"):
        credits.charge_interview(state, result)


def _notify(state, event, result: dict) -> None:
    webhooks.install(state)
    state.notify(getattr(event, "value", event), result)


def wait_processing(sandbox, result_id: str, timeout: float = 10.0) -> dict:
    state = _state(sandbox)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = state.results.get(result_id) or {}
        if result.get("processing_status") in (ProcessingStatus.COMPLETED, ProcessingStatus.FAILED):
            return result
        time.sleep(0.02)
    return state.results.get(result_id) or {}
