"""Live tallies at scale: 1,000 SSE subscribers, 100 check-ins per second for 30 s.

    .venv/bin/python bench/live_fanout.py [--subscribers 1000 --rate 100 --seconds 30
        --classes 10 --workers 2 --threads 600 --worker-class gthread
        --stream-workers 2 --stream-worker-class gevent --db postgresql]

Production settings (deploy/SCALE.md): an API server and a stream server, both gunicorn with
gunicorn.conf.py (`--stream-worker-class none`: the API server serves the streams too),
PostgreSQL (a database of its own on 127.0.0.1:5432, dropped at the end; --db sqlite for a
file), Redis Streams (a private redis-server on a free port). Subscribers are asyncio clients
in two processes holding EventSource-like connections with a live ticket to the stream
server; check-ins go to the API server through POST /checkins with tokens from
GET /sessions/{id}/checkin-code, at a fixed rate, spread over the classes
(bench/http_client.py, one asyncio loop).

Printed:
- delivery latency from the commit to the first event on a subscriber that counts the
  check-in (the k-th check-in of a class, in the server's order, is counted by the first
  event whose total is >= k). "Commit" is the check-in's `checked_in_at`, the server's
  clock read just before its insert; the commit follows within the same request, so this
  slightly overstates the latency. Also printed: from the request sent (adds the request's
  own queueing), from the answer received (a lower bound), and from the event's `at` (the
  tally read, after the commit) to receipt (the fan-out alone);
- events lost: subscribers whose last event is not the database's final state;
- server memory: RSS of the gunicorn masters and workers (peak during the run), and per
  open stream (the RSS with the subscribers connected minus the RSS before they connected,
  divided by their number);
- errors: check-ins answered other than 200/201 (or not answered), subscribers that did not
  connect. The run exits with status 1 when there is any error or lost event.
Everything runs on this machine, so the clients take CPU from the server. Every wait has a
deadline (requests, connections, the subscribers' results, the whole run: --deadline).
"""

import argparse
import asyncio
import bisect
import gc
import json
import math
import multiprocessing as mp
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.http_client import Answer, on_schedule, raw_request  # noqa: E402

SECRET = "bench-secret-key"
PG_ADMIN_DSN = os.environ.get("YANXIU_PG_ADMIN_DSN", "host=127.0.0.1 port=5432 dbname=test")
#: Seconds any one HTTP request of the set-up or the load may take.
REQUEST_TIMEOUT = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- set-up ----------------------------------------------------------------------------


def build_data(url: str, classes: int, sessions: int, trainees: int) -> dict:
    """Plan 2023, an admin, `classes` approved classes running now with their sessions open
    for check-in and `trainees` bound trainees each; returns the tokens."""
    from flask_migrate import upgrade

    from backend import create_app
    from backend.auth import tokens
    from backend.auth.models import Role, Trainee, User
    from backend.classes.models import ClassMode, Lecturer, Session, TrainingClass
    from backend.core.timeutil import today_in_china, utcnow
    from backend.enrollment.models import Enrollment
    from backend.extensions import db
    from backend.plans.logic import load_plan
    from backend.plans.models import Project

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET, "REDIS_URL": None,
         "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
    )  # fmt: skip
    with app.app_context():
        upgrade()
        load_plan(2023)
        admin = User(username="bench-admin", role=Role.ADMIN)
        admin.set_password("bench-admin-password")
        lecturer = Lecturer(name="王建国", title="教授")
        db.session.add_all([admin, lecturer])
        db.session.flush()
        projects = db.session.scalars(db.select(Project).order_by(Project.id)).all()
        today, now = today_in_china(), utcnow().replace(microsecond=0)
        result = {"admin": tokens.issue("staff", admin.id, admin.token_version)[0], "classes": []}
        for c in range(classes):
            training_class = TrainingClass(
                project=projects[c % len(projects)], location="武汉", capacity=40,
                start_date=today - timedelta(days=1), end_date=today + timedelta(days=2),
                mode=ClassMode.OFFLINE, code_rotate_seconds=600,
            )  # fmt: skip
            db.session.add(training_class)
            db.session.flush()
            class_sessions = [
                Session(
                    class_id=training_class.id,
                    topic=f"专题{i + 1}",
                    lecturer_id=lecturer.id,
                    starts_at=now - timedelta(minutes=5),
                    ends_at=now + timedelta(hours=2),
                )  # fmt: skip
                for i in range(sessions)
            ]
            db.session.add_all(class_sessions)
            trainee_tokens = []
            for t in range(trainees):
                trainee = Trainee(openid=f"bench:{c}:{t}")
                db.session.add(trainee)
                db.session.flush()
                db.session.add(
                    Enrollment(class_id=training_class.id, name=f"学员{t}",
                               phone=f"139{c:03d}{t:05d}", trainee_id=trainee.id)
                )  # fmt: skip
                trainee_tokens.append(tokens.issue("trainee", trainee.id, 0)[0])
            training_class.submit_opening_plan("开班实施方案")
            training_class.approve(admin.id)
            db.session.flush()
            result["classes"].append(
                {"id": training_class.id, "sessions": [s.id for s in class_sessions],
                 "trainees": trainee_tokens}
            )  # fmt: skip
        db.session.commit()
        db.engine.dispose()
    return result


