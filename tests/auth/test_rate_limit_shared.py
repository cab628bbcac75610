"""With REDIS_URL set, log-in limits are shared by every worker process of the server."""

import requests

from tests.servers import AppServer


def test_two_workers_share_one_login_limit(database_url, world, redis_env):
    statuses = []
    with AppServer(database_url, workers=2, env=redis_env) as server:
        # a new connection per attempt, so both workers answer some of them
        for _ in range(14):
            response = requests.post(
                f"{server.url}/api/v1/auth/login",
                json={"username": "org-hust", "password": "wrong"},
                timeout=10,
            )
            statuses.append(response.status_code)
        other = requests.post(
            f"{server.url}/api/v1/auth/login",
            json={"username": "admin", "password": "admin-password"},
            timeout=10,
        )
    assert statuses.count(401) == 10
    assert statuses.count(429) == 4
    assert other.status_code == 200  # the limit is per account
