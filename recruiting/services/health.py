"""Health checks behind GET /healthz: the database, the broker, JobMojito reachability."""

from __future__ import annotations

import os
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from mojito.errors import AuthenticationFailed, MojitoAPIError, MojitoError
from recruiting.services.client import get_probe_client

JOBMOJITO_CACHE_KEY = "healthz:jobmojito"
JOBMOJITO_CACHE_SECONDS = 30


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # any database failure means we cannot serve
        return {"ok": False, "vendor": connection.vendor, "error": exc.__class__.__name__}


def check_broker() -> dict:
    if not settings.REDIS_URL:
        folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]
        try:
            os.makedirs(folder, exist_ok=True)
            ok = os.access(folder, os.W_OK)
        except OSError:
            ok = False
        return {"ok": ok, "kind": "embedded"} if ok else {"ok": False, "kind": "embedded", "error": "broker folder not writable"}
    from kombu import Connection

    try:
        with Connection(settings.REDIS_URL, connect_timeout=2, transport_options={"socket_timeout": 2}) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return {"ok": True, "kind": "redis"}
    except Exception as exc:  # unreachable broker: background work stalls
        return {"ok": False, "kind": "redis", "error": exc.__class__.__name__}


def check_jobmojito() -> dict:
    """Is JobMojito answering? Cached briefly so health probes do not hammer the API."""
    cached = cache.get(JOBMOJITO_CACHE_KEY)
    if cached is not None:
        return cached
    started = time.monotonic()
    try:
        get_probe_client().get_merchant_status()
        result = {"ok": True}
    except AuthenticationFailed:
        result = {"ok": False, "error": "JobMojito rejected the API token (401)"}
    except MojitoAPIError as exc:
        result = {"ok": False, "error": f"JobMojito answered {exc.status_code}"}
    except MojitoError as exc:
        result = {"ok": False, "error": f"JobMojito unreachable ({exc.__class__.__name__})"}
    result["duration_ms"] = round((time.monotonic() - started) * 1000)
    cache.set(JOBMOJITO_CACHE_KEY, result, JOBMOJITO_CACHE_SECONDS)
    return result
