"""No stricter than the spec: every value the spec's request schemas document as valid is accepted.

For each endpoint of tests/fixtures/jobmojito-spec-core.json the walker takes the reference's
valid example request (``valid_request``) and, one field at a time (nested objects and array
items included), puts in each value the schema documents: every enum member, null where the type
allows it, both booleans, both ends of a range and a fraction for ``number``, each branch of an
``anyOf``, an arbitrary text for a plain string, and leaving out an optional field. The sandbox
may then answer anything but a 422 that names the field it was given (or a 5xx): a refused
documented value is a bug.

A plain string may still be refused where the reference documents a check the JSON Schema
cannot express (an id that must exist, an email that must be an email); those fields are listed
in ``SEMANTIC`` with the reason, and only their arbitrary-text case is skipped. Likewise a
documented conditional requirement (``CONDITIONAL``) may refuse a null that the schema alone allows.
"""

from __future__ import annotations

import copy
import re

import pytest

from .test_contract import ENDPOINTS, api, build_world, call, valid_request

ANY_TEXT = "Any text, even an undocumented value"

SEMANTIC = {
    # ids: the reference documents 404/422 "not found" for an id that does not resolve
    re.compile(r"(^|\.)[a-z_]+_id$"): "an id must name an existing object",
    # emails: validated per the reference (register/invite rows, pre-screening "trimmed lowercase")
    re.compile(r"(^|\.)(email|candidate_email)$"): "the reference validates email addresses",
    # knowledge-base upload: file is the document itself (base64 in JSON)
    re.compile(r"^file$"): "the file content, not a free string",
}


CONDITIONAL = {
    ("job-interview-set-state", "status"): "2.7: provide at least one of status / is_embedded",
    **{("pre-screening-create", field): "2.23 and the cookbook: required when creating (no update id)"
       for field in ("position_name", "position_location", "position_country_code", "mojito_language_code")},
    ("job-interview-pre-screening-api-resume-binary", "form"): "1.10: form is a JSON-encoded object in a string",
    ("job-interview-pdf", "interview_result_id"): "2.16: one of interview_result_id / interview_result_ids",
    ("job-interview-token", "interview_result_id"): "2.8: required for the result types",
}


def _types(schema: dict) -> list[str]:
    kind = schema.get("type")
    return [kind] if isinstance(kind, str) else list(kind or [])


def minimal(schema: dict):
    """A small valid value for a schema: required properties filled with their first documented value."""
    if "enum" in schema:
        return next(v for v in schema["enum"] if v is not None) if any(
            v is not None for v in schema["enum"]) else None
    if "anyOf" in schema:
        return minimal(schema["anyOf"][0])
    types = _types(schema)
    if "object" in types:
        return {key: minimal(schema["properties"][key]) for key in schema.get("required") or []
                if key in schema.get("properties", {})}
    if "array" in types:
        return []
    if "boolean" in types:
        return True
    if "integer" in types or "number" in types:
        return schema.get("minimum", 1)
    if "string" in types:
        return "x" * max(1, schema.get("minLength") or 1)
    return None


def variants(schema: dict, base, path: str):
    """(path, value) for each documented-valid value of ``schema`` at ``path`` (base = current value)."""
    if "anyOf" in schema:
        for member in schema["anyOf"]:
            yield from variants(member, base, path)
        return
    if "enum" in schema:
        for value in schema["enum"]:
            yield path, value
        return
    types = _types(schema)
    if "null" in types:
        yield path, None
    if "boolean" in types:
        yield path, True
        yield path, False
    if "integer" in types or "number" in types:
        low, high = schema.get("minimum"), schema.get("maximum")
        points = [p for p in (low, high) if p is not None] or [0, 1]
        if "integer" not in types:  # a number may have a fraction
            lo, hi = (low if low is not None else 0), (high if high is not None else 10)
            points.append(round(lo + (hi - lo) / 2 + 0.25, 2) if hi - lo > 0.5 else (lo + hi) / 2)
        for point in points:
            yield path, point
    if "string" in types:
        if isinstance(base, str):
            yield path, base
        if not any(pattern.search(path) for pattern in SEMANTIC) and schema.get("format") != "uuid":
            yield path, "https://example.com/x" if schema.get("format") == "uri" else ANY_TEXT
    if "array" in types and isinstance(schema.get("items"), dict) and schema["items"]:
        if schema["items"].get("format") == "uuid" and not (isinstance(base, list) and base):
            return  # a list of ids of objects that would have to exist
        item_base = base[0] if isinstance(base, list) and base else minimal(schema["items"])
        for item_path, item in variants(schema["items"], item_base, f"{path}[]"):
            yield item_path, [item]
    if "object" in types and schema.get("properties"):
        obj = base if isinstance(base, dict) else minimal(schema)
        for key in obj:
            if key in schema["properties"] and key not in (schema.get("required") or []):
                yield (f"{path}.{key}" if path else key), {k: v for k, v in obj.items() if k != key}  # left out
        for key, sub in schema["properties"].items():
            for sub_path, value in variants(sub, obj.get(key), f"{path}.{key}" if path else key):
                changed = dict(obj)
                changed[key] = value
                yield sub_path, changed


