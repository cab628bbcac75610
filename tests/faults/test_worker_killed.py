"""A gunicorn worker killed (kill -9) while its check-ins are inside their transactions, on
PostgreSQL: every check-in that got a 2xx is in the database, and the rest succeed on retry,
once each.

The kill cannot come too early or too late: the test holds a SHARE lock on `checkins`, so every
check-in waits at its INSERT, inside its transaction; the victim is a worker that has such a
transaction open (its database connection is waiting on the lock), and the lock is let go only
after the kill.
"""

import os
import re
import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
import requests
from sqlalchemy.engine import make_url

from backend.checkin.models import CheckIn
from backend.extensions import db
from tests.checkin.helpers import set_class
from tests.conftest import USE_POSTGRES, build_world, wait_for
from tests.servers import AppServer

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not USE_POSTGRES, reason="a PostgreSQL fault test: runs on the PostgreSQL pass"
    ),
]
TRAINEES = 240
WAITING_INSERTS = """
    SELECT client_port FROM pg_stat_activity
    WHERE datname = current_database() AND wait_event_type = 'Lock'
      AND query ILIKE 'INSERT INTO checkins%%'
"""


def _local_tcp_ports(pid: int) -> set[int]:
    """The local ports of the TCP sockets process `pid` holds (from /proc)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with_inode = re.fullmatch(r"socket:\[(\d+)\]", os.readlink(fd))
        if with_inode:
            inodes.add(with_inode.group(1))
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            columns = line.split()
            if columns[9] in inodes:
                ports.add(int(columns[1].rsplit(":", 1)[1], 16))
    return ports


def _worker_inside_a_check_in(server: AppServer, admin: psycopg.Connection) -> int | None:
    """A worker with a check-in waiting at its INSERT, if there is one yet."""
    waiting = {row[0] for row in admin.execute(WAITING_INSERTS)}
    return next((w for w in server.worker_pids() if _local_tcp_ports(w) & waiting), None)


def _scan(server: AppServer, token: str, bearer: str):
    try:
        return requests.post(
            f"{server.url}/api/v1/checkins",
            json={"token": token},
            headers={"Authorization": f"Bearer {bearer}"},
            timeout=120,
        )
    except requests.RequestException as error:
        return error


def test_a_killed_worker_loses_no_acknowledged_check_in(app, database_url):
    world = build_world(app, trainees=TRAINEES, bound=TRAINEES)
    set_class(app, world, code_rotate_seconds=600)
    env = {"CHECKIN_IP_LIMIT": "100000/minute"}
    dsn = make_url(database_url).set(drivername="postgresql").render_as_string()
    with (
        AppServer(database_url, workers=2, threads=4, env=env) as server,
        psycopg.connect(dsn, autocommit=True) as watcher,
    ):
        token = requests.get(
            f"{server.url}/api/v1/sessions/{world.session_ids[0]}/checkin-code",
            headers={"Authorization": f"Bearer {world.organizer}"},
            timeout=30,
        ).json()["token"]
        with ThreadPoolExecutor(max_workers=32) as pool, psycopg.connect(dsn) as holder:
            holder.execute("LOCK TABLE checkins IN SHARE MODE")  # inserts wait; reads do not
            futures = {b: pool.submit(_scan, server, token, b) for b in world.trainees.values()}
            victim = wait_for(
                lambda: _worker_inside_a_check_in(server, watcher), "a check-in at its INSERT"
            )
            os.kill(victim, signal.SIGKILL)
            holder.commit()  # the lock goes; the other worker's check-ins go on
            results = {bearer: future.result() for bearer, future in futures.items()}
        acknowledged = {b for b, r in results.items() if isinstance(r, requests.Response) and r.ok}
        failed = [b for b in results if b not in acknowledged]
        ids_of = {bearer: eid for eid, bearer in world.trainees.items()}
        with app.app_context():
            stored_enrollments = set(db.session.scalars(db.select(CheckIn.enrollment_id)))
        lost = [b for b in acknowledged if ids_of[b] not in stored_enrollments]
        assert lost == [], f"{len(lost)} acknowledged check-ins are missing"
        assert failed, "the check-ins of the killed worker failed"

        wait_for(
            lambda: len(pids := server.worker_pids()) == 2 and victim not in pids,
            "a new worker in the killed one's place",
        )
        for bearer in failed:
            retry = _scan(server, token, bearer)
            assert isinstance(retry, requests.Response) and retry.status_code in (200, 201), retry
    with app.app_context():
        rows = db.session.execute(db.select(CheckIn.enrollment_id, CheckIn.session_id)).all()
    assert len(rows) == TRAINEES and len(set(rows)) == TRAINEES
    print(
        f"\nkill -9 inside a check-in's transaction: {len(acknowledged)} acknowledged, "
        f"{len(failed)} failed and retried, lost 0, duplicates 0"
    )
