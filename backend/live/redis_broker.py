"""The broker on Redis Streams, shared by every process and machine (REDIS_URL).

One stream per class, `<prefix>:class:<id>` (prefix `yanxiu:live`), capped with
XADD MAXLEN ~; the stream entry id is the SSE `id:`. Each process runs ONE reader thread
that XREADs (BLOCK) the streams its own subscribers want and hands every entry to them,
so a thousand browsers cost one Redis connection per process, not a thousand. A new class
to watch interrupts the blocked read with CLIENT UNBLOCK.

When Redis cannot be reached the reader tells the subscribers (degraded) and retries;
when it answers again they get a fresh snapshot from the database. Publishing errors are
the caller's to catch: the database stays the truth.
"""

import contextlib
import logging
import threading
import time

import redis

from backend.live.broker import LOG_SIZE, Broker, Slot
from backend.live.events import Event, Subscriber, id_key

log = logging.getLogger(__name__)

#: How long one XREAD waits for entries.
BLOCK_MS = 5000
#: Keys of a class live this long after its last event.
KEY_TTL_MS = 7 * 24 * 3600 * 1000
#: The reader thread ends after this long without subscribers (it restarts on demand).
IDLE_EXIT_S = 30.0
#: A class is watched while a process with a subscriber renews its key (each reader pass,
#: at least every BLOCK_MS); a process gone, the key lapses after this long.
WATCH_TTL_MS = 3 * BLOCK_MS

# KEYS: ticket counter, lease, watched, unpublished. ARGV: interval ms, ttl ms.
# -> {ticket, wait ms}, or {0, -1} when nobody watches (the change is remembered as unpublished).
# The lease spaces a class's events across every process: whoever takes it publishes the
# next event; the others wait for it to expire, then publish what they committed since.
_RESERVE = """
if redis.call('EXISTS', KEYS[3]) == 0 then
  redis.call('SET', KEYS[4], '1', 'PX', ARGV[2])
  return {0, -1}
end
local wait = redis.call('PTTL', KEYS[2])
if wait > 0 then return {0, wait} end
if tonumber(ARGV[1]) > 0 then redis.call('SET', KEYS[2], '1', 'PX', ARGV[1]) end
local ticket = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {ticket, 0}
"""

# KEYS: stream, newest published ticket, unpublished. ARGV: ticket, maxlen, data, ttl ms.
# -> id or nil
_PUBLISH = """
if tonumber(ARGV[1]) <= tonumber(redis.call('GET', KEYS[2]) or '0') then return false end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[4])
redis.call('DEL', KEYS[3])
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'data', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return id
"""


