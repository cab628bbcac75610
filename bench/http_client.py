"""The benchmarks' load generator: raw HTTP/1.1 keep-alive requests over asyncio streams.

A few tens of microseconds of client CPU per request (the `requests` library costs ~2 ms),
so that on this 2-core machine the client takes as little as possible from the server.
"""

import asyncio
import json
import time
from dataclasses import dataclass


def raw_request(method: str, path: str, body: object = None, bearer: str | None = None) -> bytes:
    payload = json.dumps(body).encode() if body is not None else b""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    if bearer:
        lines.append(f"Authorization: Bearer {bearer}")
    if body is not None:
        lines += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


class Connection:
    """One keep-alive HTTP/1.1 connection; reopened when the server closed it while idle."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def send(self, raw: bytes) -> tuple[int, bytes]:
        for attempt in (1, 2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            self.writer.write(raw)
            status_line = await self.reader.readline()
            if status_line:
                break
            self.writer.close()  # closed by the server while idle: never read, send again
            self.writer = None
            if attempt == 2:
                raise ConnectionError("server closed the connection")
        length, close = 0, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "connection" and value.strip().lower() == "close":
                close = True
        body = await self.reader.readexactly(length)
        if close:
            self.writer.close()
            self.writer = None
        return int(status_line.split()[1]), body


@dataclass
class Answer:
    """One request sent on schedule: times from time.time(), so that they compare with the
    server's clock and the subscribers'."""

    due: float  # when it was scheduled
    sent: float  # when it was written
    answered: float  # when its answer came, or the connection failed
    status: int  # 0: no answer (the error's repr is the body)
    body: bytes


async def on_schedule(
    port: int, raws: list[bytes], rate: float, start_in: float = 0.0, timeout: float | None = None
) -> list[Answer]:
    """Send request i at start + i / rate whether or not earlier ones were answered (open
    loop: a slow server faces the same arrivals), on a pool of keep-alive connections; the
    answers in the order of `raws`."""
    idle: list[Connection] = []
    start = time.time() + start_in

    async def one(index: int, raw: bytes) -> Answer:
        due = start + index / rate
        await asyncio.sleep(max(0.0, due - time.time()))
        connection = idle.pop() if idle else Connection(port)
        sent = time.time()
        try:
            status, body = await asyncio.wait_for(connection.send(raw), timeout)
        except (OSError, TimeoutError, ConnectionError, asyncio.IncompleteReadError) as error:
            return Answer(due, sent, time.time(), 0, repr(error).encode())  # dropped
        idle.append(connection)
        return Answer(due, sent, time.time(), status, body)

    return await asyncio.gather(*(one(index, raw) for index, raw in enumerate(raws)))
