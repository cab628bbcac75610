"""Helpers of the check-in tests: codes from the API, scans, sessions placed around now."""

import time
from datetime import timedelta

from backend.checkin import tokens
from backend.checkin.tokens import Rotation, SlotRef
from backend.classes.models import ClassStatus, Session, TrainingClass
from backend.core.timeutil import utcnow
from backend.enrollment.models import AttendanceMode, Enrollment
from backend.extensions import db


def code_for(api, world, session_id: int, mode: str = "onsite") -> dict:
    """The current check-in code, fetched as the class's organizer."""
    response = api.get(f"/sessions/{session_id}/checkin-code?mode={mode}", world.organizer)
    assert response.status_code == 200, response.json
    return response.json


def scan(api, trainee: str, **body):
    return api.post("/checkins", trainee, json=body)


def add_session(app, world, starts_in: timedelta, length: timedelta = timedelta(hours=2)) -> int:
    """A session of the world's class starting `starts_in` from now (negative: started)."""
    with app.app_context():
        starts = utcnow() + starts_in
        session = Session(
            class_id=world.class_id,
            topic="临时加课",
            lecturer_id=world.lecturer_ids[0],
            starts_at=starts,
            ends_at=starts + length,
        )
        db.session.add(session)
        db.session.commit()
        return session.id


def set_class(app, world, **values) -> None:
    with app.app_context():
        training_class = db.session.get(TrainingClass, world.class_id)
        for name, value in values.items():
            setattr(training_class, name, value)
        db.session.commit()


def unapprove(app, world) -> None:
    set_class(app, world, status=ClassStatus.SUBMITTED)


def make_online(app, enrollment_id: int) -> None:
    with app.app_context():
        db.session.get(Enrollment, enrollment_id).attendance_mode = AttendanceMode.ONLINE
        db.session.commit()


def old_slot_token(app, world, session_id: int, slots_back: int, kind: str = "token") -> str:
    """A credential of this session as the projector showed it `slots_back` slots ago."""
    with app.app_context():
        training_class = db.session.get(TrainingClass, world.class_id)
        rotation = Rotation.of(training_class.code_rotate_seconds, training_class.code_grace_slots)
        ref = SlotRef(session_id, AttendanceMode.ONSITE, rotation.slot_at(time.time()) - slots_back)
        return {"token": tokens.qr_text, "scene": tokens.scene, "code": tokens.typed_code}[kind](
            ref
        )
