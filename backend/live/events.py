"""Server-sent events of the live tally: ids, frames and the local subscribers.

An event id is "<a>-<b>" with two integers: a Redis stream entry id (milliseconds and a
sequence), or for the in-process broker the broker's start time and a per-class sequence.
Ids of one class compare as integer pairs; a tally is a full state, so a subscriber only
ever needs the newest event it has not sent yet.
"""

import json
import threading
from dataclasses import dataclass, field
from functools import cached_property

#: Sent on connect: EventSource waits this long before reconnecting.
RETRY_MS = 3000


def id_key(event_id: str | None) -> tuple[int, int] | None:
    """The comparable form of an event id, or None for anything that is not one."""
    if not event_id:
        return None
    first, _, second = event_id.strip().partition("-")
    try:
        return int(first), int(second or 0)
    except ValueError:
        return None


@dataclass(frozen=True)
class Event:
    """One tally event: its id (None for a snapshot taken while the broker is down) and its
    JSON text."""

    id: str | None
    data: str

    @cached_property
    def key(self) -> tuple[int, int]:
        return id_key(self.id) or (0, 0)

    @cached_property
    def frame(self) -> bytes:
        """The SSE text, built once however many subscribers it goes to."""
        head = f"id: {self.id}\n" if self.id else ""
        return f"{head}event: tally\ndata: {self.data}\n\n".encode()


def status_frame(degraded: bool) -> bytes:
    """Tells the client whether live updates may be missing (the broker is unreachable)."""
    return f"event: status\ndata: {json.dumps({'degraded': degraded})}\n\n".encode()


def comment_frame(text: str = "keep-alive") -> bytes:
    return f": {text}\n\n".encode()


@dataclass(eq=False)
class Subscriber:
    """One open stream in this process: the newest undelivered event and status changes."""

    class_id: int
    #: The newest event id of the class when the subscription began (None: unknown).
    head: str | None = None
    #: A change went unpublished since that event (nobody watched): resuming from an id
    #: would miss it, so the stream starts with a fresh snapshot.
    stale: bool = False
    _cond: threading.Condition = field(default_factory=threading.Condition)
    _event: Event | None = None
    _degraded: bool | None = None
    _resync: bool = False

    def offer(self, event: Event) -> None:
        """Keep the event if it is newer than the one waiting (bursts merge here)."""
        with self._cond:
            if self._event is None or event.key > self._event.key:
                self._event = event
                self._cond.notify()

    def set_degraded(self, degraded: bool) -> None:
        """The broker went down or came back; coming back calls for a fresh snapshot."""
        with self._cond:
            self._degraded = degraded
            self._resync = self._resync or not degraded
            self._cond.notify()

    def wait(self, timeout: float) -> tuple[Event | None, bool | None, bool]:
        """Block until something is pending or `timeout` passes; return and clear
        (event, degraded change, resync needed)."""
        with self._cond:
            self._cond.wait_for(
                lambda: self._event or self._degraded is not None or self._resync, timeout
            )
            pending = self._event, self._degraded, self._resync
            self._event, self._degraded, self._resync = None, None, False
            return pending


class Hub:
    """The subscribers of this process, by class; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_class: dict[int, set[Subscriber]] = {}

    def add(self, subscriber: Subscriber) -> bool:
        """Register; True when it is the first subscriber of its class here."""
        with self._lock:
            subscribers = self._by_class.setdefault(subscriber.class_id, set())
            subscribers.add(subscriber)
            return len(subscribers) == 1

    def remove(self, subscriber: Subscriber) -> bool:
        """Unregister; True when the class has no subscriber left here."""
        with self._lock:
            subscribers = self._by_class.get(subscriber.class_id, set())
            subscribers.discard(subscriber)
            if subscribers:
                return False
            self._by_class.pop(subscriber.class_id, None)
            return True

    def classes(self) -> list[int]:
        with self._lock:
            return list(self._by_class)

    def watches(self, class_id: int) -> bool:
        with self._lock:
            return class_id in self._by_class

    def count(self) -> int:
        with self._lock:
            return sum(len(s) for s in self._by_class.values())

    def deliver(self, class_id: int, event: Event) -> None:
        with self._lock:
            subscribers = list(self._by_class.get(class_id, ()))
        for subscriber in subscribers:
            subscriber.offer(event)

    def set_degraded(self, degraded: bool) -> None:
        with self._lock:
            subscribers = [s for group in self._by_class.values() for s in group]
        for subscriber in subscribers:
            subscriber.set_degraded(degraded)
