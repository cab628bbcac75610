"""2,000 applications reviewed and composed: GET /classes/{id}/applications (with the
same-year flags against a second class of 500) and GET /classes/{id}/composition.

    .venv/bin/python bench/recruitment.py [--applications 2000] [--postgres] [--profile]

Runs in-process (Flask test client) on a fresh, migrated database; prints the median of 5
calls of each, wall time and the process's CPU time, and the load average; --profile prints
cProfile's top of one list call (SQLite). The applications are inserted directly (their submission is not measured).
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

import psycopg
from flask_migrate import upgrade
from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend import create_app  # noqa: E402
from backend.auth.models import Trainee  # noqa: E402
from backend.classes.models import TrainingClass  # noqa: E402
from backend.core.regions import HUBEI_DIVISIONS  # noqa: E402
from backend.core.timeutil import utcnow  # noqa: E402
from backend.extensions import db  # noqa: E402
from backend.recruitment.models import Application, Recruitment  # noqa: E402
from tests.conftest import base_config, build_world  # noqa: E402

LEVELS = ["senior", "intermediate", "junior", "none"]
STATUSES = ["pending", "admitted", "waitlisted", "rejected", "withdrawn"]


def applications(class_id: int, count: int, first_trainee: int) -> list[dict]:
    return [
        {
            "class_id": class_id,
            "trainee_id": first_trainee + i,
            "name": f"报名人{i}",
            "phone": f"137{i:08d}",
            "gender": "男" if i % 2 else "女",
            "employer": "湖北省某某研究院",
            "post": "主任",
            "professional_title": "高级工程师",
            "title_level": LEVELS[i % 4],
            "management_post": i % 3 == 0,
            "region": HUBEI_DIVISIONS[i % 17],
            "county": "某县",
            "grassroots": i % 2 == 0,
            "poor_area": i % 5 == 0,
            "attendance_mode": "onsite",
            "eligible": i % 4 < 2 or i % 3 == 0,
            "notes": "",
            "status": STATUSES[i % 5],
            "reason": "",
            "submitted_at": utcnow(),
        }
        for i in range(count)
    ]


def median_ms(client, path: str, token: str) -> tuple[float, float]:
    """Medians of 5 calls: wall time and this process's CPU time (less load-sensitive)."""
    walls, cpus = [], []
    for _ in range(5):
        started, cpu = time.perf_counter(), time.process_time()
        answer = client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {token}"})
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        assert answer.status_code == 200, answer.json
    return statistics.median(walls), statistics.median(cpus)


def run(url: str, count: int, label: str, profile: bool = False) -> None:
    app = create_app(base_config(url))
    with app.app_context():
        upgrade()
        world = build_world(app, trainees=0, bound=0)
        ours = db.session.get(TrainingClass, world.class_id)
        other = TrainingClass(
            project=ours.project,
            location="武汉",
            start_date=ours.start_date,
            end_date=ours.end_date,
            mode=ours.mode,
        )
        db.session.add(other)
        db.session.flush()
        db.session.execute(insert(Trainee), [{"openid": f"bench:{i}"} for i in range(count)])
        first = db.session.scalar(db.select(db.func.min(Trainee.id)))
        closes = utcnow() + timedelta(days=1)
        for training_class in (ours, other):
            db.session.add(
                Recruitment(class_id=training_class.id, closes_at=closes, quota=40, admitted=0)
            )
        db.session.execute(insert(Application), applications(ours.id, count, first))
        db.session.execute(insert(Application), applications(other.id, count // 4, first))
        db.session.commit()
        client = app.test_client()
        listed = median_ms(client, f"/classes/{ours.id}/applications", world.organizer)
        composed = median_ms(client, f"/classes/{ours.id}/composition", world.organizer)
        print(
            f"{label:<10} {count} applications: list {listed[0]:.0f} ms (CPU {listed[1]:.0f} ms),"
            f" composition {composed[0]:.0f} ms (CPU {composed[1]:.0f} ms);"
            f" load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
        )
        if profile:
            profiler = cProfile.Profile()
            profiler.enable()
            client.get(
                f"/api/v1/classes/{ours.id}/applications",
                headers={"Authorization": f"Bearer {world.organizer}"},
            )
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=2000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--profile", action="store_true", help="cProfile one list call")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        run(f"sqlite:///{folder}/bench.sqlite3", args.applications, "SQLite", args.profile)
    if args.postgres:
        name = f"yanxiu_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect("host=127.0.0.1 dbname=test", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            run(f"postgresql+psycopg://127.0.0.1:5432/{name}", args.applications, "PostgreSQL")
        finally:
            with psycopg.connect("host=127.0.0.1 dbname=test", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
