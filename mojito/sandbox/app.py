"""The sandbox's WSGI app.

``/functions/v1/<endpoint>`` goes to the API handlers (``mojito.sandbox.api``): optional fault
injection (``mojito.sandbox.faults.inject``, when that module exists; a returned Response is
answered as is), then bearer-token auth, the method check, the handler; the answer waits for the
rest of the modelled latency (``faults.hold``).
Every other path goes to ``mojito.sandbox.web.handle(sandbox, request) -> Response | None`` (the
candidate pages, embed, reports, /sandbox/...), 404 when it answers None or does not exist.
"""

from __future__ import annotations

import importlib
import logging
import time

from mojito.sandbox.api import ENDPOINTS, handler_name
from mojito.sandbox.http import Request, Response
from mojito.sandbox.validation import ApiError

logger = logging.getLogger("mojito.sandbox")

API_PREFIX = "/functions/v1/"

# Endpoints where the reference documents no 401: an unauthenticated caller gets this instead
# (only with SandboxConfig.quirks_500_for_authorization switched on).
UNAUTHENTICATED_QUIRKS = {"invite-users": 422, "knowledge-base-document-upload": 500}

# Endpoints that document 403 for an authenticated caller who may not do this; the others
# document authorization failures as 500 (answered so only with the quirks switch on, else 403).
DOCUMENTED_403 = frozenset({
    "job-interview-token", "job-interview-register-users", "invite-users",
    "job-interview-pre-screening-api-resume-text", "job-interview-pre-screening-api-resume-binary",
    "merchant-avatar-list", "merchant-result-list", "merchant-candidate-list", "merchant-interview-list",
    "merchant-status",
})


def optional_module(name: str):
    """mojito.sandbox.<name> if the runtime half provides it, else None."""
    full = f"mojito.sandbox.{name}"
    try:
        return importlib.import_module(full)
    except ModuleNotFoundError as exc:
        if exc.name == full:
            return None
        raise


class SandboxApp:
    def __init__(self, sandbox):
        self.sandbox = sandbox

    def __call__(self, environ, start_response):
        request = Request.from_environ(environ)
        response = self.dispatch(request)
        return response.wsgi(start_response)

    def dispatch(self, request: Request) -> Response:
        if request.path.startswith(API_PREFIX):
            return self.api(request, request.path[len(API_PREFIX):].strip("/"))
        web = optional_module("web")
        response = web.handle(self.sandbox, request) if web is not None else None
        return response if response is not None else Response.error(404, f"Nothing at {request.path}.")

    # --- the API --------------------------------------------------------------------------------
    def api(self, request: Request, endpoint: str) -> Response:
        response = self._api(request, endpoint)
        self.sandbox.state.record_api_call(request.method, endpoint, response.status)
        return response

    def _api(self, request: Request, endpoint: str) -> Response:
        if endpoint not in ENDPOINTS:
            return Response.error(404, f"Unknown function {endpoint!r}.")
        faults = optional_module("faults")
        if faults is None:
            return self._serve(request, endpoint)
        started = time.monotonic()
        injected = faults.inject(self.sandbox, request, endpoint, started)
        if injected is not None:
            return injected
        try:
            return self._serve(request, endpoint)
        finally:  # the modelled latency counts from the arrival, the sandbox's own work included
            faults.hold(self.sandbox, request, endpoint, started)

    def _serve(self, request: Request, endpoint: str) -> Response:
        family, is_read = ENDPOINTS[endpoint]
        try:
            self.authenticate(request, endpoint)
            allowed = ("GET", "POST") if is_read else ("POST",)
            if request.method not in allowed:
                raise ApiError(405, f"{endpoint} accepts {' or '.join(allowed)}, not {request.method}.")
            module = importlib.import_module(f"mojito.sandbox.api.{family}")
            with self.sandbox.state.lock:  # one API request at a time over the shared tables
                response = getattr(module, handler_name(endpoint))(self.sandbox, request)
        except ApiError as exc:
            return Response.error(exc.status, exc.message, exc.field)
        except Exception as exc:  # the real API answers 500 with the envelope, so does the sandbox
            logger.exception("sandbox %s failed", endpoint)
            return Response.error(500, f"Internal error in the sandbox: {exc.__class__.__name__}: {exc}")
        if not is_read and response.status == 200:
            try:
                self.sandbox.state.save()
            except OSError:
                logger.exception("could not save the sandbox state")
        return response

    def authenticate(self, request: Request, endpoint: str) -> None:
        config = self.sandbox.state.config
        token = request.bearer_token
        entry = config.tokens.get(token) if token else None
        if entry is None:
            message = "Missing bearer token." if not token else "Invalid or expired token."
            status = 401
            if config.quirks_500_for_authorization and endpoint in UNAUTHENTICATED_QUIRKS:
                status = UNAUTHENTICATED_QUIRKS[endpoint]
            raise ApiError(status, message)
        if entry.get("role") == "user":  # authenticated, but not a merchant user
            quirk = config.quirks_500_for_authorization and endpoint not in DOCUMENTED_403
            raise ApiError(500 if quirk else 403, "This account is not allowed to do this: merchant access required.")
        request.context.update(token=token, merchant_id=entry.get("merchant_id") or config.merchant_id,
                               service_key=bool(entry.get("service_key")))
