"""The province office's year overview with 50 classes: server time of the overview page
(GET /plans/<year>, as the admin's browser opens it), of the API's overview
(GET /api/v1/plans/<year>/overview) and of its .xlsx download, through the whole HTTP stack
(Flask test client). 50 classes of 40 trainees each, 8 sessions, ~90% attendance, 60
projects (10 without a class), a third of the classes still drafts.

    .venv/bin/python bench/year_overview.py                 # SQLite (a temporary file)
    .venv/bin/python bench/year_overview.py --postgresql    # a private database on 127.0.0.1:5432
"""

import argparse
import random
import re
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend import create_app  # noqa: E402
from backend.extensions import db  # noqa: E402
from bench.exports import config, database  # noqa: E402

CLASSES, TRAINEES, SESSIONS, PROJECTS, RUNS = 50, 40, 8, 60, 7


def build_year(rng: random.Random) -> tuple[int, str]:
    """The year's plan, projects, classes, rosters and check-ins. Returns (year, admin token)."""
    from backend.auth import tokens
    from backend.auth.models import Role, User
    from backend.checkin.models import CheckIn, CheckInSource
    from backend.classes.models import ClassMode, ClassStatus, Lecturer, Session, TrainingClass
    from backend.core.timeutil import CHINA, today_in_china, utcnow
    from backend.enrollment.models import Enrollment
    from backend.plans.logic import add_project, create_plan

    today = today_in_china()
    plan = create_plan({"year": today.year, "notice": "基准测试", "deadline": today})
    admin = User(username="admin", role=Role.ADMIN)
    admin.set_password("bench-password")
    lecturer = Lecturer(name="专家", title="教授")
    db.session.add_all([admin, lecturer])
    db.session.flush()
    projects = [
        add_project(
            plan,
            {
                "name": f"第{i}个高级研修项目：数字技术与产业融合",
                "applicant_unit": f"第{i % 25}市",
                "host_unit": f"湖北第{i % 25}职业技术学院",
                "funding": "fiscal" if i % 4 else "self",
            },
        )
        for i in range(PROJECTS)
    ]
    now = utcnow()
    for number in range(CLASSES):
        start = today - timedelta(days=rng.randint(5, 200))
        status = ClassStatus.DRAFT if number % 3 == 0 else ClassStatus.APPROVED
        training_class = TrainingClass(
            project=projects[number],
            location="武汉",
            start_date=start,
            end_date=start + timedelta(days=3),
            capacity=TRAINEES,
            mode=ClassMode.OFFLINE,
            status=status,
            approved_at=now if status == ClassStatus.APPROVED else None,
        )
        db.session.add(training_class)
        db.session.flush()
        sessions = []
        for index in range(SESSIONS):
            starts = datetime.combine(
                start + timedelta(days=index // 2), datetime.min.time(), CHINA
            )
            starts += timedelta(hours=9 if index % 2 == 0 else 14)
            sessions.append(
                Session(
                    class_id=training_class.id,
                    topic=f"专题{index + 1}",
                    lecturer_id=lecturer.id,
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=3),
                )
            )
        db.session.add_all(sessions)
        db.session.flush()
        enrollment_ids = db.session.scalars(
            insert(Enrollment).returning(Enrollment.id),
            [
                {
                    "class_id": training_class.id,
                    "name": f"学员{t}",
                    "phone": f"139{number:04d}{t:04d}",
                    "employer": "某单位",
                }
                for t in range(TRAINEES)
            ],
        ).all()
        if status == ClassStatus.APPROVED:
            db.session.execute(
                insert(CheckIn),
                [
                    {
                        "session_id": s.id,
                        "class_id": training_class.id,
                        "enrollment_id": e,
                        "checked_in_at": s.starts_at,
                        "late": False,
                        "source": CheckInSource.QR,
                    }
                    for s in sessions
                    for e in enrollment_ids
                    if rng.random() < 0.9
                ],
            )
    db.session.commit()
    return plan.year, tokens.issue("staff", admin.id, admin.token_version)[0]


def timed(client, path: str, **kwargs) -> list[float]:
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        response = client.get(path, **kwargs)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return times


def run(url: str) -> None:
    app = create_app(config(url))
    with app.app_context():
        upgrade()
        year, token = build_year(random.Random(7))
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        client.post(
            "/login", data={"username": "admin", "password": "bench-password", "csrf": csrf}
        )
        html = client.get(f"/plans/{year}").get_data(as_text=True)
        assert html.count('href="/classes/') == CLASSES, "every class is listed"
        bearer = {"Authorization": f"Bearer {token}"}
        figures = {
            "page GET /plans/<year>": timed(client, f"/plans/{year}"),
            "API GET /api/v1/plans/<year>/overview": timed(
                client, f"/api/v1/plans/{year}/overview", headers=bearer
            ),
            "GET /plans/<year>/overview.xlsx": timed(client, f"/plans/{year}/overview.xlsx"),
        }
        for name, times in figures.items():
            print(
                f"  {name:<42} median {statistics.median(times):7.1f} ms"
                f"   max {max(times):7.1f} ms   ({RUNS} runs)"
            )
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgresql", action="store_true")
    args = parser.parse_args()
    print(f"year overview: {CLASSES} classes × {TRAINEES} trainees, {SESSIONS} sessions each")
    url, drop = database(args.postgresql)
    print("PostgreSQL" if args.postgresql else "SQLite")
    try:
        run(url)
    finally:
        drop()


if __name__ == "__main__":
    main()
