"""The JobMojito response contract, strict: what the spec declares and nothing else.

``strict_schema`` turns a response schema of tests/fixtures/jobmojito-spec-core.json into one where
every object forbids properties it does not declare (the spec often leaves ``additionalProperties``
open; the real API still sends only what it documents, so the app must not need more).
``DOCUMENTED_EXTRAS`` lists the few extra properties the API reference documents from another
source, each with its citation.

``ContractTransport`` wraps the sandbox's transport: every answer of a ``/functions/v1/<endpoint>``
is validated against the strict schema of its status, and each violation is kept in
``violations`` (the suite's ``sandbox`` fixture fails a test that saw one).
"""

from __future__ import annotations

import copy
import json
import threading
from pathlib import Path

import httpx
import jsonschema

SPEC = json.loads((Path(__file__).parent / "fixtures" / "jobmojito-spec-core.json").read_text())
ENDPOINTS = SPEC["endpoints"]

# (endpoint, JSON path of the object) -> extra properties allowed there, with where they are documented.
DOCUMENTED_EXTRAS: dict[tuple[str, str], set[str]] = {
    # API reference 2.8 (job-interview-register-users): "The cookbook example also shows
    # `profile_interview_id` per row."
    ("job-interview-register-users", "[]"): {"profile_interview_id"},
}


def _is_object(schema: dict) -> bool:
    kind = schema.get("type")
    return kind == "object" or (isinstance(kind, list) and "object" in kind) or "properties" in schema


def strict_schema(schema, endpoint: str, path: str = ""):
    """A copy of ``schema`` whose objects forbid undeclared properties (except documented extras)."""
    if isinstance(schema, list):
        return [strict_schema(item, endpoint, path) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = copy.copy(schema)
    if "properties" in out:
        out["properties"] = {key: strict_schema(value, endpoint, f"{path}.{key}")
                             for key, value in out["properties"].items()}
    if "items" in out:
        out["items"] = strict_schema(out["items"], endpoint, f"{path}[]")
    for key in ("anyOf", "oneOf", "allOf"):
        if key in out:
            out[key] = [strict_schema(s, endpoint, path) for s in out[key]]
    if _is_object(out) and "properties" in out:
        extras = DOCUMENTED_EXTRAS.get((endpoint, path), set())
        out["additionalProperties"] = False
        if extras:
            out["properties"] = {**out["properties"], **{name: {} for name in extras}}
    return out


ERROR_ENVELOPE = strict_schema(ENDPOINTS["job-interview-details"]["responses"]["404"], "error")
STRICT = {(endpoint, status): strict_schema(schema, endpoint)
          for endpoint, spec in ENDPOINTS.items() for status, schema in spec["responses"].items()}


def violations_of(endpoint: str, status: int, body) -> list[str]:
    """What is wrong with one answer ([] when it is what the spec declares)."""
    schema = STRICT.get((endpoint, str(status)))
    if schema is None and status >= 400:
        # An error status the spec does not list for this endpoint (the sandbox answers 404 where the
        # reference documents a 500-for-everything quirk, behind a switch): the body is still the
        # one error envelope every endpoint uses.
        schema = ERROR_ENVELOPE
    if schema is None:
        return [f"{endpoint}: status {status} is not declared by the spec"]
    validator = jsonschema.Draft202012Validator(schema)
    return [f"{endpoint} {status} at /{'/'.join(map(str, error.absolute_path))}: {error.message}"
            for error in validator.iter_errors(body)]


class ContractTransport(httpx.BaseTransport):
    """Forwards to ``inner`` and checks every JobMojito API answer against the strict contract."""

    def __init__(self, inner: httpx.BaseTransport):
        self.inner = inner
        self.violations: list[str] = []
        self.checked = 0
        self.endpoints: set[str] = set()
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        prefix, _, endpoint = request.url.path.rpartition("/")
        if not prefix.endswith("/functions/v1") or endpoint not in ENDPOINTS:
            return response
        response.read()
        if "json" not in response.headers.get("content-type", ""):
            problems = [f"{endpoint} {response.status_code}: not JSON ({response.headers.get('content-type')})"]
        else:
            problems = violations_of(endpoint, response.status_code, response.json())
        with self._lock:
            self.checked += 1
            self.endpoints.add(endpoint)
            self.violations.extend(problems)
        return response

    def close(self) -> None:
        self.inner.close()


class ContractCheck:
    """Route every ``sb.transport()`` of a sandbox through a ContractTransport; ``failures()`` lists
    what they saw off the contract (used by the ``sandbox`` and ``sb`` fixtures)."""

    def __init__(self, sb):
        self.transports: list[ContractTransport] = []
        plain = sb.transport

        def checked():
            transport = ContractTransport(plain())
            self.transports.append(transport)
            return transport

        sb.transport = checked
        sb.contract = self

    @property
    def checked(self) -> int:
        return sum(t.checked for t in self.transports)

    @property
    def endpoints(self) -> set[str]:
        return {e for t in self.transports for e in t.endpoints}

    def violations(self) -> list[str]:
        return sorted({v for t in self.transports for v in t.violations})

    def fail_on_violations(self) -> None:
        import pytest

        found = self.violations()
        if found:
            pytest.fail("Sandbox answers off the JobMojito contract:\n" + "\n".join(found[:40]), pytrace=False)
