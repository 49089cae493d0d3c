"""JobMojito failures for view tests, from the sandbox's own switches where it has one.

    faults = MojitoFaults(sandbox, settings)   # one attempt per call, so failures come back at once
    faults.refuse_token()        401: the app's MOJITO_API_TOKEN is no longer known to the sandbox
    faults.forbid_token()        403: the token belongs to a user who is not a merchant
    faults.server_error()        5xx: every API request answers 500 (fault_rate=1, fault_kinds=("500",))
    faults.timeout()             no answer: the sandbox drops the connection (fault kind "drop")
    faults.answer(endpoint, status, message, field)   one crafted answer (409, or a 422 naming a field)
    faults.outcome_unknown(endpoint)  the create is sent nowhere and never answered, twice, so the
                                      service's look-up-then-resend gives up with MojitoOutcomeUnknown
"""

from __future__ import annotations

import httpx

from recruiting.services import client as client_service


class _Scripted(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport):
        self.inner = inner
        self.script: dict[str, list] = {}
        self.endpoints: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        endpoint = request.url.path.rsplit("/", 1)[-1]
        self.endpoints.append(endpoint)
        actions = self.script.get(endpoint) or []
        action = actions.pop(0) if actions else None
        if action == "timeout":
            raise httpx.ReadTimeout("injected: no answer", request=request)
        if isinstance(action, tuple):
            status, body = action
            return httpx.Response(status, json=body, request=request)
        return self.inner.handle_request(request)


class MojitoFaults:
    def __init__(self, sandbox, settings):
        self.sandbox = sandbox
        self.token = settings.MOJITO_API_TOKEN
        settings.MOJITO_MAX_ATTEMPTS = 1
        self.transport = _Scripted(sandbox.transport())
        client_service.use_transport(self.transport)

    def refuse_token(self):
        self.sandbox.state.config.tokens.pop(self.token)

    def forbid_token(self):
        self.sandbox.state.config.tokens[self.token]["role"] = "user"

    def server_error(self):
        self.sandbox.state.config.fault_rate = 1.0
        self.sandbox.state.config.fault_kinds = ("500",)

    def timeout(self):
        self.sandbox.state.config.fault_rate = 1.0
        self.sandbox.state.config.fault_kinds = ("drop",)

    def answer(self, endpoint: str, status: int, message: str, field: str | None = None):
        body = {"error": message, **({"name": field} if field else {})}
        self.transport.script.setdefault(endpoint, []).append((status, body))

    def outcome_unknown(self, endpoint: str):
        self.transport.script.setdefault(endpoint, []).extend(["timeout", "timeout"])

    def calls(self, endpoint: str) -> int:
        return self.transport.endpoints.count(endpoint)
