"""Redis down: check-ins still succeed, streams say they are degraded, and come back with a
fresh snapshot when Redis does. A private redis-server is stopped and started again."""

import pytest

from backend import create_app
from backend.extensions import db
from tests.conftest import base_config, check_in
from tests.live.conftest import stream_url, tally, ticket_for
from tests.live.sse import SSEClient


@pytest.fixture
def app(database_url, redis_server):
    app = create_app(
        {**base_config(database_url), "REDIS_URL": redis_server.url, "LIVE_HEARTBEAT_SECONDS": 1}
    )
    yield app
    app.extensions["live"].broker.close()
    with app.app_context():
        db.engine.dispose()


def test_the_stream_runs_on_redis_streams(app, api, world, live_server, redis_server):
    with SSEClient(stream_url(live_server, world, ticket_for(api, world))) as stream:
        first = stream.next()
        check_in(api, world, next(iter(world.trainees)))
        event = stream.next()
    assert tally(event)["attendees"] == 1
    import redis

    client = redis.Redis.from_url(redis_server.url, decode_responses=True)
    [(entry_id, fields)] = client.xrange(f"yanxiu:live:class:{world.class_id}")
    assert entry_id == event["id"] != first["id"]
    assert tally(fields) == tally(event)


def test_redis_down_degrades_the_stream_not_the_check_ins(
    app, api, crowd, live_server, redis_server
):
    trainees = iter(crowd.trainees)
    with SSEClient(stream_url(live_server, crowd, ticket_for(api, crowd))) as stream:
        stream.next()
        check_in(api, crowd, next(trainees))
        assert tally(stream.next())["attendees"] == 1

        redis_server.stop()
        assert stream.next("status")["data"] == '{"degraded": true}'
        for _ in range(3):  # the database is the truth: these succeed
            check_in(api, crowd, next(trainees))

        redis_server.start()
        assert stream.next("status")["data"] == '{"degraded": false}'
        snapshot = stream.next()
        assert tally(snapshot)["attendees"] == 4  # what happened during the outage

        check_in(api, crowd, next(trainees))
        snapshot = stream.until(lambda state: state["attendees"] == 5)
        assert tally(snapshot)["attendees"] == 5


def test_a_stream_opened_while_redis_is_down_says_so(app, api, world, live_server, redis_server):
    redis_server.stop()
    with SSEClient(stream_url(live_server, world, ticket_for(api, world))) as stream:
        assert tally(stream.next())["class_id"] == world.class_id  # from the database
        assert stream.next("status")["data"] == '{"degraded": true}'
