"""Check-in under a crowd: N classes × 40 trainees scanning at once, against the real server.

For PostgreSQL and then SQLite, starts gunicorn (4 workers, gthread × 8, production code plus
the bare ceiling endpoint of YANXIU_BENCH_ENDPOINTS=1; a private redis-server holds the rate
limits and live events as in production, --no-redis keeps them in each worker's memory), seeds
N approved classes of 40 bound trainees each, and measures:

- ceiling: POST /api/bench/insert-checkin, one plain ORM dialect
  `insert(...).on_conflict_do_nothing(...).returning(...)` per request and nothing else;
- burst: POST /checkins with each trainee's bearer token and the session's QR token
  (10% of the trainees scan twice), 64 concurrent keep-alive clients;
- steady: POST /checkins sent open loop at a fixed rate (on schedule, not waiting for
  answers; latency counted from the scheduled time).

After each run it checks the database: no duplicate rows, no check-in answered 201/200 but
missing, exactly one 201 per trainee, every 200 carrying the first checked_in_at.

The load generator is a small asyncio HTTP/1.1 keep-alive client (one process); it prints its
own CPU per request, and, when `wrk` is installed, a comparison of both on GET /healthz.

Every line carries the load average; when the machine was busy before the runs started (1-min
load average above BUSY_LOAD_PER_CORE per core) the throughput ratio is withheld and the line
says BUSY MACHINE: on a starved machine every endpoint converges on the same CPU.

    .venv/bin/python bench/checkin_burst.py            # both databases, 120 classes
    .venv/bin/python bench/checkin_burst.py --databases sqlite --classes 30
    .venv/bin/python bench/checkin_burst.py --databases postgresql --server-env RATELIMIT_DISABLED=1
"""

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import bindparam, insert, select, text  # noqa: E402

from backend import create_app  # noqa: E402
from backend.auth import tokens  # noqa: E402
from backend.auth.models import Role, Trainee, User  # noqa: E402
from backend.classes.models import ClassMode, Lecturer, Session, TrainingClass  # noqa: E402
from backend.core.timeutil import today_in_china, utcnow  # noqa: E402
from backend.enrollment.models import Enrollment  # noqa: E402
from backend.extensions import db  # noqa: E402
from backend.plans.logic import load_plan  # noqa: E402
from backend.plans.models import Project  # noqa: E402
from bench.http_client import Connection, on_schedule, raw_request  # noqa: E402
from tests.live.conftest import RedisServer  # noqa: E402
from tests.servers import AppServer  # noqa: E402

SECRET = "bench-secret-key"
#: Load average (1 min) per core above which the machine counts as busy before a run: the
#: ratios then compare two starved runs (they converge) and are not a headline figure.
BUSY_LOAD_PER_CORE = 0.4
PG_ADMIN_DSN = os.environ.get("YANXIU_PG_ADMIN_DSN", "host=127.0.0.1 port=5432 dbname=test")
TRAINEES_PER_CLASS = 40
#: Rounds of (ceiling, burst), alternated so drift on a shared machine hits both alike (a
#: round's throughput on this kind of virtual machine drifts by up to a third within a minute).
ROUNDS = 4
#: Session roles per class: warm-up, each round's ceiling and burst, the steady run's.
ROLES = (
    "warmup",
    *(f"{kind}-{n}" for n in range(1, ROUNDS + 1) for kind in ("ceiling", "burst")),
    "steady",
)


# --- the world -------------------------------------------------------------------------


@dataclass
class Seat:
    """One trainee of one class: the bearer token and the ids a request needs."""

    enrollment_id: int
    class_id: int
    bearer: str


@dataclass
class World:
    seats: list[Seat]
    sessions: dict[str, dict[int, int]]  # role → class id → session id
    admin: str


