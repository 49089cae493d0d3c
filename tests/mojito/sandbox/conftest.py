"""The sandbox the sandbox tests drive: fresh state per test, closed (threads stopped) after it."""

import pytest

from mojito.sandbox import Sandbox

TOKEN = "sandbox-token"


@pytest.fixture
def sb():
    """Every API answer through ``sandbox.transport()`` is checked against the strict contract."""
    from tests.contract import ContractCheck

    sandbox = Sandbox(tokens=[TOKEN], base_url="http://sandbox.test:8765")
    contract = ContractCheck(sandbox)
    yield sandbox
    sandbox.close()
    contract.fail_on_violations()
