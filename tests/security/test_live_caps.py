"""#12 item 7: open live streams are capped per user, per class and per worker (429 past it),
health checks and API requests still answer at the cap, and tickets stay out of the access
log. On a real gunicorn server with few threads."""

import time

import pytest
import requests

from tests.servers import AppServer

pytestmark = pytest.mark.slow


def _open(server, class_id, token=None, ticket=None):
    url = f"{server.url}/api/v1/classes/{class_id}/live"
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    params = {"ticket": ticket} if ticket else {}
    return requests.get(url, headers=headers, params=params, stream=True, timeout=10)


def _open_when_free(server, class_id, token, deadline_seconds=30):
    """Retry until a slot is given back (the server notices a closed stream at its next
    heartbeat): waits for a state, with a generous bound only against hanging."""
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        answer = _open(server, class_id, token)
        if answer.status_code == 200:
            return answer
        answer.close()
        time.sleep(0.2)
    raise AssertionError("no stream slot came back")


@pytest.mark.parametrize("worker_class", ["gthread", "gevent"])
def test_streams_are_capped_and_the_server_stays_answerable(
    database_url, world, tmp_path, worker_class
):
    log = tmp_path / "access.log"
    env = {
        "LIVE_STREAMS_PER_USER": "3",
        "LIVE_HEARTBEAT_SECONDS": "1",
        "GUNICORN_ACCESS_LOG": str(log),
        "GUNICORN_LOG_LEVEL": "info",
        "GUNICORN_WORKER_CONNECTIONS": "8",
    }
    opened = []
    # 1 worker x 8 threads (gthread) or 8 connections (gevent, the stream servers of
    # deploy/SCALE.md, whose thread setting counts for nothing): at most 8 - 4 (the
    # reserve) = 4 streams at once
    threads = 8 if worker_class == "gthread" else 1
    with AppServer(
        database_url, workers=1, threads=threads, worker_class=worker_class, env=env
    ) as server:
        ticket = requests.post(
            f"{server.url}/api/v1/classes/{world.class_id}/live-ticket",
            headers={"Authorization": f"Bearer {world.organizer}"},
            timeout=10,
        ).json()["ticket"]
        for _ in range(3):
            opened.append(_open(server, world.class_id, ticket=ticket))
        per_user = _open(server, world.class_id, world.organizer)
        opened.append(_open(server, world.class_id, world.admin))
        total = _open(server, world.class_id, world.admin)
        health = requests.get(f"{server.url}/healthz", timeout=5)
        me = requests.get(
            f"{server.url}/api/v1/me", headers={"Authorization": f"Bearer {world.admin}"}, timeout=5
        )
        statuses = [s.status_code for s in opened]
        opened.pop(0).close()
        again = _open_when_free(server, world.class_id, world.organizer)
        for stream in [*opened, again]:
            stream.close()
    assert statuses == [200, 200, 200, 200]
    assert per_user.status_code == 429 and per_user.json()["error"] == "rate_limited"
    assert total.status_code == 429 and "已满" in total.json()["message"]
    assert health.status_code == 200 and me.status_code == 200
    assert again.status_code == 200
    text = log.read_text()
    assert f"/api/v1/classes/{world.class_id}/live" in text
    assert ticket not in text and "ticket=" not in text
