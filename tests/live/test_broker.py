"""The broker contract, on both implementations (Redis: a private server of this test)."""

import uuid

import pytest

from backend.live.broker import MemoryBroker
from backend.live.redis_broker import RedisBroker

CLASS = 7


@pytest.fixture(params=["memory", "redis"])
def bare_broker(request):
    """A broker nobody subscribed to yet."""
    if request.param == "memory":
        yield MemoryBroker(interval=0, log_size=100)
        return
    server = request.getfixturevalue("redis_server")
    broker = RedisBroker(server.url, interval=0, prefix=f"test:{uuid.uuid4().hex}", log_size=100)
    yield broker
    broker.close()


@pytest.fixture
def broker(bare_broker):
    """A broker with someone watching CLASS and CLASS + 1 (else nothing is published)."""
    watchers = [bare_broker.subscribe(CLASS), bare_broker.subscribe(CLASS + 1)]
    yield bare_broker
    for watcher in watchers:
        bare_broker.unsubscribe(watcher)


def publish(broker, data: str) -> str:
    return broker.publish(CLASS, data, broker.reserve(CLASS).ticket)


def test_a_stale_ticket_never_overwrites_a_newer_state(broker):
    start = broker.head(CLASS)
    older, newer = broker.reserve(CLASS), broker.reserve(CLASS)
    assert broker.publish(CLASS, "newer", newer.ticket)
    assert broker.publish(CLASS, "older", older.ticket) is None
    assert [e.data for e in broker.since(CLASS, start)] == ["newer"]


def test_events_of_a_class_are_spaced_by_the_interval(broker):
    broker.interval = 0.2
    publish(broker, "first")
    slot = broker.reserve(CLASS)
    assert slot.ticket is None
    assert 0 < slot.wait <= 0.2
    assert broker.reserve(CLASS + 1).ticket is not None  # other classes are not held up


def test_an_idle_class_publishes_at_once_then_holds_the_window(broker):
    broker.interval = 3600.0
    assert broker.reserve(CLASS).ticket is not None  # the first change of a burst: now
    held = broker.reserve(CLASS)
    assert held.ticket is None
    assert 3500 < held.wait <= 3600  # the rest waits for the window's end


def test_subscribers_get_the_newest_event(broker):
    subscriber = broker.subscribe(CLASS)
    try:
        assert subscriber.head == broker.head(CLASS)
        event_id = publish(broker, "hello")
        event, degraded, resync = subscriber.wait(3)
        assert (event.id, event.data, degraded, resync) == (event_id, "hello", None, False)
    finally:
        broker.unsubscribe(subscriber)
    assert broker.hub.count() == 2  # the fixture's watchers


def test_since_replays_in_order(broker):
    start = broker.head(CLASS)
    assert broker.since(CLASS, start) == []
    ids = [publish(broker, f"n{i}") for i in range(3)]
    assert [e.id for e in broker.since(CLASS, start)] == ids
    assert [e.data for e in broker.since(CLASS, ids[0])] == ["n1", "n2"]
    assert broker.since(CLASS, ids[-1]) == []


def test_since_gives_up_on_trimmed_and_unknown_ids(broker):
    first = publish(broker, "first")
    for i in range(400):  # far beyond the log (Redis trims approximately, by whole nodes)
        last = publish(broker, f"n{i}")
    assert broker.since(CLASS, first) is None
    assert [e.data for e in broker.since(CLASS, last)] == []
    assert broker.since(CLASS, "99999999999999-0") is None  # never given
    assert broker.since(CLASS, "not-an-id") is None


def test_nothing_is_published_unwatched_and_the_next_watcher_starts_afresh(bare_broker):
    broker = bare_broker
    start = broker.head(CLASS)
    slot = broker.reserve(CLASS)
    assert (slot.ticket, slot.watched) == (None, False)  # no tally read for nobody
    first = broker.subscribe(CLASS)
    try:
        assert first.stale  # a change went unpublished: resuming from `start` would miss it
        assert broker.since(CLASS, start) == []
        event_id = publish(broker, "after")
        second = broker.subscribe(CLASS)
        assert not second.stale  # the newest event has the state again
        assert [e.id for e in broker.since(CLASS, start)] == [event_id]
        broker.unsubscribe(second)
    finally:
        broker.unsubscribe(first)
    other = broker.subscribe(CLASS + 1)  # never changed: nothing missed
    assert not other.stale
    broker.unsubscribe(other)
