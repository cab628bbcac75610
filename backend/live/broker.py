"""The broker: where tally events are published and read back, behind one small interface.

Nobody watching a class, nothing is published for it: `reserve` says so (the caller then
reads no tally) and remembers that the class has an unpublished change until its next event;
a stream opened meanwhile is told (`Subscriber.stale`) and starts from a fresh snapshot
instead of resuming from an id. Subscribing and that check are one atomic step, and so are
the reservation's check and the remembering, so no change can slip between them.

Publishing goes in two steps so that, whatever the number of processes, the last event of
a class is the state after the last commit: `reserve` hands out an increasing ticket (or
says how long to wait: one reservation per class per `interval`, which spaces its events),
the caller then reads the tally from the database, and `publish` appends it only if no
event with a later ticket got there first. A tally read after taking a ticket sees every commit
made before that ticket was taken, so the highest ticket always carries the final state.

`MemoryBroker` keeps a bounded log per class in this process (one process: `flask run`,
tests, a single gunicorn worker); `RedisBroker` (redis_broker.py) shares streams between
processes and machines.
"""

import itertools
import threading
import time
from abc import ABC, abstractmethod
from collections import deque
from dataclasses import dataclass

from backend.live.events import Event, Hub, Subscriber, id_key

#: Events kept per class for resuming (Last-Event-ID).
LOG_SIZE = 1000


@dataclass(frozen=True)
class Slot:
    """The answer of `reserve`: a ticket to publish with, or seconds to wait first, or that
    nobody watches the class (nothing to publish)."""

    ticket: int | None
    wait: float = 0.0
    watched: bool = True


class Broker(ABC):
    """Publish a class's tally; subscribe to a class; replay what a client missed."""

    def __init__(self, interval: float) -> None:
        #: Minimum seconds between two events of a class.
        self.interval = interval
        #: The subscribers of this process.
        self.hub = Hub()
        #: True while the shared broker cannot be reached.
        self.degraded = False

    def subscribe(self, class_id: int) -> Subscriber:
        subscriber = Subscriber(class_id)
        self.hub.add(subscriber)
        subscriber.head = self.head(class_id)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        self.hub.remove(subscriber)

    @abstractmethod
    def reserve(self, class_id: int) -> Slot:
        """A ticket to publish the class's next tally with, how long to wait, or unwatched."""

    @abstractmethod
    def publish(self, class_id: int, data: str, ticket: int) -> str | None:
        """Append the tally unless a later ticket was published; the new event id or None."""

    @abstractmethod
    def head(self, class_id: int) -> str | None:
        """The id of the class's newest event ("<start>-0" when none); None when unknown."""

    @abstractmethod
    def since(self, class_id: int, last_id: str) -> list[Event] | None:
        """The events after `last_id`, oldest first; None when some were dropped since
        (too old, or an id this broker never gave): the caller sends a fresh snapshot."""

    def close(self) -> None:  # noqa: B027  (only the Redis broker has work to stop)
        """Stop background work (the Redis reader)."""


class MemoryBroker(Broker):
    """The default: a bounded log per class in this process's memory."""

    def __init__(self, interval: float, log_size: int = LOG_SIZE) -> None:
        super().__init__(interval)
        #: Ids are "<epoch>-<seq>": a restarted process never resumes an old id.
        self._epoch = time.time_ns() // 1_000_000
        self._lock = threading.RLock()
        #: Classes with a change that went unpublished (nobody watched) since their last event.
        self._unpublished: set[int] = set()
        self._logs: dict[int, deque[Event]] = {}
        self._seq: dict[int, int] = {}
        self._published_ticket: dict[int, int] = {}
        self._last_reserve: dict[int, float] = {}
        self._tickets = itertools.count(1)
        self._log_size = log_size

    def subscribe(self, class_id: int) -> Subscriber:
        with self._lock:
            subscriber = super().subscribe(class_id)
            subscriber.stale = class_id in self._unpublished
            return subscriber

    def reserve(self, class_id: int) -> Slot:
        with self._lock:
            if not self.hub.watches(class_id):
                self._unpublished.add(class_id)
                return Slot(None, watched=False)
            now = time.monotonic()
            wait = self._last_reserve.get(class_id, -1e9) + self.interval - now
            if wait > 0:
                return Slot(None, wait)
            self._last_reserve[class_id] = now
            return Slot(next(self._tickets))

    def publish(self, class_id: int, data: str, ticket: int) -> str | None:
        with self._lock:
            if ticket <= self._published_ticket.get(class_id, 0):
                return None
            self._published_ticket[class_id] = ticket
            self._unpublished.discard(class_id)
            seq = self._seq[class_id] = self._seq.get(class_id, 0) + 1
            event = Event(f"{self._epoch}-{seq}", data)
            self._logs.setdefault(class_id, deque(maxlen=self._log_size)).append(event)
        self.hub.deliver(class_id, event)
        return event.id

    def head(self, class_id: int) -> str:
        with self._lock:
            return f"{self._epoch}-{self._seq.get(class_id, 0)}"

    def since(self, class_id: int, last_id: str) -> list[Event] | None:
        key = id_key(last_id)
        with self._lock:
            log = list(self._logs.get(class_id, ()))
            newest = self._seq.get(class_id, 0)
        if key is None or key[0] != self._epoch or key[1] > newest:
            return None
        oldest_kept = log[0].key[1] if log else newest + 1
        if key[1] < oldest_kept - 1:
            return None
        return [event for event in log if event.key > key]