def final_states(url: str, class_ids: list[int]) -> dict[int, dict]:
    from backend import create_app
    from backend.extensions import db
    from backend.live.tally import class_tally

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET, "REDIS_URL": None})
    with app.app_context():
        states = {c: class_tally(c) for c in class_ids}
        db.engine.dispose()
    return states


class Services:
    """A database, a private Redis and gunicorn with the production config."""

    def __init__(self, args) -> None:
        self.args = args
        self.processes: list[subprocess.Popen] = []
        #: "api" (and "streams" when the streams have a server of their own) -> gunicorn.
        self.servers: dict[str, subprocess.Popen] = {}
        self.db_name = None

    def database(self) -> str:
        if self.args.db == "sqlite":
            path = Path(f"/tmp/yanxiu-bench-{os.getpid()}.sqlite3")
            path.unlink(missing_ok=True)
            self.sqlite_path = path
            return f"sqlite:///{path}"
        import psycopg

        self.db_name = f"yanxiu_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.db_name}"')
        return f"postgresql+psycopg://127.0.0.1:5432/{self.db_name}"

    def redis(self) -> str:
        port = free_port()
        self.processes.append(
            subprocess.Popen(
                [
                    shutil.which("redis-server"),
                    "--port",
                    str(port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--daemonize",
                    "no",
                ],
                stdout=subprocess.DEVNULL,
            )  # fmt: skip
        )
        deadline = time.time() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return f"redis://127.0.0.1:{port}/0"
            except OSError:
                if time.time() > deadline:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)

    def gunicorn(self, name: str, database_url: str, redis_url: str, worker_class: str,
                 workers: int) -> str:  # fmt: skip
        """Start one gunicorn with the production config; its URL."""
        port = free_port()
        env = {
            **os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url,
            "SECRET_KEY": SECRET, "PYTHONPATH": str(ROOT), "GUNICORN_LOG_LEVEL": "warning",
            "WEB_CONCURRENCY": str(workers), "GUNICORN_THREADS": str(self.args.threads),
            "GUNICORN_WORKER_CLASS": worker_class,
            "GUNICORN_WORKER_CONNECTIONS": str(self.args.subscribers + 200),
            # one client address plays a whole province (as in bench/checkin_burst.py)
            "CHECKIN_IP_LIMIT": "1000000/minute",
            # one admin watches every stream here: the fan-out, not the per-user cap, is measured
            "LIVE_STREAMS_PER_USER": str(self.args.subscribers),
            "LIVE_STREAMS_PER_CLASS": str(self.args.subscribers),
            "LIVE_MAX_STREAMS": str(self.args.subscribers),
        }  # fmt: skip
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.servers[name] = server = subprocess.Popen(
            [str(gunicorn), "-c", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
             "backend:create_app()"],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        self.processes.append(server)
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if requests.get(f"{url}/healthz", timeout=1).status_code == 200:
                    return url
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn ({name}) did not start")

    def _pids(self, name: str) -> list[int]:
        """A server's master and workers."""
        master = self.servers[name].pid
        children = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True)
        return [master] + [int(pid) for pid in children.stdout.split()]

    def server_rss_mb(self) -> float:
        """RSS of every gunicorn process (the masters and their workers)."""
        total = 0
        for pid in [pid for name in self.servers for pid in self._pids(name)]:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            total += int(next(x for x in status.splitlines() if x.startswith("VmRSS")).split()[1])
        return total / 1024

    def cpu_ticks(self) -> dict[str, dict[int, int]]:
        """CPU clock ticks used so far by each process of each server's workers, Redis and
        PostgreSQL's backends of the bench database."""
        groups = {f"{name} workers": self._pids(name)[1:] for name in self.servers}
        groups["redis"] = [self.processes[0].pid]
        if self.db_name:
            postgres = subprocess.run(["pgrep", "-f", f"postgres: .* {self.db_name} "],
                                      capture_output=True, text=True)  # fmt: skip
            groups["postgresql"] = [int(pid) for pid in postgres.stdout.split()]
        return {name: {pid: _cpu(pid) for pid in pids} for name, pids in groups.items()}

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                if process in self.servers.values():
                    os.killpg(process.pid, 15)
                else:
                    process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
        if self.db_name:
            import psycopg

            with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
        if self.args.db == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.sqlite_path}{suffix}").unlink(missing_ok=True)