def cases(endpoint: str, base: dict):
    for path, payload in variants(ENDPOINTS[endpoint]["request"], base, ""):
        yield path, payload


def _for_the_wire(endpoint: str, payload: dict) -> dict:
    spec = ENDPOINTS[endpoint]
    if spec["method"] == "GET" or spec["content_type"] == "multipart/form-data":
        return {k: v for k, v in payload.items() if v is not None}  # a query or form field cannot be null
    return payload


def _names_field(body: dict, path: str) -> bool:
    name = re.sub(r"\[\d+\]", "[]", str(body.get("name") or ""))
    return bool(name) and (name == path or path.startswith(name + ".") or path.startswith(name + "[]")
                           or name.startswith(path + ".") or name.startswith(path + "[]"))


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_no_documented_value_is_refused(sb, endpoint):
    world = build_world(sb)
    client = api(sb)
    refused, tried = [], 0
    for path, payload in cases(endpoint, valid_request(endpoint, world)):
        response = call(client, endpoint, _for_the_wire(endpoint, copy.deepcopy(payload)))
        tried += 1
        body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
        if (endpoint, path) in CONDITIONAL and (_leaf(payload, path) is None or path == "form"):
            continue
        if response.status_code >= 500 or (response.status_code == 422 and isinstance(body, dict)
                                           and _names_field(body, path)):
            refused.append((path, _leaf(payload, path), response.status_code, body))
    assert tried > 0
    assert refused == []


def _leaf(payload, path: str):
    value = payload
    for part in filter(None, re.split(r"\.|(\[\])", path)):
        if part == "[]":
            value = value[0] if isinstance(value, list) and value else None
        elif isinstance(value, dict):
            value = value.get(part)
    return value


def test_the_cookbooks_native_language_level_is_accepted(sb):
    """The pre-screening cookbook's own example: languages[].level = "native"."""
    world = build_world(sb)
    response = api(sb).post("/job-interview-pre-screening-api-resume-text", json={
        "position_id": world["position_id"], "candidate_name": "Peter Parker", "candidate_email": "peter@parker.com",
        "candidate_country_code": "US", "candidate_resume": "Python developer, 5 years of Django.",
        "form": {"education": "masters", "languages": [{"code": "en", "level": "native"}], "residency": "US"}})
    assert response.status_code == 200, response.text


def test_the_walker_covers_nested_fields_and_every_enum_member():
    paths = {path for path, _ in cases("job-interview-pre-screening-api-resume-text",
                                       {"position_id": "p", "candidate_name": "n", "candidate_email": "e@x.io",
                                        "candidate_resume": "r"})}
    assert "form.languages[].level" in paths and "form.languages[].code" in paths
    statuses = [p["status"] for path, p in cases("job-interview-create", {}) if path == "status"]
    assert statuses == ENDPOINTS["job-interview-create"]["request"]["properties"]["status"]["enum"]


@pytest.mark.parametrize("level, decision_is_reject", [("native", False), ("Fluent", False), ("beginner", True),
                                                       ("some words", True)])
def test_known_levels_drive_the_stand_in_and_unknown_ones_are_accepted(sb, level, decision_is_reject):
    from .test_contract import STRONG_RESUME, create_position

    client = api(sb)
    position_id = create_position(client, type="resume_with_form", form_fields=[{"id": "form_languages", "mandatory": True}],
                                  assessment_rules=[{"id": "form_languages", "type": "screening", "action": "reject",
                                                     "languages": [{"code": "en", "level": "fluent"}]}])
    response = client.post("/job-interview-pre-screening-api-resume-text", json={
        "position_id": position_id, "candidate_name": "Peter Parker", "candidate_email": "peter@parker.com",
        "candidate_resume": STRONG_RESUME, "form": {"languages": [{"code": "en", "level": level}]}})
    assert response.status_code == 200, response.text
    assert (response.json()["decision_status"] == "ai_reject") is decision_is_reject
