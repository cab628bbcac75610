"""#12 "Also": a retried scan never reports failure for a recorded check-in; item 13: attendance
is not corrected for a session that has not started or once the class is closed."""

from datetime import timedelta

import pytest

from backend.classes.models import ClassStatus
from tests.checkin.helpers import code_for, old_slot_token, scan, set_class


def _first_scan(api, world):
    enrollment_id, trainee = next(iter(world.trainees.items()))
    first = scan(api, trainee, token=code_for(api, world, world.session_ids[0])["token"])
    assert first.status_code == 201
    return trainee, first.json


@pytest.mark.parametrize("kind", ["token", "scene"])
def test_a_retry_with_a_long_expired_credential_answers_the_first_check_in(app, api, world, kind):
    trainee, first = _first_scan(api, world)
    old = old_slot_token(app, world, world.session_ids[0], slots_back=400, kind=kind)  # 100 minutes
    retry = scan(api, trainee, **{kind: old})
    assert retry.status_code == 200, retry.json
    assert retry.json == first


def test_a_retry_with_a_typed_code_of_two_minutes_ago_answers_the_first(app, api, world):
    trainee, first = _first_scan(api, world)
    code = old_slot_token(app, world, world.session_ids[0], slots_back=8, kind="code")  # 2 min
    retry = scan(api, trainee, code=code, session_id=world.session_ids[0])
    assert retry.status_code == 200, retry.json
    assert retry.json["checked_in_at"] == first["checked_in_at"]


def test_an_expired_credential_still_fails_for_whoever_is_not_checked_in(app, api, world):
    _first_scan(api, world)
    other = list(world.trainees.values())[1]
    old = old_slot_token(app, world, world.session_ids[0], slots_back=400)
    assert scan(api, other, token=old).status_code == 410
    code = old_slot_token(app, world, world.session_ids[0], slots_back=8, kind="code")
    typed = scan(api, other, code=code, session_id=world.session_ids[0])
    assert typed.status_code == 410 and typed.json["error"] == "token_expired"


def test_a_retry_after_the_session_ended_still_answers_the_first(app, api, world):
    from backend.classes.models import Session
    from backend.core.timeutil import utcnow
    from backend.extensions import db

    trainee, first = _first_scan(api, world)
    with app.app_context():
        session = db.session.get(Session, world.session_ids[0])
        session.ends_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    old = old_slot_token(app, world, world.session_ids[0], slots_back=4)
    assert scan(api, trainee, token=old).json == first


def _correct(api, world, session_index, **body):
    enrollment_id = next(iter(world.trainees))
    return api.put(
        f"/sessions/{world.session_ids[session_index]}/attendance/{enrollment_id}",
        world.organizer,
        json={"present": True, "reason": "现场确认", **body},
    )


def test_a_session_that_has_not_started_cannot_be_corrected(api, world):
    refused = _correct(api, world, 1)
    assert refused.status_code == 409 and refused.json["error"] == "session_not_started"
    table = api.get(f"/classes/{world.class_id}/attendance", world.organizer).json
    assert [s["checked_in"] for s in table["sessions"]] == [0, 0, 0, 0]
    assert _correct(api, world, 0).status_code == 200


def test_a_closed_class_cannot_be_corrected(app, api, world):
    set_class(app, world, status=ClassStatus.CLOSED)
    refused = _correct(api, world, 0)
    assert refused.status_code == 409 and refused.json["error"] == "class_closed"
    absent = _correct(api, world, 0, present=False)
    assert absent.status_code == 409
    history = api.get(f"/classes/{world.class_id}/attendance/corrections", world.organizer)
    assert history.status_code in (200, 404) and not (history.status_code == 200 and history.json)
