"""POST /checkins as docs/API.md writes it: scans, repeats, every error and their precedence."""

import time
from datetime import datetime, timedelta

import pytest

from backend.auth.models import Trainee
from backend.checkin import tokens
from backend.checkin.tokens import SlotRef
from backend.classes.models import ClassMode, ClassStatus
from backend.core import signals
from backend.core.timeutil import utcnow
from backend.enrollment.models import AttendanceMode, Enrollment
from backend.extensions import db
from tests.checkin.helpers import (
    add_session,
    code_for,
    make_online,
    old_slot_token,
    scan,
    set_class,
    unapprove,
)
from tests.conftest import trainee_token


@pytest.fixture
def received():
    """Every checked_in signal sent during the test, as (class_id, kwargs)."""
    calls = []

    def receiver(sender, **kwargs):
        calls.append((sender, kwargs))

    signals.checked_in.connect(receiver)
    yield calls
    signals.checked_in.disconnect(receiver)


def test_a_scan_checks_in_once_and_a_repeat_gives_the_first_time(api, world, received):
    session_id = world.session_ids[0]
    enrollment_id, trainee = next(iter(world.trainees.items()))
    qr = code_for(api, world, session_id)

    first = scan(api, trainee, token=qr["qr_text"])
    assert first.status_code == 201
    assert first.json == {
        "session_id": session_id,
        "enrollment_id": enrollment_id,
        "checked_in_at": first.json["checked_in_at"],
        "late": False,
        "mode": "onsite",
    }
    assert first.json["checked_in_at"].endswith("+08:00")

    again = scan(api, trainee, token=qr["token"])  # the raw token works as well as the QR text
    assert again.status_code == 200
    assert again.json == first.json
    assert received == [
        (world.class_id, {"session_id": session_id, "enrollment_id": enrollment_id})
    ]
    schedule = api.get("/me/classes", trainee).json[0]["sessions"]
    assert schedule[0]["checkin"]["checked_in_at"] == first.json["checked_in_at"]
    assert schedule[1]["checkin"] is None


def test_the_qr_holds_plain_text_not_a_url(api, world):
    qr = code_for(api, world, world.session_ids[0])
    assert qr["qr_text"] == "YXCI1:" + qr["token"]
    assert "://" not in qr["qr_text"]


def test_late_after_start_plus_the_class_setting(app, api, world):
    trainees = list(world.trainees.values())
    on_time = add_session(app, world, -timedelta(minutes=15) + timedelta(seconds=20))
    late = add_session(app, world, -timedelta(minutes=15) - timedelta(seconds=20))
    assert (
        scan(api, trainees[0], token=code_for(api, world, on_time)["token"]).json["late"] is False
    )
    assert scan(api, trainees[0], token=code_for(api, world, late)["token"]).json["late"] is True

    set_class(app, world, late_after_min=30)
    assert scan(api, trainees[1], token=code_for(api, world, late)["token"]).json["late"] is False


@pytest.mark.parametrize(
    ("starts_in", "length", "status"),
    [
        (timedelta(minutes=30) - timedelta(seconds=20), timedelta(hours=1), 201),  # just opened
        (timedelta(minutes=30) + timedelta(seconds=20), timedelta(hours=1), 409),  # not yet
        (-timedelta(hours=1), timedelta(hours=1) + timedelta(seconds=20), 201),  # ends soon
        (-timedelta(hours=1), timedelta(hours=1) - timedelta(seconds=20), 409),  # just ended
    ],
)
def test_the_window_opens_30_minutes_before_and_closes_at_the_end(
    app, api, world, starts_in, length, status
):
    session_id = add_session(app, world, starts_in, length)
    response = scan(api, world.trainee, token=code_for(api, world, session_id)["token"])
    assert response.status_code == status
    if status == 409:
        assert response.json["error"] == "checkin_closed"
        assert "30 分钟" in response.json["message"]


def test_the_window_follows_the_class_setting(app, api, world):
    session_id = add_session(app, world, timedelta(minutes=45))
    token = code_for(api, world, session_id)["token"]
    assert scan(api, world.trainee, token=token).json["error"] == "checkin_closed"
    set_class(app, world, checkin_opens_before_min=60)
    assert scan(api, world.trainee, token=token).status_code == 201


