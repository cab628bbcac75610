"""Helpers of the survey tests: check-ins made directly, and forms built for a class."""

from datetime import timedelta

from backend.classes.models import Session
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


def add_session(api, world, lecturer_id: int) -> int:
    """Add a session to the schedule through the API, an hour after the first one starts."""
    with api.client.application.app_context():
        first = db.session.get(Session, world.session_ids[0]).starts_at
    response = api.post(
        f"/classes/{world.class_id}/sessions",
        world.organizer,
        json={
            "topic": "补充专题",
            "lecturer_id": lecturer_id,
            "starts_at": (first + timedelta(hours=1)).isoformat(),
            "ends_at": (first + timedelta(hours=2)).isoformat(),
        },
    )
    assert response.status_code == 201, response.json
    return response.json["id"]
