"""GET /healthz: can this app serve? JSON for the database, the broker and JobMojito."""

import time

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from recruiting.services.health import check_broker, check_database, check_jobmojito


@never_cache
@login_not_required
@require_GET
def healthz(request):
    started = time.monotonic()
    checks = {"database": check_database(), "broker": check_broker(), "jobmojito": check_jobmojito()}
    can_serve = checks["database"]["ok"]
    status = "ok" if all(c["ok"] for c in checks.values()) else ("degraded" if can_serve else "down")
    body = {"status": status, "checks": checks, "duration_ms": round((time.monotonic() - started) * 1000)}
    return JsonResponse(body, status=200 if can_serve else 503)
