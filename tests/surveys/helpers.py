"""Helpers of the survey tests: check-ins made directly, and forms built for a class."""

from datetime import timedelta

from backend.checkin.models import CheckIn, CheckInSource
from backend.classes.models import Session
from backend.core.timeutil import utcnow
from backend.extensions import db

FIXED_PATHS = [
    "faculty_overall",
    "teaching.content",
    "teaching.level",
    "teaching.mode",
    "teaching.overall",
    "service.organization",
    "service.logistics",
    "service.service",
    "service.overall",
    "satisfaction",
]


def check_in(class_id: int, session_id: int, enrollment_ids) -> None:
    """Record check-ins as the check-in module would (a QR scan now)."""
    for enrollment_id in enrollment_ids:
        db.session.add(
            CheckIn(
                class_id=class_id,
                session_id=session_id,
                enrollment_id=enrollment_id,
                checked_in_at=utcnow(),
                source=CheckInSource.QR,
            )
        )
    db.session.commit()


def form(session_ids, level: str = "good", suggestions: str = "", **levels) -> dict:
    """A complete form rating everything `level`; `levels` overrides items by path.

    Paths use "__" for the dot: teaching__mode="poor", lectures__12="fair".
    """
    body = {
        "lectures": {str(sid): level for sid in session_ids},
        "faculty_overall": level,
        "teaching": {k: level for k in ("content", "level", "mode", "overall")},
        "service": {k: level for k in ("organization", "logistics", "service", "overall")},
        "satisfaction": level,
        "suggestions": suggestions,
    }
    for path, value in levels.items():
        section, _, key = path.partition("__")
        if key:
            body[section][key] = value
        else:
            body[section] = value
    return body


def start_all_sessions(class_id: int) -> None:
    """Move the class's schedule so that every session has started (the survey may open):
    the sessions keep their order, three hours apart, the last one started five minutes ago."""
    sessions = db.session.scalars(
        db.select(Session).where(Session.class_id == class_id).order_by(Session.starts_at)
    ).all()
    last = utcnow() - timedelta(minutes=5)
    for back, session in enumerate(reversed(sessions)):
        session.starts_at = last - timedelta(hours=3 * back)
        session.ends_at = session.starts_at + timedelta(hours=2)
    db.session.commit()


def close_survey(api, world) -> None:
    response = api.post(f"/classes/{world.class_id}/survey/close", world.organizer)
    assert response.status_code == 200, response.json
    assert response.json["open"] is False


def open_survey(api, world) -> None:
    """Open the survey, its schedule first moved so that every session has started."""
    start_all_sessions(world.class_id)
    response = api.post(f"/classes/{world.class_id}/survey/open", world.organizer)
    assert response.status_code == 200, response.json
    assert response.json["open"] is True


def add_session(api, world, lecturer_id: int) -> int:
    """Add a session to the schedule through the API, an hour after the first one starts."""
    first = db.session.get(Session, world.session_ids[0])
    response = api.post(
        f"/classes/{world.class_id}/sessions",
        world.organizer,
        json={
            "topic": "补充专题",
            "lecturer_id": lecturer_id,
            "starts_at": (first.starts_at + timedelta(hours=1)).isoformat(),
            "ends_at": (first.starts_at + timedelta(hours=2)).isoformat(),
        },
    )
    assert response.status_code == 201, response.json
    return response.json["id"]
