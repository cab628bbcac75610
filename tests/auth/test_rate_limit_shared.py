"""With REDIS_URL set, log-in limits are shared by every worker (here: two app instances)."""

import uuid

import pytest
import redis

from backend import create_app
from tests.conftest import base_config

REDIS_URL = "redis://127.0.0.1:6379/0"


def _redis_answers() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.mark.skipif(not _redis_answers(), reason="Redis does not answer on 127.0.0.1:6379")
def test_two_workers_share_one_login_limit(database_url, world):
    prefix = f"yanxiu-test-{uuid.uuid4().hex[:8]}"
    config = {
        **base_config(database_url),
        "REDIS_URL": REDIS_URL,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": prefix,
    }
    workers = [create_app(config).test_client() for _ in range(2)]
    statuses = []
    try:
        for attempt in range(14):
            response = workers[attempt % 2].post(
                "/api/v1/auth/login", json={"username": "org-hust", "password": "wrong"}
            )
            statuses.append(response.status_code)
    finally:
        connection = redis.Redis.from_url(REDIS_URL)
        for key in connection.scan_iter(f"*{prefix}*"):
            connection.delete(key)
    assert statuses.count(401) == 10
    assert statuses.count(429) == 4
