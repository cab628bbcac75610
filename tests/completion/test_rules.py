"""学时 of sessions and who completes a class under its rule (API.md, Completion)."""

from datetime import timedelta

from backend.classes.models import Session
from backend.core.timeutil import utcnow
from backend.extensions import db
from tests.completion.conftest import mark
from tests.surveys.helpers import form


def _length(minutes: int):
    start = utcnow().replace(microsecond=0)
    return Session(topic="x", starts_at=start, ends_at=start + timedelta(minutes=minutes))


def test_default_credit_hours_are_minutes_over_45_rounded_down_to_a_half():
    assert [_length(m).hours for m in (44, 45, 67, 68, 90, 120, 180)] == [0.5, 1, 1, 1.5, 2, 2.5, 4]


def test_sessions_carry_their_credit_hours_and_the_organizer_may_set_them(api, world):
    schedule = api.get(f"/classes/{world.class_id}/schedule", world.organizer).json
    assert [s["credit_hours"] for s in schedule["sessions"]] == [2.5, 2.5, 2.5, 2.5]
    first = schedule["sessions"][0]
    body = {
        "topic": "实践课",
        "lecturer_id": world.lecturer_ids[0],
        "starts_at": first["starts_at"],
        "ends_at": first["ends_at"],
        "credit_hours": 3,
    }
    created = api.post(f"/classes/{world.class_id}/sessions", world.organizer, json=body)
    assert created.status_code == 201, created.json
    assert created.json["credit_hours"] == 3
    bad = api.post(
        f"/classes/{world.class_id}/sessions", world.organizer, json={**body, "credit_hours": 1.3}
    )
    assert bad.status_code == 422
    assert bad.json["fields"]["credit_hours"] == ["学时须为 0.5 的整数倍"]


def _returns_form(api, world, token):
    answer = api.post(
        f"/classes/{world.class_id}/survey/responses", token, json=form(world.session_ids)
    )
    assert answer.status_code == 201, answer.json


def test_the_rule_decides_at_its_boundary_and_says_why_in_chinese(api, ended):
    world = ended
    first, second, third = list(world.trainees)
    for index in range(3):  # first: 3 of 4 sessions; second: 2 of 4; third: 4 of 4
        mark(api, world, index, first)
    for index in range(2):
        mark(api, world, index, second)
    for index in range(4):
        mark(api, world, index, third)
    assert api.post(f"/classes/{world.class_id}/survey/open", world.organizer).status_code == 200
    _returns_form(api, world, world.trainees[first])
    _returns_form(api, world, world.trainees[second])

    rule = api.put(
        f"/classes/{world.class_id}/completion-rule",
        world.organizer,
        json={"min_attendance": 0.75, "require_survey": True},
    )
    assert rule.status_code == 200 and rule.json == {"min_attendance": 0.75, "require_survey": True}
    view = api.get(f"/classes/{world.class_id}/completion", world.organizer).json
    rows = {t["enrollment_id"]: t for t in view["trainees"]}
    assert rows[first]["completed"] is True and rows[first]["reasons"] == []
    assert rows[first]["sessions_attended"] == 3 and rows[first]["credit_hours"] == 7.5
    assert rows[first]["attendance_rate"] == 0.75
    assert rows[second]["completed"] is False
    assert rows[second]["reasons"] == ["出勤 2/4 次（50%），低于结业要求的 75%"]
    assert rows[third]["reasons"] == ["未提交满意度测评表"]
    assert len(view["trainees"]) == 5  # the unbound ones too, with nothing attended

    api.put(
        f"/classes/{world.class_id}/completion-rule",
        world.organizer,
        json={"min_attendance": 0.5, "require_survey": False},
    )
    view = api.get(f"/classes/{world.class_id}/completion", world.organizer).json
    completed = {t["enrollment_id"] for t in view["trainees"] if t["completed"]}
    assert completed == {first, second, third}


def test_online_attendance_counts_for_a_hybrid_class(app, api, ended):
    from backend.enrollment.models import AttendanceMode, Enrollment

    world = ended
    online = list(world.trainees)[0]
    with app.app_context():
        db.session.get(Enrollment, online).attendance_mode = AttendanceMode.ONLINE
        db.session.commit()
    for index in range(4):
        mark(api, world, index, online)
    api.put(
        f"/classes/{world.class_id}/completion-rule",
        world.organizer,
        json={"min_attendance": 1, "require_survey": False},
    )
    view = api.get(f"/classes/{world.class_id}/completion", world.organizer).json
    row = next(t for t in view["trainees"] if t["enrollment_id"] == online)
    assert row["completed"] is True and row["attendance_rate"] == 1


def test_rule_out_of_range_is_refused_naming_the_field(api, world):
    answer = api.put(
        f"/classes/{world.class_id}/completion-rule",
        world.organizer,
        json={"min_attendance": 1.2, "require_survey": True},
    )
    assert answer.status_code == 422
    assert answer.json["fields"]["min_attendance"] == ["出勤率要求须在 0 到 1 之间"]


def test_only_the_class_staff_see_completion(api, world):
    path = f"/classes/{world.class_id}/completion"
    assert api.get(path, world.other_organizer).status_code == 404
    assert api.get(path, world.trainee).status_code == 403
    assert api.get(path, world.admin).status_code == 200
    rule = {"min_attendance": 0.5, "require_survey": True}
    put = f"/classes/{world.class_id}/completion-rule"
    assert api.put(put, world.other_organizer, json=rule).status_code == 404
    assert api.put(put, world.admin, json=rule).status_code == 403
