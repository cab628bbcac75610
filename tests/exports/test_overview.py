"""The province office's overview of a plan year: figures per class and the flags on either
side of each deadline, judged as on a given day."""

import io
from datetime import date, datetime, timedelta

from openpyxl import load_workbook

from backend.classes.models import TrainingClass
from backend.core.timeutil import CHINA
from backend.extensions import db
from tests.conftest import record_check_ins
from tests.exports.conftest import approve, build_class
from tests.exports.test_budget import body as budget_body
from tests.exports.test_tally import answered  # noqa: F401  (fixture)


def make(api, world, start: date, end: date, approved_days_before: int | None = 7) -> int:
    """A class through the API; approved the given number of days before its start."""
    class_id, _sessions, _roster = build_class(api, world, start, end, [])
    if approved_days_before is not None:
        approve(api, world, class_id)
        opening = datetime.combine(start, datetime.min.time(), CHINA)
        with api.client.application.app_context():
            db.session.get(TrainingClass, class_id).approved_at = opening - timedelta(
                days=approved_days_before
            )
            db.session.commit()
    return class_id


def sent(api, world, class_id: int, kind: str, day: date) -> None:
    response = api.post(
        f"/classes/{class_id}/{kind}/sent", world.organizer, json={"date": day.isoformat()}
    )
    assert response.status_code == 200, response.get_json()


def overview(api, world, today: str) -> dict[int, list[str]]:
    response = api.get(f"/plans/2023/overview?today={today}", world.admin)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["today"] == today
    return {c["id"]: [f["code"] for f in c["flags"]] for c in response.get_json()["classes"]}


def test_flags_on_either_side_of_each_deadline(api, world):
    on_deadline = make(api, world, date(2023, 10, 7), date(2023, 10, 10))
    after_deadline = make(api, world, date(2023, 10, 8), date(2023, 10, 11))
    sent_late = make(api, world, date(2023, 9, 27), date(2023, 9, 30))
    in_time = make(api, world, date(2023, 9, 28), date(2023, 10, 1))
    approved_on_opening = make(api, world, date(2023, 9, 20), date(2023, 9, 23), 0)
    never_approved = make(api, world, date(2023, 11, 5), date(2023, 11, 8), None)
    sent(api, world, on_deadline, "paperwork", date(2023, 10, 25))  # the last allowed day
    sent(api, world, sent_late, "paperwork", date(2023, 10, 16))  # due 10-15
    sent(api, world, in_time, "paperwork", date(2023, 10, 16))  # due 10-16
    sent(api, world, in_time, "expenses", date(2023, 10, 31))  # due 10-31 (the plan's 30 days)
    sent(api, world, approved_on_opening, "paperwork", date(2023, 10, 1))
    sent(api, world, approved_on_opening, "expenses", date(2023, 10, 1))

    flags = overview(api, world, "2023-11-01")
    assert flags[on_deadline] == []  # expenses due 11-09: not late yet
    assert flags[after_deadline] == ["after_deadline", "paperwork_overdue"]  # due 10-26
    assert flags[sent_late] == ["paperwork_late", "expenses_overdue"]  # expenses due 10-30
    assert flags[in_time] == []
    assert flags[approved_on_opening] == ["not_approved_before_start"]
    assert flags[never_approved] == ["after_deadline"]  # opens 11-05: not yet due

    later = overview(api, world, "2023-11-10")
    assert later[on_deadline] == ["expenses_overdue"]  # due 11-09
    assert later[after_deadline] == ["after_deadline", "paperwork_overdue"]  # due 11-10: in time
    assert later[never_approved] == ["after_deadline", "not_approved_before_start"]
    day_before = overview(api, world, "2023-11-04")
    assert day_before[on_deadline] == [] and day_before[never_approved] == ["after_deadline"]
    on_opening_day = overview(api, world, "2023-11-05")
    assert on_opening_day[never_approved] == ["after_deadline", "not_approved_before_start"]


def test_overview_figures_match_the_class(api, world, answered):  # noqa: F811
    # Held after the 2023 plan's deadline: no subsidy (四、严守财经纪律).
    stored = api.put(
        f"/classes/{answered.class_id}/budget", world.organizer, json=budget_body("0.00")
    )
    assert stored.status_code == 200, stored.get_json()
    response = api.get("/plans/2023/overview", world.admin)
    listing = response.get_json()
    assert listing["year"] == 2023 and listing["deadline"] == "2023-10-10"
    line = next(c for c in listing["classes"] if c["id"] == answered.class_id)
    assert line["title"] == "区块链技术数字化工程师高级研修班"
    assert line["host_unit"] == "华中科技大学" and line["funding"] == "fiscal"
    assert line["status"] == "approved"
    assert (line["enrolled"], line["attended"], line["attendance_rate"]) == (5, 4, 80.0)
    assert (line["issued"], line["returned"], line["return_rate"]) == (4, 4, 100.0)
    assert line["satisfied_rate"] == 75.0
    assert line["subsidy"] == "0.00" and line["budget_total"] == "120200.90"
    assert line["paperwork_due"] == (answered.end + timedelta(days=15)).isoformat()
    messages = [f["message"] for f in line["flags"]]
    assert all(isinstance(m, str) and m for m in messages)
    world_line = next(c for c in listing["classes"] if c["id"] == world.class_id)
    assert world_line["returned"] == 0 and world_line["return_rate"] is None
    assert world_line["satisfied_rate"] is None and world_line["subsidy"] is None


def test_overview_xlsx(api, world, answered):  # noqa: F811
    api.put(f"/classes/{answered.class_id}/budget", world.organizer, json=budget_body("0.00"))
    response = api.get("/plans/2023/overview.xlsx?today=2023-11-01", world.admin)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet["A1"].value.startswith(
        "2023年专业技术人员知识更新工程高级研修项目总览（截至2023年11月1日"
    )
    header = [c.value for c in sheet[2]]
    assert header[:5] == ["序号", "项目名称", "承办单位", "经费来源", "状态"]
    # Both classes run the same project; the paper class is the one in 光谷.
    lines = [row for row in sheet.iter_rows(min_row=3) if row[6].value == "武汉光谷会议中心"]
    assert len(lines) == 1
    cell = dict(zip(header, lines[0], strict=True))
    line = {name: c.value for name, c in cell.items()}
    assert (line["经费来源"], line["状态"]) == ("财政资助", "已审核通过")
    assert (line["名单人数"], line["参训人数"]) == (5, 4)
    assert abs(line["参训率"] - 0.8) < 1e-9 and cell["参训率"].number_format == "0.0%"
    assert line["收回份数"] == 4 and abs(line["满意率"] - 0.75) < 1e-9
    assert line["申请资助（元）"] == 0 and cell["申请资助（元）"].number_format == "#,##0.00"
    assert line["材料报送"].startswith("未报送")
    # Held in this year (after the 2023 plan's deadline), approved after its first session.
    assert "晚于计划完成期限2023年10月10日" in line["提示"] and "开班实施方案于" in line["提示"]


def test_a_class_before_its_survey_shows_who_attended(app, api, world):
    """参训率 counts the trainees who checked in, whether or not the form was issued yet."""
    first, second = list(world.trainees)[:2]
    record_check_ins(app, world.session_ids[0], [first, second])
    listing = api.get("/plans/2023/overview", world.admin).get_json()
    line = next(c for c in listing["classes"] if c["id"] == world.class_id)
    assert (line["enrolled"], line["attended"], line["attendance_rate"]) == (5, 2, 40.0)
    assert line["issued"] == 0 and line["return_rate"] is None  # the survey is not open
