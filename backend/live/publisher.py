"""Publishing after the commit, never before and never for a rolled-back write.

The signal receivers only note the class id in `db.session.info`; the SQLAlchemy
`after_commit` event hands the noted ids to this process's publisher, and a rollback
drops them. The publisher is a few background threads per process: it reads each changed
class's tally in its own session (after the commit, so the tally includes it) and
publishes it. The request that made the change never waits for it, and a broker error
never reaches it.

The merge window: a class that was idle is published at once (the first change of a burst
goes out within milliseconds), which opens a window of `interval` seconds; what is
committed inside it waits for the window's end and goes out as one event, which opens the
next window. The broker keeps the window (across processes with Redis); a class held for
its window's end stays due until then, and further changes to it cost the request nothing
more than a dictionary lookup (no thread woken, no round trip to the broker).
"""

import logging
import threading
import time
from collections.abc import Iterable

import redis
from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from backend.core import signals
from backend.extensions import db
from backend.live.broker import Broker
from backend.live.tally import read_tally

log = logging.getLogger(__name__)

#: Where a session keeps the ids of the classes its transaction changed.
INFO_KEY = "live_class_ids"
#: A publisher thread ends after this long without work (they restart on demand).
IDLE_EXIT_S = 30.0


class TallyPublisher:
    """Publishes the tallies of changed classes from a few background threads.

    A class is published by one thread at a time; several classes in parallel, so that one
    busy class (or a slow round trip) never holds up the others.
    """

    def __init__(self, app: Flask, broker: Broker, threads: int = 4) -> None:
        self._app = app
        self._broker = broker
        self._size = threads
        self._cond = threading.Condition()
        #: Class id -> when (time.monotonic) its tally should be published.
        self._due: dict[int, float] = {}
        #: Classes being published right now.
        self._busy: set[int] = set()
        #: Callers of drain() waiting for the publishers to finish.
        self._draining = 0
        self._threads = 0
        #: The last publish failed: further failures are not logged again (no log flood
        #: while Redis is down at 100 check-ins a second).
        self._failing = False

    def mark(self, class_ids: Iterable[int]) -> None:
        """These classes changed in a committed transaction: publish them now, or at the end
        of their window when they are already due (held for it, or being published)."""
        now = time.monotonic()
        with self._cond:
            fresh = [c for c in class_ids if c not in self._due]
            if not fresh:
                return  # all held: the end of their window publishes this change too
            for class_id in fresh:
                self._due[class_id] = now
            while self._threads < self._size:
                self._threads += 1
                threading.Thread(target=self._run, name="live-publisher", daemon=True).start()
            self._cond.notify(len(fresh))

    def drain(self, timeout: float = 5.0) -> bool:
        """Publish every marked class as soon as its broker allows (held ones too: the broker
        still spaces them by its window) and wait until done (for shutdown and tests)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            now = time.monotonic()
            self._due = {class_id: min(due, now) for class_id, due in self._due.items()}
            self._cond.notify_all()
            self._draining += 1
            try:
                while self._due or self._busy:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return False
                    self._cond.wait(remaining)
            finally:
                self._draining -= 1
        return True

    def _take(self) -> int | None:
        """The next class that is due and not being published; None when idle for long
        (the thread ends)."""
        idle_since = time.monotonic()
        with self._cond:
            while True:
                now = time.monotonic()
                waiting = {c: due for c, due in self._due.items() if c not in self._busy}
                if waiting:
                    class_id = min(waiting, key=waiting.get)
                    if waiting[class_id] <= now:
                        del self._due[class_id]
                        self._busy.add(class_id)
                        return class_id
                elif now - idle_since >= IDLE_EXIT_S:
                    self._threads -= 1
                    return None
                self._cond.wait(min(waiting.values()) - now if waiting else IDLE_EXIT_S)

    def _run(self) -> None:
        """Publish due classes until idle. A finished class wakes nobody but drain(): this
        thread takes the next due class itself (one marked again while it was published
        included), and the others wait for their own due times; waking them all after
        every publish cost ~4 thread switches per check-in (bench/checkin_burst.py)."""
        while (class_id := self._take()) is not None:
            try:
                self._publish(class_id)
            finally:
                with self._cond:
                    self._busy.discard(class_id)
                    if self._draining:
                        self._cond.notify_all()

    def _publish(self, class_id: int) -> None:
        try:
            slot = self._broker.reserve(class_id)
            if not slot.watched:
                return  # nobody watches it: no tally to read (broker.py)
            if slot.ticket is None:
                with self._cond:
                    self._due[class_id] = time.monotonic() + slot.wait
                return
            self._broker.publish(class_id, read_tally(self._app, class_id), slot.ticket)
        except redis.RedisError as error:
            if not self._failing:
                log.warning("live: tallies not published (Redis): %r", error)
            self._failing = True
        except Exception:
            log.exception("live: tally of class %s not published", class_id)
        else:
            if self._failing:
                log.warning("live: tallies published again")
            self._failing = False


def _note_change(class_id: int, **_details) -> None:
    """Receiver of the domain signals: remember the class until the commit."""
    if has_app_context() and "live" in current_app.extensions:
        db.session.info.setdefault(INFO_KEY, set()).add(class_id)


def _after_commit(session: Session) -> None:
    class_ids = session.info.pop(INFO_KEY, None)
    if class_ids and has_app_context() and "live" in current_app.extensions:
        current_app.extensions["live"].publisher.mark(class_ids)


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    """The outermost transaction ended without a commit: forget what it noted."""
    if transaction.parent is None:
        session.info.pop(INFO_KEY, None)


def connect() -> None:
    """Connect the receivers once per process (every app shares db and the signals)."""
    for signal in (
        signals.checked_in,
        signals.checkin_removed,
        signals.response_submitted,
        signals.class_changed,
    ):
        signal.connect(_note_change)
    if not event.contains(db.session, "after_commit", _after_commit):
        event.listen(db.session, "after_commit", _after_commit)
        event.listen(db.session, "after_transaction_end", _after_transaction_end)
