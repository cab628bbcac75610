"""Live tallies at scale: 1,000 SSE subscribers, 100 check-ins per second for 30 s.

    .venv/bin/python bench/live_fanout.py [--subscribers 1000 --rate 100 --seconds 30
        --classes 10 --workers 2 --threads 600 --worker-class gthread --db postgresql]

(`--worker-class gevent` needs `pip install gevent` in the virtualenv; it is not a
dependency of the project.)

Production settings: gunicorn with gunicorn.conf.py, PostgreSQL (a database of its own on
127.0.0.1:5432, dropped at the end; --db sqlite for a file), Redis Streams (a private
redis-server on a free port). Subscribers are asyncio clients in two processes holding
EventSource-like connections with a live ticket; check-ins go through POST /checkins with
tokens from GET /sessions/{id}/checkin-code, at a fixed rate, spread over the classes.

Printed:
- delivery latency from the commit to the first event on a subscriber that counts the
  check-in (the k-th check-in of a class, in the server's order, is counted by the first
  event whose total is >= k). "Commit" is the check-in's `checked_in_at`, the server's
  clock read just before its insert; the commit follows within the same request, so this
  slightly overstates the latency. Also printed: from the request sent (adds the request's
  own queueing), from the answer received (a lower bound), and from the event's `at` (the
  tally read, after the commit) to receipt (the fan-out alone);
- events lost: subscribers whose last event is not the database's final state;
- server memory: RSS of the gunicorn master and workers (peak during the run).
Everything runs on this machine, so the clients take CPU from the server.
"""

import argparse
import asyncio
import bisect
import json
import math
import multiprocessing as mp
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SECRET = "bench-secret-key"
PG_ADMIN_DSN = os.environ.get("YANXIU_PG_ADMIN_DSN", "host=127.0.0.1 port=5432 dbname=test")


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
        time.sleep(0.3)
        return f"redis://127.0.0.1:{port}/0"

    def gunicorn(self, database_url: str, redis_url: str) -> str:
        port = free_port()
        env = {
            **os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url,
            "SECRET_KEY": SECRET, "PYTHONPATH": str(ROOT), "GUNICORN_LOG_LEVEL": "warning",
            "WEB_CONCURRENCY": str(self.args.workers), "GUNICORN_THREADS": str(self.args.threads),
            "GUNICORN_WORKER_CLASS": self.args.worker_class,
            # one admin watches every stream here: the fan-out, not the per-user cap, is measured
            "LIVE_STREAMS_PER_USER": str(self.args.subscribers),
            "LIVE_STREAMS_PER_CLASS": str(self.args.subscribers),
            "LIVE_MAX_STREAMS": str(self.args.subscribers),
        }  # fmt: skip
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.server = subprocess.Popen(
            [str(gunicorn), "-c", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
             "backend:create_app()"],
            cwd=ROOT, env=env, start_new_session=True,
        )  # fmt: skip
        self.processes.append(self.server)
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if requests.get(f"{url}/healthz", timeout=1).status_code == 200:
                    return url
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def server_rss_mb(self) -> float:
        pids = [self.server.pid] + [
            int(p) for p in subprocess.run(
                ["pgrep", "-P", str(self.server.pid)], capture_output=True, text=True
            ).stdout.split()
        ]  # fmt: skip
        total = 0
        for pid in pids:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            total += int(next(x for x in status.splitlines() if x.startswith("VmRSS")).split()[1])
        return total / 1024

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time used so far by the server's workers and by Redis."""
        tick = os.sysconf("SC_CLK_TCK")
        workers = subprocess.run(
            ["pgrep", "-P", str(self.server.pid)], capture_output=True, text=True
        ).stdout.split()
        used = {}
        for name, pids in (("gunicorn workers", workers), ("redis", [self.processes[0].pid])):
            used[name] = sum(_cpu(int(pid)) for pid in pids) / tick
        return used

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                if process is self.server:
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


async def _subscribe(host, port, path, record, connected, stop) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(
        f"GET {path} HTTP/1.0\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n".encode()
    )
    await writer.drain()
    while (await reader.readline()) not in (b"\r\n", b""):
        pass
    data, first = None, True
    while not stop.is_set():
        line = await reader.readline()
        if not line:
            break
        if line.startswith(b"data: "):
            data = line[6:]
        elif line == b"\n" and data is not None:
            record.append((time.time(), data))
            data = None
            if first:
                first = False
                with connected.get_lock():
                    connected.value += 1
    writer.close()


