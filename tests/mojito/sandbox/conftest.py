"""The sandbox the sandbox tests drive: fresh state per test, closed (threads stopped) after it."""

import pytest

from mojito.sandbox import Sandbox

TOKEN = "sandbox-token"


@pytest.fixture
def sb():
    sandbox = Sandbox(tokens=[TOKEN], base_url="http://sandbox.test:8765")
    yield sandbox
    sandbox.close()
