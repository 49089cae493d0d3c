"""The record of every logical call to JobMojito: one ``ApiCall`` row and one INFO log line.

What is kept: endpoint name, method, final status (or none), duration, attempts, outcome and the
error message / field. What is never kept: the token, URLs (query strings can carry ids or text),
request bodies (résumés, files) and response bodies (create and set-state return embed signing keys).

The row is written through its own database connection (``mojito.calllog_db``), so it survives a
rollback of the caller's transaction. Recording must never break a call: without database access (a script without Django, an async
context, a broken transaction, a down database) the row is skipped with a warning.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

logger = logging.getLogger("mojito.client")

ERROR_MAX_CHARS = 1000


@dataclass
class CallOutcome:
    endpoint: str
    method: str
    status_code: int | None = None
    duration_ms: int = 0
    attempts: int = 0
    ok: bool = False
    error: str = ""
    error_field: str = ""
    outcome_unknown: bool = False
    started: float = 0.0  # monotonic clock reading when the call began


def log_call(call: CallOutcome) -> None:
    logger.info(
        "JobMojito %s %s -> %s in %d ms (%d attempt%s)%s",
        call.method,
        call.endpoint,
        call.status_code if call.status_code is not None else "no answer",
        call.duration_ms,
        call.attempts,
        "" if call.attempts == 1 else "s",
        " outcome unknown" if call.outcome_unknown else "",
        extra={
            "mojito_endpoint": call.endpoint,
            "mojito_status": call.status_code,
            "mojito_duration_ms": call.duration_ms,
            "mojito_attempts": call.attempts,
        },
    )


def record_call(call: CallOutcome) -> None:
    """Write the ``ApiCall`` row; on any failure log a warning and return."""
    try:
        from django.db import transaction

        from mojito.calllog_db import calllog_alias
        from mojito.models import ApiCall

        # Its own connection (see mojito.calllog_db), so the row outlives a caller's rollback; the
        # atomic block is a savepoint when that connection is already in a transaction.
        alias = calllog_alias()
        with transaction.atomic(using=alias):
            ApiCall.objects.create(  # routed to the alias by CallLogRouter
                endpoint=call.endpoint[:80],
                method=call.method[:8],
                status_code=call.status_code,
                duration_ms=max(0, call.duration_ms),
                attempts=max(1, call.attempts),
                ok=call.ok,
                error=call.error[:ERROR_MAX_CHARS],
                error_field=call.error_field[:120],
                outcome_unknown=call.outcome_unknown,
            )
    except Exception as exc:  # noqa: BLE001 - the call log is best effort by design
        logger.warning("Could not record the JobMojito call to %s (%s)", call.endpoint, type(exc).__name__)
