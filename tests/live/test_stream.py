"""The SSE endpoint on the in-process broker, served by werkzeug's threaded server (what
`flask run` uses), with check-ins made through POST /checkins."""

from backend.extensions import db
from tests.conftest import PATIENCE, check_in, close_survey, open_survey, wait_for
from tests.live.conftest import answer_survey, stream_url, tally, ticket_for
from tests.live.sse import SSEClient


def _hub(app):
    return app.extensions["live"].broker.hub


def test_the_first_event_is_the_current_state(app, api, world, live_server):
    first_trainee = next(iter(world.trainees))
    check_in(api, world, first_trainee)
    with SSEClient(stream_url(live_server, world, ticket_for(api, world))) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        assert stream.headers["cache-control"] == "no-cache"
        assert stream.headers["x-accel-buffering"] == "no"
        event = stream.next()
    assert event["id"]
    state = tally(event)
    assert state["class_id"] == world.class_id
    assert state["enrolled"] == 5
    assert state["attendees"] == 1
    assert state["checked_in"] == {
        str(world.session_ids[0]): 1,
        **{str(s): 0 for s in world.session_ids[1:]},
    }
    assert state["survey"] == {"issued": 0, "returned": 0}  # never opened: none issued
    assert state["at"].endswith("+08:00")


def test_a_check_in_arrives_on_the_stream(app, api, world, live_server):
    with SSEClient(stream_url(live_server, world, ticket_for(api, world))) as stream:
        assert tally(stream.next())["attendees"] == 0
        check_in(api, world, next(iter(world.trainees)))
        event = stream.next()
    assert tally(event)["attendees"] == 1
    assert tally(event)["checked_in"][str(world.session_ids[0])] == 1


def test_a_returned_form_arrives_on_the_stream(app, api, world, live_server):
    trainee = next(iter(world.trainees))
    check_in(api, world, trainee)
    open_survey(api, world)
    with SSEClient(stream_url(live_server, world, ticket_for(api, world))) as stream:
        assert tally(stream.next())["survey"] == {"issued": 1, "returned": 0}
        answer_survey(api, world, trainee)  # held back until a batch fills or it closes
        close_survey(api, world)
        event = stream.until(lambda state: state["survey"]["returned"] == 1)
    assert tally(event)["survey"] == {"issued": 1, "returned": 1}


def test_a_burst_is_merged_and_the_last_event_is_the_final_state(app, api, crowd, live_server):
    """One event per merge window: with a 5 s window, 12 check-ins give far fewer than 12
    events (it would take a minute to send them for the count to reach 12)."""
    app.extensions["live"].broker.interval = 5.0
    with SSEClient(stream_url(live_server, crowd, ticket_for(api, crowd))) as stream:
        stream.next()
        for enrollment_id in crowd.trainees:
            check_in(api, crowd, enrollment_id)
        events = [stream.next(timeout=60)]
        while tally(events[-1])["attendees"] < 12:
            events.append(stream.next(timeout=60))
    assert tally(events[-1])["checked_in"][str(crowd.session_ids[0])] == 12
    assert len(events) < 12


def test_a_quiet_class_gets_its_event_at_once(app, api, world, live_server):
    """The merge window opens at the first change of a burst, which goes out at once: with an
    hour-long window the event could not arrive within the test's patience otherwise."""
    app.extensions["live"].broker.interval = 3600.0
    with SSEClient(stream_url(live_server, world, ticket_for(api, world))) as stream:
        assert tally(stream.next())["attendees"] == 0
        check_in(api, world, next(iter(world.trainees)))
        assert tally(stream.next())["attendees"] == 1


def test_the_rest_of_a_burst_is_merged_into_one_event_at_the_end_of_the_window(
    app, api, crowd, live_server
):
    """After the first change, changes inside the window wait for its end and go out as one
    event: the next event after the first check-in's already counts all five."""
    live = app.extensions["live"]
    live.broker.interval = 3600.0
    first, *others = list(crowd.trainees)[:5]
    with SSEClient(stream_url(live_server, crowd, ticket_for(api, crowd))) as stream:
        assert tally(stream.next())["attendees"] == 0
        check_in(api, crowd, first)
        assert tally(stream.next())["attendees"] == 1
        for enrollment_id in others:
            check_in(api, crowd, enrollment_id)
        assert live.publisher.drain(timeout=0) is False  # held for the window's end
        live.broker.interval = 0.0  # the window ends
        assert live.publisher.drain(PATIENCE)
        assert tally(stream.next())["attendees"] == 5