def test_an_old_token_is_refused_a_recent_one_accepted(app, api, world):
    set_class(app, world, code_rotate_seconds=600)  # a rotation cannot fall between mint and scan
    session_id = world.session_ids[0]
    trainees = list(world.trainees.values())
    in_grace = old_slot_token(app, world, session_id, 1)
    assert scan(api, trainees[0], token=in_grace).status_code == 201
    replay = scan(api, trainees[1], token=old_slot_token(app, world, session_id, 2))
    assert replay.status_code == 410
    assert replay.json["error"] == "token_expired"


def test_a_code_handed_out_stays_valid_at_least_15_seconds_even_with_fast_rotation(app, api, world):
    set_class(app, world, code_rotate_seconds=2, code_grace_slots=1)
    session_id = world.session_ids[0]
    qr = code_for(api, world, session_id)
    assert 0 < qr["rotates_in"] <= 2
    assert datetime.fromisoformat(qr["expires_at"]) >= utcnow() + timedelta(seconds=15)
    trainees = list(world.trainees.values())
    # 2 s slots: a code is kept 8 more slots; 7 back is inside even if a slot turns meanwhile
    assert (
        scan(api, trainees[0], token=old_slot_token(app, world, session_id, 7)).status_code == 201
    )
    expired = scan(api, trainees[1], token=old_slot_token(app, world, session_id, 10))
    assert expired.status_code == 410


