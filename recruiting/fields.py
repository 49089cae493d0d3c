"""Encrypted model fields for third-party secrets at rest (JobMojito embed signing keys).

Wire format: the column holds a Fernet token (urlsafe base64 text, version byte 0x80, timestamp, IV,
AES-128-CBC ciphertext, HMAC-SHA256). Keys come from settings.FIELD_ENCRYPTION_KEYS, newest first;
when that setting is empty one key is derived from SECRET_KEY (SHA-256, urlsafe base64). Values are
encrypted with the first key and decrypted with any of them (MultiFernet), so a key rotation is:
put the new key first, keep the old one second, run ``manage.py rotate_secrets``, drop the old key.

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
        return (_derived_key(settings.SECRET_KEY),)
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


def decrypt_str(token: str) -> str:
    try:
        return get_fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An encrypted value could not be decrypted with any key in FIELD_ENCRYPTION_KEYS "
            "(or the key derived from SECRET_KEY): add the key it was written with to FIELD_ENCRYPTION_KEYS."
        ) from exc


def rotate_token(token: str) -> str:
    """Re-encrypt a stored token with the newest key (decrypts with any configured key)."""
    try:
        return get_fernet().rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An encrypted value could not be decrypted with any key in FIELD_ENCRYPTION_KEYS."
        ) from exc


class EncryptedTextField(models.TextField):
    """A TextField whose value is Fernet-encrypted in the database and plaintext in Python."""

    description = "Text encrypted at rest (Fernet)"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt_str(value)

    def get_prep_value(self, value):
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
