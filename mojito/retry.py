"""When the client may send a request again, and how long it waits in between.

The rules (reliability.md 1.3): JobMojito has no idempotency keys, so whether a request may be
repeated depends on the endpoint and its arguments.

* The request never left this process (``ConnectError``, ``ConnectTimeout``, ``PoolTimeout``):
  always safe to send again, whatever the endpoint.
* The request may have reached JobMojito (read timeout, dropped connection, protocol error) or
  JobMojito answered 5xx: sent again only when the call is *repeatable* (a read, or a write that
  JobMojito applies as an upsert). A non-repeatable call that got no answer raises
  ``MojitoOutcomeUnknown``; the caller reconciles (looks the object up) before sending it again.
* 4xx: never sent again.

Waits are exponential with full jitter, ``uniform(0, min(cap, base * 2**(attempt - 1)))``, bounded by
a number of attempts and by a total deadline: the client never sleeps past the deadline and starts
no new attempt after it (an attempt already running still gets its own read timeout).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import httpx

# The request never left: repeating it cannot apply it twice.
NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)

# The request may have been received (and applied) even though no answer came back.
MAYBE_SENT = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
    httpx.CloseError,
    httpx.TimeoutException,  # any other timeout: assume the worst
    httpx.NetworkError,
)

# Failures that stop a request before it is sent and that repeating cannot fix (a bad URL scheme,
# a request httpx cannot encode, a proxy refusing to connect).
NOT_SENT_FATAL = (httpx.UnsupportedProtocol, httpx.LocalProtocolError, httpx.ProxyError)


def _truthy(value) -> bool:
    return value not in (None, "", False)


def is_repeatable(endpoint: str, method: str, payload: dict | None = None) -> bool:
    """Whether sending this call twice has the same effect as sending it once."""
    payload = payload or {}
    if method == "GET":
        return True
    if endpoint in REPEATABLE_WRITES:
        return True
    if endpoint == "invite-users":
        return not _truthy(payload.get("force_invite"))
    if endpoint == "pre-screening-create":
        return _truthy(payload.get("update_position_def_set_id"))
    if endpoint == "job-interview-create-for-candidate-with-token":
        return _truthy(payload.get("position_def_set_id")) or _truthy(payload.get("position_external_id"))
    return False


# Writes that JobMojito applies as a state change or an upsert. job-interview-token only mints a
# signed URL: a second one is as good as the first.
REPEATABLE_WRITES = frozenset({
    "job-interview-set-state",
    "job-interview-register-users",
    "job-interview-pdf",
    "job-interview-token",
})


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 3
    deadline: float = 45.0
    base: float = 0.5
    cap: float = 5.0

    def backoff_delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based): full jitter."""
        return random.uniform(0, min(self.cap, self.base * 2 ** (max(attempt, 1) - 1)))

    def next_delay(self, attempt: int, elapsed: float) -> float | None:
        """The wait before attempt ``attempt + 1``, or None when the call must give up now."""
        if attempt >= self.max_attempts:
            return None
        delay = self.backoff_delay(attempt)
        if elapsed + delay >= self.deadline:
            return None
        return delay
