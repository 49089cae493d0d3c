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


@pytest.mark.django_db
def test_health_reports_each_dependency_without_login(client):
    response = client.get("/healthz")
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
def test_health_sees_a_reachable_jobmojito(client, sandbox):
    body = client.get("/healthz").json()
    assert body["checks"]["jobmojito"]["ok"] is True
    assert body["status"] == "ok"


@pytest.mark.django_db
def test_health_never_shows_the_token(client, settings):
    response = client.get("/healthz")
    assert settings.MOJITO_API_TOKEN.encode() not in response.content