def seed(app, classes: int) -> World:
    """Approved classes running now, 40 bound trainees each; long rotation so a token
    fetched before the run stays valid through it."""
    with app.app_context():
        upgrade()
        load_plan(2023)
        admin = User(username="bench-admin", role=Role.ADMIN)
        admin.set_password("bench-admin-password")
        lecturer = Lecturer(name="王建国")
        db.session.add_all([admin, lecturer])
        project = db.session.scalar(select(Project).order_by(Project.id))
        db.session.flush()
        now, today = utcnow(), today_in_china()
        world = World([], {role: {} for role in ROLES}, "")
        for number in range(classes):
            training_class = TrainingClass(
                project=project,
                location="报告厅",
                start_date=today - timedelta(days=1),
                end_date=today + timedelta(days=2),
                mode=ClassMode.OFFLINE,
                code_rotate_seconds=900,
            )
            db.session.add(training_class)
            db.session.flush()
            training_class.submit_opening_plan("bench")
            training_class.approve(admin.id)
            for role in ROLES:
                session = Session(
                    class_id=training_class.id,
                    topic=f"{role} {number}",
                    lecturer_id=lecturer.id,
                    starts_at=now - timedelta(minutes=5),
                    ends_at=now + timedelta(hours=3),
                )
                db.session.add(session)
                db.session.flush()
                world.sessions[role][training_class.id] = session.id
            trainee_ids = db.session.scalars(
                insert(Trainee).returning(Trainee.id, sort_by_parameter_order=True),
                [{"openid": f"bench:{number}:{i}"} for i in range(TRAINEES_PER_CLASS)],
            ).all()
            enrollment_ids = db.session.scalars(
                insert(Enrollment).returning(Enrollment.id, sort_by_parameter_order=True),
                [
                    {
                        "class_id": training_class.id,
                        "name": f"学员{number}-{i}",
                        "phone": f"139{number:04d}{i:04d}",
                        "trainee_id": trainee_id,
                    }
                    for i, trainee_id in enumerate(trainee_ids)
                ],
            ).all()
            world.seats += [
                Seat(enrollment_id, training_class.id, tokens.issue("trainee", trainee_id, 0)[0])
                for trainee_id, enrollment_id in zip(trainee_ids, enrollment_ids, strict=True)
            ]
        db.session.commit()
        world.admin = tokens.issue("staff", admin.id, admin.token_version)[0]
        db.engine.dispose()
    return world


# --- the load generator ----------------------------------------------------------------


@dataclass
class Result:
    latency: float
    status: int
    body: bytes
    tag: object


@dataclass
class Run:
    results: list[Result] = field(default_factory=list)
    seconds: float = 0.0
    client_cpu: float = 0.0
    server_cpu: float = 0.0
    store_cpu: float = 0.0

    @property
    def rate(self) -> float:
        """Answers per second."""
        return len(self.results) / self.seconds


