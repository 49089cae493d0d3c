"""The sandbox's own state: plain dict tables keyed by UUID strings, one lock, JSON persistence.

Apart from the app's models on purpose: the sandbox plays JobMojito, whose data the app only
mirrors. Every record is a JSON-serialisable dict shaped like what the API returns, plus private
keys starting with ``_`` (never sent on the wire).

Tables:
    templates      interview_template_id -> avatar template row (merchant-avatar-list shape)
    interviews     interview_def_set_id -> definition (job-interview-get shape, questions included)
                   plus ``id``, ``_position_id`` (owning position or None), ``_embed_id``,
                   ``creation_parameters``, ``_interview_attempts``
    positions      position_def_set_id -> pre-screening position {id, name, location, country_code,
                   description, description_long, mojito_language_code, type, status, visibility,
                   assessment_rules, form_fields, candidate_expectations, external_id,
                   interview_pre_screening_id, interview_ids: [interview_def_set_id, ...],
                   created_at, updated_at}
    profiles       profile_id -> person {id, name, email (trimmed lower-case), external_id,
                   linkedin_url, country_code, role ("candidate" | an invite-users type),
                   created_at, updated_at}
    enrolments     profile_interview_id -> {id, profile_id, interview_id (definition id or None),
                   position_id (or None), status ("active" | "invited" | "deleted"),
                   source ("registered" | "invited"), token (the current interview_token),
                   url (the last URL handed out), hide_menu, hide_iframe, is_test, attempts (int,
                   starts at 1), decision_status (pre-screening decision or None),
                   prescreening_id, invites_sent, email_chain (True once JobMojito emails this
                   candidate: the completion notice follows), created_at, updated_at}
    results        interview_result_id -> result record, see ``add_result`` below
    prescreenings  interview_result_pre_screening_id -> pre-screening outcome (the completed
                   response of job-interview-pre-screening-api-resume-text plus position_id,
                   profile_id, created_at)
    knowledge_docs knowledge_base_id -> {id, knowledge_base_store_id, name, content_type, size,
                   text, processing_error (None, or why mojito.documents could not read it), created_at}
    embeds         embed_id -> {embed_id, embed_signing_key, interview_id, position_id, created_at}
    reports        report id -> {result ids, pdf bytes (base64) or html, valid_until}
    url_tokens     token (a JWT, mojito.sandbox.tokens) -> {kind: "interview" | "result", type
                   (job-interview-token type), id (enrolment / result / profile / interview id), created_at}
    meta           sandbox-wide values, e.g. the interview-token signing key
    credit_ledger  list of ledger rows (merchant-analytics-credits-used shape)
    webhook_deliveries  list of delivery records {id, event, url, payload, attempts: [...], state}
    outbox         list of the emails JobMojito would have sent (mojito.sandbox.outbox)

Not persisted: ``api_calls``, the last ``API_CALLS_KEPT`` requests to /functions/v1 as
{at, method, endpoint, status} (tests assert that a path made, or did not make, a call).

Writers take ``state.lock``. ``state.listeners`` are called as ``listener(state, event, result)``
after a result changes (the webhook dispatcher subscribes there).

The result record (``state.results[interview_result_id]``), shared by the API half (lists,
details, request-another-attempt, reports) and the runtime half (the candidate page and the
lifecycle that creates and finishes results)::

    id                      interview_result_id
    position_result_id      the merchant-result-list row id (a separate UUID)
    interview_id            interview_def_set_id (== definition_id)
    definition_id           same value
    position_id             owning position_def_set_id or None
    profile_interview_id    the enrolment
    profile_id              the person
    merchant_id
    type                    interview type of the definition ("interview", "assessment", ...)
    status                  ResultStatus: "draft" -> "active" (submitted) -> "archived"
    coach_status            CoachStatus ("started", "completed", "failed", ...)
    processing_status       ProcessingStatus ("new", "processing", "completed", "failed")
    score                   overall score (number or None)
    score_interview_ai      recruiter-facing AI score (webhook ai_analysis_recruiter_score)
    ai_analysis             candidate-facing analysis text
    ai_analysis_recruiter   recruiter-facing analysis text
    ai_analysis_other       {"hiring_reasons": {"reasons_to_hire": [...], "reasons_not_to_hire": [...]}}
    transcript              list of §2.15 items: {id, is_answer, view, question_original_id,
                            question_original, question_asked, answer, ai_analysis,
                            ai_analysis_recruiter, score, score_answer_ai, duration,
                            mojito_language_code, external_id, external_data}
    start, end              ISO timestamps (None until known)
    duration                deciseconds (None until known)
    is_test                 bool
    recruiter_shortlist     bool
    decision_status         None, or a DecisionStatus value / "selected" / "rejected"
    recruiter_go_next_round None or bool
    pdf_export_url          None or URL
    candidate_name, candidate_email, candidate_external_id, position_name   (denormalised)
    mojito_language_code
    created_at, updated_at  ISO timestamps
    _charged                True once mojito.sandbox.credits charged it

Use ``add_result`` to create one, ``result_row`` / ``result_details`` to render it.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

TABLES = (
    "templates", "interviews", "positions", "profiles", "enrolments", "results", "prescreenings",
    "knowledge_docs", "embeds", "reports", "url_tokens", "meta",
)
LISTS = ("credit_ledger", "webhook_deliveries", "outbox")
API_CALLS_KEPT = 10_000
logger = logging.getLogger("mojito.sandbox")


def new_id() -> str:
    return str(uuid.uuid4())


class Revisions:
    """How many times the results changed: ``merchant-result-list`` keeps its filtered, sorted
    rows while this stays the same (a list of 50,000 results is then not filtered and sorted again
    for each of its pages). ``tracked`` turns false, for good, when a result record that does not
    count its changes is stored: lists then filter and sort on every request."""

    __slots__ = ("count", "tracked")

    def __init__(self):
        self.count, self.tracked = 0, True


class _CountingDict(dict):
    """A dict that calls ``_changed(value)`` on every change (``value``: what was stored, if any)."""

    __slots__ = ()

    def _changed(self, value=None) -> None:
        raise NotImplementedError

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self._changed(value)

    def __delitem__(self, key):
        super().__delitem__(key)
        self._changed()

    def update(self, *args, **kwargs):
        items = dict(*args, **kwargs)
        super().update(items)
        for value in items.values():
            self._changed(value)

    def __ior__(self, other):
        self.update(other)
        return self

    def pop(self, *args):
        self._changed()
        return super().pop(*args)

    def popitem(self):
        self._changed()
        return super().popitem()

    def setdefault(self, key, default=None):
        if key not in self:
            self._changed(default)
        return super().setdefault(key, default)

    def clear(self):
        super().clear()
        self._changed()

    def __reduce__(self):  # copies and pickles are plain dicts
        return (dict, (dict(self),))


class ResultRecord(_CountingDict):
    """A result record that counts each change of its top-level keys (``Revisions``). Nested
    values (lists, dicts) are not watched; the lists do not filter on them, except ``risks``."""

    __slots__ = ("_revisions",)

    def __init__(self, revisions: Revisions, *args, **kwargs):
        dict.__init__(self, *args, **kwargs)
        self._revisions = revisions

    def _changed(self, value=None) -> None:
        self._revisions.count += 1


class ResultTable(_CountingDict):
    """``state.results``: counts results added, replaced and removed (``Revisions``)."""

    __slots__ = ("revisions",)

    def __init__(self, *args, **kwargs):
        dict.__init__(self)
        self.revisions = Revisions()
        for key, value in dict(*args, **kwargs).items():
            dict.__setitem__(self, key, value if isinstance(value, ResultRecord) else ResultRecord(self.revisions, value))

    def record(self, fields: dict) -> ResultRecord:
        """A new record of this table (not stored yet)."""
        return ResultRecord(self.revisions, fields)

    def _changed(self, value=None) -> None:
        self.revisions.count += 1
        if value is not None and not isinstance(value, ResultRecord):
            self.revisions.tracked = False


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


@dataclass
class SandboxConfig:
    """How the sandbox behaves; changeable at run time through the sandbox control endpoint."""

    tokens: dict[str, dict] = field(default_factory=dict)  # token -> {"merchant_id", "service_key": bool}
    merchant_id: str = "00000000-0000-4000-8000-000000000001"
    profile_id: str = "00000000-0000-4000-8000-000000000002"  # the caller behind the tokens
    base_url: str = "http://127.0.0.1:8765"  # where the candidate pages and reports are served
    webhook_urls: list[str] = field(default_factory=list)
    webhook_headers: dict[str, str] = field(default_factory=dict)
    webhook_retry_seconds: float = 60.0  # give up a delivery after this long
    latency_ms: int = 0
    row_latency_ms: int = 0
    fault_rate: float = 0.0  # share of API requests that fail (5xx, timeout or dropped connection)
    fault_kinds: tuple[str, ...] = ("500", "timeout", "drop")
    quirks_500_for_authorization: bool = False  # reproduce the documented 500-for-authorization answers
    credits_interview_monthly: float = 100.0  # the monthly allowance (merchant-status *_limit)
    credits_interview_extra: float = 0.0
    subscription_type: str = "Growth"
    subscription_status: str = "active"
    timeout_sleep_s: float | None = None  # how long a "timeout" fault hangs before its 504 (default 20 s)
    fault_seed: int | None = None  # makes fault injection repeatable
    processing_delay_s: float = 0.0  # time between "collected" and the scored result
    interview_token_ttl_s: float = 30 * 24 * 3600  # lifetime of the JWT in minted URLs (mojito.sandbox.tokens)
    webhook_transport: object = field(default=None, repr=False)  # an httpx transport for deliveries (tests)


@dataclass
class SandboxState:
    config: SandboxConfig = field(default_factory=SandboxConfig)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    listeners: list = field(default_factory=list, repr=False)
    _save_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    state_file: Path | None = None

    def __post_init__(self):
        for name in TABLES:
            setattr(self, name, ResultTable() if name == "results" else {})
        for name in LISTS:
            setattr(self, name, [])
        self.api_calls: list[dict] = []

    def record_api_call(self, method: str, endpoint: str, status: int) -> None:
        with self.lock:
            self.api_calls.append({"at": now_iso(), "method": method, "endpoint": endpoint, "status": status})
            if len(self.api_calls) > API_CALLS_KEPT:
                del self.api_calls[: len(self.api_calls) - API_CALLS_KEPT]

    # --- events ---------------------------------------------------------------------------------
    def notify(self, event: str, result: dict) -> None:
        for listener in list(self.listeners):
            listener(self, event, result)

    # --- lookups --------------------------------------------------------------------------------
    def _index(self, table: str, key) -> dict:
        """{key(record): [record ids, oldest first]} over ``state.<table>``, kept up to date cheaply.

        Profiles and enrolments are only ever added (never removed, and the indexed fields never
        change once set), so the rows to index are the ones added since the last call: the last
        ``len(table) - indexed`` keys of the dict. A replaced or shrunk table is indexed afresh;
        lookups still check what they find against the live record. Callers hold ``state.lock``
        or accept a lookup racing a concurrent insert, as a linear scan would.
        """
        rows = getattr(self, table)
        indexes = self.__dict__.setdefault("_indexes", {})
        entry = indexes.get(table)
        if entry is None or entry[0] is not rows or len(rows) < entry[1]:
            entry = indexes[table] = [rows, 0, {}]
        added = len(rows) - entry[1]
        if added:
            index = entry[2]
            for record_id in reversed(list(itertools.islice(reversed(rows), added))):
                index.setdefault(key(rows[record_id]), []).append(record_id)
            entry[1] = len(rows)
        return entry[2]

    def profile_by_email(self, email: str) -> dict | None:
        email = (email or "").strip().lower()
        for profile_id in self._index("profiles", lambda p: p.get("email")).get(email, ()):
            profile = self.profiles.get(profile_id)
            if profile is not None and profile.get("email") == email:
                return profile
        return None

    def find_enrolment(self, profile_id: str, *, interview_id=None, position_id=None) -> dict | None:
        for enrolment_id in self._index("enrolments", lambda e: e.get("profile_id")).get(profile_id, ()):
            enrolment = self.enrolments.get(enrolment_id)
            if enrolment is None or enrolment["profile_id"] != profile_id or enrolment.get("status") == "deleted":
                continue
            if interview_id and enrolment.get("interview_id") == interview_id:
                return enrolment
            if position_id and enrolment.get("position_id") == position_id:
                return enrolment
        return None

    def enrolment_by_token(self, token: str) -> dict | None:
        for enrolment in self.enrolments.values():
            if token and enrolment.get("token") == token:
                return enrolment
        return None

    def live_interview(self, interview_id: str) -> dict | None:
        """The definition with this id unless it is unknown or deleted."""
        interview = self.interviews.get(interview_id or "")
        if interview is None or interview.get("status") == "deleted":
            return None
        return interview

    # --- results --------------------------------------------------------------------------------
    def add_result(self, profile_interview_id: str, **fields) -> dict:
        """Create a result for an enrolment (status draft, coach_status started) and return it.

        ``fields`` override any key of the record (see the module docstring). Denormalised
        candidate/position keys are filled from the enrolment. Does not notify listeners.
        """
        with self.lock:
            enrolment = self.enrolments[profile_interview_id]
            profile = self.profiles.get(enrolment["profile_id"], {})
            interview = self.interviews.get(enrolment.get("interview_id") or "", {})
            position = self.positions.get(enrolment.get("position_id") or "", {})
            stamp = now_iso()
            result = self.results.record({
                "id": new_id(),
                "position_result_id": new_id(),
                "interview_id": enrolment.get("interview_id"),
                "definition_id": enrolment.get("interview_id"),
                "position_id": enrolment.get("position_id"),
                "profile_interview_id": profile_interview_id,
                "profile_id": enrolment["profile_id"],
                "merchant_id": self.config.merchant_id,
                "type": interview.get("type") or "interview",
                "status": "draft",
                "coach_status": "started",
                "processing_status": "new",
                "score": None,
                "score_interview_ai": None,
                "ai_analysis": None,
                "ai_analysis_recruiter": None,
                "ai_analysis_other": {"hiring_reasons": {"reasons_to_hire": [], "reasons_not_to_hire": []}},
                "transcript": [],
                "start": stamp,
                "end": None,
                "duration": None,
                "is_test": bool(enrolment.get("is_test")),
                "recruiter_shortlist": False,
                "decision_status": None,
                "recruiter_go_next_round": None,
                "pdf_export_url": None,
                "candidate_name": profile.get("name"),
                "candidate_email": profile.get("email"),
                "candidate_external_id": profile.get("external_id"),
                "position_name": interview.get("name") or position.get("name"),
                "mojito_language_code": interview.get("mojito_language_code")
                or position.get("mojito_language_code") or "en",
                "created_at": stamp,
                "updated_at": stamp,
                "_charged": False,
            })
            result.update(fields)
            self.results[result["id"]] = result
            return result

    # --- persistence ----------------------------------------------------------------------------
    def snapshot(self) -> dict:
        with self.lock:
            data = {name: getattr(self, name) for name in TABLES + LISTS}
            return json.loads(json.dumps(data))

    def save(self) -> None:
        if not self.state_file:
            return
        with self._save_lock:
            data = self.snapshot()
            self.state_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.state_file.with_name(f"{self.state_file.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            tmp.write_text(json.dumps(data))
            os.replace(tmp, self.state_file)

    def load(self) -> bool:
        if not self.state_file or not self.state_file.exists():
            return False
        data = json.loads(self.state_file.read_text())
        with self.lock:
            for name in TABLES + LISTS:
                if name in data:
                    setattr(self, name, ResultTable(data[name]) if name == "results" else data[name])
        return True


def persist(sandbox) -> None:
    """Save the state file of a sandbox (or a state), when it has one; a failed save is logged."""
    state = getattr(sandbox, "state", sandbox)
    if getattr(state, "state_file", None):
        try:
            state.save()
        except OSError:
            logger.exception("could not save the sandbox state to %s", state.state_file)


# --- wire shapes of a result -------------------------------------------------------------------

def result_row(result: dict) -> dict:
    """The merchant-result-list row of a result (row ``id`` is the position result id)."""
    return {
        "id": result["position_result_id"],
        "interview_result_id": result["id"],
        "interview_result_pre_screening_id": result.get("interview_result_pre_screening_id"),
        "merchant_id": result.get("merchant_id"),
        "profile_id": result.get("profile_id"),
        "profile_interview_id": result.get("profile_interview_id"),
        "definition_id": result.get("definition_id"),
        "candidate_name": result.get("candidate_name"),
        "candidate_email": result.get("candidate_email"),
        "position_name": result.get("position_name"),
        "position_step": "interview",
        "type": result.get("type"),
        "emoji": None,
        "external_id": result.get("candidate_external_id"),
        "mojito_language_code": result.get("mojito_language_code"),
        "status": result.get("status"),
        "coach_status": result.get("coach_status"),
        "decision_status": result.get("decision_status"),
        "interview_started": result.get("start") is not None,
        "is_multi_stage": False,
        "is_test": bool(result.get("is_test")),
        "recruiter_shortlist": bool(result.get("recruiter_shortlist")),
        "recruiter_risks": result.get("recruiter_risks"),
        "duration_ds": result.get("duration"),
        "score": result.get("score"),
        "score_simulation": None,
        "score_sentiment": result.get("score_sentiment"),
        "score_words_per_minute": result.get("score_words_per_minute"),
        "score_interview_ai": result.get("score_interview_ai"),
        "score_answer_ai": result.get("score_answer_ai"),
        "score_pronunciation": None,
        "processing_status": result.get("processing_status"),
        "processing_error": result.get("processing_error"),
        "kyc_processing_status": None,
        "position_result_step_id": result.get("position_result_step_id"),
        "created_at": result.get("created_at"),
        "updated_at": result.get("updated_at"),
    }


TRANSCRIPT_KEYS = (
    "id", "is_answer", "view", "question_original_id", "question_original", "question_asked", "answer",
    "ai_analysis", "ai_analysis_recruiter", "score", "score_simulation", "score_answer_ai",
    "score_answer_ai_simulation", "duration", "mojito_language_code", "answer_assessment_raw_data",
    "recording_local_path", "recording_is_video", "external_data", "external_id",
)


def result_details(result: dict, *, signed_recordings: bool = False, base_url: str = "") -> dict:
    """The job-interview-details body of a result."""
    other = result.get("ai_analysis_other") or {}
    reasons = other.get("hiring_reasons") or {}
    transcript = []
    for item in result.get("transcript") or []:
        row = {key: item.get(key) for key in TRANSCRIPT_KEYS}  # the declared keys, nothing else
        row["is_answer"] = bool(item.get("is_answer"))
        row["id"] = item.get("id") or new_id()
        if signed_recordings:
            row["recording_url"] = None
        transcript.append(row)
    details = {  # exactly the spec's properties: no ids, candidate, result/processing status or pdf URL
        "score": result.get("score"),
        "score_simulation": None,
        "score_text": None if result.get("score") is None else f"{result['score']:.2f}",
        "score_sentiment": result.get("score_sentiment"),
        "score_words_per_minute": result.get("score_words_per_minute"),
        "score_pronunciation": None,
        "score_answer": result.get("score_answer_ai"),
        "status": result.get("coach_status"),
        "start": result.get("start"),
        "end": result.get("end"),
        "duration": result.get("duration"),
        "ai_interview_coverage_percentage": result.get("ai_interview_coverage_percentage"),
        "ai_completion_reason": result.get("ai_completion_reason"),
        "ai_analysis": result.get("ai_analysis"),
        "ai_analysis_recruiter": result.get("ai_analysis_recruiter"),
        "ai_analysis_other": other,
        "ai_analysis_recruiter_why_hire": reasons.get("reasons_to_hire"),
        "ai_analysis_recruiter_why_not_hire": reasons.get("reasons_not_to_hire"),
        "recruiter_risks": result.get("recruiter_risks"),
        "user_feedback_recruiter": None,
        "recording_local_path": None,
        "recording_is_video": None,
        "video_introduction_local_path": None,
        "transcript": transcript,
    }
    if signed_recordings:
        details["recording_url"] = None
        details["video_introduction_url"] = None
    return details
