"""The address a request came from, as the app's rate limits count it.

Behind ``DJANGO_TRUSTED_PROXY_COUNT`` reverse proxies, each proxy appends the address it saw to
``X-Forwarded-For``; the client is the Nth entry from the right (entries further left were sent by
the client and cannot be trusted). Without proxies it is ``REMOTE_ADDR``.
"""

from __future__ import annotations

from django.conf import settings


def client_address(request) -> str:
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote  # fewer hops than configured: not through our proxies
    return forwarded[-proxies]
