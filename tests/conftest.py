"""Fixtures shared by the whole suite.

The in-process JobMojito sandbox (fresh state per test) is the default stand-in for the API;
``httpx.MockTransport`` is used where a test asserts the exact bytes the client sends.
"""