def process_cpu(pids: list[int]) -> dict[int, float]:
    """Each process's user + system CPU seconds so far; one that has exited is left out."""
    seconds = {}
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            seconds[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return seconds


def store_cpu(redis_pid: int | None) -> dict[int, float]:
    """CPU so far of the database's processes (every PostgreSQL backend: the benchmark's
    database is the only busy one) and of the private redis-server."""
    backends = [
        int(entry.name)
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit() and _comm(entry) == "postgres"
    ]
    return process_cpu(backends + ([redis_pid] if redis_pid else []))


def _comm(entry: Path) -> str:
    with contextlib.suppress(OSError):
        return (entry / "comm").read_text().strip()
    return ""


def measured(server: AppServer, load, redis_pid: int | None) -> Run:
    """Run a load (a coroutine) and add the CPU time of the server workers and of the
    stores (PostgreSQL, Redis) to its figures. A database connection opened during the run
    counts all its CPU; one closed during it, none (the server's pool keeps them open)."""
    pids = server.worker_pids()
    before, stores_before = process_cpu(pids), store_cpu(redis_pid)
    run = asyncio.run(load)
    run.server_cpu = cpu_since(before, process_cpu(pids))
    run.store_cpu = cpu_since(stores_before, store_cpu(redis_pid))
    return run


def cpu_since(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds the processes used between two readings of process_cpu()."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


async def closed_loop(port: int, requests: list[tuple[bytes, object]], clients: int) -> Run:
    """`clients` connections, each sending its next request when the last is answered."""
    queue = iter(requests)
    run = Run()

    async def client() -> None:
        connection = Connection(port)
        for raw, tag in queue:
            started = time.perf_counter()
            status, body = await connection.send(raw)
            run.results.append(Result(time.perf_counter() - started, status, body, tag))

    cpu, started = time.process_time(), time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    run.seconds = time.perf_counter() - started
    run.client_cpu = time.process_time() - cpu
    return run


async def open_loop(port: int, requests: list[tuple[bytes, object]], rate: float) -> Run:
    """Send on schedule (rate per second) whatever is still unanswered; latency is measured
    from the scheduled time, so a late send counts against the server (no coordinated
    omission)."""
    run = Run()
    cpu, started = time.process_time(), time.perf_counter()
    answers = await on_schedule(port, [raw for raw, _ in requests], rate)
    run.seconds = time.perf_counter() - started
    run.client_cpu = time.process_time() - cpu
    run.results = [
        Result(answer.answered - answer.due, answer.status, answer.body, tag)
        for answer, (_, tag) in zip(answers, requests, strict=True)
    ]
    return run


# --- runs and checks -------------------------------------------------------------------


def with_repeats(items: list, share: float, rng: random.Random) -> list:
    """Every item once, plus `share` of them a second time, shuffled."""
    batch = items + rng.sample(items, int(len(items) * share))
    rng.shuffle(batch)
    return batch


def checkin_requests(world: World, role: str, codes: dict[int, str], share: float, rng):
    seats = with_repeats(world.seats, share, rng)
    return [
        (
            raw_request(
                "POST", "/api/v1/checkins", {"token": codes[seat.class_id]}, bearer=seat.bearer
            ),
            (seat.enrollment_id, world.sessions[role][seat.class_id]),
        )
        for seat in seats
    ]


def ceiling_requests(world: World, role: str, share: float, rng):
    seats = with_repeats(world.seats, share, rng)
    return [
        (
            raw_request(
                "POST",
                "/api/bench/insert-checkin",
                {
                    "enrollment_id": seat.enrollment_id,
                    "session_id": world.sessions[role][seat.class_id],
                    "class_id": seat.class_id,
                },
            ),
            (seat.enrollment_id, world.sessions[role][seat.class_id]),
        )
        for seat in seats
    ]


def fetch_codes(port: int, world: World, role: str) -> dict[int, str]:
    """Each class's current QR token for the role's session, from the API as the admin."""

    async def fetch() -> dict[int, str]:
        connection = Connection(port)
        codes = {}
        for class_id, session_id in world.sessions[role].items():
            raw = raw_request(
                "GET", f"/api/v1/sessions/{session_id}/checkin-code", bearer=world.admin
            )
            status, body = await connection.send(raw)
            assert status == 200, body
            codes[class_id] = json.loads(body)["qr_text"]
        return codes

    return asyncio.run(fetch())


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def verify(app, run: Run, role_sessions: dict[int, int], check_first: bool) -> dict:
    """Duplicates and lost check-ins, from the database."""
    session_ids = list(role_sessions.values())
    with app.app_context():
        rows = db.session.execute(
            text(
                "SELECT enrollment_id, session_id, checked_in_at FROM checkins"
                " WHERE session_id IN :ids"
            ).bindparams(bindparam("ids", expanding=True)),
            {"ids": session_ids},
        ).all()
        db.engine.dispose()
    stored = {}
    duplicates = 0
    for enrollment_id, session_id, at in rows:
        duplicates += (enrollment_id, session_id) in stored
        stored[(enrollment_id, session_id)] = at
    sent = {result.tag for result in run.results}
    created = [r for r in run.results if r.status == 201]
    again = [r for r in run.results if r.status == 200]
    errors = [r for r in run.results if r.status not in (200, 201)]
    answered = {r.tag for r in created + again}
    lost = len(answered - set(stored))
    wrong_first = 0
    if check_first:
        first = {r.tag: json.loads(r.body)["checked_in_at"] for r in created}
        wrong_first = sum(json.loads(r.body)["checked_in_at"] != first.get(r.tag) for r in again)
    return {
        "sent": len(run.results),
        "distinct": len(sent),
        "201": len(created),
        "200": len(again),
        "errors": len(errors),
        "error_sample": errors[0].body[:200] if errors else b"",
        "duplicates": duplicates,
        "lost": lost,
        "double_201": len(created) - len({r.tag for r in created}),
        "wrong_first": wrong_first,
    }


def total(runs: list[Run], figure: str) -> float:
    """Requests per second, or CPU seconds per request of the server or the stores, over
    several runs."""
    requests = sum(len(run.results) for run in runs)
    if figure == "rate":
        return requests / sum(run.seconds for run in runs)
    return sum(getattr(run, figure) for run in runs) / requests


def describe(name: str, run: Run) -> str:
    latencies = [r.latency * 1000 for r in run.results]
    return (
        f"{name:<10} {run.rate:6.0f} req/s   p50 {statistics.median(latencies):6.1f} ms   "
        f"p99 {percentile(latencies, 0.99):7.1f} ms   "
        f"server CPU {run.server_cpu / len(run.results) * 1e3:4.2f} ms/req   "
        f"stores CPU {run.store_cpu / len(run.results) * 1e3:4.2f} ms/req   "
        f"client CPU {run.client_cpu / len(run.results) * 1e6:4.0f} µs/req   "
        f"load {load_average()}"
    )


def counts(report: dict) -> str:
    sample = f" (e.g. {report['error_sample']!r})" if report["errors"] else ""
    return (
        f"          {report['sent']} sent ({report['distinct']} distinct): "
        f"{report['201']}×201 {report['200']}×200 {report['errors']} errors{sample}; "
        f"duplicates {report['duplicates']}, lost {report['lost']}, "
        f"second 201s {report['double_201']}, 200s with another time {report['wrong_first']}"
    )


# --- one database ----------------------------------------------------------------------


def wrk_check(port: int, seconds: int, clients: int) -> str:
    """GET /healthz by wrk and by our client: if they agree, the client is not the limit."""
    if not shutil.which("wrk"):
        return "load generator check: wrk not installed, skipped"
    out = subprocess.run(
        ["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", f"http://127.0.0.1:{port}/healthz"],
        capture_output=True,
        text=True,
    ).stdout
    wrk_rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    ours = asyncio.run(
        closed_loop(port, [(raw_request("GET", "/healthz"), None)] * int(wrk_rate * seconds), 64)
    )
    ours_rate = ours.rate
    return (
        f"load generator check (GET /healthz, {clients} connections): wrk {wrk_rate:.0f} req/s, "
        f"this client {ours_rate:.0f} req/s "
        f"({ours.client_cpu / len(ours.results) * 1e6:.0f} µs CPU per request)"
    )


@contextlib.contextmanager
def running(server: AppServer):
    """The server running, with more patience than a test's: four workers import the app at
    once, which on a loaded machine takes longer than AppServer's default wait."""
    server.start(timeout=180)
    try:
        yield server
    finally:
        server.stop()


def load_average() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def spread(totals: dict[str, list[Run]]) -> str:
    """Each round's throughput ratio and check-in p99 / p50: how far one round is from the
    whole."""
    ratios = [
        burst.rate / ceiling.rate
        for ceiling, burst in zip(totals["ceiling"], totals["check-in"], strict=True)
    ]
    tails = []
    for burst in totals["check-in"]:
        latencies = [r.latency for r in burst.results]
        tails.append(percentile(latencies, 0.99) / statistics.median(latencies))
    return (
        f"per round: throughput {' '.join(f'{r:.2f}' for r in ratios)}, "
        f"check-in p99/p50 {' '.join(f'{t:.1f}' for t in tails)}"
    )


def headline(rate: dict, cpu: dict, stores: dict, before: tuple, during: tuple) -> str:
    """The check-in / ceiling ratios, with the load average; marked, without the throughput
    ratio, when the machine was busy before the run started."""
    loads = (
        f"load average (1 min) {before[0]:.1f} before the run, {during[0]:.1f} at its end, "
        f"{os.cpu_count()} cores"
    )
    cpu_ratio = (
        f"server CPU per request {cpu['check-in'] / cpu['ceiling']:.2f}× "
        f"({cpu['check-in'] * 1e3:.2f} vs {cpu['ceiling'] * 1e3:.2f} ms), stores "
        f"{stores['check-in'] * 1e3:.2f} vs {stores['ceiling'] * 1e3:.2f} ms"
    )
    rates = f"{rate['check-in']:.0f} vs {rate['ceiling']:.0f} req/s"
    if before[0] > BUSY_LOAD_PER_CORE * os.cpu_count():
        return (
            f"BUSY MACHINE ({loads}): no headline throughput ratio ({rates}); {cpu_ratio}; "
            "run again on an idle machine"
        )
    return (
        f"full check-in / ceiling, all rounds: throughput "
        f"{rate['check-in'] / rate['ceiling']:.2f}× ({rates}), {cpu_ratio}; {loads}"
    )


def bench_database(kind: str, url: str, args) -> None:
    rng = random.Random(3)
    load_before = os.getloadavg()
    config = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET, "REDIS_URL": None}
    app = create_app(config)
    started = time.perf_counter()
    world = seed(app, args.classes)
    print(
        f"\n== {kind}: {args.classes} classes × {TRAINEES_PER_CLASS} trainees "
        f"(seeded in {time.perf_counter() - started:.0f} s); gunicorn {args.workers} workers "
        f"gthread × {args.threads}, {args.clients} concurrent clients, "
        f"{'Redis' if args.redis_url else 'in-memory'} rate limits and live events; load average "
        f"{load_average()} before seeding",
        flush=True,
    )
    env = {
        "REDIS_URL": args.redis_url or "",
        "SECRET_KEY": SECRET,
        "YANXIU_BENCH_ENDPOINTS": "1",
        "DEV_LOGIN": "0",
        "CHECKIN_IP_LIMIT": "1000000/minute",  # one client address plays a whole province
        **dict(setting.split("=", 1) for setting in args.server_env),
    }
    server = AppServer(
        url, workers=args.workers, threads=args.threads, env=env, exact_rate_limits=False
    )
    server.args[-1:-1] = ["--keep-alive", "30"]
    with running(server):
        if args.wrk_check:
            print(wrk_check(server.port, 5, args.clients), flush=True)
        warm = checkin_requests(world, "warmup", fetch_codes(server.port, world, "warmup"), 0, rng)
        warm_ceiling = ceiling_requests(world, "warmup", 0, rng)
        asyncio.run(closed_loop(server.port, warm[:400] + warm_ceiling[-400:], args.clients))

        totals = {"ceiling": [], "check-in": []}
        for n in range(1, ROUNDS + 1):
            ceiling = measured(
                server,
                closed_loop(
                    server.port, ceiling_requests(world, f"ceiling-{n}", 0.1, rng), args.clients
                ),
                args.redis_pid,
            )
            print(describe(f"ceiling {n}", ceiling))
            print(counts(verify(app, ceiling, world.sessions[f"ceiling-{n}"], check_first=False)))
            codes = fetch_codes(server.port, world, f"burst-{n}")
            burst = measured(
                server,
                closed_loop(
                    server.port,
                    checkin_requests(world, f"burst-{n}", codes, 0.1, rng),
                    args.clients,
                ),
                args.redis_pid,
            )
            print(describe(f"check-in {n}", burst))
            print(counts(verify(app, burst, world.sessions[f"burst-{n}"], check_first=True)))
            totals["ceiling"].append(ceiling)
            totals["check-in"].append(burst)
        rate, cpu, stores = (
            {k: total(runs, f) for k, runs in totals.items()}
            for f in ("rate", "server_cpu", "store_cpu")
        )
        print(headline(rate, cpu, stores, load_before, os.getloadavg()))
        print(spread(totals))

        codes = fetch_codes(server.port, world, "steady")
        steady_requests = checkin_requests(world, "steady", codes, 0.1, rng)
        steady_requests = steady_requests[: int(args.steady_rate * args.steady_seconds)]
        steady = measured(
            server, open_loop(server.port, steady_requests, args.steady_rate), args.redis_pid
        )
        latencies = [r.latency * 1000 for r in steady.results]
        print(
            f"steady     {args.steady_rate:.0f} check-ins/s open loop for {args.steady_seconds} s "
            f"(achieved {steady.rate:.0f}/s): "
            f"p50 {statistics.median(latencies):.1f} ms   p99 {percentile(latencies, 0.99):.1f} ms"
            f"   load {load_average()}"
        )
        print(counts(verify(app, steady, world.sessions["steady"], check_first=True)), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--databases", default="postgresql,sqlite")
    parser.add_argument("--classes", type=int, default=120)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--steady-rate", type=float, default=200)
    parser.add_argument("--steady-seconds", type=int, default=20)
    parser.add_argument("--no-wrk-check", dest="wrk_check", action="store_false")
    parser.add_argument(
        "--server-env", action="append", default=[], metavar="NAME=VALUE",
        help="a setting of the server (e.g. RATELIMIT_DISABLED=1, to see what the limits cost)",
    )  # fmt: skip
    parser.add_argument(
        "--no-redis", dest="redis", action="store_false",
        help="rate limits and live events in each worker's memory (not production: with 4 "
        "workers each counts its own limits)",
    )  # fmt: skip
    args = parser.parse_args()
    print("command:", " ".join(sys.argv))
    redis_server = RedisServer().start() if args.redis else None
    args.redis_url = redis_server.url if redis_server else None
    args.redis_pid = redis_server.process.pid if redis_server else None
    try:
        for kind in args.databases.split(","):
            bench_kind(kind, args)
    finally:
        if redis_server:
            redis_server.stop()


def bench_kind(kind: str, args) -> None:
    if kind == "postgresql":
        name = f"yanxiu_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            bench_database(kind, f"postgresql+psycopg://127.0.0.1:5432/{name}", args)
        finally:
            with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        with tempfile.TemporaryDirectory() as folder:
            bench_database(kind, f"sqlite:///{folder}/bench.sqlite3", args)


if __name__ == "__main__":
    main()