def machine_busy() -> tuple[int, int]:
    """(busy, total) clock ticks of the whole machine so far (/proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def _cpu(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks


# --- subscribers -----------------------------------------------------------------------


async def _subscribe(host, port, path, record, connected, failed, stop) -> None:
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 10)
        writer.write(
            f"GET {path} HTTP/1.0\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n".encode()
        )
        status = await asyncio.wait_for(reader.readline(), REQUEST_TIMEOUT)
        if b" 200 " not in status:
            raise ConnectionError(status.decode(errors="replace").strip() or "no answer")
        while (await reader.readline()) not in (b"\r\n", b""):
            pass
    except (OSError, TimeoutError) as error:
        with failed.get_lock():
            if failed.value == 0:
                print(f"subscriber failed: {error!r}", flush=True)
            failed.value += 1
        return
    # whole reads split into frames (cheaper for this client than a readline per line)
    pending = b""
    while not stop.is_set():
        chunk = await reader.read(65536)
        if not chunk:
            break
        received = time.time()
        *frames, pending = (pending + chunk).split(b"\n\n")
        for frame in frames:
            data = next((x[6:] for x in frame.split(b"\n") if x.startswith(b"data: ")), None)
            if data is None:
                continue  # the retry line, a keep-alive comment
            if not record:
                with connected.get_lock():
                    connected.value += 1
            record.append((received, data))
    writer.close()


def subscriber_process(url, paths, connected, failed, stop, results) -> None:
    # The records grow to ~100,000 tuples and hold no cycles: a collector walking them would
    # stall this client's loop and count against the server as latency.
    gc.disable()
    host, port = url.removeprefix("http://").split(":")

    async def main():
        records = [[] for _ in paths]
        tasks = []
        for i, path in enumerate(paths):
            tasks.append(asyncio.create_task(
                _subscribe(host, int(port), path, records[i], connected, failed, stop)
            ))  # fmt: skip
            if i % 50 == 49:
                await asyncio.sleep(0.1)  # connect at ~500/s
        while not stop.is_set():
            await asyncio.sleep(0.1)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return records

    records = asyncio.run(main())
    compact = []
    for record in records:
        events = []
        for received, data in record:
            tally = json.loads(data)
            at = datetime.fromisoformat(tally["at"]).timestamp()
            events.append((received, tally["class_id"], sum(tally["checked_in"].values()), at,
                           tally["attendees"]))  # fmt: skip
        compact.append(events)
    results.put(compact)


# --- load ------------------------------------------------------------------------------


def expect_ok(answer: requests.Response, what: str) -> dict:
    """The JSON of a 2xx answer; anything else stops the run with the answer's text."""
    if not answer.ok:
        raise RuntimeError(f"{what}: HTTP {answer.status_code} {answer.text[:300]}")
    return answer.json()


