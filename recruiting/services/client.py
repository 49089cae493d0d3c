"""The one MojitoClient of this process, built from settings.

Services call ``get_client()``; tests swap the transport with ``use_transport`` (an in-process
sandbox or an ``httpx.MockTransport``) and restore it with ``reset_client``.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from mojito.client import MojitoClient

_lock = threading.Lock()
_client: MojitoClient | None = None
_probe_client: MojitoClient | None = None
_transport = None

# A health probe must answer fast: one attempt, short timeouts.
PROBE_OPTIONS = {"max_attempts": 1, "connect_timeout": 2.0, "read_timeout": 5.0, "retry_deadline": 5.0}


def build_client(*, transport=None, **overrides) -> MojitoClient:
    base_url = overrides.pop("base_url", settings.MOJITO_API_BASE_URL)
    token = overrides.pop("token", settings.MOJITO_API_TOKEN)
    if not base_url:
        raise ImproperlyConfigured("Set MOJITO_API_BASE_URL to JobMojito's base URL (or the sandbox's).")
    if not token:
        raise ImproperlyConfigured("Set MOJITO_API_TOKEN to your JobMojito API token.")
    options = {
        "connect_timeout": settings.MOJITO_CONNECT_TIMEOUT,
        "read_timeout": settings.MOJITO_READ_TIMEOUT,
        "ai_read_timeout": settings.MOJITO_AI_READ_TIMEOUT,
        "max_attempts": settings.MOJITO_MAX_ATTEMPTS,
        "retry_deadline": settings.MOJITO_RETRY_DEADLINE,
    }
    options.update(overrides)
    return MojitoClient(base_url, token, transport=transport, **options)


def get_client() -> MojitoClient:
    global _client
    with _lock:
        if _client is None:
            _client = build_client(transport=_transport)
        return _client


def get_probe_client() -> MojitoClient:
    """A client for health probes: one attempt, short timeouts, no retries."""
    global _probe_client
    with _lock:
        if _probe_client is None:
            _probe_client = build_client(transport=_transport, **PROBE_OPTIONS)
        return _probe_client


def _close_all() -> None:
    global _client, _probe_client
    for existing in (_client, _probe_client):
        if existing is not None:
            existing.close()
    _client = _probe_client = None


def use_transport(transport) -> MojitoClient:
    """Route every service call through ``transport`` (tests, scripts). Returns the new client."""
    global _transport, _client
    with _lock:
        _close_all()
        _transport = transport
        _client = build_client(transport=transport)
        return _client


def reset_client() -> None:
    global _transport
    with _lock:
        _close_all()
        _transport = None