def subscriber_process(url, paths, connected, stop, results) -> None:
    host, port = url.removeprefix("http://").split(":")

    async def main():
        records = [[] for _ in paths]
        tasks = []
        for i, path in enumerate(paths):
            tasks.append(asyncio.create_task(
                _subscribe(host, int(port), path, records[i], connected, stop)
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


def check_ins(url: str, data: dict, rate: float, seconds: float) -> list[tuple]:
    """POST /checkins at a fixed rate; (class id, sent, answered, status, the server's
    checked_in_at) for each."""
    admin = {"Authorization": f"Bearer {data['admin']}"}
    codes = {}
    for c in data["classes"]:
        for session_id in c["sessions"]:
            answer = requests.get(f"{url}/api/v1/sessions/{session_id}/checkin-code", headers=admin)
            codes[session_id] = answer.json()["token"]
    plan = []  # round robin over classes; each (trainee, session) once
    per_class = [
        [(c["id"], s, t) for s in c["sessions"] for t in c["trainees"]] for c in data["classes"]
    ]
    total = int(rate * seconds)
    for i in range(total):
        plan.append(per_class[i % len(per_class)][i // len(per_class)])
    local = threading.local()
    start = time.time() + 0.5

    def one(i: int):
        class_id, session_id, trainee = plan[i]
        if not hasattr(local, "http"):
            local.http = requests.Session()
        delay = start + i / rate - time.time()
        if delay > 0:
            time.sleep(delay)
        sent = time.time()
        answer = local.http.post(
            f"{url}/api/v1/checkins", json={"token": codes[session_id]},
            headers={"Authorization": f"Bearer {trainee}"}, timeout=30,
        )  # fmt: skip
        stamped = datetime.fromisoformat(answer.json()["checked_in_at"]).timestamp()
        return class_id, sent, time.time(), answer.status_code, stamped

    with ThreadPoolExecutor(64) as pool:
        return list(pool.map(one, range(total)))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--sessions", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=600)
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument("--db", choices=["postgresql", "sqlite"], default="postgresql")
    args = parser.parse_args()

    trainees = math.ceil(args.rate * args.seconds / (args.classes * args.sessions))
    load_before = os.getloadavg()[0]
    services = Services(args)
    try:
        database_url = services.database()
        data = build_data(database_url, args.classes, args.sessions, trainees)
        url = services.gunicorn(database_url, services.redis())
        admin = {"Authorization": f"Bearer {data['admin']}"}
        paths = []
        for i in range(args.subscribers):
            class_id = data["classes"][i % args.classes]["id"]
            ticket = requests.post(
                f"{url}/api/v1/classes/{class_id}/live-ticket", headers=admin
            ).json()["ticket"]
            paths.append(f"/api/v1/classes/{class_id}/live?ticket={ticket}")
        connected, stop, results = mp.Value("i", 0), mp.Event(), mp.Queue()
        halves = [paths[0::2], paths[1::2]]
        clients = [
            mp.Process(target=subscriber_process, args=(url, half, connected, stop, results))
            for half in halves
        ]
        for client in clients:
            client.start()
        deadline = time.time() + 120
        while connected.value < args.subscribers and time.time() < deadline:
            time.sleep(0.2)
        print(f"{connected.value} subscribers connected; "
              f"server RSS {services.server_rss_mb():.0f} MB")  # fmt: skip
        peak_rss, sampling = [services.server_rss_mb()], threading.Event()

        def sample():
            while not sampling.wait(1):
                peak_rss.append(services.server_rss_mb())

        threading.Thread(target=sample, daemon=True).start()
        cpu_before, load_started = services.cpu_seconds(), time.time()
        clients_before = sum(_cpu(c.pid) for c in clients) / os.sysconf("SC_CLK_TCK")
        machine_before, self_before = machine_busy(), sum(os.times()[:2])
        loads = check_ins(url, data, args.rate, args.seconds)
        machine_after = machine_busy()
        cpu = {
            name: (used - cpu_before[name]) / (time.time() - load_started)
            for name, used in services.cpu_seconds().items()
        }
        cpu["subscriber clients"] = (
            sum(_cpu(c.pid) for c in clients) / os.sysconf("SC_CLK_TCK") - clients_before
        ) / (time.time() - load_started)
        cpu["load generator"] = (sum(os.times()[:2]) - self_before) / (time.time() - load_started)
        busy = (machine_after[0] - machine_before[0]) / (machine_after[1] - machine_before[1])
        cpu[f"whole machine busy {100 * busy:.0f}% of {os.cpu_count()} cores; gunicorn"] = cpu.pop(
            "gunicorn workers"
        )
        time.sleep(3)  # let the last merged events arrive
        sampling.set()
        stop.set()
        records = [r for _ in clients for r in results.get(timeout=120)]
        for client in clients:
            client.join()
        truth = final_states(database_url, [c["id"] for c in data["classes"]])
    finally:
        services.stop()
    report(args, loads, records, truth, peak_rss, cpu)
    print(
        f"machine load average (1 min, {os.cpu_count()} cores): {load_before:.1f} before the run "
        "(anything above ~0.5 is other work on the machine)"
    )


def report(args, loads, records, truth, peak_rss, cpu) -> None:
    ok = [x for x in loads if x[3] in (200, 201)]
    by_class: dict[int, list[tuple]] = {}
    for class_id, sent, answered, _, stamped in ok:
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
    request_ms = [(answered - sent) * 1000 for _, sent, answered, _, _ in ok]
    duration = max(x[2] for x in loads) - min(x[1] for x in loads)
    print(
        f"\nworker class {args.worker_class}, {args.workers} workers x {args.threads} threads, "
        f"{args.db}, Redis Streams; {args.subscribers} subscribers on {args.classes} classes"
    )
    print(
        f"check-ins: {len(ok)}/{len(loads)} ok in {duration:.1f} s "
        f"({len(ok) / duration:.0f}/s); request p50 {statistics.median(request_ms):.0f} ms, "
        f"p99 {percentile(request_ms, 99):.0f} ms"
    )
    print(
        f"events received: {events} ({events / len(records) / duration:.1f} per subscriber "
        f"per second, {len(truth)} classes)"
    )
    for name, values in (
        ("COMMIT (server checked_in_at) -> event received", from_stamp),
        ("check-in request sent -> event received", from_sent),
        ("check-in answer received -> event received", from_answer),
        ("tally read (event `at`) -> event received", from_at),
    ):
        ms = [v * 1000 for v in values]
        print(
            f"{name}: p50 {statistics.median(ms):.0f} ms, p99 {percentile(ms, 99):.0f} ms, "
            f"max {max(ms):.0f} ms ({len(ms)} samples)"
        )
    print(f"events lost (subscribers whose last event is not the final state): {lost}")
    print(f"server memory (RSS, gunicorn master + workers): peak {max(peak_rss):.0f} MB")
    print("CPU during the load, in cores: " + ", ".join(f"{k} {v:.2f}" for k, v in cpu.items()))


if __name__ == "__main__":
    main()
