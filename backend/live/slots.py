"""Caps on open live streams, so that streams can never take every thread of a worker.

Each open stream holds one gunicorn thread (gthread) or connection (gevent) while it waits.
Within one worker process a stream needs a free slot on three counts: per user
(LIVE_STREAMS_PER_USER), per class (LIVE_STREAMS_PER_CLASS) and in all (LIVE_MAX_STREAMS,
by default what the worker serves at once minus a reserve of a sixth, at least 4, kept for
health checks and API requests). Past a
cap the request answers 429; the slot is given back when the stream closes. The counts are
per worker process: with W workers a user may hold up to W × LIVE_STREAMS_PER_USER.
"""

import os
import threading
from collections import Counter
from dataclasses import dataclass, field

from backend.core.errors import ApiError

#: Requests served without streams when the capacity is known: a sixth, at least this.
MIN_RESERVED = 4
#: Streams of a worker when its capacity is unknown (not under gunicorn.conf.py).
DEFAULT_MAX_STREAMS = 100


def default_max_streams() -> int:
    """Streams one worker may hold: what it serves at once (gunicorn.conf.py post_fork puts
    it in GUNICORN_WORKER_CAPACITY) minus the reserve."""
    capacity = int(os.environ.get("GUNICORN_WORKER_CAPACITY") or 0)
    if not capacity:
        return DEFAULT_MAX_STREAMS
    return max(1, capacity - max(MIN_RESERVED, capacity // 6))


@dataclass
class StreamSlots:
    """The open streams of this process, by user and by class."""

    per_user: int
    per_class: int
    total: int
    _users: Counter = field(default_factory=Counter)
    _classes: Counter = field(default_factory=Counter)
    _open: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, user_id: int, class_id: int) -> None:
        """Hold a slot for a new stream; 429 past any cap."""
        with self._lock:
            if self._users[user_id] >= self.per_user:
                raise _full(f"您已打开 {self.per_user} 个实时数据页面，请关闭不用的页面后再试")
            if self._classes[class_id] >= self.per_class or self._open >= self.total:
                raise _full("实时数据连接已满，请稍后刷新页面")
            self._users[user_id] += 1
            self._classes[class_id] += 1
            self._open += 1

    def give_back(self, user_id: int, class_id: int) -> None:
        with self._lock:
            self._users[user_id] -= 1
            self._classes[class_id] -= 1
            self._open -= 1
            if self._users[user_id] <= 0:
                del self._users[user_id]
            if self._classes[class_id] <= 0:
                del self._classes[class_id]


def _full(message: str) -> ApiError:
    return ApiError(429, "rate_limited", message, headers={"Retry-After": "30"})