class RedisBroker(Broker):
    """Redis Streams, one reader thread per process fanning out to local subscribers."""

    def __init__(
        self, url: str, interval: float, prefix: str = "yanxiu:live", log_size: int = LOG_SIZE
    ) -> None:
        super().__init__(interval)
        self._url = url
        self._prefix = prefix
        self._log_size = log_size
        self._redis = redis.Redis.from_url(
            url, decode_responses=True, socket_timeout=2, socket_connect_timeout=2
        )
        self._reserve = self._redis.register_script(_RESERVE)
        self._publish = self._redis.register_script(_PUBLISH)
        self._lock = threading.Lock()
        #: Per watched class: the last entry id handed to local subscribers.
        self._positions: dict[int, str] = {}
        self._reader: threading.Thread | None = None
        self._reader_client_id: int | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()

    def _key(self, class_id: int, suffix: str = "") -> str:
        return f"{self._prefix}:class:{class_id}{suffix}"

    # publishing

    def reserve(self, class_id: int) -> Slot:
        ticket, wait_ms = self._reserve(
            keys=[
                self._key(class_id, ":ticket"),
                self._key(class_id, ":lease"),
                self._key(class_id, ":watched"),
                self._key(class_id, ":unpublished"),
            ],
            args=[int(self.interval * 1000), KEY_TTL_MS],
        )
        if wait_ms < 0:
            return Slot(None, watched=False)
        return Slot(None, wait_ms / 1000) if wait_ms else Slot(int(ticket))

    def publish(self, class_id: int, data: str, ticket: int) -> str | None:
        return self._publish(
            keys=[
                self._key(class_id),
                self._key(class_id, ":published"),
                self._key(class_id, ":unpublished"),
            ],
            args=[ticket, self._log_size, data, KEY_TTL_MS],
        )

    # reading back

    def head(self, class_id: int) -> str | None:
        try:
            newest = self._redis.xrevrange(self._key(class_id), count=1)
        except redis.RedisError:
            return None
        return newest[0][0] if newest else "0-0"

    def since(self, class_id: int, last_id: str) -> list[Event] | None:
        key = id_key(last_id)
        if key is None:
            return None
        try:
            info = self._redis.xinfo_stream(self._key(class_id))
        except redis.ResponseError:  # no such stream: nothing was ever published, or expired
            return [] if key == (0, 0) else None
        except redis.RedisError:
            return None
        newest = id_key(info["last-generated-id"])
        if key > newest:
            return None  # an id this stream never gave (Redis lost its data)
        first = info.get("first-entry")
        trimmed = info["entries-added"] > info["length"]
        if trimmed and key < (id_key(first[0]) if first else newest):
            return None  # some of the events after it were trimmed away
        try:
            entries = self._redis.xrange(self._key(class_id), min=f"({last_id}")
        except redis.RedisError:
            return None
        return [Event(entry_id, fields["data"]) for entry_id, fields in entries]

    # subscribing: one reader thread per process

    def subscribe(self, class_id: int) -> Subscriber:
        subscriber = Subscriber(class_id)
        first = self.hub.add(subscriber)
        subscriber.stale = self._watch(class_id)
        subscriber.head = self.head(class_id)
        with self._lock:
            if first and subscriber.head is not None:
                self._positions.setdefault(class_id, subscriber.head)
            self._ensure_reader()
        if first:
            self._interrupt_reader()
        return subscriber

    def _watch(self, class_id: int) -> bool:
        """Mark the class watched; True when a change of it went unpublished (or unknown)."""
        try:
            with self._redis.pipeline(transaction=True) as pipe:
                pipe.set(self._key(class_id, ":watched"), "1", px=WATCH_TTL_MS)
                pipe.exists(self._key(class_id, ":unpublished"))
                return bool(pipe.execute()[1])
        except redis.RedisError:
            return True

    def _renew_watches(self, client: redis.Redis, class_ids: list[int]) -> None:
        with client.pipeline(transaction=False) as pipe:
            for class_id in class_ids:
                pipe.set(self._key(class_id, ":watched"), "1", px=WATCH_TTL_MS)
            pipe.execute()

    def unsubscribe(self, subscriber: Subscriber) -> None:
        if self.hub.remove(subscriber):
            with self._lock:
                self._positions.pop(subscriber.class_id, None)

    def close(self) -> None:
        self._stop.set()
        self._interrupt_reader()
        if self._reader:
            self._reader.join(timeout=5)
        self._redis.close()

    def _ensure_reader(self) -> None:
        if self._reader is None or not self._reader.is_alive():
            self._stop.clear()
            self._reader = threading.Thread(target=self._read_loop, name="live-reader", daemon=True)
            self._reader.start()

    def _interrupt_reader(self) -> None:
        """Make the reader re-read its list of streams now."""
        self._wake.set()
        client_id = self._reader_client_id
        if client_id is not None:
            with contextlib.suppress(redis.RedisError):  # the reader notices outages itself
                self._redis.client_unblock(client_id)

    def _read_loop(self) -> None:
        backoff = 0.2
        while not self._stop.is_set():
            client = None
            try:
                client = redis.Redis.from_url(
                    self._url,
                    decode_responses=True,
                    socket_timeout=BLOCK_MS / 1000 + 5,
                    socket_connect_timeout=2,
                    single_connection_client=True,
                )
                self._reader_client_id = client.client_id()
                if self.degraded:
                    self._recover(client)
                backoff = 0.2
                self._read_until_idle(client)
                return
            except redis.RedisError as error:
                self._reader_client_id = None
                if not self.degraded:
                    log.warning("live: Redis unreachable, streams degraded: %s", error)
                    self.degraded = True
                    self.hub.set_degraded(True)
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 2.0)
            finally:
                if client is not None:
                    client.close()

    def _recover(self, client: redis.Redis) -> None:
        """Redis is back: watch from the current heads; subscribers take fresh snapshots."""
        heads = {}
        for class_id in self.hub.classes():
            newest = client.xrevrange(self._key(class_id), count=1)
            heads[class_id] = newest[0][0] if newest else "0-0"
        with self._lock:
            self._positions = heads
        self.degraded = False
        log.warning("live: Redis reachable again")
        self.hub.set_degraded(False)

    def _read_until_idle(self, client: redis.Redis) -> None:
        """Fan entries out until stopped or idle for long; Redis errors raise."""
        idle, renewed = 0.0, 0.0
        while not self._stop.is_set():
            with self._lock:
                self._positions.update(
                    {c: "0-0" for c in self.hub.classes() if c not in self._positions}
                )
                streams = {self._key(c): pos for c, pos in self._positions.items()}
                watched = list(self._positions)
            if watched and time.monotonic() - renewed >= BLOCK_MS / 1000:
                self._renew_watches(client, watched)
                renewed = time.monotonic()
            if not streams:
                if idle >= IDLE_EXIT_S:
                    with self._lock:
                        if not self.hub.classes():
                            self._reader = None
                            return
                self._wake.wait(1.0)
                self._wake.clear()
                idle += 1.0
                continue
            idle = 0.0
            self._wake.clear()
            for key, entries in client.xread(streams, block=BLOCK_MS, count=100) or []:
                self._deliver(int(key.rsplit(":", 1)[1]), entries)

    def _deliver(self, class_id: int, entries: list) -> None:
        with self._lock:
            if class_id in self._positions:
                self._positions[class_id] = entries[-1][0]
        for entry_id, fields in entries:
            self.hub.deliver(class_id, Event(entry_id, fields["data"]))
