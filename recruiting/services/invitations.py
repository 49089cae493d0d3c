"""The invite workflow of the dashboard: a CSV becomes a previewed bulk invite, the recruiter confirms
it (delivery, test mode), and the background job sends it (``recruiting.services.candidates``).

    bulk = bulk_invite_preview_from_csv(interview=..., csv_file=upload)   # status "preview", nothing sent
    bulk_invite_confirm(bulk=bulk, delivery="email", is_test=False)       # -> "queued"; then enqueue the task
    bulk_invite_discard(bulk=bulk)                                        # a preview the recruiter drops
    invitation_allowance()                                                # merchant-status: headroom and credits

A preview keeps every row: good rows are ``pending``; rows the file gets wrong are ``invalid``;
repeats within the file and people already invited to this interview are ``duplicate``, each with
its reason. Only ``pending`` rows are ever sent.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from recruiting.models import BulkInvite, BulkInviteRow, Interview, Invitation
from recruiting.services.candidates import (
    _csv_cell,
    _refresh_counts,
    bulk_invite_create_from_csv,
    candidates_invite,
    candidates_register,
)
from recruiting.services.merchant import merchant_status_get

INVITED_STATES = (Invitation.DeliveryState.REGISTERED, Invitation.DeliveryState.INVITED)


class BulkInviteNotInPreview(ValueError):
    """The bulk invite was already confirmed (or discarded): nothing to do twice."""


def bulk_invite_preview_from_csv(*, interview: Interview, csv_file, created_by=None,
                                 file_name: str | None = None) -> BulkInvite:
    """Parse the file into a BulkInvite in the ``preview`` status (never sent until confirmed).

    Raises ``BulkCsvError`` when the file as a whole is unusable.
    """
    with transaction.atomic():
        bulk = bulk_invite_create_from_csv(interview=interview, csv_file=csv_file, created_by=created_by,
                                           file_name=file_name)
        BulkInvite.objects.filter(pk=bulk.pk).update(status=BulkInvite.Status.PREVIEW)
        _flag_already_invited(bulk)
        _refresh_counts(bulk.pk)
    bulk.refresh_from_db()
    return bulk


def _flag_already_invited(bulk: BulkInvite) -> int:
    """Mark pending rows whose person is already invited to this interview as duplicates."""
    pending = BulkInviteRow.objects.filter(bulk=bulk, state=BulkInviteRow.State.PENDING)
    invited = set(Invitation.objects.filter(
        interview_id=bulk.interview_id, delivery_state__in=INVITED_STATES,
        candidate__normalised_email__in=pending.values("normalised_email"),
    ).values_list("candidate__normalised_email", flat=True))
    rows = list(pending.filter(normalised_email__in=invited))
    for row in rows:
        row.state = BulkInviteRow.State.DUPLICATE
        row.error = f"Line {row.line_number}: {row.email} is already invited to this interview."
    BulkInviteRow.objects.bulk_update(rows, ["state", "error"], batch_size=500)
    return len(rows)


def bulk_invite_confirm(*, bulk: BulkInvite, delivery: str, is_test: bool = False,
                        message_from_recruiter: str = "") -> BulkInvite:
    """Move a preview to ``queued`` with the recruiter's choices. The caller enqueues
    ``bulk_invite_run`` in the same transaction. Raises ``BulkInviteNotInPreview`` the second time."""
    if delivery not in BulkInvite.Delivery.values:
        raise ValueError(f"Unknown delivery {delivery!r}.")
    by_email = delivery == BulkInvite.Delivery.EMAIL
    if by_email and is_test:
        raise ValueError("Test mode works only with links: JobMojito's email invitations have no test mode.")
    now = timezone.now()
    moved = BulkInvite.objects.filter(pk=bulk.pk, status=BulkInvite.Status.PREVIEW).update(
        status=BulkInvite.Status.QUEUED, delivery=delivery, send_email=by_email, is_test=is_test,
        message_from_recruiter=message_from_recruiter if by_email else "", updated_at=now)
    if not moved:
        raise BulkInviteNotInPreview("This bulk invite was already sent.")
    bulk.refresh_from_db()
    return bulk


def bulk_invite_discard(*, bulk: BulkInvite) -> None:
    """Delete a preview that was never confirmed (a confirmed job is history and stays)."""
    deleted, _ = BulkInvite.objects.filter(pk=bulk.pk, status=BulkInvite.Status.PREVIEW).delete()
    if not deleted:
        raise BulkInviteNotInPreview("This bulk invite was already sent; it cannot be discarded.")


def bulk_invite_errors_file(bulk: BulkInvite) -> str:
    """The invalid, duplicate and failed rows with the file's own columns and the reason, in file
    order: ``line,name,email,external_id,reason``. It can be fixed and uploaded again as it is
    (the parser ignores the line and reason columns)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["line", "name", "email", "external_id", "reason"])
    State = BulkInviteRow.State
    rows = (BulkInviteRow.objects.filter(bulk=bulk, state__in=[State.INVALID, State.DUPLICATE, State.FAILED])
            .order_by("line_number").values_list("line_number", "name", "email", "external_id", "state", "error"))
    for line, name, email, external_id, state, error in rows.iterator(chunk_size=1000):
        writer.writerow([line, _csv_cell(name), _csv_cell(email), _csv_cell(external_id),
                         _csv_cell(error or state)])
    return out.getvalue()


