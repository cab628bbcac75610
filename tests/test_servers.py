"""The real server process serves the app against the test's database."""

import requests

from tests.servers import AppServer


def test_gunicorn_serves_the_test_database(database_url, world):
    with AppServer(database_url, workers=2) as server:
        response = requests.get(
            f"{server.url}/api/v1/classes/{world.class_id}",
            headers={"Authorization": f"Bearer {world.organizer}"},
            timeout=5,
        )
        assert response.status_code == 200
        assert response.json()["title"] == "区块链技术数字化工程师高级研修班"
        assert len(server.worker_pids()) == 2


def test_a_worker_with_more_requests_than_threads_lets_the_connection_go(database_url, api, world):
    """gunicorn.conf.py's pre_request: a request that had to wait for the only thread (a
    live stream held it) is answered with `Connection: close`, so that its client's next
    request may go to another worker; a request to a free worker keeps its connection."""
    from tests.live.conftest import stream_url, ticket_for

    env = {"LIVE_MAX_STREAM_SECONDS": "2", "LIVE_HEARTBEAT_SECONDS": "1"}
    with AppServer(database_url, workers=1, threads=1, env=env) as server:
        headers = {"Authorization": f"Bearer {world.organizer}"}
        with requests.Session() as free:
            answer = free.get(f"{server.url}/api/v1/classes/{world.class_id}", headers=headers)
            assert answer.headers["Connection"] == "keep-alive"
        ticket = ticket_for(api, world)
        with requests.get(stream_url(server.url, world, ticket), stream=True, timeout=10) as live:
            next(live.iter_lines())  # the stream holds the worker's one thread
            with requests.Session() as queued:
                answer = queued.get(
                    f"{server.url}/api/v1/classes/{world.class_id}", headers=headers, timeout=10
                )
    assert answer.status_code == 200
    assert answer.headers["Connection"] == "close"
