"""The check-in's two rate limits (per trainee, per address), taken in one call to Redis.

Every other limit goes through flask-limiter (backend/extensions.py). The check-in is the one
endpoint a whole class calls within the same minute, and there flask-limiter's work for each
request (finding the route's limits, parsing them, one storage call per limit) cost about as
much CPU as the check-in itself (bench/README.md, 2026-12-08). Here one Lua script checks and
counts both.

Each limit is an exact moving window: per key, the times of its last `amount` hits (Redis's
clock, the same for every app machine). A check-in passes when no key has had `amount` hits
within its period; it then counts on every key, and a refused one on none, so a phone
scanning in a loop does not use up its venue's address limit. With Redis unreachable the
worker counts in its own memory and tries Redis again after 1, 2, 4 … 60 s; without
REDIS_URL memory is the only store. RATELIMIT_DISABLED switches these off as the others.
"""

import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, wraps

import limits
import redis
from flask import Flask, current_app
from flask_limiter.util import get_remote_address

from backend.auth.access import bearer_trainee_claims
from backend.core.errors import ApiError

log = logging.getLogger(__name__)

#: Longest wait before a worker that lost Redis tries it again.
MAX_BACKOFF_SECONDS = 60

#: KEYS: a list per window, newest hit first; ARGV: each window's amount and period (ms).
#: Returns 0 after counting the hit on every window, else the ms until all have room.
_TAKE = """
local now = redis.call('time')
now = now[1] * 1000 + math.floor(now[2] / 1000)
local wait = 0
for i, key in ipairs(KEYS) do
  local oldest = tonumber(redis.call('lindex', key, ARGV[2 * i - 1] - 1))
  if oldest and oldest + ARGV[2 * i] > now then
    wait = math.max(wait, oldest + ARGV[2 * i] - now)
  end
end
if wait > 0 then
  return wait
end
for i, key in ipairs(KEYS) do
  redis.call('lpush', key, string.format('%d', now))
  redis.call('ltrim', key, 0, ARGV[2 * i - 1] - 1)
  redis.call('pexpire', key, ARGV[2 * i])
end
return 0
"""


@dataclass(frozen=True)
class Window:
    """At most `amount` hits on `key` within any `period_ms`."""

    key: str
    amount: int
    period_ms: int


@cache
def _parsed(text: str) -> tuple[int, int]:
    """("30/minute") → (30, 60000), with the limits library's notation."""
    item = limits.parse(text)
    return item.amount, item.get_expiry() * 1000


def request_windows() -> list[Window]:
    """This check-in's windows: its trainee (the address when no trainee token), its address."""
    config = current_app.config
    prefix = f"{config['RATELIMIT_KEY_PREFIX']}:checkin"
    address = get_remote_address()
    claims = bearer_trainee_claims()
    who = f"trainee:{claims.account_id}" if claims else f"anonymous:{address}"
    return [
        Window(f"{prefix}:{who}", *_parsed(config["CHECKIN_TRAINEE_LIMIT"])),
        Window(f"{prefix}:address:{address}", *_parsed(config["CHECKIN_IP_LIMIT"])),
    ]


class MemoryWindows:
    """The windows in this worker's memory (no Redis, or Redis unreachable)."""

    #: Every so many hits, keys whose newest hit has left its window are dropped.
    SWEEP_EVERY = 10_000

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._hits: dict[str, deque[int]] = {}
        self._lock = threading.Lock()
        self._taken = 0

    def take(self, windows: list[Window]) -> int:
        now = int(self._clock() * 1000)
        with self._lock:
            wait = 0
            for window in windows:
                hits = self._hits.get(window.key)
                if hits is not None and len(hits) == window.amount:
                    wait = max(wait, hits[0] + window.period_ms - now)
            if wait > 0:
                return wait
            for window in windows:
                self._hits.setdefault(window.key, deque(maxlen=window.amount)).append(now)
            self._taken += 1
            if self._taken % self.SWEEP_EVERY == 0:
                self._sweep(now, windows)
            return 0

    def _sweep(self, now: int, windows: list[Window]) -> None:
        longest = max(window.period_ms for window in windows)
        self._hits = {key: hits for key, hits in self._hits.items() if hits[-1] + longest > now}


class CheckinLimits:
    """Takes a check-in's windows from Redis, or from memory while Redis is unreachable."""

    def __init__(self, client: redis.Redis | None, clock: Callable[[], float] = time.monotonic):
        self._script = client.register_script(_TAKE) if client is not None else None
        self._clock = clock
        self._memory = MemoryWindows(clock)
        self._failures = 0
        self._retry_at = 0.0

    def take(self, windows: list[Window]) -> int:
        """0 when the hit is counted on every window, else the ms until each has room."""
        if self._script is not None and self._clock() >= self._retry_at:
            try:
                wait = int(
                    self._script(
                        keys=[window.key for window in windows],
                        args=[n for window in windows for n in (window.amount, window.period_ms)],
                    )
                )
            except redis.RedisError as error:
                self._lost(error)
            else:
                self._failures = 0
                return wait
        return self._memory.take(windows)

    def _lost(self, error: redis.RedisError) -> None:
        backoff = min(MAX_BACKOFF_SECONDS, 2**self._failures)
        self._failures += 1
        self._retry_at = self._clock() + backoff
        log.warning("check-in limits: Redis unreachable (%s), in memory for %d s", error, backoff)


def init_limits(app: Flask) -> None:
    app.extensions["checkin_limits"] = CheckinLimits(app.extensions.get("redis"))


def limit_checkins(view: Callable) -> Callable:
    """Answer 429 rate_limited, with Retry-After, to a check-in beyond either limit."""

    @wraps(view)
    def limited(*args, **kwargs):
        if current_app.config["RATELIMIT_ENABLED"]:
            wait = current_app.extensions["checkin_limits"].take(request_windows())
            if wait:
                seconds = max(1, math.ceil(wait / 1000))
                raise ApiError(
                    429,
                    "rate_limited",
                    f"签到过于频繁，请 {seconds} 秒后再试",
                    headers={"Retry-After": str(seconds)},
                )
        return view(*args, **kwargs)

    return limited
