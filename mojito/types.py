"""What MojitoClient returns besides plain dicts: list pages and the per-row results of the batch
endpoints (a bad row carries its own error; it never raises)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mojito.vocabulary import REGISTER_RESULT_OK, ROW_ERROR_PREFIX

__all__ = ["Page", "RegisterUserRow", "InviteUserRow"]

_MISSING_RESULT = "No result returned for this row"


@dataclass
class Page:
    """One page of a ``merchant-*`` list."""

    data: list[dict]
    total: int
    limit: int
    offset: int
    has_more: bool


def _row_error(result: Any, ok: bool) -> str | None:
    if ok:
        return None
    if isinstance(result, str) and result.startswith(ROW_ERROR_PREFIX.strip()):
        return result[len(ROW_ERROR_PREFIX.strip()):].strip() or "Error"
    return str(result) if result not in (None, "") else _MISSING_RESULT


@dataclass
class RegisterUserRow:
    """One row of job-interview-register-users: ``result`` is "ok" or "Error: <message>"."""

    email: str | None
    name: str | None
    external_id: str | None
    result: str | None
    interview_url: str | None
    profile_interview_id: str | None
    raw: dict = field(repr=False, default_factory=dict)

    @property
    def ok(self) -> bool:
        return isinstance(self.result, str) and self.result.strip().lower() == REGISTER_RESULT_OK

    @property
    def error(self) -> str | None:
        return _row_error(self.result, self.ok)

    @classmethod
    def from_payload(cls, row: dict | None) -> "RegisterUserRow":
        row = row or {}
        return cls(email=row.get("email"), name=row.get("name"), external_id=row.get("external_id"),
                   result=row.get("result"), interview_url=row.get("interview_url"),
                   profile_interview_id=row.get("profile_interview_id"), raw=row)


@dataclass
class InviteUserRow:
    """One row of invite-users: ``result`` is Invited, Activated, ..., Skipped or "Error: <message>"."""

    email: str | None
    name: str | None
    type: str | None
    interview_id: str | None
    result: str | None
    profile_id: str | None
    profile_interview_id: str | None
    raw: dict = field(repr=False, default_factory=dict)

    @property
    def ok(self) -> bool:
        return (isinstance(self.result, str) and bool(self.result.strip())
                and not self.result.startswith(ROW_ERROR_PREFIX.strip()))

    @property
    def error(self) -> str | None:
        return _row_error(self.result, self.ok)

    @classmethod
    def from_payload(cls, row: dict | None) -> "InviteUserRow":
        row = row or {}
        return cls(email=row.get("email"), name=row.get("name"), type=row.get("type"),
                   interview_id=row.get("interview_id"), result=row.get("result"),
                   profile_id=row.get("profile_id"), profile_interview_id=row.get("profile_interview_id"),
                   raw=row)
