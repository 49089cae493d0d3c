"""Fixtures shared by the whole suite.

The in-process JobMojito sandbox (fresh state per test) is the default stand-in for the API;
``httpx.MockTransport`` is used where a test asserts the exact bytes the client sends.
"""

import pytest  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _celery_publishes_in_memory():
    """Tasks enqueued by tests go to an in-memory broker, never into var/celery-broker of a
    developer's demo. Tests with a real worker point the app at Redis themselves."""
    from recruiting.celery import app

    saved = (app.conf.broker_url, app.conf.broker_transport_options)
    app.conf.broker_url, app.conf.broker_transport_options = "memory://", {}
    app.pool.force_close_all()
    yield
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
