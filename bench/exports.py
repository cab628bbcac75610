"""How long the paperwork takes for a big class: roster (附件5, .xlsx and .csv) and tally
(附件3) of a class with 2,000 trainees and 20 sessions, each export through the whole HTTP
stack (Flask test client). Prints the time of each export (target: < 1 s) and its peak
Python memory (tracemalloc, measured in a separate run since tracing slows the code).

    .venv/bin/python bench/exports.py                 # SQLite (a temporary file)
    .venv/bin/python bench/exports.py --postgresql    # a private database on 127.0.0.1:5432
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
from flask_migrate import upgrade
from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend import create_app  # noqa: E402
from backend.extensions import db  # noqa: E402

TRAINEES, SESSIONS, RUNS = 2000, 20, 5
PG_ADMIN_DSN = "host=127.0.0.1 port=5432 dbname=test"
LEVELS = ["excellent", "good", "fair", "poor"]


def config(url: str) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "bench-secret",
        "REDIS_URL": None,
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }


def build_class(rng: random.Random) -> tuple[int, str, list[str]]:
    """A class of 2,000 trainees (all bound to a WeChat user) and 20 sessions held over the
    last days, ~90% attendance. Returns its id, an organizer token and the trainee tokens."""
    from backend.auth import tokens
    from backend.auth.models import Role, Trainee, User
    from backend.checkin.models import CheckIn, CheckInSource
    from backend.classes.models import ClassMode, Lecturer, Session, TrainingClass
    from backend.core.timeutil import CHINA, today_in_china, utcnow
    from backend.enrollment.models import Enrollment
    from backend.plans.logic import load_plan, unit_named
    from backend.plans.models import Project

    load_plan(2023)
    unit = unit_named("华中科技大学")
    admin = User(username="admin", role=Role.ADMIN)
    organizer = User(username="org", role=Role.ORGANIZER, unit_id=unit.id)
    for user in (admin, organizer):
        user.set_password("bench-password")
    lecturers = [Lecturer(name=f"专家{i}", title="教授") for i in range(10)]
    db.session.add_all([admin, organizer, *lecturers])
    db.session.flush()
    project = db.session.scalar(db.select(Project).where(Project.host_unit_id == unit.id))
    today = today_in_china()
    start = today - timedelta(days=4)
    training_class = TrainingClass(
        project=project,
        location="武汉",
        start_date=start,
        end_date=today,
        capacity=TRAINEES,
        mode=ClassMode.HYBRID,
    )
    db.session.add(training_class)
    db.session.flush()
    sessions = []
    for i in range(SESSIONS):
        day = start + timedelta(days=i // 5)
        starts = datetime(day.year, day.month, day.day, 8 + 2 * (i % 5), tzinfo=CHINA)
        sessions.append(
            Session(
                class_id=training_class.id,
                topic=f"专题讲座第{i + 1}讲：数字化转型与创新实践",
                lecturer_id=lecturers[i % 10].id,
                starts_at=starts,
                ends_at=starts + timedelta(hours=1, minutes=50),
            )
        )
    db.session.add_all(sessions)
    trainees = [Trainee(openid=f"bench:{i}") for i in range(TRAINEES)]
    db.session.add_all(trainees)
    training_class.submit_opening_plan("方案")
    training_class.approve(admin.id)
    db.session.flush()
    db.session.execute(
        insert(Enrollment),
        [
            {
                "class_id": training_class.id,
                "name": f"学员{i:04d}",
                "phone": f"139{i:08d}",
                "gender": "男女"[i % 2],
                "employer": f"湖北省第{i % 97}人民医院",
                "post": "科长",
                "professional_title": "高级工程师",
                "region": "恩施州",
                "trainee_id": trainees[i].id,
                "attendance_mode": "online" if i % 10 == 0 else "onsite",
            }
            for i in range(TRAINEES)
        ],
    )
    enrollment_ids = db.session.scalars(
        db.select(Enrollment.id)
        .where(Enrollment.class_id == training_class.id)
        .order_by(Enrollment.id)
    ).all()
    rows = []
    for index, enrollment_id in enumerate(enrollment_ids):
        for session in sessions:
            if rng.random() < 0.9:
                rows.append(
                    {
                        "class_id": training_class.id,
                        "enrollment_id": enrollment_id,
                        "session_id": session.id,
                        "checked_in_at": utcnow(),
                        "late": rng.random() < 0.1,
                        "source": CheckInSource.QR,
                        "mode": "online" if index % 10 == 0 else "onsite",
                        # the venue's network, or an online trainee's own (relay flags)
                        "client_addr": f"198.51.{index // 250}.{index % 250}"
                        if index % 10 == 0
                        else "10.0.0.1",
                    }
                )
    db.session.execute(insert(CheckIn), rows)
    db.session.commit()
    organizer_token = tokens.issue("staff", organizer.id, organizer.token_version)[0]
    trainee_tokens = [tokens.issue("trainee", t.id, 0)[0] for t in trainees]
    return training_class.id, organizer_token, trainee_tokens


def answer(rng: random.Random, session_ids: list[int]) -> dict:
    def level():
        return rng.choices(LEVELS, weights=(6, 3, 1, 0.2))[0]

    return {
        "lectures": {str(s): level() for s in session_ids},
        "faculty_overall": level(),
        "teaching": {k: level() for k in ("content", "level", "mode", "overall")},
        "service": {k: level() for k in ("organization", "logistics", "service", "overall")},
        "satisfaction": level(),
        "suggestions": "建议增加现场教学环节，课程安排再紧凑一些。" if rng.random() < 0.3 else "",
    }


def submit_answers(client, class_id: int, organizer: str, trainees: list[str], rng) -> int:
    """Every trainee who attended answers the survey through the API."""
    headers = {"Authorization": f"Bearer {organizer}"}
    client.post(f"/api/v1/classes/{class_id}/survey/open", headers=headers)
    schedule = client.get(f"/api/v1/classes/{class_id}/schedule", headers=headers).get_json()
    session_ids = [s["id"] for s in schedule["sessions"]]
    created = 0
    for token in trainees:
        response = client.post(
            f"/api/v1/classes/{class_id}/survey/responses",
            headers={"Authorization": f"Bearer {token}"},
            json=answer(rng, session_ids),
        )
        created += response.status_code == 201
    return created


def measure(client, path: str, token: str) -> tuple[list[float], list[float], int, int]:
    """RUNS downloads, then one traced run: (wall seconds, CPU seconds, bytes, peak memory).

    CPU time is this process's own (with SQLite the database's work is in it too): on a
    shared machine the wall time also holds the time spent waiting for a core."""
    headers = {"Authorization": f"Bearer {token}"}
    times, cpu = [], []
    for _ in range(RUNS):
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.get(path, headers=headers)
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
        assert response.status_code == 200, response.get_json()
    tracemalloc.start()
    client.get(path, headers=headers)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return times, cpu, len(response.data), peak


def database(postgresql: bool):
    if not postgresql:
        folder = tempfile.mkdtemp(prefix="yanxiu-bench-")
        return f"sqlite:///{folder}/bench.sqlite3", lambda: None
    name = f"yanxiu_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"postgresql+psycopg://127.0.0.1:5432/{name}", drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgresql", action="store_true")
    args = parser.parse_args()
    url, drop = database(args.postgresql)
    rng = random.Random(6)
    app = create_app(config(url))
    try:
        with app.app_context():
            upgrade()
            began = time.perf_counter()
            class_id, organizer, trainees = build_class(rng)
            client = app.test_client()
            answers = submit_answers(client, class_id, organizer, trainees, rng)
            print(
                f"database: {'PostgreSQL' if args.postgresql else 'SQLite'}; "
                f"{TRAINEES} trainees, {SESSIONS} sessions, {answers} survey answers "
                f"(built in {time.perf_counter() - began:.1f} s)"
            )
            for name in ("roster.xlsx", "roster.csv", "tally.xlsx"):
                path = f"/api/v1/classes/{class_id}/exports/{name}"
                times, cpu, size, peak = measure(client, path, organizer)
                print(
                    f"{name:12} wall median {statistics.median(times) * 1000:5.0f} ms "
                    f"(best {min(times) * 1000:5.0f})  CPU median "
                    f"{statistics.median(cpu) * 1000:5.0f} ms (best {min(cpu) * 1000:5.0f})  "
                    f"{size / 1024:4.0f} KiB  peak memory {peak / 2**20:5.1f} MiB"
                )
            print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
            db.session.remove()
            db.engine.dispose()
    finally:
        drop()


if __name__ == "__main__":
    main()
