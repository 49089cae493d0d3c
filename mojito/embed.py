"""Signed iframe URLs for JobMojito's authenticated embed (API reference 4.3).

Wire format (the recipe of the third-party integration the reference cites; no official test
vector exists, see the reference's open question 1):

    canonical  = embed_id + name.strip() + email.strip().lower()      (plain concatenation)
    signature  = lowercase hex of HMAC-SHA256(key=embed_signing_key as UTF-8 bytes,
                                              msg=canonical as UTF-8 bytes)            (64 chars)
    URL        = {base}/embed?embed_id=<embed_id as is>
                              &name=<standard base64, with padding, of the UTF-8 name>
                              &email=<same for the email>
                              &signature=<hex>
                 (every query value URL-encoded, so "+", "/" and "=" of base64 are escaped)

The base64 values carry the name and email exactly as signed (trimmed; email lower-cased).
There is no expiry, nonce or timestamp: a signed URL is a long-lived credential. Build it on the
server, per page view, for an authenticated user; never log it, cache it or put the key in a page.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from urllib.parse import urlencode

__all__ = ["InvalidSignature", "sign", "build_embed_url", "verify", "canonical"]


class InvalidSignature(Exception):
    """The signature does not match, or a parameter is malformed or missing."""


def _normalise(name: str, email: str) -> tuple[str, str]:
    return (name or "").strip(), (email or "").strip().lower()


def canonical(embed_id: str, name: str, email: str) -> str:
    name, email = _normalise(name, email)
    return f"{embed_id}{name}{email}"


def sign(embed_id: str, name: str, email: str, key: str) -> str:
    """Lowercase hex HMAC-SHA256 of the canonical string under the embed signing key."""
    if not key:
        raise ValueError("an embed_signing_key is required to sign an embed URL")
    message = canonical(embed_id, name, email).encode("utf-8")
    return hmac.new(key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def build_embed_url(base_url: str, embed_id: str, name: str, email: str, key: str) -> str:
    """The authenticated iframe URL: ``{base_url}/embed?embed_id=...&name=...&email=...&signature=...``.

    ``base_url`` is the interview portal's origin (e.g. ``https://try.interviewmojito.com``); a
    trailing ``/embed`` or slash is tolerated.
    """
    name, email = _normalise(name, email)
    base = base_url.rstrip("/")
    if base.endswith("/embed"):
        base = base[: -len("/embed")]
    query = urlencode({
        "embed_id": embed_id,
        "name": _b64(name),
        "email": _b64(email),
        "signature": sign(embed_id, name, email, key),
    })
    return f"{base}/embed?{query}"


def _unb64(value: str) -> str:
    try:
        raw = base64.b64decode((value or "").encode("ascii"), validate=True)
        return raw.decode("utf-8")
    except (binascii.Error, ValueError, UnicodeError) as exc:
        raise InvalidSignature("malformed base64 parameter") from exc


def verify(embed_id: str, name_b64: str, email_b64: str, signature: str, key: str) -> tuple[str, str]:
    """Check a signed embed URL's parameters; return the (name, email) it carries.

    Raises ``InvalidSignature`` when anything is missing, malformed or does not match. The
    comparison is constant-time.
    """
    if not (embed_id and name_b64 and email_b64 and signature and key):
        raise InvalidSignature("missing embed parameter")
    name = _unb64(name_b64)
    email = _unb64(email_b64)
    expected = sign(embed_id, name, email, key)
    given = (signature or "").strip()
    if not hmac.compare_digest(expected.encode("ascii"), given.encode("utf-8", "replace")):
        raise InvalidSignature("signature does not match")
    return _normalise(name, email)