def test_an_idle_stream_gets_comment_lines(app, api, world, live_server):
    app.extensions["live"].heartbeat = 0.3
    with SSEClient(stream_url(live_server, world, ticket_for(api, world))) as stream:
        stream.next()
        assert stream.next("comment")["comment"] == "keep-alive"


def test_a_client_that_left_is_dropped_by_the_next_heartbeat(app, api, world, live_server):
    app.extensions["live"].heartbeat = 0.3
    stream = SSEClient(stream_url(live_server, world, ticket_for(api, world)))
    stream.next()
    assert _hub(app).count() == 1
    stream.close()
    wait_for(lambda: _hub(app).count() == 0, "dropped")


def test_the_server_ends_a_stream_after_its_lifetime(app, api, world, live_server):
    """EventSource then reconnects, which checks the ticket again."""
    app.extensions["live"].lifetime = 0.5
    with SSEClient(stream_url(live_server, world, ticket_for(api, world))) as stream:
        stream.next()
        assert stream.ended.wait(PATIENCE)
    assert _hub(app).count() == 0


def test_last_event_id_replays_what_was_missed(app, api, world, live_server):
    ticket = ticket_for(api, world)
    with SSEClient(stream_url(live_server, world, ticket)) as stream:
        first = stream.next()
    missed = []
    with SSEClient(stream_url(live_server, world, ticket)) as watcher:
        watcher.next()
        for enrollment_id in world.trainees:  # one at a time: three separate events
            check_in(api, world, enrollment_id)
            missed.append(watcher.next())
    headers = {"Last-Event-ID": first["id"]}
    with SSEClient(stream_url(live_server, world, ticket), headers) as resumed:
        replayed = [resumed.next() for _ in missed]
        assert resumed.drain(0.5) == []
    assert [e["id"] for e in replayed] == [e["id"] for e in missed]
    assert [tally(e)["attendees"] for e in replayed] == [1, 2, 3]


def test_a_change_nobody_watched_reaches_the_client_that_resumes(app, api, world, live_server):
    """With no stream open nothing is published (no tally read for nobody); a client coming
    back with its Last-Event-ID then gets the current state, not an empty replay."""
    app.extensions["live"].heartbeat = 0.3  # the closed stream is noticed soon
    ticket = ticket_for(api, world)
    with SSEClient(stream_url(live_server, world, ticket)) as stream:
        first = stream.next()
    wait_for(lambda: _hub(app).count() == 0, "the stream closed")
    check_in(api, world, next(iter(world.trainees)))
    assert app.extensions["live"].publisher.drain(PATIENCE)
    headers = {"Last-Event-ID": first["id"]}
    with SSEClient(stream_url(live_server, world, ticket), headers) as resumed:
        event = resumed.next()
    assert tally(first)["attendees"] == 0 and tally(event)["attendees"] == 1


def test_an_unknown_last_event_id_gets_a_fresh_snapshot(app, api, world, live_server):
    check_in(api, world, next(iter(world.trainees)))
    assert app.extensions["live"].publisher.drain(PATIENCE)
    head = app.extensions["live"].broker.head(world.class_id)
    headers = {"Last-Event-ID": "12345-6"}  # another process's id: its events are unknown here
    with SSEClient(stream_url(live_server, world, ticket_for(api, world)), headers) as stream:
        event = stream.next()
    assert event["id"] == head
    assert tally(event)["attendees"] == 1


def test_nothing_is_published_for_a_rolled_back_write(app, world):
    """A signal sent inside a transaction that rolls back publishes nothing; a commit does."""
    from backend.checkin.models import CheckIn, CheckInSource
    from backend.core import signals
    from backend.core.timeutil import utcnow

    broker = app.extensions["live"].broker
    watcher = broker.subscribe(world.class_id)  # an open dashboard: else nothing is published
    enrollment_id, session_id = next(iter(world.trainees)), world.session_ids[0]

    def write(finish) -> None:
        with app.app_context():
            db.session.add(
                CheckIn(
                    enrollment_id=enrollment_id,
                    session_id=session_id,
                    class_id=world.class_id,
                    checked_in_at=utcnow(),
                    source=CheckInSource.MANUAL,
                )
            )
            db.session.flush()
            signals.checked_in.send(
                world.class_id, session_id=session_id, enrollment_id=enrollment_id
            )
            finish()

    before = broker.head(world.class_id)
    publisher = app.extensions["live"].publisher
    with app.app_context():
        write(db.session.rollback)
        assert publisher.drain(PATIENCE)  # nothing was marked: nothing to wait for
        assert broker.head(world.class_id) == before
        write(db.session.commit)
    assert publisher.drain(PATIENCE)
    [event] = broker.since(world.class_id, before)
    assert tally({"data": event.data})["attendees"] == 1
    broker.unsubscribe(watcher)
