"""Fixtures of the live tests: a real HTTP server in this process, check-ins through the API,
and a private Redis server."""

import json
import shutil
import subprocess
import threading
import time

import pytest
import redis
from werkzeug.serving import make_server

from tests.conftest import build_world
from tests.servers import free_port


@pytest.fixture
def live_server(app):
    """The test's app behind werkzeug's threaded server (what `flask run` uses), with
    streams that last the test."""
    app.extensions["live"].lifetime = 120
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def crowd(app):
    """The world with 12 bound trainees (session 1 is open for check-in now)."""
    return build_world(app, trainees=12, bound=12)


def stream_url(base: str, world, ticket: str) -> str:
    return f"{base}/api/v1/classes/{world.class_id}/live?ticket={ticket}"


def ticket_for(api, world, token: str | None = None) -> str:
    response = api.post(f"/classes/{world.class_id}/live-ticket", token or world.organizer)
    assert response.status_code == 200, response.json
    return response.json["ticket"]


def tally(item: dict) -> dict:
    return json.loads(item["data"])


class RedisServer:
    """A private redis-server on a free port, which a test may stop and start again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                client.ping()
                client.close()
                return self
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def redis_server():
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = RedisServer().start()
    yield server
    server.stop()


def answer_survey(api, world, enrollment_id: int, level: str = "good", **levels) -> None:
    """A trainee who checked in returns the form: POST /classes/{id}/survey/responses."""
    from tests.surveys.helpers import form

    response = api.post(
        f"/classes/{world.class_id}/survey/responses",
        world.trainees[enrollment_id],
        json=form(world.session_ids, level, **levels),
    )
    assert response.status_code == 201, response.json
