"""A gunicorn worker killed (kill -9) in the middle of a check-in burst on PostgreSQL: every
check-in that got a 2xx is in the database, and the rest succeed on retry, once each."""

import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from backend.checkin.models import CheckIn
from backend.extensions import db
from tests.checkin.helpers import set_class
from tests.conftest import USE_POSTGRES, build_world
from tests.servers import AppServer

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not USE_POSTGRES, reason="a PostgreSQL fault test: runs on the PostgreSQL pass"
    ),
]
TRAINEES = 240


def test_a_killed_worker_loses_no_acknowledged_check_in(app, database_url):
    world = build_world(trainees=TRAINEES, bound=TRAINEES)
    set_class(world, code_rotate_seconds=600)
    env = {"CHECKIN_IP_LIMIT": "100000/minute"}
    with AppServer(database_url, workers=2, threads=4, env=env) as server:
        token = requests.get(
            f"{server.url}/api/v1/sessions/{world.session_ids[0]}/checkin-code",
            headers={"Authorization": f"Bearer {world.organizer}"},
            timeout=10,
        ).json()["token"]
        done = threading.Event()
        finished = []

        def scan(bearer: str):
            try:
                response = requests.post(
                    f"{server.url}/api/v1/checkins",
                    json={"token": token},
                    headers={"Authorization": f"Bearer {bearer}"},
                    timeout=30,
                )
            except requests.RequestException as error:
                response = error
            finished.append(1)
            if len(finished) >= TRAINEES // 4:
                done.set()
            return bearer, response

        with ThreadPoolExecutor(max_workers=32) as pool:
            futures = [pool.submit(scan, bearer) for bearer in world.trainees.values()]
            done.wait(timeout=60)
            victim = server.worker_pids()[0]
            os.kill(victim, signal.SIGKILL)
            results = [future.result() for future in futures]
        acknowledged = {
            b
            for b, r in results
            if isinstance(r, requests.Response) and r.status_code in (200, 201)
        }
        failed = [b for b, r in results if b not in acknowledged]
        db.session.expire_all()
        ids_of = {bearer: eid for eid, bearer in world.trainees.items()}
        stored_enrollments = set(db.session.scalars(db.select(CheckIn.enrollment_id)))
        lost = [b for b in acknowledged if ids_of[b] not in stored_enrollments]
        assert lost == [], f"{len(lost)} acknowledged check-ins are missing"
        assert failed, "the kill came too late to interrupt anything"

        time.sleep(1)  # gunicorn has started a new worker by now
        for bearer in failed:
            retry = requests.post(
                f"{server.url}/api/v1/checkins",
                json={"token": token},
                headers={"Authorization": f"Bearer {bearer}"},
                timeout=30,
            )
            assert retry.status_code in (200, 201), retry.text
    rows = db.session.execute(db.select(CheckIn.enrollment_id, CheckIn.session_id)).all()
    assert len(rows) == TRAINEES and len(set(rows)) == TRAINEES
    print(
        f"\nkill -9 mid-burst: {len(acknowledged)} acknowledged before/around the kill, "
        f"{len(failed)} failed and retried, lost 0, duplicates 0"
    )
