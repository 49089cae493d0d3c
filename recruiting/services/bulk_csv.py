"""Parse and validate a bulk-invite CSV (name, email, external_id), before anything is stored or sent.

Accepted input:

* UTF-8, with or without a byte-order mark; ``,`` or ``;`` as the delimiter (sniffed from the
  first non-blank line), fields quoted the usual CSV way.
* An optional header row naming the columns ``name``, ``email``, ``external_id`` in any order and
  case (``external id`` / ``external-id`` / ``externalid`` also work; unknown columns are ignored).
  Without a header the columns are taken in that order; a single column is the email.
* Blank lines are skipped. Line numbers are the file's own (1 = the first line, header included),
  so a recruiter can find a row in a spreadsheet.

Every data line becomes one ``ParsedRow``: ``pending`` (good), ``invalid`` (with a specific message)
or ``duplicate`` (an email already seen on an earlier good line: the first occurrence wins). A file
that cannot be read at all raises ``BulkCsvError``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from recruiting.models import BulkInviteRow, normalise_email

COLUMNS = ("name", "email", "external_id")
HEADER_ALIASES = {
    "name": "name", "full_name": "name", "fullname": "name", "candidate_name": "name",
    "email": "email", "e_mail": "email", "email_address": "email", "candidate_email": "email",
    "external_id": "external_id", "externalid": "external_id", "external": "external_id",
}
NAME_MAX = BulkInviteRow._meta.get_field("name").max_length
EXTERNAL_ID_MAX = BulkInviteRow._meta.get_field("external_id").max_length
EMAIL_MAX = 254


class BulkCsvError(ValueError):
    """The file as a whole cannot be used (not UTF-8, empty, no email column, too many rows)."""


@dataclass
class ParsedRow:
    line_number: int
    name: str
    email: str
    external_id: str
    normalised_email: str
    state: str = BulkInviteRow.State.PENDING
    error: str = ""


def max_rows() -> int:
    return int(getattr(settings, "BULK_INVITE_MAX_ROWS", 10_000))


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BulkCsvError(
            f"The file is not UTF-8 text (undecodable byte at position {exc.start}). "
            "Save it as 'CSV UTF-8' and upload it again."
        ) from None


def _delimiter(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return ";" if line.count(";") > line.count(",") else ","
    return ","


def _header_key(cell: str) -> str:
    key = cell.strip().lower().replace("-", "_").replace(" ", "_")
    return HEADER_ALIASES.get(key, "")


def _column_map(first: list[str]) -> dict[str, int] | None:
    """The columns named by a header row, or None when the first row is data."""
    keys = [_header_key(cell) for cell in first]
    if "email" not in keys:
        return None
    mapping: dict[str, int] = {}
    for index, key in enumerate(keys):
        if key and key not in mapping:
            mapping[key] = index
    return mapping


def _positional_map(width: int) -> dict[str, int]:
    if width == 1:
        return {"email": 0}
    return {name: index for index, name in enumerate(COLUMNS[:width])}


def _cell(record: list[str], mapping: dict[str, int], key: str) -> str:
    index = mapping.get(key)
    if index is None or index >= len(record):
        return ""
    return record[index].strip()


def _email_validator() -> EmailValidator:
    """Django's email validator with its patterns compiled here: the class keeps them lazy, and each
    use through the lazy object cost more than the match itself (10,000 lines: 0.19 s -> 0.08 s)."""
    validator = EmailValidator()
    for name in ("user_regex", "domain_regex", "literal_regex"):
        lazy = getattr(EmailValidator, name)
        setattr(validator, name, re.compile(lazy.pattern, lazy.flags))
    return validator


validate_email = _email_validator()


def _validate(row: ParsedRow) -> str:
    if not row.email:
        return "Missing email address."
    if len(row.email) > EMAIL_MAX:
        return f"Email address is longer than {EMAIL_MAX} characters."
    try:
        validate_email(row.email)
    except ValidationError:
        return f"'{row.email}' is not a valid email address."
    if len(row.name) > NAME_MAX:
        return f"Name is longer than {NAME_MAX} characters."
    if len(row.external_id) > EXTERNAL_ID_MAX:
        return f"External id is longer than {EXTERNAL_ID_MAX} characters."
    return ""


def parse_invite_csv(data: bytes | str) -> list[ParsedRow]:
    """Every data line of the file as a ParsedRow (see the module docstring)."""
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows: list[ParsedRow] = []
    mapping: dict[str, int] | None = None
    first_seen: dict[str, int] = {}
    limit = max_rows()
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if mapping is None:
                mapping = _column_map(record)
                if mapping is not None:
                    continue  # the header row
                mapping = _positional_map(len(record))
            if len(rows) >= limit:
                raise BulkCsvError(f"The file has more than {limit} rows; split it into smaller files.")
            line = reader.line_num
            email = _cell(record, mapping, "email")
            row = ParsedRow(line_number=line, name=_cell(record, mapping, "name"), email=email,
                            external_id=_cell(record, mapping, "external_id"),
                            normalised_email=normalise_email(email))
            error = _validate(row)
            if error:
                row.state, row.error = BulkInviteRow.State.INVALID, f"Line {line}: {error}"
            elif row.normalised_email in first_seen:
                row.state = BulkInviteRow.State.DUPLICATE
                row.error = f"Line {line}: duplicate of line {first_seen[row.normalised_email]} ({row.email})."
            else:
                first_seen[row.normalised_email] = line
            rows.append(row)
    except csv.Error as exc:
        raise BulkCsvError(f"The file is not valid CSV near line {reader.line_num}: {exc}.") from None
    if not rows:
        raise BulkCsvError("The file has no rows. Expected columns: name, email, external_id.")
    return rows
