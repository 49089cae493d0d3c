"""The emails JobMojito would send, kept in ``state.outbox`` instead of sent.

JobMojito emails candidates when `job-interview-register-users` is called with ``type: "invitation"``
(the cookbook: it "subscribes the user to JobMojito's email chain (invitation, reminders, and
completion notifications)") or ``send_email: true`` (the spec's field), and `invite-users` emails
every person it invites (``force_invite`` re-sends to still-pending people). The sandbox records
each email here; the ``/sandbox/`` overview lists them and ``GET /sandbox/api/outbox`` returns them.

One record: ``{id, kind, recipient, name, interview_id, profile_interview_id, link, message,
language, resent, sent_at}``. ``invitations_sent`` counts the candidate invitations of the current
subscription period (the calendar month, UTC), which merchant-status reports and the invitation
headroom (``invitations_limit`` = 4 x available credits, API reference 6.2) is measured against.
"""

from __future__ import annotations

from datetime import datetime, timezone

from mojito.sandbox.state import new_id, now_iso

INTERVIEW_INVITATION = "interview_invitation"  # register-users with type invitation / send_email
CANDIDATE_INVITATION = "candidate_invitation"  # invite-users, type candidate
TEAM_INVITATION = "team_invitation"  # invite-users, merchant_owner / merchant / merchant_selection
COACHING_INVITATION = "coaching_invitation"  # invite-users, user / mentor
COMPLETION_NOTICE = "completion_notice"  # the email chain's "we received your interview"
KINDS = (INTERVIEW_INVITATION, CANDIDATE_INVITATION, TEAM_INVITATION, COACHING_INVITATION, COMPLETION_NOTICE)
COUNTED = frozenset({INTERVIEW_INVITATION, CANDIDATE_INVITATION})
KIND_LABELS = {
    INTERVIEW_INVITATION: "Interview invitation", CANDIDATE_INVITATION: "Candidate invitation",
    TEAM_INVITATION: "Team invitation", COACHING_INVITATION: "Coaching invitation",
    COMPLETION_NOTICE: "Interview received",
}


def send(state, *, kind: str, recipient: str, name: str | None = None, interview_id: str | None = None,
         profile_interview_id: str | None = None, link: str | None = None, message: str | None = None,
         language: str | None = None, resent: bool = False) -> dict:
    """Record one email (as sent now) and return it."""
    if kind not in KINDS:
        raise ValueError(f"unknown email kind {kind!r}")
    email = {"id": new_id(), "kind": kind, "recipient": recipient, "name": name, "interview_id": interview_id,
             "profile_interview_id": profile_interview_id, "link": link, "message": message,
             "language": language or "en", "resent": resent, "sent_at": now_iso()}
    with state.lock:
        state.outbox.append(email)
    return email


def emails(state, *, recipient: str | None = None, kind: str | None = None) -> list[dict]:
    """The outbox, oldest first, optionally for one recipient (case-insensitive) or kind."""
    wanted = (recipient or "").strip().lower()
    with state.lock:
        return [dict(e) for e in state.outbox
                if (not wanted or (e.get("recipient") or "").lower() == wanted) and (not kind or e.get("kind") == kind)]


def _period_start() -> str:
    now = datetime.now(timezone.utc)
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0).isoformat().replace("+00:00", "Z")


def invitations_sent(state) -> int:
    """Candidate invitation emails sent in this subscription period (merchant-status.invitations_sent)."""
    start = _period_start()
    with state.lock:
        return sum(1 for e in state.outbox if e.get("kind") in COUNTED and (e.get("sent_at") or "") >= start)
