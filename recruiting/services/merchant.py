"""The merchant's snapshot from JobMojito (merchant-status): credits and invitation headroom.

Fetched with the probe client (one attempt, short timeouts: a dashboard card must not hang the
page) and cached for ``MERCHANT_STATUS_CACHE_SECONDS`` (default 60 s). Failures are not cached
(the probe's short timeouts bound the wait); the error goes back to the caller to put into words.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from mojito.errors import MojitoError
from recruiting.services.client import get_probe_client

CACHE_KEY = "recruiting:merchant-status"


@dataclass
class MerchantStatus:
    ok: bool
    data: dict
    error: MojitoError | None = None


def merchant_status_cached() -> MerchantStatus | None:
    """The cached answer only (no call): pages render with it and load the rest lazily."""
    return cache.get(CACHE_KEY)


def merchant_status_get(*, refresh: bool = False) -> MerchantStatus:
    """The cached merchant-status answer, or ``ok=False`` with the error when JobMojito failed."""
    cached = None if refresh else cache.get(CACHE_KEY)
    if cached is not None:
        return cached
    try:
        data = get_probe_client().get_merchant_status() or {}
    except MojitoError as exc:
        return MerchantStatus(False, {}, exc)
    status = MerchantStatus(True, data)
    cache.set(CACHE_KEY, status, int(getattr(settings, "MERCHANT_STATUS_CACHE_SECONDS", 60)))
    return status
