"""附件3 statistics time as a class fills up, and the submit throughput under 64 clients.

    .venv/bin/python bench/survey_stats.py [--postgres] [--sizes 100,1000,10000,100000]
        [--sessions 8] [--seconds 10] [--part stats|submit]

Stats: one class with `--sessions` sessions is filled (bulk insert: roster, check-ins,
receipts, answers, 5 % suggestions) to each size in turn; for each size it prints the
median of 7 calls of GET /classes/{id}/survey/stats (in-process, JSON included) and of
the one GROUP BY behind it, wall time and this process's CPU time, with the load average
(the machine is shared: wall times drift with the load, CPU times much less). PostgreSQL gets VACUUM ANALYZE after each fill, as
autovacuum would after a bulk insert.

Submit: gunicorn (4 gthread workers x 8 threads) on a fresh database, and wrk with 64
connections POSTing forms of distinct trainees for `--seconds`; prints forms stored per
second, wrk's latency percentiles, and GET /healthz under the same load for the ratio.
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
from flask_migrate import upgrade
from sqlalchemy import func

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend import create_app  # noqa: E402
from backend.auth import tokens  # noqa: E402
from backend.classes.models import Session  # noqa: E402
from backend.core.timeutil import CHINA, utcnow  # noqa: E402
from backend.extensions import db  # noqa: E402
from backend.surveys.models import (  # noqa: E402
    Item,
    Level,
    SurveyReceipt,
    random_answer_id,
    random_id,
    rating_code,
)
from backend.surveys.queries import class_counts  # noqa: E402
from tests.conftest import base_config, build_world  # noqa: E402
from tests.servers import AppServer  # noqa: E402

PG_ADMIN = "host=127.0.0.1 dbname=test"
LEVELS = ["excellent", "good", "fair", "poor"]
WEIGHTS = [50, 30, 15, 5]
FIXED = [item for item in Item if item != Item.LECTURE]
WRK_SCRIPT = """
local lines = {}
for line in io.lines(os.getenv("BENCH_FORMS")) do lines[#lines + 1] = line end
local nthreads, counter = 2, 0
function setup(thread) thread:set("id", nthreads_seen or 0); nthreads_seen = (nthreads_seen or 0) + 1 end
function init(args) counter = id end
function request()
  local line = lines[counter % #lines + 1]
  counter = counter + nthreads
  local token, body = line:match("([^\\t]+)\\t(.*)")
  return wrk.format("POST", wrk.path, {["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json"}, body)
end
"""


@contextmanager
def database(postgres: bool) -> Iterator[str]:
    """A fresh database URL: a SQLite file in a temp folder, or a throw-away PostgreSQL db."""
    if not postgres:
        folder = tempfile.mkdtemp()
        try:
            yield f"sqlite:///{folder}/bench.sqlite3"
        finally:
            shutil.rmtree(folder)
        return
    name = f"yanxiu_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def bulk(table: str, columns: list[str], rows: list[tuple]) -> None:
    """Insert many rows fast: COPY on PostgreSQL, executemany on SQLite."""
    if not rows:
        return
    connection = db.session.connection().connection.driver_connection
    if db.engine.dialect.name == "postgresql":
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" * len(columns))
    connection.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def add_sessions(world, total: int) -> list[int]:
    """Top the world's schedule up to `total` sessions (two a day, its lecturers in turn)."""
    first = db.session.get(Session, world.session_ids[0])
    for i in range(len(world.session_ids), total):
        start = first.starts_at + timedelta(hours=2 + i)
        db.session.add(
            Session(
                class_id=world.class_id,
                topic=f"专题{i + 1}",
                lecturer_id=world.lecturer_ids[i % 2],
                starts_at=start,
                ends_at=start + timedelta(minutes=50),
            )
        )
    db.session.commit()
    return list(db.session.scalars(db.select(Session.id).where(Session.class_id == world.class_id)))


def code(item: Item, level: str) -> int:
    return rating_code(item, Level(level))


def fill(class_id: int, session_ids: list[int], first: int, last: int) -> None:
    """Forms number first..last-1: roster entries, check-ins, receipts, answers, suggestions."""
    rnd = random.Random(first)
    today = datetime.now(CHINA).date()
    now = utcnow().replace(tzinfo=None)
    enrollment_ids = range(1_000_000 + first, 1_000_000 + last)
    bulk(
        "enrollments",
        ["id", "class_id", "name", "phone", "gender", "employer", "post",
         "professional_title", "region", "attendance_mode"],
        [(e, class_id, f"学员{e}", f"13{e:09d}", "", "", "", "", "", "onsite")
         for e in enrollment_ids],
    )  # fmt: skip
    bulk(
        "checkins",
        ["enrollment_id", "session_id", "class_id", "checked_in_at", "late", "mode", "source",
         "reason"],
        [(e, session_ids[0], class_id, now, False, "onsite", "qr", "") for e in enrollment_ids],
    )  # fmt: skip
    bulk(
        "survey_receipts",
        ["id", "class_id", "enrollment_id"],
        [(random_id(), class_id, e) for e in enrollment_ids],
    )
    answers = []
    for _ in enrollment_ids:
        levels = rnd.choices(LEVELS, WEIGHTS, k=len(session_ids) + len(FIXED))
        for session_id, level in zip(session_ids, levels, strict=False):
            answers.append(
                (random_answer_id(), class_id, code(Item.LECTURE, level), session_id, today)
            )
        for item, level in zip(FIXED, levels[len(session_ids) :], strict=True):
            answers.append((random_answer_id(), class_id, code(item, level), None, today))
    bulk("survey_answers", ["id", "class_id", "rating", "session_id", "answered_on"], answers)
    bulk(
        "survey_suggestions",
        ["id", "class_id", "text", "shared"],
        [(random_id(), class_id, f"建议{e}：希望增加实践环节", False)
         for e in enrollment_ids if e % 20 == 0],
    )  # fmt: skip
    db.session.commit()


def timed(call: Callable[[], object], runs: int = 7) -> tuple[float, float]:
    """Median wall time and median CPU time of this process over `runs` calls, in ms.

    The CPU time is what the work costs here whatever else the shared machine is doing
    (for SQLite it includes the query; PostgreSQL's share runs in the server process).
    """
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def vacuum(table_names: list[str]) -> None:
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for name in table_names:
            conn.exec_driver_sql(f"VACUUM ANALYZE {name}")


def bench_stats(url: str, label: str, sizes: list[int], sessions: int) -> None:
    app = create_app(base_config(url))
    with app.app_context():
        upgrade()
        world = build_world(app, trainees=0, bound=0)
        session_ids = add_sessions(world, sessions)
        client = app.test_client()
        headers = {"Authorization": f"Bearer {world.admin}"}
        path = f"/api/v1/classes/{world.class_id}/survey/stats"
        filled = 0
        for size in sizes:
            started = time.perf_counter()
            fill(world.class_id, session_ids, filled, size)
            filled = size
            if db.engine.dialect.name == "postgresql":
                vacuum(["survey_answers", "survey_receipts", "checkins", "enrollments"])
            fill_s = time.perf_counter() - started

            def get_stats():
                response = client.get(path, headers=headers)
                assert response.status_code == 200
                return response

            body = get_stats().json
            assert body["returned"] == size
            assert sum(body["rows"][0]["counts"].values()) == size
            endpoint = timed(get_stats)
            query = timed(lambda: (class_counts(world.class_id), db.session.rollback()))
            rows = size * (len(session_ids) + len(FIXED))
            print(
                f"{label:<10} {size:>7,} forms ({rows:>9,} answer rows, filled in {fill_s:5.1f} s):"
                f" stats endpoint {endpoint[0]:7.1f} ms (CPU here {endpoint[1]:7.1f}),"
                f" GROUP BY {query[0]:7.1f} ms (CPU here {query[1]:7.1f});"
                f" load average {os.getloadavg()[0]:.1f}",
                flush=True,
            )
        db.session.remove()
        db.engine.dispose()


def prepare_submitters(url: str, count: int, forms_file: Path) -> int:
    """A class with `count` bound, checked-in trainees; one ready form per trainee in a file."""
    app = create_app(base_config(url))
    with app.app_context():
        upgrade()
        world = build_world(app, trainees=0, bound=0)
        session_ids = world.session_ids
        ids = range(1, count + 1)
        bulk("trainees", ["id", "openid", "token_version", "created_at", "last_login_at"],
             [(i, f"dev:bench{i}", 0, utcnow().replace(tzinfo=None),
               utcnow().replace(tzinfo=None)) for i in ids])  # fmt: skip
        fill_roster = [
            (
                1_000_000 + i,
                world.class_id,
                f"学员{i}",
                f"13{i:09d}",
                "",
                "",
                "",
                "",
                "",
                "onsite",
                i,
            )
            for i in ids
        ]
        bulk(
            "enrollments",
            ["id", "class_id", "name", "phone", "gender", "employer", "post",
             "professional_title", "region", "attendance_mode", "trainee_id"],
            fill_roster,
        )  # fmt: skip
        now = utcnow().replace(tzinfo=None)
        bulk(
            "checkins",
            ["enrollment_id", "session_id", "class_id", "checked_in_at", "late", "mode",
             "source", "reason"],
            [(1_000_000 + i, session_ids[0], world.class_id, now, False, "onsite", "qr", "")
             for i in ids],
        )  # fmt: skip
        db.session.commit()
        client = app.test_client()
        opened = client.post(
            f"/api/v1/classes/{world.class_id}/survey/open",
            headers={"Authorization": f"Bearer {world.organizer}"},
        )
        assert opened.status_code == 200, opened.json
        rnd = random.Random(1)
        with forms_file.open("w") as out:
            for i in ids:
                token = tokens.issue("trainee", i, 0)[0]
                body = {
                    "lectures": {str(s): rnd.choice(LEVELS) for s in session_ids},
                    "faculty_overall": rnd.choice(LEVELS),
                    "teaching": {k: rnd.choice(LEVELS) for k in ("content", "level", "mode", "overall")},
                    "service": {k: rnd.choice(LEVELS) for k in ("organization", "logistics", "service", "overall")},
                    "satisfaction": rnd.choice(LEVELS),
                    "suggestions": "希望增加实践环节" if i % 10 == 0 else "",
                }  # fmt: skip
                out.write(f"{token}\t{json.dumps(body, ensure_ascii=False)}\n")
        class_id = world.class_id
        db.session.remove()
        db.engine.dispose()
    return class_id


def wrk(url: str, seconds: int, script: Path | None, env: dict) -> str:
    args = ["wrk", "-t2", "-c64", f"-d{seconds}s", "--latency"]
    if script:
        args += ["-s", str(script)]
    return subprocess.run(args + [url], capture_output=True, text=True, env=env, check=True).stdout


def wrk_summary(output: str) -> str:
    """requests/s and the 50/99 % latencies from wrk's report."""
    figures = {}
    for line in output.splitlines():
        parts = line.split()
        if parts[:1] == ["Requests/sec:"]:
            figures["rps"] = parts[1]
        elif parts[:1] in (["50%"], ["99%"]):
            figures[parts[0]] = parts[1]
        elif line.strip().startswith("Non-2xx"):
            figures["non2xx"] = parts[-1]
    extra = f", {figures['non2xx']} non-2xx" if "non2xx" in figures else ""
    return f"{figures.get('rps')} req/s, p50 {figures.get('50%')}, p99 {figures.get('99%')}{extra}"


def bench_submit(url: str, label: str, seconds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        forms_file = Path(folder) / "forms.tsv"
        script = Path(folder) / "submit.lua"
        script.write_text(WRK_SCRIPT)
        # enough distinct trainees that nobody answers twice within the run
        class_id = prepare_submitters(url, 600 * seconds, forms_file)
        env = {**os.environ, "BENCH_FORMS": str(forms_file)}
        with AppServer(url, workers=4, threads=8, env={"RATELIMIT_DISABLED": "1"}) as server:
            bare = wrk_summary(wrk(f"{server.url}/healthz", max(3, seconds // 2), None, env))
            path = f"{server.url}/api/v1/classes/{class_id}/survey/responses"
            submit = wrk(path, seconds, script, env)
        app = create_app(base_config(url))
        with app.app_context():
            stored = db.session.scalar(
                db.select(func.count())
                .select_from(SurveyReceipt)
                .where(SurveyReceipt.class_id == class_id)
            )
            db.engine.dispose()
        print(f"{label:<10} submit, 64 clients: {wrk_summary(submit)}; forms stored {stored:,}"
              f" ({stored / seconds:.0f}/s)")  # fmt: skip
        print(f"{label:<10} GET /healthz, same server: {bare}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true", help="also run on PostgreSQL")
    parser.add_argument("--sizes", default="100,1000,10000,100000")
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--part", choices=["stats", "submit"], help="run only this part")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    targets = [(False, "SQLite")] + ([(True, "PostgreSQL")] if args.postgres else [])
    if args.part != "submit":
        for postgres, label in targets:
            with database(postgres) as url:
                bench_stats(url, label, sizes, args.sessions)
    if args.part == "stats":
        return
    if shutil.which("wrk") is None:
        sys.exit("the submit benchmark needs wrk (apt-get install wrk)")
    for postgres, label in targets:
        with database(postgres) as url:
            bench_submit(url, label, args.seconds)


if __name__ == "__main__":
    main()
