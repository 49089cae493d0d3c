"""Fixtures shared by the whole suite.

The in-process JobMojito sandbox (fresh state per test) is the default stand-in for the API;
``httpx.MockTransport`` is used where a test asserts the exact bytes the client sends.
"""

import pytest  # noqa: E402


@pytest.fixture
def sandbox(settings):
    """A fresh in-process JobMojito sandbox; the app's client is routed through it for the test."""
    from mojito.sandbox import Sandbox
    from recruiting.services import client as client_service

    sb = Sandbox(tokens=["sandbox-token", settings.MOJITO_API_TOKEN])
    client_service.use_transport(sb.transport())
    try:
        yield sb
    finally:
        client_service.reset_client()
        sb.close()