def bulk_invite_state_counts(bulk: BulkInvite) -> dict[str, int]:
    """Rows per state in one query (pending and sending included: the stored counters skip them)."""
    State = BulkInviteRow.State
    counts = BulkInviteRow.objects.filter(bulk=bulk).aggregate(
        **{state: Count("id", filter=Q(state=state)) for state in State.values})
    return {state: counts.get(state) or 0 for state in State.values}


# --- the merchant's allowance -----------------------------------------------------------------


@dataclass(frozen=True)
class InvitationAllowance:
    """What merchant-status says about sending invitations now (None = not reported / unlimited)."""

    invitations_available: int | None
    invitations_limit: int | None
    invitations_sent: int | None
    credits_available: float | None
    subscription_type: str

    @property
    def unlimited(self) -> bool:
        return self.invitations_limit is None


def _number(value, kind=float):
    try:
        return kind(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def invitation_allowance() -> InvitationAllowance:
    """merchant-status as the invite preview needs it, fresh (``merchant_status_get``: one attempt,
    short timeouts, so the page never hangs on it). Raises ``MojitoError`` when JobMojito fails."""
    answer = merchant_status_get(refresh=True)
    if not answer.ok:
        raise answer.error
    status = answer.data
    credit_keys = ("credits_interview_monthly", "credits_interview_extra", "credits_interview_single")
    credits = [_number(status.get(key)) for key in credit_keys]
    known = [c for c in credits if c is not None]
    return InvitationAllowance(
        invitations_available=_number(status.get("invitations_available"), int),
        invitations_limit=_number(status.get("invitations_limit"), int),
        invitations_sent=_number(status.get("invitations_sent"), int),
        credits_available=round(sum(known), 2) if known else None,
        subscription_type=str(status.get("subscription_type") or ""),
    )


# --- one person ---------------------------------------------------------------------------------


def invitation_send_one(*, interview: Interview, email: str, name: str = "", external_id: str = "",
                        delivery: str = BulkInvite.Delivery.LINKS, is_test: bool = False,
                        message_from_recruiter: str = "") -> Invitation:
    """Invite one person now: register-users (a link comes back) or invite-users (JobMojito emails).

    A row error comes back as an Invitation with ``delivery_state=failed`` and ``last_error``; a
    request-level error is recorded on the Invitation and raised (``MojitoError``).
    """
    if delivery == BulkInvite.Delivery.EMAIL:
        if is_test:
            raise ValueError("Test mode works only with links: JobMojito's email invitations have no test mode.")
        return candidates_invite(interview=interview, people=[{"email": email, "name": name}],
                                 message_from_recruiter=message_from_recruiter or None)[0]
    return candidates_register(interview=interview, email=email, name=name, external_id=external_id,
                               is_test=is_test or None)
