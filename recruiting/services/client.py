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
_transport = None


def build_client(*, transport=None, **overrides) -> MojitoClient:
    base_url = overrides.pop("base_url", settings.MOJITO_API_BASE_URL)
    token = overrides.pop("token", settings.MOJITO_API_TOKEN)
    if not base_url:
        raise ImproperlyConfigured("Set MOJITO_API_BASE_URL to JobMojito's base URL (or the sandbox's).")
    if not token:
        raise ImproperlyConfigured("Set MOJITO_API_TOKEN to your JobMojito API token.")
    return MojitoClient(base_url, token, transport=transport, **overrides)


def get_client() -> MojitoClient:
    global _client
    with _lock:
        if _client is None:
            _client = build_client(transport=_transport)
        return _client


def use_transport(transport) -> MojitoClient:
    """Route every service call through ``transport`` (tests, scripts). Returns the new client."""
    global _transport, _client
    with _lock:
        if _client is not None:
            _client.close()
        _transport = transport
        _client = build_client(transport=transport)
        return _client


def reset_client() -> None:
    global _transport, _client
    with _lock:
        if _client is not None:
            _client.close()
        _transport = None
        _client = None