def check_ins(url: str, data: dict, rate: float, seconds: float) -> list[tuple]:
    """POST /checkins at a fixed rate (bench/http_client.py, one asyncio loop); (class id,
    sent, answered, status, the server's checked_in_at or None, error text or None) for
    each; status 0 when no answer came."""
    admin = {"Authorization": f"Bearer {data['admin']}"}
    codes = {}
    for c in data["classes"]:
        for session_id in c["sessions"]:
            answer = requests.get(
                f"{url}/api/v1/sessions/{session_id}/checkin-code", headers=admin,
                timeout=REQUEST_TIMEOUT,
            )  # fmt: skip
            codes[session_id] = expect_ok(answer, "GET checkin-code")["token"]
    plan = []  # round robin over classes; each (trainee, session) once
    per_class = [
        [(c["id"], s, t) for s in c["sessions"] for t in c["trainees"]] for c in data["classes"]
    ]
    total = int(rate * seconds)
    for i in range(total):
        plan.append(per_class[i % len(per_class)][i // len(per_class)])
    port = int(url.rsplit(":", 1)[1])
    raws = [
        raw_request("POST", "/api/v1/checkins", {"token": codes[session_id]}, trainee)
        for _, session_id, trainee in plan
    ]
    answers = asyncio.run(on_schedule(port, raws, rate, start_in=0.5, timeout=REQUEST_TIMEOUT))
    return [
        _outcome(class_id, answer) for (class_id, _, _), answer in zip(plan, answers, strict=True)
    ]


def _outcome(class_id: int, answer: Answer) -> tuple:
    """(class id, sent, answered, status, the server's checked_in_at or None, error or None)."""
    times = (class_id, answer.sent, answer.answered, answer.status)
    if answer.status not in (200, 201):
        return *times, None, answer.body[:300].decode(errors="replace")
    stamped = datetime.fromisoformat(json.loads(answer.body)["checked_in_at"]).timestamp()
    return *times, stamped, None


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)]


