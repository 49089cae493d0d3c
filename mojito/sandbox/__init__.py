"""JobMojito on your machine: the sandbox (see docs/CONTRACTS.md and ARCHITECTURE.md).

    sb = Sandbox(tokens=["sandbox-token"], base_url="http://127.0.0.1:8765", state_file=None,
                 service_keys=(), user_tokens=(), **config_overrides)

``tokens`` are merchant users; ``service_keys`` play the Supabase service-role key (merchant_id
then required on register-users / invite-users); ``user_tokens`` are authenticated non-merchant
users (403, or 500 where the reference documents authorization failures as 500 and
``quirks_500_for_authorization`` is on).
    sb.app          the WSGI app       sb.state       SandboxState
    sb.transport()  httpx.WSGITransport bound to sb.app
    sb.client()     a MojitoClient against it (first token)
    sb.complete(profile_interview_id, outcome="submit", answers=None) -> interview_result_id
    sb.wait_for_webhooks(timeout=10)
    sb.emails(recipient=None, kind=None) -> the emails JobMojito would have sent (mojito.sandbox.outbox)
    sb.close()

Hooks for the runtime half (all optional modules of this package): after construction
``attach(sb)`` (or ``install(sb)``) of ``webhooks`` and ``lifecycle`` is called when defined;
``sb.close()`` calls their ``detach(sb)`` (or ``close(sb)``) and every callable registered with
``sb.on_close(fn)``. ``complete`` delegates to ``lifecycle.complete(sb, profile_interview_id,
outcome=..., answers=...)``, ``wait_for_webhooks`` to ``webhooks.wait_for_webhooks(sb, timeout=...)``
(or ``webhooks.wait``).
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from mojito.sandbox.state import SandboxConfig, SandboxState

__all__ = ["Sandbox", "SandboxConfig", "SandboxState"]

RUNTIME_MODULES = ("webhooks", "lifecycle")


class Sandbox:
    def __init__(self, tokens=("sandbox-token",), base_url: str = "http://127.0.0.1:8765", state_file=None,
                 service_keys=(), user_tokens=(), **config_overrides):
        from mojito.sandbox import seed
        from mojito.sandbox.app import SandboxApp

        known = {f.name for f in fields(SandboxConfig)}
        unknown = set(config_overrides) - known
        if unknown:
            raise TypeError(f"Unknown sandbox setting(s): {', '.join(sorted(unknown))}")
        config = SandboxConfig(base_url=base_url.rstrip("/"), **config_overrides)
        for token in tokens:
            config.tokens[token] = {"merchant_id": config.merchant_id, "service_key": False}
        for token in service_keys:
            config.tokens[token] = {"merchant_id": None, "service_key": True}
        for token in user_tokens:
            config.tokens[token] = {"merchant_id": config.merchant_id, "service_key": False, "role": "user"}
        self.tokens = list(tokens)
        self.state = SandboxState(config=config, state_file=Path(state_file) if state_file else None)
        self.state.load()
        seed.seed(self.state)
        self.app = SandboxApp(self)
        self._closers: list = []
        self._closed = False
        for module in self._runtime_modules():
            attach = getattr(module, "attach", None) or getattr(module, "install", None)
            if attach is not None:
                attach(self)

    @property
    def base_url(self) -> str:
        return self.state.config.base_url

    @property
    def config(self) -> SandboxConfig:
        return self.state.config

    def _runtime_modules(self):
        from mojito.sandbox.app import optional_module

        return [m for m in (optional_module(name) for name in RUNTIME_MODULES) if m is not None]

    def transport(self):
        import httpx

        return httpx.WSGITransport(app=self.app)

    def client(self, token: str | None = None):
        from mojito.client import MojitoClient

        return MojitoClient(self.base_url + "/functions/v1", token or self.tokens[0], transport=self.transport(),
                            record_calls=False)

    def complete(self, profile_interview_id: str, outcome: str = "submit", answers=None) -> str:
        from mojito.sandbox.app import optional_module

        lifecycle = optional_module("lifecycle")
        if lifecycle is None:
            raise NotImplementedError("mojito.sandbox.lifecycle is not available")
        return lifecycle.complete(self, profile_interview_id, outcome=outcome, answers=answers)

    def wait_for_webhooks(self, timeout: float = 10) -> None:
        from mojito.sandbox.app import optional_module

        webhooks = optional_module("webhooks")
        if webhooks is None:
            return None
        wait = getattr(webhooks, "wait_for_webhooks", None) or webhooks.wait
        return wait(self, timeout=timeout)

    def emails(self, *, recipient: str | None = None, kind: str | None = None) -> list[dict]:
        from mojito.sandbox import outbox

        return outbox.emails(self.state, recipient=recipient, kind=kind)

    def on_close(self, fn) -> None:
        self._closers.append(fn)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for module in self._runtime_modules():
            detach = getattr(module, "detach", None) or getattr(module, "close", None)
            if detach is not None:
                detach(self)
        for fn in reversed(self._closers):
            fn()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
