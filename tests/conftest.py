"""Fixtures shared by the whole suite.

The in-process JobMojito sandbox (fresh state per test) is the default stand-in for the API;
``httpx.MockTransport`` is used where a test asserts the exact bytes the client sends.
"""

import pytest  # noqa: E402

DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}


def pytest_collection_modifyitems(items):
    """Every test with database access may also use the call log's connection (mojito.calllog_db):
    a test that makes a JobMojito call writes its ApiCall row there."""
    from django.conf import settings

    aliases = sorted(settings.DATABASES)
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None and not DB_FIXTURES & set(getattr(item, "fixturenames", ())):
            continue
        kwargs = dict(marker.kwargs) if marker else {}
        if kwargs.get("databases") is None:
            kwargs["databases"] = aliases
            item.add_marker(pytest.mark.django_db(*(marker.args if marker else ()), **kwargs), append=False)


@pytest.fixture(autouse=True)
def _call_log_rows_do_not_outlive_the_test(request):
    """On PostgreSQL the call log's connection is a second connection to the test database,
    outside the test's transaction: its rows are committed, so they are deleted after each test."""
    yield
    from django.conf import settings

    alias = getattr(settings, "MOJITO_CALLLOG_DATABASE", None)
    if not alias or settings.DATABASES[alias].get("TEST", {}).get("MIRROR") is None:
        return
    if request.node.get_closest_marker("django_db") is None:
        return
    from mojito.models import ApiCall

    django_db_blocker = request.getfixturevalue("django_db_blocker")
    with django_db_blocker.unblock():
        ApiCall.objects.using(alias).all().delete()


@pytest.fixture(scope="session", autouse=True)
def _celery_publishes_in_memory():
    """Tasks enqueued by tests go to an in-memory broker, never into var/celery-broker of a
    developer's demo. Tests with a real worker point the app at Redis themselves."""
    from recruiting.celery import app

    def drop_pools():
        # Close the pool of the broker in use (if one was opened), then forget it and the producer
        # pool built on it; closing after the switch would close the in-memory broker's own pool,
        # and every later publish would fail with "Acquire on closed pool".
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        if "amqp" in app.__dict__:
            app.__dict__["amqp"]._producer_pool = None

    saved = (app.conf.broker_url, app.conf.broker_transport_options)
    drop_pools()
    app.conf.broker_url, app.conf.broker_transport_options = "memory://", {}
    yield
    drop_pools()
    app.conf.broker_url, app.conf.broker_transport_options = saved


@pytest.fixture
def sandbox(settings):
    """A fresh in-process JobMojito sandbox; the app's client is routed through it for the test.

    Every API answer it gives through ``sb.transport()`` is checked against the spec with unknown
    properties forbidden (tests/contract.py): a test that saw one answer off the contract fails."""
    from mojito.sandbox import Sandbox
    from recruiting.services import client as client_service
    from tests.contract import ContractCheck

    sb = Sandbox(tokens=["sandbox-token", settings.MOJITO_API_TOKEN])
    contract = ContractCheck(sb)
    client_service.use_transport(sb.transport())
    try:
        yield sb
    finally:
        client_service.reset_client()
        sb.close()
    contract.fail_on_violations()


@pytest.fixture(autouse=True)
def _each_test_starts_with_an_empty_cache():
    """The cache (memory of this process in tests) holds what a page computed, e.g. the overview's
    charts: one test's rows must not show up in another's page."""
    from django.core.cache import cache

    cache.clear()
    yield
