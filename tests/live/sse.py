"""A small SSE client for tests: reads a text/event-stream in a thread, event by event.

It speaks HTTP/1.0 over a plain socket (no chunked encoding to undo) so that close() can
shut the socket down under a reader blocked in recv.
"""

import contextlib
import json
import queue
import socket
import threading
import time
from urllib.parse import urlsplit

from tests.conftest import PATIENCE


class SSEClient:
    """GET a stream and queue what arrives: events as dicts, comments as {"comment": text}."""

    def __init__(self, url: str, headers: dict[str, str] | None = None) -> None:
        parts = urlsplit(url)
        self._sock = socket.create_connection((parts.hostname, parts.port), timeout=60)
        lines = [f"GET {parts.path}?{parts.query} HTTP/1.0", f"Host: {parts.netloc}"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        self._sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self._file = self._sock.makefile("rb")
        self.status_code = int(self._file.readline().split()[1])
        self.headers: dict[str, str] = {}
        while (line := self._file.readline().decode().strip()) != "":
            name, _, value = line.partition(":")
            self.headers[name.strip().lower()] = value.strip()
        self.items: queue.Queue[dict | None] = queue.Queue()
        #: Set when the server ended the stream.
        self.ended = threading.Event()
        if self.status_code == 200:
            threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        fields: dict[str, str] = {}
        try:
            for raw in self._file:
                line = raw.decode().rstrip("\r\n")
                if line == "":
                    if fields:
                        self.items.put(fields)
                    fields = {}
                elif line.startswith(":"):
                    self.items.put({"comment": line[1:].strip()})
                else:
                    name, _, value = line.partition(":")
                    fields[name] = value[1:] if value.startswith(" ") else value
        except (OSError, ValueError):
            pass
        self.ended.set()
        self.items.put(None)

    def next(self, kind: str = "tally", timeout: float = PATIENCE) -> dict:
        """The next event of this kind (others are skipped); AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                item = self.items.get(timeout=max(deadline - time.monotonic(), 0.001))
            except queue.Empty:
                raise AssertionError(f"no {kind} event within {timeout} s") from None
            if item is None:
                raise AssertionError("the stream ended")
            if item.get("event") == kind or (kind == "comment" and "comment" in item):
                return item

    def until(self, predicate, timeout: float = PATIENCE) -> dict:
        """The first tally event whose parsed data satisfies `predicate`."""
        deadline = time.monotonic() + timeout
        while True:
            event = self.next(timeout=max(deadline - time.monotonic(), 0.001))
            if predicate(json.loads(event["data"])):
                return event

    def drain(self, seconds: float) -> list[dict]:
        """Every item that arrives within `seconds`."""
        items, deadline = [], time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                item = self.items.get(timeout=remaining)
            except queue.Empty:
                break
            if item is None:
                break
            items.append(item)
        return items

    def body(self) -> str:
        """The whole answer of a non-stream response (an error)."""
        self._sock.settimeout(5)
        return b"".join(iter(lambda: self._file.read(4096), b"")).decode()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._sock.close()

    def __enter__(self) -> "SSEClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
