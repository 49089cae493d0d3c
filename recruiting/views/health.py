"""GET /healthz: can this app serve?

Anyone (a load balancer) gets the status (``ok`` / ``degraded`` / ``down``) and the HTTP code
(503 only when the database is down). The per-check details (database vendor, broker, whether
JobMojito accepts our token) go only to logged-in staff, or to a request whose ``X-Healthz-Token``
header equals ``settings.HEALTHZ_TOKEN`` (for monitoring). The JobMojito check is cached
(``services.health``), so anonymous traffic cannot make the app call JobMojito more than once per
interval.
"""

import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from recruiting.services.health import check_broker, check_database, check_jobmojito

TOKEN_HEADER = "X-Healthz-Token"


def may_see_details(request) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        return True
    expected = getattr(settings, "HEALTHZ_TOKEN", "") or ""
    presented = request.headers.get(TOKEN_HEADER, "")
    return bool(expected and presented and constant_time_compare(presented, expected))


@never_cache
@login_not_required
@require_GET
def healthz(request):
    started = time.monotonic()
    checks = {"database": check_database(), "broker": check_broker(), "jobmojito": check_jobmojito()}
    can_serve = checks["database"]["ok"]
    status = "ok" if all(c["ok"] for c in checks.values()) else ("degraded" if can_serve else "down")
    body = {"status": status}
    if may_see_details(request):
        body.update(checks=checks, duration_ms=round((time.monotonic() - started) * 1000))
    return JsonResponse(body, status=200 if can_serve else 503)
