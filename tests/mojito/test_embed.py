"""mojito.embed: the signed iframe URL of API reference 4.3."""

import base64
import hashlib
import hmac
from urllib.parse import parse_qs, urlsplit

import pytest

from mojito import embed

KEY = "sk_embed_0123456789abcdef"
EMBED_ID = "3f1c2b9e-8d4a-4c1e-9b7f-2a6d5e4c3b21"


def reference_signature(embed_id, name, email, key):
    """Computed independently of mojito.embed, straight from the recipe."""
    message = (embed_id + name.strip() + email.strip().lower()).encode("utf-8")
    return hmac.new(key.encode("utf-8"), message, hashlib.sha256).hexdigest()


def params(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_known_vector():
    expected = hmac.new(
        b"sk_embed_0123456789abcdef",
        b"3f1c2b9e-8d4a-4c1e-9b7f-2a6d5e4c3b21" + b"Ada Lovelace" + b"ada@example.com",
        hashlib.sha256,
    ).hexdigest()
    assert embed.sign(EMBED_ID, "Ada Lovelace", "ada@example.com", KEY) == expected
    assert len(expected) == 64 and expected == expected.lower()


def test_sign_trims_name_and_lowercases_email():
    assert embed.sign(EMBED_ID, "  Ada Lovelace ", " ADA@Example.COM ", KEY) == reference_signature(
        EMBED_ID, "Ada Lovelace", "ada@example.com", KEY
    )


def test_build_url_shape():
    url = embed.build_embed_url("https://try.interviewmojito.com/", EMBED_ID, "Ada Lovelace", "Ada@Example.com", KEY)
    parts = urlsplit(url)
    assert parts.scheme == "https" and parts.netloc == "try.interviewmojito.com" and parts.path == "/embed"
    p = params(url)
    assert p["embed_id"] == EMBED_ID
    assert base64.b64decode(p["name"]).decode() == "Ada Lovelace"
    assert base64.b64decode(p["email"]).decode() == "ada@example.com"
    assert p["signature"] == reference_signature(EMBED_ID, "Ada Lovelace", "ada@example.com", KEY)
    assert KEY not in url


def test_base64_is_url_encoded_in_query():
    # "~~~" encodes to base64 "fn5+" (a plus sign must be percent-encoded in the query)
    url = embed.build_embed_url("http://h", EMBED_ID, "~~~", "a@b.c", KEY)
    assert "fn5%2B" in url
    assert params(url)["name"] == "fn5+"


def test_round_trip_verify():
    url = embed.build_embed_url("http://h", EMBED_ID, "Ada Lovelace", "ada@example.com", KEY)
    p = params(url)
    assert embed.verify(p["embed_id"], p["name"], p["email"], p["signature"], KEY) == ("Ada Lovelace", "ada@example.com")


@pytest.mark.parametrize("name", ["Zoë Ærøskøbing", "李小龙", "Renée O'Connor-Śmiałek", "👩‍💻 Dev"])
def test_unicode_names(name):
    url = embed.build_embed_url("http://h", EMBED_ID, name, "x@example.com", KEY)
    p = params(url)
    assert base64.b64decode(p["name"]).decode("utf-8") == name
    assert p["signature"] == reference_signature(EMBED_ID, name, "x@example.com", KEY)
    assert embed.verify(EMBED_ID, p["name"], p["email"], p["signature"], KEY)[0] == name


def _b64(s):
    return base64.b64encode(s.encode()).decode()


@pytest.mark.parametrize("field", ["embed_id", "name", "email", "signature", "key"])
def test_tampering_is_refused(field):
    good = {
        "embed_id": EMBED_ID,
        "name": _b64("Ada Lovelace"),
        "email": _b64("ada@example.com"),
        "signature": reference_signature(EMBED_ID, "Ada Lovelace", "ada@example.com", KEY),
        "key": KEY,
    }
    tampered = dict(good)
    if field in ("name", "email"):
        tampered[field] = _b64({"name": "Ada Lovelacf", "email": "adb@example.com"}[field])
    elif field == "signature":
        s = good["signature"]
        tampered[field] = s[:-1] + ("0" if s[-1] != "0" else "1")
    elif field == "embed_id":
        tampered[field] = EMBED_ID[:-1] + "2"
    else:
        tampered[field] = KEY + "x"
    with pytest.raises(embed.InvalidSignature):
        embed.verify(tampered["embed_id"], tampered["name"], tampered["email"], tampered["signature"], tampered["key"])


@pytest.mark.parametrize("bad", ["not base64!!", "%%%", "////", "\u00e9"])
def test_malformed_base64_is_invalid_signature(bad):
    sig = reference_signature(EMBED_ID, "Ada", "a@b.c", KEY)
    with pytest.raises(embed.InvalidSignature):
        embed.verify(EMBED_ID, bad, _b64("a@b.c"), sig, KEY)


def test_missing_parameters_are_refused():
    with pytest.raises(embed.InvalidSignature):
        embed.verify(EMBED_ID, _b64("Ada"), _b64("a@b.c"), "", KEY)
    with pytest.raises(embed.InvalidSignature):
        embed.verify(EMBED_ID, _b64("Ada"), _b64("a@b.c"), "abc", "")


def test_uppercase_signature_is_not_the_wire_format():
    sig = reference_signature(EMBED_ID, "Ada", "a@b.c", KEY)
    with pytest.raises(embed.InvalidSignature):
        embed.verify(EMBED_ID, _b64("Ada"), _b64("a@b.c"), sig.upper(), KEY)


def test_uses_constant_time_compare(monkeypatch):
    calls = []
    real = hmac.compare_digest
    monkeypatch.setattr(embed.hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    sig = reference_signature(EMBED_ID, "Ada", "a@b.c", KEY)
    embed.verify(EMBED_ID, _b64("Ada"), _b64("a@b.c"), sig, KEY)
    assert calls


@pytest.mark.parametrize("field", ["embed_id", "name", "email", "key"])
def test_changing_any_input_changes_the_signature(field):
    inputs = {"embed_id": EMBED_ID, "name": "Ada Lovelace", "email": "ada@example.com", "key": KEY}
    base = embed.sign(inputs["embed_id"], inputs["name"], inputs["email"], inputs["key"])
    changed = dict(inputs, **{field: inputs[field] + "x" if field != "email" else "ada@example.org"})
    assert embed.sign(changed["embed_id"], changed["name"], changed["email"], changed["key"]) != base
