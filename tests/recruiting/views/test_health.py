"""GET /healthz: 200 when the app can serve, 503 when the database is down; JSON per dependency."""

import pytest
from django.core.cache import cache
from django.db import OperationalError

from recruiting.services import health


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


TOKEN = "monitoring-token-0123456789"


@pytest.fixture
def monitor(client, settings):
    """A client that presents HEALTHZ_TOKEN (monitoring): it gets the per-check details."""
    settings.HEALTHZ_TOKEN = TOKEN
    client.defaults["HTTP_X_HEALTHZ_TOKEN"] = TOKEN
    return client


@pytest.mark.django_db
def test_health_reports_each_dependency_to_monitoring(monitor):
    response = monitor.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert set(body["checks"]) == {"database", "broker", "jobmojito"}
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True
    # The test settings point at an unreachable JobMojito: reported, but the app still serves.
    assert body["checks"]["jobmojito"]["ok"] is False
    assert body["status"] == "degraded"


@pytest.mark.django_db
def test_health_is_503_when_the_database_is_down(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "down"


@pytest.mark.django_db
def test_health_sees_a_reachable_jobmojito(monitor, sandbox):
    body = monitor.get("/healthz").json()
    assert body["checks"]["jobmojito"]["ok"] is True
    assert body["status"] == "ok"


@pytest.mark.django_db
def test_health_never_shows_the_token(monitor, settings):
    response = monitor.get("/healthz")
    assert settings.MOJITO_API_TOKEN.encode() not in response.content


@pytest.mark.django_db
def test_it_tells_anonymous_requests_only_the_status(client, settings):
    settings.HEALTHZ_TOKEN = TOKEN
    for headers in ({}, {"X-Healthz-Token": "wrong"}, {"X-Healthz-Token": ""}):
        response = client.get("/healthz", headers=headers)
        assert response.status_code == 200
        assert response.json() == {"status": "degraded"}


@pytest.mark.django_db
def test_it_tells_anonymous_requests_only_the_status_when_down(client, monkeypatch):
    monkeypatch.setattr(health.connection, "cursor", lambda *a, **k: (_ for _ in ()).throw(OperationalError("x")))
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (503, {"status": "down"})


@pytest.mark.django_db
def test_no_token_configured_means_no_token_access(client, settings):
    settings.HEALTHZ_TOKEN = ""
    assert client.get("/healthz", headers={"X-Healthz-Token": ""}).json() == {"status": "degraded"}


@pytest.mark.django_db
def test_it_shows_details_to_staff_but_not_to_other_users(client, django_user_model):
    user = django_user_model.objects.create_user("rita", password="x" * 12)
    client.force_login(user)
    assert set(client.get("/healthz").json()) == {"status"}
    user.is_staff = True
    user.save()
    assert {"status", "checks"} <= set(client.get("/healthz").json())


@pytest.mark.django_db
def test_anonymous_traffic_calls_jobmojito_once_per_interval(client, sandbox, monkeypatch):
    calls = []
    original = health.get_probe_client

    def counting_probe():
        calls.append(1)
        return original()

    monkeypatch.setattr(health, "get_probe_client", counting_probe)
    for _ in range(20):
        assert client.get("/healthz").json() == {"status": "ok"}
    assert len(calls) == 1