def _abandon(signum, frame) -> None:
    raise TimeoutError("bench/live_fanout.py: --deadline passed, run abandoned")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--sessions", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="API workers")
    parser.add_argument("--threads", type=int, default=600, help="threads of a gthread worker")
    parser.add_argument("--worker-class", default="gthread", help="of the API workers")
    parser.add_argument("--stream-workers", type=int, default=2)
    parser.add_argument(
        "--stream-worker-class", default="gevent",
        help="of the stream server's workers; 'none': the API server serves the streams too",
    )  # fmt: skip
    parser.add_argument("--db", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument(
        "--deadline", type=float, default=600, help="seconds after which the run is abandoned"
    )
    args = parser.parse_args()
    signal.signal(signal.SIGALRM, _abandon)
    signal.alarm(int(args.deadline))
    print("command:", " ".join(sys.argv), flush=True)

    trainees = math.ceil(args.rate * args.seconds / (args.classes * args.sessions))
    load_before = os.getloadavg()
    services = Services(args)
    clients: list[mp.Process] = []
    try:
        database_url = services.database()
        data = build_data(database_url, args.classes, args.sessions, trainees)
        redis_url = services.redis()
        url = stream_url = services.gunicorn(
            "api", database_url, redis_url, args.worker_class, args.workers
        )
        if args.stream_worker_class != "none":
            stream_url = services.gunicorn(
                "streams", database_url, redis_url, args.stream_worker_class, args.stream_workers
            )
        admin = {"Authorization": f"Bearer {data['admin']}"}
        paths = []
        for i in range(args.subscribers):
            class_id = data["classes"][i % args.classes]["id"]
            answer = requests.post(
                f"{url}/api/v1/classes/{class_id}/live-ticket", headers=admin,
                timeout=REQUEST_TIMEOUT,
            )  # fmt: skip
            paths.append(
                f"/api/v1/classes/{class_id}/live?ticket={expect_ok(answer, 'ticket')['ticket']}"
            )
        rss_idle = services.server_rss_mb()
        connected, failed = mp.Value("i", 0), mp.Value("i", 0)
        stop, results = mp.Event(), mp.Queue()
        clients = [
            mp.Process(
                target=subscriber_process, args=(stream_url, half, connected, failed, stop, results),
                daemon=True,
            )
            for half in (paths[0::2], paths[1::2])
        ]  # fmt: skip
        for client in clients:
            client.start()
        deadline = time.time() + 120
        while connected.value + failed.value < args.subscribers and time.time() < deadline:
            time.sleep(0.2)
        if connected.value < args.subscribers:
            raise RuntimeError(
                f"only {connected.value} of {args.subscribers} subscribers connected "
                f"({failed.value} failed)"
            )
        rss_streams = services.server_rss_mb()
        print(
            f"{connected.value} subscribers connected; server RSS {rss_idle:.0f} MB before, "
            f"{rss_streams:.0f} MB with them", flush=True,
        )  # fmt: skip
        peak_rss, sampling = [rss_streams], threading.Event()

        def sample():
            while not sampling.wait(1):
                peak_rss.append(services.server_rss_mb())

        threading.Thread(target=sample, daemon=True).start()
        cpu_before, load_started = services.cpu_ticks(), time.time()
        clients_before = sum(_cpu(c.pid) for c in clients) / os.sysconf("SC_CLK_TCK")
        machine_before, self_before = machine_busy(), sum(os.times()[:2])
        loads = check_ins(url, data, args.rate, args.seconds)
        load_during = os.getloadavg()
        machine_after = machine_busy()
        elapsed, tick = time.time() - load_started, os.sysconf("SC_CLK_TCK")
        cpu = {  # processes that started during the load count from 0
            name: sum(used - cpu_before[name].get(pid, 0) for pid, used in pids.items())
            / tick
            / elapsed
            for name, pids in services.cpu_ticks().items()
        }
        cpu["subscriber clients"] = (
            sum(_cpu(c.pid) for c in clients) / tick - clients_before
        ) / elapsed
        cpu["load generator"] = (sum(os.times()[:2]) - self_before) / elapsed
        busy = (machine_after[0] - machine_before[0]) / (machine_after[1] - machine_before[1])
        cpu[f"whole machine (busy {100 * busy:.0f}% of {os.cpu_count()} cores)"] = (
            busy * os.cpu_count()
        )
        time.sleep(3)  # let the last merged events arrive
        sampling.set()
        stop.set()
        records = [r for _ in clients for r in results.get(timeout=120)]
        for client in clients:
            client.join(timeout=30)
        truth = final_states(database_url, [c["id"] for c in data["classes"]])
    finally:
        signal.alarm(0)
        for client in clients:
            if client.is_alive():
                client.terminate()
        services.stop()
    memory = (peak_rss, rss_idle, rss_streams)
    problems = report(args, loads, records, truth, memory, cpu) + failed.value
    print(
        f"machine load average (1, 5, 15 min; {os.cpu_count()} cores): "
        f"{' '.join(f'{x:.1f}' for x in load_before)} before the run, "
        f"{' '.join(f'{x:.1f}' for x in load_during)} at the end of the load "
        "(above ~0.5 before the run is other work on the machine)"
    )
    if problems:
        print(f"FAILED: {problems} errors or lost events (see above)")
        sys.exit(1)


def report(args, loads, records, truth, memory, cpu) -> int:
    """Print the figures; the number of errors and lost events."""
    ok = [x for x in loads if x[3] in (200, 201)]
    errors = [x for x in loads if x[3] not in (200, 201)]
    by_class: dict[int, list[tuple]] = {}
    for class_id, sent, answered, _, stamped, _ in ok:
        by_class.setdefault(class_id, []).append((stamped, sent, answered))
    for entries in by_class.values():
        entries.sort()  # the k-th check-in of the class, in the server's order
    from_stamp, from_sent, from_answer, from_at, lost, events = [], [], [], [], 0, 0
    for record in records:
        if not record:
            lost += 1
            continue
        events += len(record)
        class_id = record[0][1]
        totals = [total for _, _, total, _, _ in record]
        last = record[-1]
        expected = truth[class_id]
        if last[2] != sum(expected["checked_in"].values()) or last[4] != expected["attendees"]:
            lost += 1
        for received, _, _, at, _ in record[1:]:
            from_at.append(received - at)
        for k, (stamped, sent, answered) in enumerate(by_class.get(class_id, []), start=1):
            index = bisect.bisect_left(totals, k)
            if index < len(record):
                from_stamp.append(record[index][0] - stamped)
                from_sent.append(record[index][0] - sent)
                from_answer.append(max(0.0, record[index][0] - answered))
    request_ms = [(answered - sent) * 1000 for _, sent, answered, _, _, _ in ok] or [0.0]
    duration = max(x[2] for x in loads) - min(x[1] for x in loads)
    print(
        f"\nAPI: {args.workers} {args.worker_class} workers"
        + (f" x {args.threads} threads" if args.worker_class == "gthread" else "")
        + (
            "; streams on the same server"
            if args.stream_worker_class == "none"
            else f"; streams: {args.stream_workers} {args.stream_worker_class} workers"
        )
        + f"; {args.db}, Redis Streams; {args.subscribers} subscribers on {args.classes} classes"
    )
    print(
        f"check-ins: {len(ok)}/{len(loads)} ok in {duration:.1f} s "
        f"({len(ok) / duration:.0f}/s); request p50 {statistics.median(request_ms):.0f} ms, "
        f"p99 {percentile(request_ms, 99):.0f} ms"
    )
    if errors:
        statuses = sorted({x[3] for x in errors})
        print(f"ERRORS: {len(errors)} check-ins not answered 200/201 (status {statuses}), "
              f"e.g. {errors[0][5]}")  # fmt: skip
    print(
        f"events received: {events} ({events / max(1, len(records)) / duration:.1f} per "
        f"subscriber per second, {len(truth)} classes)"
    )
    for name, values in (
        ("COMMIT (server checked_in_at) -> event received", from_stamp),
        ("check-in request sent -> event received", from_sent),
        ("check-in answer received -> event received", from_answer),
        ("tally read (event `at`) -> event received", from_at),
    ):
        ms = [v * 1000 for v in values] or [float("nan")]
        print(
            f"{name}: p50 {statistics.median(ms):.0f} ms, p99 {percentile(ms, 99):.0f} ms, "
            f"max {max(ms):.0f} ms ({len(values)} samples)"
        )
    print(f"events lost (subscribers whose last event is not the final state): {lost}")
    peak_rss, rss_idle, rss_streams = memory
    per_stream_kb = (rss_streams - rss_idle) * 1024 / max(1, len(records))
    print(
        f"server memory (RSS, gunicorn master + workers): {rss_idle:.0f} MB before the "
        f"subscribers, {rss_streams:.0f} MB with them ({per_stream_kb:.0f} KB per open stream), "
        f"peak {max(peak_rss):.0f} MB"
    )
    print("CPU during the load, in cores: " + ", ".join(f"{k} {v:.2f}" for k, v in cpu.items()))
    return len(errors) + lost


if __name__ == "__main__":
    main()
