"""Bulk invites and single invitations."""

from __future__ import annotations

from celery import shared_task

from recruiting.services import candidates as candidate_services
from recruiting.tasks._base import RETRYING, get_or_none, task_name

OLD_MODULE = "recruiting.tasks"


@shared_task(bind=True, name=task_name(OLD_MODULE, "bulk_invite_run"), **RETRYING)
def bulk_invite_run(self, bulk_invite_id: int) -> dict:
    """Send the pending rows of a bulk invite. A redelivered message re-sends rows left "sending".

    A large job recruits helpers in other worker processes (``bulk_invite_help``, see
    ``invitations_send_bulk``); each claims its own chunks, so whichever survives finishes it."""
    from recruiting.services.candidates import invitations_send_bulk

    # A redelivered message means the worker that had it was lost: its "sending" rows are orphans.
    delivery_info = getattr(self.request, "delivery_info", None) or {}
    headers = getattr(self.request, "headers", None) or {}
    reclaim = bool(delivery_info.get("redelivered") or headers.get("redelivered"))
    bulk = invitations_send_bulk(bulk_invite_id=bulk_invite_id, reclaim=reclaim)
    return {"status": bulk.status, "sent": bulk.sent_count, "failed": bulk.failed_count}


@shared_task(name=task_name(OLD_MODULE, "bulk_invite_help"), **RETRYING)
def bulk_invite_help(bulk_invite_id: int, concurrency: int) -> dict:
    """Help a running bulk invite: send pending rows with ``concurrency`` requests in flight."""
    from recruiting.services.candidates import invitations_send_bulk

    bulk = invitations_send_bulk(bulk_invite_id=bulk_invite_id, concurrency=concurrency)
    return {"status": bulk.status, "sent": bulk.sent_count, "failed": bulk.failed_count}


def _send_helper(bulk_invite_id: int, concurrency: int) -> None:
    bulk_invite_help.delay(bulk_invite_id, concurrency)


# Services never import tasks: the bulk engine is handed the way to start a helper.
candidate_services.bulk_helper_sender = _send_helper


@shared_task(name=task_name(OLD_MODULE, "invitation_resend_task"), **RETRYING)
def invitation_resend_task(invitation_id: int) -> None:
    from recruiting.models import Invitation
    from recruiting.services.candidates import invitation_resend

    if invitation := get_or_none(Invitation, invitation_id):
        invitation_resend(invitation=invitation)
