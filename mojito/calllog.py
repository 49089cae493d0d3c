"""The record of every logical call to JobMojito: one ``ApiCall`` row and one INFO log line.

What is kept: endpoint name, method, final status (or none), duration, attempts, outcome and the
error message / field. What is never kept: the token, URLs (query strings can carry ids or text),
request bodies (résumés, files) and response bodies (create and set-state return embed signing keys).

The row is written through its own database connection (``mojito.calllog_db``), so it survives a
rollback of the caller's transaction. A thread may hand its rows to a ``CallLogBuffer`` instead
(``buffered``), for another thread to write many at once. Recording must never break a call: without database access (a script without Django, an async
context, a broken transaction, a down database) the row is skipped with a warning.
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
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
    """Write the ``ApiCall`` row (or hand it to this thread's ``CallLogBuffer``, see ``buffered``);
    on any failure log a warning and return."""
    buffer = getattr(_local, "buffer", None)
    if buffer is not None:
        buffer.add(call)
        return
    _write([call])


def _fields(call: CallOutcome) -> dict:
    return dict(
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


def _write(calls: list[CallOutcome]) -> None:
    try:
        from django.db import transaction

        from mojito.calllog_db import calllog_alias
        from mojito.models import ApiCall

        # Its own connection (see mojito.calllog_db), so the row outlives a caller's rollback; the
        # atomic block is a savepoint when that connection is already in a transaction.
        alias = calllog_alias()
        with transaction.atomic(using=alias):
            if len(calls) == 1:  # routed to the alias by CallLogRouter
                ApiCall.objects.create(**_fields(calls[0]))
            else:
                ApiCall.objects.bulk_create([ApiCall(**_fields(call)) for call in calls])
    except Exception as exc:  # noqa: BLE001 - the call log is best effort by design
        logger.warning("Could not record %d JobMojito call(s) to %s (%s)", len(calls),
                       ", ".join(sorted({call.endpoint for call in calls})), type(exc).__name__)


_local = threading.local()


class CallLogBuffer:
    """The calls of several threads, written together by whoever calls ``flush``.

    For threads that only make requests while another thread does the writes (the bulk engine's
    senders): each call costs its thread no transaction of its own, and the rows of the calls made
    meanwhile go into one INSERT. Rows not flushed when the process dies are lost, as a row whose
    write failed is: the call log is best effort.
    """

    def __init__(self):
        self._calls: list[CallOutcome] = []
        self._lock = threading.Lock()

    def add(self, call: CallOutcome) -> None:
        with self._lock:
            self._calls.append(call)

    def flush(self) -> int:
        """Write the calls gathered so far (in this thread, one transaction) -> how many."""
        with self._lock:
            calls, self._calls = self._calls, []
        if calls:
            _write(calls)
        return len(calls)


@contextmanager
def buffered(buffer: CallLogBuffer):
    """Within the block, this thread's calls go to ``buffer`` instead of the database."""
    previous = getattr(_local, "buffer", None)
    _local.buffer = buffer
    try:
        yield buffer
    finally:
        _local.buffer = previous
