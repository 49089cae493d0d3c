"""The ``interview_token`` in every URL the sandbox hands out: a JWT, as JobMojito's (API reference
2.8, 4.4; the cookbook: "a public interview URL (with an embedded JWT)").

Wire format: ``base64url(header).base64url(claims).base64url(HMAC-SHA256 signature)``, header
``{"alg": "HS256", "typ": "JWT"}``, claims:

    iss   "jobmojito-sandbox"
    aud   "interview" (an interview URL) | "result" (a result URL)
    sub   the profile_interview id (interview URLs) or the result / profile / interview id (result URLs)
    typ   the job-interview-token type ("interview-for-profile", "interview-result-candidate", ...)
    iat   issued at (seconds);  exp  expiry, iat + ``config.interview_token_ttl_s`` (default 30 days)
    jti   random id of this token

Signed with a key made once per sandbox and kept in ``state.meta`` (saved with the state file, so
links survive a restart). ``verify`` checks signature, algorithm, audience, subject and expiry and
raises ``ExpiredToken`` or ``InvalidToken``; whether a valid token is still the current one (a newer
link replaces an older one) is the caller's business (``state.url_tokens``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time

import jwt

ISSUER = "jobmojito-sandbox"
ALGORITHM = "HS256"
KEY_NAME = "interview_token_signing_key"
DEFAULT_TTL_S = 30 * 24 * 3600


class InvalidToken(Exception):
    """The token is not one the sandbox signed for this page (tampered, wrong link, malformed)."""


class ExpiredToken(InvalidToken):
    """A genuine token past its ``exp``."""


def signing_key(state) -> str:
    with state.lock:
        key = state.meta.get(KEY_NAME)
        if not key:
            key = state.meta[KEY_NAME] = secrets.token_urlsafe(32)
        return key


def mint(state, *, audience: str, subject: str, token_type: str, ttl_s: float | None = None) -> str:
    now = int(time.time())
    ttl = ttl_s if ttl_s is not None else getattr(state.config, "interview_token_ttl_s", DEFAULT_TTL_S)
    claims = {"iss": ISSUER, "aud": audience, "sub": subject, "typ": token_type, "iat": now,
              "exp": now + int(ttl), "jti": secrets.token_urlsafe(12)}
    # What jwt.encode(claims, key, "HS256") writes, without its per-call key preparation and checks:
    # register-users mints one per row, and it was most of the sandbox's time per request.
    signing_input = _HEADER + b"." + _b64(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(signing_key(state).encode(), signing_input, hashlib.sha256).digest()
    return (signing_input + b"." + _b64(signature)).decode("ascii")


def _b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


_HEADER = _b64(json.dumps({"alg": ALGORITHM, "typ": "JWT"}, separators=(",", ":")).encode())


def verify(state, token: str, *, audience: str, subject: str | None = None) -> dict:
    """The claims of a token the sandbox signed for ``audience`` (and ``subject``), or an error."""
    if not token:
        raise InvalidToken("The link has no interview_token.")
    try:
        claims = jwt.decode(token, signing_key(state), algorithms=[ALGORITHM], audience=audience, issuer=ISSUER,
                            options={"require": ["exp", "iat", "sub", "aud", "iss"]})
    except jwt.ExpiredSignatureError:
        raise ExpiredToken("This link has expired.") from None
    except jwt.InvalidTokenError:
        raise InvalidToken("This link is not valid.") from None
    if subject is not None and claims.get("sub") != subject:
        raise InvalidToken("This link belongs to another interview.")
    return claims
