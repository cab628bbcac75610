"""The check-in's own rate limits: per trainee and per address, in Redis or in memory."""

import pytest
import redis

from backend import create_app
from backend.checkin.limits import CheckinLimits, MemoryWindows, Window
from backend.extensions import db
from tests.checkin.helpers import scan
from tests.conftest import base_config
from tests.live.conftest import RedisServer


@pytest.fixture(params=["memory", "redis"])
def app(request, database_url):
    """2 check-ins a minute per trainee, 3 per address; counted in memory or in Redis."""
    config = {
        **base_config(database_url),
        "CHECKIN_TRAINEE_LIMIT": "2/minute",
        "CHECKIN_IP_LIMIT": "3/minute",
    }
    server = RedisServer().start() if request.param == "redis" else None
    if server:
        config["REDIS_URL"] = server.url
    app = create_app(config)
    yield app
    app.extensions["live"].publisher.drain()
    with app.app_context():
        db.engine.dispose()
    if server:
        server.stop()


def qr_text(api, world) -> str:
    return api.get(f"/sessions/{world.session_ids[0]}/checkin-code", world.organizer).json[
        "qr_text"
    ]


def test_a_trainee_beyond_the_limit_is_told_how_long_to_wait(api, world):
    token = qr_text(api, world)
    assert [scan(api, world.trainee, token=token).status_code for _ in range(2)] == [201, 200]
    refused = scan(api, world.trainee, token=token)
    assert refused.status_code == 429 and refused.json["error"] == "rate_limited"
    assert refused.json["message"].startswith("签到过于频繁")
    assert 55 <= int(refused.headers["Retry-After"]) <= 60


def test_a_refused_check_in_counts_on_neither_limit(api, world):
    token = qr_text(api, world)
    first, second = list(world.trainees.values())[:2]
    statuses = [scan(api, first, token=token).status_code for _ in range(3)]
    assert statuses == [201, 200, 429]  # the third counted neither on `first` nor the address
    assert scan(api, second, token=token).status_code == 201  # the address's third
    refused = scan(api, second, token=token)  # `second`'s own second: the address is full
    assert refused.status_code == 429 and refused.json["error"] == "rate_limited"


def test_scans_without_a_trainee_token_are_limited_per_address(api, world):
    token = qr_text(api, world)
    statuses = [api.post("/checkins", None, json={"token": token}).status_code for _ in range(3)]
    assert statuses == [401, 401, 429]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_wait_is_until_the_oldest_hit_leaves_the_window():
    clock = Clock()
    memory = MemoryWindows(clock)
    window = [Window("k", 2, 60_000)]
    assert memory.take(window) == 0
    clock.now += 10
    assert memory.take(window) == 0
    clock.now += 10
    assert memory.take(window) == 40_000
    clock.now += 40
    assert memory.take(window) == 0  # the first hit has left; the second is 50 s old
    assert memory.take(window) == 10_000


def test_keys_whose_hits_have_left_the_window_are_dropped(monkeypatch):
    monkeypatch.setattr(MemoryWindows, "SWEEP_EVERY", 3)
    clock = Clock()
    memory = MemoryWindows(clock)
    memory.take([Window("old", 5, 60_000)])
    clock.now += 61
    memory.take([Window("a", 5, 60_000)])
    memory.take([Window("b", 5, 60_000)])  # the third take sweeps
    assert set(memory._hits) == {"a", "b"}


def test_redis_down_counts_in_memory_and_comes_back_to_redis():
    server = RedisServer().start()
    client = redis.Redis.from_url(server.url, socket_timeout=1, socket_connect_timeout=1)
    clock = Clock()
    limits = CheckinLimits(client, clock)
    window = [Window("yanxiu:checkin:trainee:1", 2, 60_000)]
    try:
        assert limits.take(window) == 0
        assert client.llen(window[0].key) == 1  # counted in Redis

        server.stop()
        assert [limits.take(window) > 0 for _ in range(3)] == [False, False, True]  # in memory

        server.start()  # an empty Redis on the same port
        assert limits.take(window) > 0  # memory still, for the first second
        clock.now += 1
        assert limits.take(window) == 0
        assert client.llen(window[0].key) == 1  # back in Redis
    finally:
        server.stop()