@pytest.mark.parametrize(
    "forged",
    [
        "YXCI1:not-a-token",
        "",
        "https://example.com/checkin?session=1",
        "1.1za3um.s.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ],
)
def test_a_forged_token_is_400(api, world, forged):
    response = scan(api, world.trainee, token=forged or " ")
    assert response.status_code == 400
    assert response.json["error"] == "invalid_token"


def test_a_tampered_token_is_400(api, world):
    token = code_for(api, world, world.session_ids[0])["token"]
    session, slot, rest = token.split(".", 2)
    other_session = tokens._base36(world.session_ids[1])  # same signature, another session
    for tampered in (f"{other_session}.{slot}.{rest}", f"{session}.{slot}.o{rest[1:]}"):
        response = scan(api, world.trainee, token=tampered)
        assert response.status_code == 400, tampered
        assert response.json["error"] == "invalid_token"


def test_foreign_tokens_are_400(app, api, world):
    session_id = world.session_ids[0]
    with app.app_context():
        scene = tokens.scene(SlotRef(session_id, AttendanceMode.ONSITE, 0))
    for foreign in (world.organizer, world.trainee, scene):  # log-in tokens, a scene
        assert scan(api, world.trainee, token=foreign).json["error"] == "invalid_token"
    # a token signed with another server's secret
    ours, app.config["SECRET_KEY"] = app.config["SECRET_KEY"], "another-secret"
    with app.app_context():
        alien = tokens.qr_token(SlotRef(session_id, AttendanceMode.ONSITE, int(time.time() // 15)))
    app.config["SECRET_KEY"] = ours
    assert scan(api, world.trainee, token=alien).json["error"] == "invalid_token"


def test_a_token_of_session_a_never_checks_in_to_session_b(api, world):
    first, second = world.session_ids[:2]
    token = code_for(api, world, first)["token"]
    refused = scan(api, world.trainee, token=token, session_id=second)
    assert refused.status_code == 400 and refused.json["error"] == "invalid_token"
    accepted = scan(api, world.trainee, token=token)
    assert accepted.json["session_id"] == first


def test_only_bound_trainees_of_this_class(api, world, app):
    token = code_for(api, world, world.session_ids[0])["token"]
    stranger = trainee_token(api, "stranger")
    response = scan(api, stranger, token=token)
    assert response.status_code == 403 and response.json["error"] == "not_enrolled"
    # a trainee of another class of the same unit
    other = build_world_class(app)
    assert scan(api, other, token=token).json["error"] == "not_enrolled"


def build_world_class(app) -> str:
    """A trainee bound in a second class (another world in the same database)."""
    from backend.auth import tokens as auth_tokens
    from backend.classes.models import TrainingClass

    with app.app_context():
        first = db.session.scalar(db.select(TrainingClass))
        second = TrainingClass(
            project_id=first.project_id,
            location="武汉",
            start_date=first.start_date,
            end_date=first.end_date,
            mode=first.mode,
            status=first.status,
        )
        db.session.add(second)
        db.session.flush()
        trainee = Trainee(openid="dev:other-class")
        db.session.add(trainee)
        db.session.flush()
        db.session.add(
            Enrollment(
                class_id=second.id, name="外班学员", phone="13800000000", trainee_id=trainee.id
            )
        )
        db.session.commit()
        return auth_tokens.issue("trainee", trainee.id, 0)[0]


def test_nothing_before_the_class_is_approved(app, api, world):
    token = code_for(api, world, world.session_ids[0])["token"]
    unapprove(app, world)
    response = scan(api, world.trainee, token=token)
    assert response.status_code == 409 and response.json["error"] == "class_not_approved"


def test_precedence_follows_api_md(app, api, world):
    """invalid_token, token_expired, not_enrolled, class_not_approved, checkin_closed."""
    set_class(app, world, code_rotate_seconds=600)
    closed = add_session(app, world, timedelta(hours=5))
    stranger = trainee_token(api, "stranger")
    expired = old_slot_token(app, world, closed, 3)
    fresh = code_for(api, world, closed)["token"]
    unapprove(app, world)

    cases = [
        (stranger, expired[:-3] + "abc", 400, "invalid_token"),
        (stranger, expired, 410, "token_expired"),
        (stranger, fresh, 403, "not_enrolled"),
        (world.trainee, fresh, 409, "class_not_approved"),
    ]
    for trainee, token, status, error in cases:
        response = scan(api, trainee, token=token)
        assert (response.status_code, response.json["error"]) == (status, error)
    set_class(app, world, status=ClassStatus.APPROVED)
    response = scan(api, world.trainee, token=fresh)
    assert (response.status_code, response.json["error"]) == (409, "checkin_closed")


def test_a_revoked_or_missing_log_in_is_401_before_anything(app, api, world):
    token = code_for(api, world, world.session_ids[0])["token"]
    assert scan(api, None, token=token).status_code == 401
    with app.app_context():
        enrollment = db.session.get(Enrollment, next(iter(world.trainees)))
        db.session.get(Trainee, enrollment.trainee_id).token_version += 1
        db.session.commit()
    for body in ({"token": token}, {"token": "forged"}):
        response = scan(api, world.trainee, **body)
        assert response.status_code == 401 and response.json["error"] == "unauthorized"


@pytest.mark.parametrize(
    "body",
    [{}, {"token": "x", "code": "123456", "session_id": 1}, {"code": "123456"}, {"code": "12ab"}],
)
def test_a_malformed_body_is_422(api, world, body):
    response = scan(api, world.trainee, **body)
    assert response.status_code == 422 and response.json["error"] == "validation_failed"


def test_online_trainees_use_the_online_code_and_onsite_ones_the_room_code(app, api, world):
    online_id, online = list(world.trainees.items())[1]
    onsite = world.trainee
    make_online(app, online_id)
    session_id = world.session_ids[0]
    room = code_for(api, world, session_id)["token"]
    meeting = code_for(api, world, session_id, mode="online")["token"]

    refused = scan(api, online, token=room)
    assert refused.status_code == 403 and refused.json["error"] == "wrong_mode"
    assert "线上会议" in refused.json["message"]
    refused = scan(api, onsite, token=meeting)
    assert refused.status_code == 403 and "现场大屏" in refused.json["message"]

    assert scan(api, online, token=meeting).json["mode"] == "online"
    assert scan(api, onsite, token=room).json["mode"] == "onsite"
    attendance = api.get(f"/classes/{world.class_id}/attendance", world.organizer).json
    states = {row["enrollment_id"]: row["attendance"][0]["state"] for row in attendance["trainees"]}
    assert states[online_id] == "online"


def test_an_offline_class_has_no_online_code(app, api, world):
    set_class(app, world, mode=ClassMode.OFFLINE)
    response = api.get(
        f"/sessions/{world.session_ids[0]}/checkin-code?mode=online", world.organizer
    )
    assert response.status_code == 422 and "mode" in response.json["fields"]
