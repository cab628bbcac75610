"""The deployed rate-limit strategy (the sliding-window counter) stops the hit after the limit.

The rest of the suite counts with the exact moving window (tests/conftest.py); this test runs
the default strategy and starts in a fresh clock minute, because the counter forgets part of
the last minute's hits as soon as a minute turns (backend/config.py says by how much).
"""

import time

from backend import create_app
from backend.extensions import db
from tests.conftest import base_config, build_world


def _wait_for_a_fresh_minute(needed_seconds: float = 15) -> None:
    """Return when at least `needed_seconds` of the current clock minute are left."""
    left = 60 - time.time() % 60
    if left < needed_seconds:
        time.sleep(left + 0.05)


def test_the_default_strategy_refuses_the_hit_after_the_limit(database_url):
    config = {k: v for k, v in base_config(database_url).items() if k != "RATELIMIT_STRATEGY"}
    app = create_app(config)
    assert app.config["RATELIMIT_STRATEGY"] == "sliding-window-counter"
    app.config["LOGIN_IP_LIMIT"] = "3/minute"
    build_world(app)
    client = app.test_client()
    _wait_for_a_fresh_minute()
    statuses = [
        client.post(
            "/api/v1/auth/login", json={"username": f"nobody{i}", "password": "x"}
        ).status_code
        for i in range(5)
    ]
    with app.app_context():
        db.engine.dispose()
    assert statuses == [401, 401, 401, 429, 429]
