"""One SSE connection: the current state first, then each new tally, status changes and
a comment line at least every `heartbeat` seconds. After `lifetime` seconds the server
ends the stream; EventSource reconnects with Last-Event-ID, so access is checked again
(a ticket lasts an hour) and the client resumes where it was.

The stream holds no database connection while it waits: the first state is read inside
the request, later snapshots (after the broker comes back) in a short session of their
own. A client that went away is noticed at the next wake-up (at most `heartbeat` seconds)
by peeking at its socket when the stream is idle, and at the latest when a write fails.
"""

import logging
import select
import socket
import time
from collections.abc import Iterator

from flask import Flask, Response, current_app, request

from backend.live.broker import Broker
from backend.live.events import (
    RETRY_MS,
    Event,
    Subscriber,
    comment_frame,
    id_key,
    status_frame,
)
from backend.live.tally import read_tally, tally_json

log = logging.getLogger(__name__)

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def open_stream(class_id: int, user_id: int) -> Response:
    """The text/event-stream answer for a class the caller may watch; 429 when the caller,
    the class or this worker already holds as many streams as allowed (slots.py)."""
    live = current_app.extensions["live"]
    broker: Broker = live.broker
    live.slots.take(user_id, class_id)
    try:
        subscriber = broker.subscribe(class_id)
    except Exception:
        live.slots.give_back(user_id, class_id)
        raise
    try:
        first = _first_events(broker, subscriber, request.headers.get("Last-Event-ID"))
    except Exception:
        broker.unsubscribe(subscriber)
        live.slots.give_back(user_id, class_id)
        raise
    stream = TallyStream(
        current_app._get_current_object(),
        broker,
        subscriber,
        first,
        resumed_from=request.headers.get("Last-Event-ID"),
        heartbeat=live.heartbeat,
        lifetime=live.lifetime,
        client_socket=request.environ.get("gunicorn.socket")
        or request.environ.get("werkzeug.socket"),
    )
    response = Response(stream, mimetype="text/event-stream", headers=SSE_HEADERS)
    response.call_on_close(stream.close)
    response.call_on_close(lambda: live.slots.give_back(user_id, class_id))
    return response


def _first_events(broker: Broker, subscriber: Subscriber, last_id: str | None) -> list[Event]:
    """The events a resuming client missed, or else a snapshot of the current state."""
    if last_id and not subscriber.stale:
        missed = broker.since(subscriber.class_id, last_id)
        if missed is not None:
            return missed
    return [Event(subscriber.head, tally_json(subscriber.class_id))]


def client_gone(sock: socket.socket | None) -> bool:
    """True when the client closed its end (readable with nothing to read). poll, not
    select: a busy worker's socket numbers pass select's limit of 1024."""
    if sock is None:
        return False
    try:
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        return bool(poller.poll(0)) and sock.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


class TallyStream:
    """The body of one SSE answer; WSGI servers iterate it and call close()."""

    def __init__(
        self,
        app: Flask,
        broker: Broker,
        subscriber: Subscriber,
        first: list[Event],
        resumed_from: str | None,
        heartbeat: float,
        lifetime: float,
        client_socket: socket.socket | None,
    ) -> None:
        self._app = app
        self._broker = broker
        self._subscriber = subscriber
        self._first = first
        #: The newest event the client has: nothing older is sent after it.
        self._last_key = max(e.key for e in first) if first else id_key(resumed_from) or (0, 0)
        self._heartbeat = heartbeat
        self._ends = time.monotonic() + lifetime
        self._socket = client_socket

    def __iter__(self) -> Iterator[bytes]:
        yield (
            f"retry: {RETRY_MS}\n\n".encode()
            + b"".join(event.frame for event in self._first)
            + (status_frame(True) if self._broker.degraded else b"")
        )
        while (left := self._ends - time.monotonic()) > 0:
            event, degraded, resync = self._subscriber.wait(min(self._heartbeat, left))
            idle = event is None and degraded is None and not resync
            if idle and client_gone(self._socket):
                return
            chunk = b"" if degraded is None else status_frame(degraded)
            if resync:
                event = self._snapshot()
            if event is not None and (resync or event.key > self._last_key):
                chunk += event.frame
                self._last_key = event.key
            yield chunk or comment_frame()

    def _snapshot(self) -> Event | None:
        """A fresh state after the broker came back (what happened meanwhile was lost)."""
        class_id = self._subscriber.class_id
        try:
            return Event(self._broker.head(class_id), read_tally(self._app, class_id))
        except Exception:
            log.exception("live: no fresh snapshot for class %s", class_id)
            return None

    def close(self) -> None:
        self._broker.unsubscribe(self._subscriber)
