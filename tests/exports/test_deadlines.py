"""Deadlines (DOMAIN.md rules 1, 3, 7, 8): the flags on either side of each deadline, and
marking the papers as sent."""

from datetime import date, datetime, timedelta

import pytest

from backend.core.timeutil import CHINA, today_in_china
from backend.exports.deadlines import expenses_due, flags_for, paperwork_due

END = date(2023, 9, 20)
START = date(2023, 9, 17)
OPENING = datetime(2023, 9, 17, 9, tzinfo=CHINA)
APPROVED = datetime(2023, 9, 10, 10, tzinfo=CHINA)


def codes(**changes) -> list[str]:
    values = {
        "start_date": START,
        "end_date": END,
        "deadline": date(2023, 10, 10),
        "report_days": 15,
        "expense_days": 30,
        "opening": OPENING,
        "approved_at": APPROVED,
        "paperwork_sent_on": date(2023, 9, 30),
        "expenses_sent_on": date(2023, 10, 15),
        "today": date(2023, 12, 1),
        **changes,
    }
    return [flag.code for flag in flags_for(**values)]


def test_a_class_that_kept_every_rule_has_no_flag():
    assert codes() == []


def test_due_dates():
    # The 2023 plan's windows: 15 days and 1 month (30 days); another year's are its own.
    assert paperwork_due(END, 15) == date(2023, 10, 5)
    assert expenses_due(END, 30) == date(2023, 10, 20)
    assert expenses_due(date(2023, 12, 15), 30) == date(2024, 1, 14)
    assert paperwork_due(END, 20) == date(2023, 10, 10)


@pytest.mark.parametrize(
    ("end", "flagged"), [(date(2023, 10, 10), False), (date(2023, 10, 11), True)]
)
def test_plan_deadline(end, flagged):
    result = codes(end_date=end, paperwork_sent_on=end, expenses_sent_on=end)
    assert ("after_deadline" in result) is flagged


@pytest.mark.parametrize(
    ("kind", "due"), [("paperwork", date(2023, 10, 5)), ("expenses", date(2023, 10, 20))]
)
def test_sending_deadlines_on_either_side(kind, due):
    sent = f"{kind}_sent_on"
    # Not sent: overdue only once the due day has passed.
    assert codes(**{sent: None, "today": due}) == []
    assert codes(**{sent: None, "today": due + timedelta(days=1)}) == [f"{kind}_overdue"]
    # Sent: on the due day is in time, a day later is late (whatever today is).
    assert codes(**{sent: due, "today": due + timedelta(days=90)}) == []
    assert codes(**{sent: due + timedelta(days=1)}) == [f"{kind}_late"]


def test_opening_plan_approved_before_the_start():
    assert codes(approved_at=OPENING - timedelta(seconds=1)) == []
    assert codes(approved_at=OPENING) == ["not_approved_before_start"]
    not_sent = {"paperwork_sent_on": None, "expenses_sent_on": None}
    assert codes(approved_at=None, today=START - timedelta(days=1), **not_sent) == []
    assert codes(approved_at=None, today=START, **not_sent) == ["not_approved_before_start"]


def test_flags_come_with_chinese_sentences():
    flags = flags_for(
        start_date=START,
        end_date=date(2023, 10, 12),
        deadline=date(2023, 10, 10),
        report_days=15,
        expense_days=30,
        opening=OPENING,
        approved_at=APPROVED,
        paperwork_sent_on=None,
        expenses_sent_on=None,
        today=date(2023, 10, 28),
    )
    assert [f.code for f in flags] == ["after_deadline", "paperwork_overdue"]
    assert (
        flags[0].message == "结束日期2023年10月12日晚于计划完成期限2023年10月10日，按规定不予资助"
    )
    assert flags[1].message == "总结报告等材料应于2023年10月27日前报送，至今未报送"


def test_marking_papers_sent_records_the_day(api, world, paper):
    response = api.post(f"/classes/{paper.class_id}/paperwork/sent", world.organizer)
    assert response.status_code == 200, response.get_json()
    state = response.get_json()
    assert state["paperwork_sent_on"] == today_in_china().isoformat()
    assert state["paperwork_due"] == (paper.end + timedelta(days=15)).isoformat()
    assert state["expenses_sent_on"] is None
    # Sessions were held before the approval made in the fixture; the 2023 plan's deadline
    # is long past on the machine's clock.
    late = ["after_deadline"] if paper.end > date(2023, 10, 10) else []
    assert [f["code"] for f in state["flags"]] == [*late, "not_approved_before_start"]
    answer = api.post(
        f"/classes/{paper.class_id}/expenses/sent",
        world.organizer,
        json={"date": paper.end.isoformat()},
    )
    assert answer.get_json()["expenses_sent_on"] == paper.end.isoformat()
    read = api.get(f"/classes/{paper.class_id}/submission", world.admin).get_json()
    assert read["paperwork_sent_on"] == today_in_china().isoformat()
    assert read["expenses_sent_on"] == paper.end.isoformat()


@pytest.mark.parametrize(("offset", "words"), [(1, "晚于今天"), (-4, "早于研修班结束日期")])
def test_a_sending_day_in_the_future_or_before_the_end_is_refused(api, world, paper, offset, words):
    day = today_in_china() + timedelta(days=offset)
    response = api.post(
        f"/classes/{paper.class_id}/paperwork/sent", world.organizer, json={"date": day.isoformat()}
    )
    assert response.status_code == 422
    assert words in response.get_json()["fields"]["date"][0]
    state = api.get(f"/classes/{paper.class_id}/submission", world.organizer).get_json()
    assert state["paperwork_sent_on"] is None
