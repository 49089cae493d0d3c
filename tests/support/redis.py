"""Redis for tests that need a real broker: in CI (CI=true) a Redis that does not answer fails the
test; on a developer's machine it skips with the way to get one."""

import os

import pytest


def require_redis(url: str) -> str:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=5)
    try:
        client.ping()
    except Exception as exc:  # noqa: BLE001
        message = f"No Redis server answers at {url} ({exc}); start one (apt-get install redis-server) or set TEST_REDIS_URL."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    finally:
        client.close()
    return url
