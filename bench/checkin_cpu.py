"""CPU per check-in request in one process, without the network: where the time goes.

    .venv/bin/python bench/checkin_cpu.py                       # CPU ms per request
    .venv/bin/python bench/checkin_cpu.py --profile checkin     # cProfile of the check-ins
    .venv/bin/python bench/checkin_cpu.py --callgrind           # instructions per request

The same world as bench/checkin_burst.py (its `seed`, on a temporary SQLite file or a
private PostgreSQL database), the app built as in production (rate limits on, in memory),
and each request handed straight to the WSGI app (`app(environ, start_response)`, the
environ built beforehand): the full `POST /api/v1/checkins` with the trainee's bearer token
and the QR text, and the ceiling `POST /api/bench/insert-checkin` (one ORM insert in a
declared transaction). Printed: this process's CPU time per request (user + system; with
SQLite the database's work is in it), which a loaded machine inflates less than wall time.

`--callgrind` runs the measurement under `valgrind --tool=callgrind` twice per kind (N and
2N requests) and prints the difference of the instruction counts divided by N: the
instructions of one request, set-up and warm-up cancelled out, the same on a busy machine
as on an idle one.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["YANXIU_BENCH_ENDPOINTS"] = "1"

import psycopg  # noqa: E402
from werkzeug.test import EnvironBuilder  # noqa: E402

from backend import create_app  # noqa: E402
from bench.checkin_burst import PG_ADMIN_DSN, SECRET, seed  # noqa: E402
from tests.live.conftest import RedisServer  # noqa: E402

KINDS = ("checkin", "ceiling")


def environs(world, kind: str, role: str, codes: dict[int, str], count: int) -> list[dict]:
    """Ready WSGI environs of `count` distinct requests (one per trainee) of the kind."""
    built = []
    for seat in world.seats[:count]:
        session_id = world.sessions[role][seat.class_id]
        if kind == "checkin":
            path, body = "/api/v1/checkins", {"token": codes[seat.class_id]}
            headers = {"Authorization": f"Bearer {seat.bearer}"}
        else:
            path, headers = "/api/bench/insert-checkin", {}
            body = {"enrollment_id": seat.enrollment_id, "session_id": session_id,
                    "class_id": seat.class_id}  # fmt: skip
        builder = EnvironBuilder(
            path=path, method="POST", data=json.dumps(body), headers=headers,
            content_type="application/json", environ_base={"REMOTE_ADDR": "10.0.0.1"},
        )  # fmt: skip
        built.append(builder.get_environ())
    return built


def codes_of(app, world, role: str) -> dict[int, str]:
    """Each class's QR text for the role's session, from the API as the admin."""
    client = app.test_client()
    headers = {"Authorization": f"Bearer {world.admin}"}
    codes = {}
    for class_id, session_id in world.sessions[role].items():
        answer = client.get(f"/api/v1/sessions/{session_id}/checkin-code", headers=headers)
        codes[class_id] = answer.json["qr_text"]
    return codes


def serve(app, batch: list[dict]) -> list[int]:
    statuses = []

    def start_response(status, headers, exc_info=None):
        statuses.append(int(status.split()[0]))

    for environ in batch:
        for _ in app(environ, start_response):
            pass
    return statuses


def measure(url: str, kind: str, count: int, profile: bool, redis_url: str | None) -> float:
    """CPU seconds per request of `count` requests of the kind, after a warm-up."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET,
                      "REDIS_URL": redis_url, "CHECKIN_IP_LIMIT": "1000000/minute"})  # fmt: skip
    classes = max(2, -(-count // 40))
    world = seed(app, classes)
    warm_role, role = ("warmup", "burst-1") if kind == "checkin" else ("warmup", "ceiling-1")
    warm = environs(world, kind, warm_role, codes_of(app, world, warm_role), 80)
    batch = environs(world, kind, role, codes_of(app, world, role), count)
    serve(app, warm)
    profiler = cProfile.Profile(time.thread_time) if profile else None
    started = time.process_time()
    if profiler:
        profiler.enable()
    statuses = serve(app, batch)
    if profiler:
        profiler.disable()
    cpu = (time.process_time() - started) / count
    expected = 201
    if statuses.count(expected) != count:
        raise SystemExit(f"{kind}: expected {count} × {expected}, got {sorted(set(statuses))}")
    if profiler:
        out = io.StringIO()
        sort = os.environ.get("PROFILE_SORT", "cumulative")
        pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(40)
        print(out.getvalue())
    return cpu


def database(kind: str):
    """A fresh database URL and its clean-up."""
    if kind == "sqlite":
        folder = tempfile.TemporaryDirectory()
        return f"sqlite:///{folder.name}/cpu.sqlite3", folder.cleanup
    name = f"yanxiu_cpu_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"postgresql+psycopg://127.0.0.1:5432/{name}", drop


def run_one(db_kind: str, kind: str, count: int, profile: bool, redis_url: str | None) -> float:
    url, cleanup = database(db_kind)
    try:
        return measure(url, kind, count, profile, redis_url)
    finally:
        cleanup()


def instructions(db_kind: str, kind: str, count: int) -> int:
    """Instructions of this script measuring `count` requests under callgrind."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
             sys.executable, __file__, "--db", db_kind, "--kind", kind,
             "--requests", str(count)],
            check=True, capture_output=True,
        )  # fmt: skip
        return int(re.search(r"^summary: (\d+)", out.read_text(), re.M).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--kind", choices=KINDS, help="one kind only (default: both)")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--profile", action="store_true", help="cProfile the measured requests")
    parser.add_argument("--callgrind", action="store_true", help="instructions per request")
    parser.add_argument(
        "--redis", action="store_true",
        help="rate limits and live events in a private redis-server, as in production "
        "(this process's CPU then leaves out Redis's own)",
    )  # fmt: skip
    args = parser.parse_args()
    kinds = [args.kind] if args.kind else list(KINDS)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    if args.callgrind:
        count = min(args.requests, 100)
        for kind in kinds:
            per = instructions(args.db, kind, 2 * count) - instructions(args.db, kind, count)
            print(f"{args.db} {kind:8} {per / count / 1e6:6.2f} M instructions per request "
                  f"(callgrind, {count} vs {2 * count} requests)", flush=True)  # fmt: skip
        print(f"load average before: {load}")
        return
    redis_server = RedisServer().start() if args.redis else None
    store = "Redis" if redis_server else "in-memory"
    try:
        for kind in kinds:
            cpu = run_one(args.db, kind, args.requests, args.profile,
                          redis_server.url if redis_server else None)  # fmt: skip
            print(f"{args.db} {kind:8} {cpu * 1e3:5.2f} ms CPU per request ({args.requests} "
                  f"requests, {store} limits and events, load average before {load})",
                  flush=True)  # fmt: skip
    finally:
        if redis_server:
            redis_server.stop()


if __name__ == "__main__":
    main()
