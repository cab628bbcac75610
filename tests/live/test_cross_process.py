"""Two app processes (gunicorn) on one database and one Redis: a check-in served by A
reaches a stream served by B within a second. Nothing lives in the app processes. B is
also a gevent server, as the stream servers of deploy/SCALE.md are."""

import pytest
import requests

from tests.live.conftest import tally
from tests.live.sse import SSEClient
from tests.servers import AppServer

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("stream_worker_class", ["gthread", "gevent"])
def test_a_check_in_on_one_process_reaches_a_stream_on_another(
    database_url, world, redis_server, stream_worker_class
):
    env = {"REDIS_URL": redis_server.url, "LIVE_HEARTBEAT_SECONDS": "2"}
    with (
        AppServer(database_url, workers=1, env=env) as a,
        AppServer(database_url, workers=1, worker_class=stream_worker_class, env=env) as b,
    ):
        organizer = {"Authorization": f"Bearer {world.organizer}"}
        ticket = requests.post(
            f"{a.url}/api/v1/classes/{world.class_id}/live-ticket", headers=organizer, timeout=5
        ).json()["ticket"]  # made by A, good on B: tickets are signed, not stored
        with SSEClient(f"{b.url}/api/v1/classes/{world.class_id}/live?ticket={ticket}") as stream:
            assert tally(stream.next())["attendees"] == 0
            session_id = world.session_ids[0]
            code = requests.get(
                f"{a.url}/api/v1/sessions/{session_id}/checkin-code", headers=organizer, timeout=5
            ).json()
            answer = requests.post(
                f"{a.url}/api/v1/checkins",
                json={"token": code["token"]},
                headers={"Authorization": f"Bearer {world.trainee}"},
                timeout=5,
            )
            assert answer.status_code == 201
            event = stream.next()
        assert tally(event)["attendees"] == 1
        assert tally(event)["checked_in"][str(session_id)] == 1
