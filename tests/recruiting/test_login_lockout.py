"""Login throttling: wrong passwords lock one username from one address for a while."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

PASSWORD = "a-long-password-123"


@pytest.fixture
def recruiter(django_user_model):
    return django_user_model.objects.create_user("recruiter", password=PASSWORD)


def login(client, password, username="recruiter", url=None):
    return client.post(url or reverse("login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_sixth_attempt_is_locked_even_with_the_right_password(client, recruiter, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "wrong").status_code == 200  # the form again, with its error
    locked = login(client, "wrong")
    assert locked.status_code == 429
    assert b"Too many failed logins" in locked.content
    assert login(client, PASSWORD).status_code == 429  # still locked
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lock_is_per_username_and_the_admin_login_counts_too(client, recruiter, django_user_model, settings):
    django_user_model.objects.create_superuser("operator", "op@example.com", PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "wrong", username="operator", url=reverse("admin:login"))
    assert login(client, PASSWORD, username="operator").status_code == 429
    assert login(client, PASSWORD).status_code == 302  # another user from the same address logs in


@pytest.mark.django_db
def test_lock_ends_after_the_cool_off(client, recruiter, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "wrong")
    assert login(client, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.timezone.utc) - settings.AXES_COOLOFF_TIME
                                 - dt.timedelta(seconds=1))
    assert login(client, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_success_resets_the_count(client, recruiter, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "wrong")
    assert login(client, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "wrong")
    assert login(client, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_passwords_never_reach_the_attempt_log(client, recruiter):
    login(client, "my-secret-guess")
    assert "my-secret-guess" not in str(list(AccessAttempt.objects.values()))
