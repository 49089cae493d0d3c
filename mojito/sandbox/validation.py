"""Request validation for the sandbox API: a small declarative field spec, checked in order.

Every violation becomes ``ApiError(422, <message a person understands>, <field>)``, which the app
turns into the ``{"error", "name"}`` envelope. Query-string values (always text) are coerced to
the declared type first; JSON bodies must carry the declared JSON types.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass


class ApiError(Exception):
    """An error answer: status, message and (optionally) the offending field."""

    def __init__(self, status: int, message: str, field: str | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


def invalid(message: str, field: str | None = None) -> ApiError:
    return ApiError(422, message, field)


@dataclass(frozen=True)
class F:
    """One field: JSON type(s), required, nullable, enum, range, min length, nested shape."""

    type: str | tuple = "string"  # string number integer boolean array object any, or a tuple
    required: bool = False
    null: bool = True  # None accepted (for optional fields: same as absent)
    enum: frozenset | tuple | None = None
    minimum: float | None = None
    maximum: float | None = None
    min_length: int | None = None
    min_items: int | None = None
    uuid: bool = False
    items: "F | None" = None
    props: dict | None = None  # nested object fields


TYPE_NAMES = {
    "string": "a string", "number": "a number", "integer": "a whole number", "boolean": "true or false",
    "array": "a list", "object": "an object",
}


def _is_type(value, kind: str) -> bool:
    if kind == "any":
        return True
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer())
    if kind == "array":
        return isinstance(value, list)
    if kind == "object":
        return isinstance(value, dict)
    raise ValueError(kind)


def _coerce_text(value: str, kinds: tuple):
    """A query-string value as the first declared type it parses as."""
    for kind in kinds:
        if kind in ("string", "any"):
            return value
        if kind == "integer" and re.fullmatch(r"[+-]?\d+", value.strip()):
            return int(value)
        if kind == "number":
            try:
                return float(value) if "." in value or "e" in value.lower() else int(value)
            except ValueError:
                continue
        if kind == "boolean" and value.lower() in ("true", "false"):
            return value.lower() == "true"
    return value


def _describe(kinds: tuple) -> str:
    return " or ".join(TYPE_NAMES.get(k, k) for k in kinds if k != "any")


def check(value, spec: F, name: str, *, query: bool = False):
    """Validate one present, non-None value; returns it (coerced for query strings)."""
    kinds = spec.type if isinstance(spec.type, tuple) else (spec.type,)
    if query and isinstance(value, str):
        value = _coerce_text(value, kinds)
    if not any(_is_type(value, k) for k in kinds):
        raise invalid(f"{name} must be {_describe(kinds)}.", name)
    if isinstance(value, str):
        if spec.min_length and len(value.strip()) < spec.min_length:
            raise invalid(f"{name} must not be empty.", name)
        if spec.uuid:
            try:
                uuid.UUID(value)
            except ValueError:
                raise invalid(f"{name} must be a UUID (got {value!r}).", name) from None
    if spec.enum is not None and value not in spec.enum:
        allowed = ", ".join(sorted(repr(v) for v in spec.enum if v is not None))
        raise invalid(f"{name} must be one of {allowed} (got {value!r}).", name)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if spec.minimum is not None and value < spec.minimum:
            raise invalid(f"{name} must be at least {spec.minimum:g} (got {value:g}).", name)
        if spec.maximum is not None and value > spec.maximum:
            raise invalid(f"{name} must be at most {spec.maximum:g} (got {value:g}).", name)
    if isinstance(value, list):
        if spec.min_items and len(value) < spec.min_items:
            raise invalid(f"{name} needs at least {spec.min_items} item(s).", name)
        if spec.items is not None:
            value = [_check_item(item, spec.items, f"{name}[{i}]", query) for i, item in enumerate(value)]
    if isinstance(value, dict) and spec.props is not None:
        value = validate(value, spec.props, query=query, prefix=f"{name}.")
    return value


def _check_item(item, spec: F, name: str, query: bool):
    if item is None:
        if spec.null:
            return None
        raise invalid(f"{name} must not be null.", name)
    return check(item, spec, name, query=query)


def validate(data, schema: dict[str, F], *, query: bool = False, prefix: str = "") -> dict:
    """Check ``data`` against ``schema``; returns a copy with coerced values (unknown keys kept).

    Fields are checked in schema order; the first violation is raised.
    """
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise invalid("The request body must be a JSON object.", prefix.rstrip(".") or None)
    cleaned = dict(data)
    for key, spec in schema.items():
        name = prefix + key
        value = data.get(key)
        if value is None:
            if spec.required:
                raise invalid(f"{name} is required.", name)
            if key in data and not spec.null:
                raise invalid(f"{name} must not be null.", name)
            continue
        cleaned[key] = check(value, spec, name, query=query)
    return cleaned


def require(data: dict, *names: str, reason: str = "") -> None:
    """Conditional requirements: each named field must be present and non-blank."""
    for name in names:
        value = data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            tail = f" {reason}" if reason else ""
            raise invalid(f"{name} is required{tail}.", name)


def truthy(value) -> bool:
    """bool | "true"/"false" | None -> bool (the API's tolerant boolean flags)."""
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


EMAIL_RE = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[A-Za-z]{2,}$")


def is_email(value) -> bool:
    return isinstance(value, str) and bool(EMAIL_RE.match(value.strip()))
