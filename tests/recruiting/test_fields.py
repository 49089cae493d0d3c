import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from recruiting.fields import decrypt_str, encrypt_str
from recruiting.models import Interview

from .conftest import make_interview

pytestmark = pytest.mark.django_db

SECRET = "embed-signing-key-0123456789"


def stored_value(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT embed_signing_key FROM {Interview._meta.db_table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_column_holds_ciphertext_and_reads_back(fernet_keys):
    interview = make_interview(embed_signing_key=SECRET)
    raw = stored_value(interview.pk)
    assert SECRET not in raw and raw.startswith("gAAAA")
    assert Fernet(fernet_keys[0].encode()).decrypt(raw.encode()).decode() == SECRET
    assert Interview.objects.get(pk=interview.pk).embed_signing_key == SECRET


def test_empty_value_is_stored_empty():
    interview = make_interview()
    assert stored_value(interview.pk) == ""
    assert Interview.objects.filter(embed_signing_key="").count() == 1


def test_key_derived_from_secret_key_when_unset(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    interview = make_interview(embed_signing_key=SECRET)
    assert SECRET not in stored_value(interview.pk)
    assert Interview.objects.get(pk=interview.pk).embed_signing_key == SECRET


def test_rotation(settings, fernet_keys):
    old, new = fernet_keys
    interview = make_interview(embed_signing_key=SECRET)
    written_with_old = stored_value(interview.pk)

    settings.FIELD_ENCRYPTION_KEYS = [new, old]  # new key first, old second: still readable
    assert Interview.objects.get(pk=interview.pk).embed_signing_key == SECRET

    call_command("rotate_secrets", verbosity=0)
    rotated = stored_value(interview.pk)
    assert rotated != written_with_old
    assert Fernet(new.encode()).decrypt(rotated.encode()).decode() == SECRET

    settings.FIELD_ENCRYPTION_KEYS = [new]  # old key removed
    assert Interview.objects.get(pk=interview.pk).embed_signing_key == SECRET


def test_unknown_key_names_the_setting(settings, fernet_keys):
    token = encrypt_str(SECRET)
    settings.FIELD_ENCRYPTION_KEYS = [fernet_keys[1]]
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEYS"):
        decrypt_str(token)


def test_bad_key_names_the_setting(settings):
    settings.FIELD_ENCRYPTION_KEYS = ["not-a-key"]
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEYS"):
        encrypt_str(SECRET)


def test_keys_setting_may_be_a_comma_separated_string(settings, fernet_keys):
    new, old = fernet_keys
    settings.FIELD_ENCRYPTION_KEYS = old
    token = encrypt_str(SECRET)
    settings.FIELD_ENCRYPTION_KEYS = f"{new}, {old}"
    assert decrypt_str(token) == SECRET
    assert Fernet(new.encode()).decrypt(encrypt_str(SECRET).encode()).decode() == SECRET


def test_rotate_secrets_in_batches_skips_empty_values(settings, fernet_keys):
    old, new = fernet_keys
    with_key = [make_interview(embed_signing_key=f"{SECRET}-{i}") for i in range(5)]
    without = make_interview()
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    call_command("rotate_secrets", batch_size=2, verbosity=0)
    settings.FIELD_ENCRYPTION_KEYS = [new]
    for i, interview in enumerate(with_key):
        assert Interview.objects.get(pk=interview.pk).embed_signing_key == f"{SECRET}-{i}"
    assert stored_value(without.pk) == ""


# --- rotating Django's secret key (no FIELD_ENCRYPTION_KEYS) -----------------------------------


def test_values_survive_a_secret_key_rotation_into_the_fallbacks(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "old-secret-key-" + "x" * 40, []
    interview = make_interview(embed_signing_key=SECRET)
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "new-secret-key-" + "y" * 40, ["old-secret-key-" + "x" * 40]
    assert Interview.objects.get(pk=interview.pk).embed_signing_key == SECRET

    call_command("rotate_secrets", verbosity=0)  # now written with the key of the new secret
    settings.SECRET_KEY_FALLBACKS = []
    assert Interview.objects.get(pk=interview.pk).embed_signing_key == SECRET


def test_an_undecryptable_value_breaks_only_the_action_that_needs_it(settings, fernet_keys):
    from mojito.embed import build_embed_url
    from recruiting.fields import SecretUndecryptable, UndecryptableSecret

    interview = make_interview(embed_id="embed-1", embed_signing_key=SECRET, name="Backend engineer")
    other = make_interview(name="Designer")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]  # the old keys are gone

    assert {i.name for i in Interview.objects.all()} == {"Backend engineer", "Designer"}  # listing works
    loaded = Interview.objects.get(pk=interview.pk)  # loading works
    assert isinstance(loaded.embed_signing_key, UndecryptableSecret) and loaded.is_embedded
    assert SECRET not in repr(loaded.embed_signing_key)
    loaded.name = "Backend engineer (EU)"
    loaded.save()  # saving keeps the stored token as it was
    settings.FIELD_ENCRYPTION_KEYS = fernet_keys
    assert Interview.objects.get(pk=interview.pk).embed_signing_key == SECRET
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(SecretUndecryptable, match="FIELD_ENCRYPTION_KEYS.*rotate_secrets"):
        build_embed_url("https://try.interviewmojito.com", "embed-1", "Ada", "ada@example.com",
                        Interview.objects.get(pk=interview.pk).embed_signing_key)
    assert Interview.objects.get(pk=other.pk).embed_signing_key == ""


def test_rotate_secrets_leaves_undecryptable_values_and_says_so(settings, fernet_keys):
    import io

    interview = make_interview(embed_signing_key=SECRET)
    before = stored_value(interview.pk)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    err = io.StringIO()
    call_command("rotate_secrets", verbosity=0, stderr=err)
    assert stored_value(interview.pk) == before
    assert "1 value(s) could not be decrypted" in err.getvalue() and "FIELD_ENCRYPTION_KEYS" in err.getvalue()
