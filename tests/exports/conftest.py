"""A class built through the API for the export tests: three sessions already held, a
roster of five imported through POST /classes/{id}/trainees, and known check-ins."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pytest

from backend.core.timeutil import CHINA, today_in_china
from backend.enrollment.models import AttendanceMode
from tests.conftest import record_check_ins

PROJECT = "区块链技术数字化工程师高级研修班"
TRAINEES = [
    {
        "name": "张伟",
        "phone": "13900000001",
        "gender": "男",
        "employer": "恩施州中心医院",
        "post": "科长",
        "professional_title": "高级工程师",
        "region": "恩施州",
    },
    {
        "name": "李娜",
        "phone": "13900000002",
        "gender": "女",
        "employer": "黄冈市农科院",
        "post": "",
        "professional_title": "工程师",
        "region": "黄冈市",
    },
    {
        "name": "王芳",
        "phone": "13900000003",
        "gender": "女",
        "employer": "十堰市数据局",
        "professional_title": "副研究员",
        "region": "十堰市",
        "attendance_mode": "online",
    },
    {
        "name": "刘洋",
        "phone": "13900000004",
        "gender": "男",
        "employer": "宜昌市人社局",
        "region": "宜昌市",
    },
    {"name": "=1+1", "phone": "13900000005", "employer": "@SUM(A1)", "region": "武汉市"},
]


@dataclass
class PaperClass:
    """The class and what was done to it."""

    class_id: int
    start: date
    end: date
    session_ids: list[int]
    enrollment_ids: list[int]
    lecturers: list[str] = field(default_factory=lambda: ["王建国", "陈静"])


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=CHINA)


def ok(response, status=200):
    assert response.status_code == status, response.get_json()
    return response.get_json()


def build_class(api, world, start: date, end: date, sessions: list[tuple[datetime, str, int]]):
    """A class of 华中科技大学 created, scheduled and filled through the API (not approved)."""
    projects = ok(api.get("/projects?year=2023", world.organizer))
    project_id = next(p["id"] for p in projects if p["name"] == PROJECT)
    lecturers = [
        ok(api.post("/lecturers", world.organizer, json={"name": n, "title": t}), 201)["id"]
        for n, t in (("王建国", "教授"), ("陈静", "研究员"))
    ]
    created = api.post(
        "/classes",
        world.organizer,
        json={
            "project_id": project_id,
            "location": "武汉光谷会议中心",
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
            "mode": "hybrid",
        },
    )
    class_id = ok(created, 201)["id"]
    session_ids = []
    for starts, topic, lecturer in sessions:
        body = {
            "topic": topic,
            "lecturer_id": lecturers[lecturer],
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(),
        }
        session_ids.append(
            ok(api.post(f"/classes/{class_id}/sessions", world.organizer, json=body), 201)["id"]
        )
    ok(api.post(f"/classes/{class_id}/trainees", world.organizer, json=TRAINEES), 201)
    roster = ok(api.get(f"/classes/{class_id}/trainees", world.organizer))
    return class_id, session_ids, [t["enrollment_id"] for t in roster]


def approve(api, world, class_id: int) -> None:
    ok(api.post(f"/classes/{class_id}/opening-plan", world.organizer, json={"summary": "方案"}))
    ok(api.post(f"/classes/{class_id}/opening-plan/approve", world.admin))


#: Marks per trainee (rows) and session (columns): P on time, L late, O online, - absent.
PATTERN = ["PPP", "L-P", "OO-", "---", "P--"]


@pytest.fixture
def paper(api, world) -> PaperClass:
    """Three sessions held on the three days before today; the class ends today."""
    today = today_in_china()
    start = today - timedelta(days=3)
    days = [start, start + timedelta(days=1), start + timedelta(days=2)]
    sessions = [
        (at(days[0], 9), "区块链技术概论", 0),
        (at(days[1], 14), "智能合约开发实践", 1),
        (at(days[2], 9), "数字化转型案例", 0),
    ]
    class_id, session_ids, enrollment_ids = build_class(api, world, start, today, sessions)
    approve(api, world, class_id)
    for enrollment_id, marks in zip(enrollment_ids, PATTERN, strict=True):
        for (starts, _topic, _lecturer), session_id, mark in zip(
            sessions, session_ids, marks, strict=True
        ):
            if mark != "-":
                record_check_ins(
                    api.client.application,
                    session_id,
                    [enrollment_id],
                    at=starts + timedelta(minutes=30 if mark == "L" else -5),
                    late=mark == "L",
                    mode=AttendanceMode.ONLINE if mark == "O" else AttendanceMode.ONSITE,
                )
    return PaperClass(class_id, start, today, session_ids, enrollment_ids)


@pytest.fixture
def plan_open(app, world):
    """Plan 2023's deadline moved a year past today, so that today's classes may still ask
    for a subsidy (the rule itself is tested with the deadline where the notice put it)."""
    from backend.extensions import db
    from backend.plans.models import PlanYear

    with app.app_context():
        db.session.get(PlanYear, 2023).deadline = today_in_china() + timedelta(days=365)
        db.session.commit()
