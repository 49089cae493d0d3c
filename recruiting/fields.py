"""Encrypted model fields for third-party secrets at rest (JobMojito embed signing keys).

Wire format: the column holds a Fernet token (urlsafe base64 text, version byte 0x80, timestamp, IV,
AES-128-CBC ciphertext, HMAC-SHA256). Keys come from settings.FIELD_ENCRYPTION_KEYS, newest first;
when that setting is empty the keys are derived (SHA-256, urlsafe base64) from SECRET_KEY and then
from each of SECRET_KEY_FALLBACKS, so rotating Django's secret key the documented way (old one moved
to DJANGO_SECRET_KEY_FALLBACKS) keeps every stored value readable. Values are encrypted with the
first key and decrypted with any of them (MultiFernet), so a key rotation is: put the new key first,
keep the old one second, run ``manage.py rotate_secrets``, drop the old key.

A stored value that no key decrypts does not break loading its row: the field reads as an
``UndecryptableSecret``, which is truthy and saves back unchanged, and raises ``SecretUndecryptable``
(naming FIELD_ENCRYPTION_KEYS and rotate_secrets) the moment the secret itself is used.

Ciphertext is not deterministic: these fields cannot be looked up or compared in SQL.
The empty string and NULL are stored as they are (an unset secret is not a secret).
"""

from __future__ import annotations

import base64
import functools
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


def _derived_key(secret_key: str) -> bytes:
    return base64.urlsafe_b64encode(hashlib.sha256(secret_key.encode()).digest())


def configured_keys() -> tuple[bytes, ...]:
    """The Fernet keys, newest first (FIELD_ENCRYPTION_KEYS, a list or a comma-separated string)."""
    setting = getattr(settings, "FIELD_ENCRYPTION_KEYS", None) or []
    if isinstance(setting, (str, bytes)):
        setting = setting.split("," if isinstance(setting, str) else b",")
    keys = [k.strip() for k in setting if k and k.strip()]
    if not keys:
        fallbacks = getattr(settings, "SECRET_KEY_FALLBACKS", None) or []
        secrets = [settings.SECRET_KEY, *(s for s in fallbacks if s and s != settings.SECRET_KEY)]
        return tuple(_derived_key(secret) for secret in secrets)
    return tuple(k.encode() if isinstance(k, str) else k for k in keys)


@functools.lru_cache(maxsize=8)
def _multifernet(keys: tuple[bytes, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(k) for k in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must be a comma-separated list of Fernet keys "
            "(32 url-safe base64-encoded bytes each, e.g. from Fernet.generate_key()), newest first."
        ) from exc


def get_fernet() -> MultiFernet:
    return _multifernet(configured_keys())


def encrypt_str(value: str) -> str:
    return get_fernet().encrypt(value.encode()).decode()


UNDECRYPTABLE_MESSAGE = (
    "A stored secret could not be decrypted with any key in FIELD_ENCRYPTION_KEYS (or, when that is "
    "empty, the keys derived from SECRET_KEY and SECRET_KEY_FALLBACKS): add the key it was written "
    "with to FIELD_ENCRYPTION_KEYS (or the old secret key to DJANGO_SECRET_KEY_FALLBACKS), then run "
    "`manage.py rotate_secrets` to re-encrypt it with the newest key."
)


class SecretUndecryptable(ImproperlyConfigured):
    """A stored secret that no configured key decrypts was needed."""

    def __init__(self, message: str = UNDECRYPTABLE_MESSAGE):
        super().__init__(message)


class UndecryptableSecret:
    """What an EncryptedTextField reads as when no key decrypts the stored token.

    Truthy (a secret is set), saved back as the same token, and unusable: turning it into text
    raises ``SecretUndecryptable``, so only the action that needs the secret fails."""

    __slots__ = ("token",)

    def __init__(self, token: str):
        self.token = token

    def __bool__(self) -> bool:
        return True

    def __eq__(self, other) -> bool:
        return isinstance(other, UndecryptableSecret) and other.token == self.token

    def __hash__(self) -> int:
        return hash(self.token)

    def __repr__(self) -> str:
        return "<UndecryptableSecret>"

    def _refuse(self, *args, **kwargs):
        raise SecretUndecryptable()

    __str__ = __len__ = __iter__ = __getitem__ = __add__ = __radd__ = encode = strip = _refuse


def decrypt_str(token: str) -> str:
    try:
        return get_fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretUndecryptable() from exc


def rotate_token(token: str) -> str:
    """Re-encrypt a stored token with the newest key (decrypts with any configured key)."""
    try:
        return get_fernet().rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretUndecryptable() from exc


class EncryptedTextField(models.TextField):
    """A TextField whose value is Fernet-encrypted in the database and plaintext in Python."""

    description = "Text encrypted at rest (Fernet)"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        try:
            return decrypt_str(value)
        except SecretUndecryptable:
            return UndecryptableSecret(value)

    def to_python(self, value):
        if isinstance(value, UndecryptableSecret):
            return value
        return super().to_python(value)

    def get_prep_value(self, value):
        if isinstance(value, UndecryptableSecret):
            return value.token  # kept as it was: a later key (or fallback) may still read it
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_str(str(value))

    def value_to_string(self, obj):
        # Serialisation (dumpdata) never writes the plaintext.
        return ""

    def get_lookup(self, lookup_name):
        if lookup_name not in ("isnull", "exact"):
            # Ciphertext is randomised: only "is it set" checks (isnull, exact "") make sense in SQL.
            return None
        return super().get_lookup(lookup_name)
