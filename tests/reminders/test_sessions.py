"""30 minutes before a session: once, with its name and time, only to who is not there yet."""

from backend.classes.models import Session
from backend.core.timeutil import to_china
from backend.extensions import db
from tests.conftest import check_in
from tests.reminders.conftest import (
    openid_of,
    reminders_of,
    sent_to,
    start_in,
    subscribe,
    tick,
)


def test_a_session_reminder_goes_once_with_the_topic_and_time(app, api, world, wechat):
    first, second, third = world.trainees
    for enrollment_id in (first, second):
        subscribe(api, world.trainees[enrollment_id], session_start=2)
    session_id = world.session_ids[1]
    start_in(app, session_id, 20)
    check_in(api, world, second, session_index=1)  # already in the room: no reminder

    tick(app)
    tick(app)

    messages = sent_to(wechat, "session_start")
    assert [m["touser"] for m in messages] == [openid_of(app, world, first)]
    with app.app_context():
        session = db.session.get(Session, session_id)
        starts = to_china(session.starts_at).strftime("%Y-%m-%d %H:%M")
    assert messages[0]["data"]["thing1"]["value"] == "专题2"
    assert messages[0]["data"]["time2"]["value"] == starts
    assert messages[0]["data"]["thing3"]["value"] == "报告厅"
    row = reminders_of(api, world)[f"session:{session_id}"]
    assert (row["sent"], row["no_credit"], row["failed"]) == (1, 1, 0)  # the third: no credit
    assert subscribe(api, world.trainees[first])["session_start"] == 1
    assert subscribe(api, world.trainees[third])["session_start"] == 0


def test_no_reminder_for_a_session_more_than_30_minutes_away(app, api, world, wechat):
    subscribe(api, world.trainee, session_start=1)
    start_in(app, world.session_ids[1], 45)
    tick(app)
    assert sent_to(wechat, "session_start") == []
    assert reminders_of(api, world) == {}


def test_wechat_saying_no_credit_zeroes_the_credit_and_is_counted(app, api, world, wechat):
    enrollment_id = next(iter(world.trainees))
    subscribe(api, world.trainees[enrollment_id], session_start=3)
    wechat.refusing.add(openid_of(app, world, enrollment_id))
    start_in(app, world.session_ids[1], 10)

    tick(app)

    assert sent_to(wechat, "session_start") == []
    row = reminders_of(api, world)[f"session:{world.session_ids[1]}"]
    assert (row["sent"], row["no_credit"]) == (0, 3)
    assert subscribe(api, world.trainees[enrollment_id])["session_start"] == 0


def test_a_refused_template_fails_and_gives_the_credit_back(app, api, world, wechat):
    subscribe(api, world.trainee, session_start=1)
    wechat.templates.clear()  # the template was deleted in WeChat's console: 40037
    start_in(app, world.session_ids[1], 10)

    tick(app)

    row = reminders_of(api, world)[f"session:{world.session_ids[1]}"]
    assert (row["sent"], row["failed"]) == (0, 1)
    assert subscribe(api, world.trainee)["session_start"] == 1


def test_no_session_reminder_to_a_trainee_on_approved_leave(app, api, world, wechat):
    on_leave, other, _ = world.trainees
    for enrollment_id in (on_leave, other):
        subscribe(api, world.trainees[enrollment_id], session_start=1)
    session_id = world.session_ids[1]
    asked = api.post(
        "/me/leave-requests",
        world.trainees[on_leave],
        json={"class_id": world.class_id, "session_ids": [session_id], "reason": "单位出差"},
    )
    assert asked.status_code == 201, asked.json
    decided = api.post(
        f"/leave-requests/{asked.json['id']}/decision",
        world.organizer,
        json={"decision": "approve"},
    )
    assert decided.status_code == 200, decided.json
    start_in(app, session_id, 20)

    tick(app)

    messages = sent_to(wechat, "session_start")
    assert [m["touser"] for m in messages] == [openid_of(app, world, other)]
    assert subscribe(api, world.trainees[on_leave])["session_start"] == 1
