"""The sandbox's own state: plain dict tables keyed by UUID strings, one lock, JSON persistence.

Apart from the app's models on purpose: the sandbox plays JobMojito, whose data the app only
mirrors. Every record is a JSON-serialisable dict shaped like what the API returns, plus private
keys starting with ``_`` (never sent on the wire).

Tables:
    templates      interview_template_id -> avatar template row (merchant-avatar-list shape)
    interviews     interview_def_set_id -> definition (job-interview-get shape, questions included)
    positions      position_def_set_id -> pre-screening position (rules, form fields, interview ids)
    profiles       profile_id -> person {name, email, external_id, linkedin, country_code, ...}
    enrolments     profile_interview_id -> {profile_id, interview_id, status, token, url, attempts...}
    results        interview_result_id -> result (job-interview-details shape + list-row fields)
    prescreenings  interview_result_pre_screening_id -> pre-screening outcome
    knowledge_docs knowledge_base_id -> uploaded document metadata (+ extracted text)
    embeds         embed_id -> {interview_id, embed_signing_key}
    reports        report id -> {result ids, pdf bytes (base64) or html, valid_until}
    credit_ledger  list of ledger rows (merchant-analytics-credits-used shape)
    webhook_deliveries  list of delivery records {id, event, url, payload, attempts: [...], state}

Writers take ``state.lock``. ``state.listeners`` are called as ``listener(state, event, result)``
after a result changes (the webhook dispatcher subscribes there).
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

TABLES = (
    "templates", "interviews", "positions", "profiles", "enrolments", "results", "prescreenings",
    "knowledge_docs", "embeds", "reports",
)
LISTS = ("credit_ledger", "webhook_deliveries")


def new_id() -> str:
    return str(uuid.uuid4())


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


@dataclass
class SandboxConfig:
    """How the sandbox behaves; changeable at run time through the sandbox control endpoint."""

    tokens: dict[str, dict] = field(default_factory=dict)  # token -> {"merchant_id", "service_key": bool}
    merchant_id: str = "00000000-0000-4000-8000-000000000001"
    base_url: str = "http://127.0.0.1:8765"  # where the candidate pages and reports are served
    webhook_urls: list[str] = field(default_factory=list)
    webhook_headers: dict[str, str] = field(default_factory=dict)
    webhook_retry_seconds: float = 60.0  # give up a delivery after this long
    latency_ms: int = 0
    row_latency_ms: int = 0
    fault_rate: float = 0.0  # share of API requests that fail (5xx, timeout or dropped connection)
    fault_kinds: tuple[str, ...] = ("500", "timeout", "drop")
    quirks_500_for_authorization: bool = False  # reproduce the documented 500-for-authorization answers
    credits_interview_monthly: float = 100.0


@dataclass
class SandboxState:
    config: SandboxConfig = field(default_factory=SandboxConfig)
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    listeners: list = field(default_factory=list, repr=False)
    state_file: Path | None = None

    def __post_init__(self):
        for name in TABLES:
            setattr(self, name, {})
        for name in LISTS:
            setattr(self, name, [])

    # --- events ---------------------------------------------------------------------------------
    def notify(self, event: str, result: dict) -> None:
        for listener in list(self.listeners):
            listener(self, event, result)

    # --- persistence ----------------------------------------------------------------------------
    def snapshot(self) -> dict:
        with self.lock:
            data = {name: getattr(self, name) for name in TABLES + LISTS}
            return json.loads(json.dumps(data))

    def save(self) -> None:
        if not self.state_file:
            return
        data = self.snapshot()
        tmp = self.state_file.with_suffix(".tmp")
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data))
        os.replace(tmp, self.state_file)

    def load(self) -> bool:
        if not self.state_file or not self.state_file.exists():
            return False
        data = json.loads(self.state_file.read_text())
        with self.lock:
            for name in TABLES + LISTS:
                if name in data:
                    setattr(self, name, data[name])
        return True
