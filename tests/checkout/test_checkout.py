"""签退: off by default; when a class turns it on, the check-out code exists from 15 minutes
before a session ends to 30 minutes after, trainees scan it, and the grid, 附件5 and the
completion show who never checked out (not attended when the class requires it)."""

import csv
import io
from datetime import timedelta

from backend.classes.models import Session
from backend.core.timeutil import utcnow
from backend.extensions import db
from tests.conftest import check_in, page_log_in


def end_session(app, session_id, minutes_from_now: int) -> None:
    """Move a session (two hours long) so that it ends `minutes_from_now` from now."""
    with app.app_context():
        session = db.session.get(Session, session_id)
        session.ends_at = utcnow() + timedelta(minutes=minutes_from_now)
        session.starts_at = session.ends_at - timedelta(hours=2)
        db.session.commit()


def turn_on(api, world, required=False):
    answer = api.put(
        f"/classes/{world.class_id}/checkout",
        world.organizer,
        json={"enabled": True, "required": required},
    )
    assert answer.status_code == 200, answer.json
    return answer.json


def code(api, world, index=0):
    return api.get(f"/sessions/{world.session_ids[index]}/checkout-code", world.organizer)


def cell(api, world, enrollment_id, index=0):
    grid = api.get(f"/classes/{world.class_id}/attendance", world.organizer).json
    row = next(r for r in grid["trainees"] if r["enrollment_id"] == enrollment_id)
    return row["attendance"][index], row


def roster_csv(api, world):
    answer = api.get(f"/classes/{world.class_id}/exports/roster.csv", world.organizer)
    return list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig"))))


def test_off_by_default_and_nothing_changes(api, world):
    assert api.get(f"/classes/{world.class_id}/checkout", world.organizer).json == {
        "enabled": False,
        "required": False,
    }
    refused = code(api, world)
    assert refused.status_code == 409 and refused.json["error"] == "checkout_off"
    enrollment_id = next(iter(world.trainees))
    check_in(api, world, enrollment_id)
    first, row = cell(api, world, enrollment_id)
    assert first["state"] == "present" and first["checkout"] is None
    assert row["sessions_attended"] == 1


def test_the_code_exists_only_around_the_end(app, api, world):
    turn_on(api, world)
    early = code(api, world)  # session 1 ends in 1 h 55 min
    assert early.status_code == 409 and early.json["error"] == "checkout_closed"
    assert "签退时间为" in early.json["message"]
    end_session(app, world.session_ids[0], 14)
    opened = code(api, world)
    assert opened.status_code == 200 and opened.json["qr_text"].startswith("YXCO1:")
    end_session(app, world.session_ids[0], -31)
    assert code(api, world).json["error"] == "checkout_closed"


def test_a_trainee_checks_out_once_with_the_code(app, api, world):
    turn_on(api, world)
    enrollment_id, trainee = next(iter(world.trainees.items()))
    check_in(api, world, enrollment_id)
    end_session(app, world.session_ids[0], 10)
    qr_text = code(api, world).json["qr_text"]
    first = api.post("/checkouts", trainee, json={"token": qr_text})
    assert first.status_code == 201, first.json
    again = api.post("/checkouts", trainee, json={"token": qr_text})
    assert again.status_code == 200 and again.json == first.json
    assert cell(api, world, enrollment_id)[0]["checkout"] == "done"
    # a check-out code is no check-in code, nor the reverse
    as_checkin = api.post("/checkins", trainee, json={"token": qr_text})
    assert as_checkin.status_code == 400
    checkin_token = api.get(f"/sessions/{world.session_ids[0]}/checkin-code", world.organizer)
    wrong = api.post("/checkouts", trainee, json={"token": checkin_token.json["token"]})
    assert wrong.status_code == 400 and wrong.json["error"] == "invalid_token"
    assert "签退码无效" in wrong.json["message"]
    other = list(world.trainees.values())[1]
    assert api.post("/checkouts", other, json={"token": qr_text}).status_code == 201


def test_never_checked_out_shows_and_counts_when_required(app, api, world, client):
    turn_on(api, world)
    stays, leaves = list(world.trainees)[:2]
    for enrollment_id in (stays, leaves):
        check_in(api, world, enrollment_id)
    end_session(app, world.session_ids[0], 5)
    token = code(api, world).json["qr_text"]
    api.post("/checkouts", world.trainees[stays], json={"token": token})
    assert cell(api, world, leaves)[0]["checkout"] is None  # the window is still open
    end_session(app, world.session_ids[0], -40)  # closed: 学员2 left early
    gone, row = cell(api, world, leaves)
    assert gone["state"] == "present" and gone["checkout"] == "missing"
    assert row["sessions_attended"] == 1  # not required: still attended
    lines = roster_csv(api, world)
    assert [line[9] for line in lines[1:3]] == ["✓", "✓·未退"]
    assert [line[-1] for line in lines[1:3]] == ["1", "1"]
    page_log_in(client, "org-hust")
    grid = (
        client.get(f"/classes/{world.class_id}").get_data(as_text=True).split('id="attendance"')[1]
    )
    assert grid.count('<small class="no-checkout">未签退</small>') == 1

    turn_on(api, world, required=True)
    assert cell(api, world, leaves)[1]["sessions_attended"] == 0
    assert cell(api, world, stays)[1]["sessions_attended"] == 1
    lines = roster_csv(api, world)
    assert [line[9] for line in lines[1:3]] == ["✓", "未退"]
    assert [line[-1] for line in lines[1:3]] == ["1", "0"]
    completion = api.get(f"/classes/{world.class_id}/completion", world.organizer).json
    attended = {t["enrollment_id"]: t["sessions_attended"] for t in completion["trainees"]}
    assert attended[stays] == 1 and attended[leaves] == 0

    off = api.put(f"/classes/{world.class_id}/checkout", world.organizer, json={"enabled": False})
    assert off.json == {"enabled": False, "required": False}
    assert cell(api, world, leaves)[1]["sessions_attended"] == 1


def test_roles_and_the_page(app, api, world, client):
    body = {"enabled": True}
    path = f"/classes/{world.class_id}/checkout"
    for token, status in ((None, 401), (world.trainee, 403), (world.admin, 403)):
        assert api.put(path, token, json=body).status_code == status
    assert api.put(path, world.other_organizer, json=body).status_code == 404
    bad = api.put(path, world.organizer, json={"enabled": "perhaps"})
    assert bad.status_code == 422 and "enabled" in bad.json["fields"]
    assert api.get(path, world.organizer).json["enabled"] is False
    page_log_in(client, "org-hust")
    page = client.get(f"/classes/{world.class_id}").get_data(as_text=True)
    assert "投屏签退码" not in page and "保存签退设置" in page
    csrf = page.split('name="csrf" value="')[1].split('"')[0]
    saved = client.post(path, data={"csrf": csrf, "enabled": "true", "required": "true"})
    assert saved.status_code == 302
    page = client.get(f"/classes/{world.class_id}").get_data(as_text=True)
    assert "签退设置已保存" in page and "投屏签退码" in page and "须签到且签退才计出勤" in page
    display = client.get(f"/display/sessions/{world.session_ids[0]}/checkout")
    assert "签退时间为" in display.get_data(as_text=True)
    end_session(app, world.session_ids[0], 10)
    display = client.get(f"/display/sessions/{world.session_ids[0]}/checkout")
    assert 'alt="签退二维码"' in display.get_data(as_text=True)
    image = client.get(f"/api/v1/sessions/{world.session_ids[0]}/checkout-code.svg")
    assert image.status_code == 200 and image.data.startswith(b"<")
