"""What to do when a create call may or may not have been applied (``MojitoOutcomeUnknown``).

JobMojito has no idempotency keys and does not de-duplicate creates by name (API reference 1.8),
so a create that was sent but got no answer must not be sent again blindly: first look the object
up. For interviews that means paging ``merchant-interview-list`` filtered by the exact name, for
rows created shortly before the call that this app does not already know; one found is adopted,
none found means the create never landed and it is safe to send it once more.

``create_once(send, find)`` runs that dance and reports what happened in a ``CreateOutcome``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from mojito.errors import MojitoOutcomeUnknown
from recruiting.models import Interview
from recruiting.services.client import get_client
from recruiting.services.upserts import parse_remote_datetime

logger = logging.getLogger("recruiting.reconcile")  # the name operators filter on

CREATED = "created"
ADOPTED = "adopted after outcome unknown"
RESENT = "sent again after outcome unknown (not found remotely)"


@dataclass
class CreateOutcome:
    answer: dict
    how: str = CREATED
    detail: str = ""

    @property
    def reconciled(self) -> bool:
        return self.how != CREATED

    def record(self) -> dict:
        """What to keep in the mirror's ``raw`` so an operator can see what happened."""
        if not self.reconciled:
            return {}
        return {"local_reconciliation": {"how": self.how, "detail": self.detail,
                                         "at": timezone.now().isoformat()}}


def lookup_window() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "MOJITO_RECONCILE_WINDOW_SECONDS", 300)))


def interview_find_recent(*, name: str, since: dt.datetime, type: str | None = None,  # noqa: A002
                          client=None) -> dict | None:
    """The newest merchant-interview-list row named exactly ``name``, created at or after ``since``,
    whose id this app does not know yet (None when there is none)."""
    client = client or get_client()
    filters = {"filter_text": name}
    if type:
        filters["type"] = type
    matches = []
    for row in client.iter_all(client.list_interviews, **filters):
        if (row.get("name") or "") != name or not row.get("id"):
            continue
        created = parse_remote_datetime(row.get("created_at"))
        if created is not None and created < since:
            continue
        matches.append((created or since, row))
    if not matches:
        return None
    known = set(Interview.objects.filter(mojito_id__in=[row["id"] for _, row in matches])
                .values_list("mojito_id", flat=True))
    fresh = [(created, row) for created, row in matches if row["id"] not in known]
    if not fresh:
        return None
    fresh.sort(key=lambda pair: pair[0], reverse=True)
    return fresh[0][1]


def create_once(send: Callable[[], dict], find: Callable[[dt.datetime], dict | None], *,
                what: str) -> CreateOutcome:
    """Send a non-repeatable create; on an unknown outcome, look it up before sending it again.

    ``find(since)`` returns the answer-shaped dict of an object created since ``since``, or None.
    A second unknown outcome propagates (the caller shows it; nothing is sent a third time).
    """
    started = timezone.now()
    try:
        return CreateOutcome(send())
    except MojitoOutcomeUnknown as exc:
        logger.warning("%s: outcome unknown (%s); looking it up before sending again", what, exc.message)
        since = started - lookup_window()
        found = find(since)
        if found is not None:
            logger.warning("%s: found it remotely, adopting %s", what, found)
            return CreateOutcome(found, ADOPTED, f"{exc.message} Found remotely and adopted.")
        logger.warning("%s: not found remotely; sending it once more", what)
        return CreateOutcome(send(), RESENT, f"{exc.message} Not found remotely; sent once more.")
