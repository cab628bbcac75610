"""The live tally of a class, read from the database after the commit.

The tally is read up to a few times a second per class while check-ins pour in, so the
attendance numbers come from one statement compiled once (a read model over the
sessions, check-ins and roster tables, like the check-in hot path's own join) and the
survey's count from the survey module.
"""

import json
from typing import Any

from flask import Flask
from sqlalchemy import bindparam, distinct, func, literal, select

from backend.auth.models import User
from backend.checkin.models import CheckIn
from backend.classes.logic import sessions_of, visible_classes
from backend.classes.models import Session
from backend.core.timeutil import to_china, utcnow
from backend.enrollment.models import Enrollment
from backend.extensions import db
from backend.surveys.queries import survey_tally

#: Marker rows of _COUNTS (session ids are positive).
_ENROLLED, _ATTENDEES = -1, -2

#: One row per session of the class (its check-ins), then the roster size and the number
#: of trainees checked in to at least one session.
_COUNTS = (
    select(Session.id, func.count(CheckIn.id))
    .outerjoin(CheckIn, CheckIn.session_id == Session.id)
    .where(Session.class_id == bindparam("class_id"))
    .group_by(Session.id)
    .union_all(
        select(literal(_ENROLLED), func.count())
        .select_from(Enrollment)
        .where(Enrollment.class_id == bindparam("class_id")),
        select(literal(_ATTENDEES), func.count(distinct(CheckIn.enrollment_id))).where(
            CheckIn.class_id == bindparam("class_id")
        ),
    )
)


def class_tally(class_id: int) -> dict[str, Any]:
    """docs/API.md's tally: {class_id, enrolled, attendees, checked_in, survey, at}.

    `checked_in` has every session of the schedule, 0 when nobody checked in yet; `at` is
    when the numbers were read (after the commit they reflect).
    """
    counts = dict(db.session.connection().execute(_COUNTS, {"class_id": class_id}).all())
    enrolled, attendees = counts.pop(_ENROLLED), counts.pop(_ATTENDEES)
    return {
        "class_id": class_id,
        "enrolled": enrolled,
        "attendees": attendees,
        "checked_in": {str(session_id): n for session_id, n in sorted(counts.items())},
        "survey": survey_tally(class_id),
        "at": to_china(utcnow()).isoformat(timespec="milliseconds"),
    }


def tally_json(class_id: int) -> str:
    """The tally as one line of JSON (an SSE data line)."""
    return json.dumps(class_tally(class_id), ensure_ascii=False, separators=(",", ":"))


def read_tally(app: Flask, class_id: int) -> str:
    """The tally as JSON, read outside any request in a session of its own."""
    with app.app_context():
        db.session.connection(execution_options={"read_only": True})
        return tally_json(class_id)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def plan_tallies(user: User, year: int) -> list[dict[str, Any]]:
    """Every class of the year the user may see, with its tally and rates (province view).

    attendance_rate: check-ins over (enrolled × sessions already started), in percent;
    return_rate: forms returned over forms issued. None while a rate has no denominator.
    """
    now = utcnow()
    rows = []
    for training_class in visible_classes(user, year):
        sessions = sessions_of(training_class.id)
        tally = class_tally(training_class.id)
        held = sum(1 for s in sessions if s.starts_at <= now)
        checkins = sum(tally["checked_in"].values())
        survey = tally["survey"]
        rows.append(
            {
                **tally,
                "title": training_class.title,
                "host_unit": training_class.project.host_unit.name,
                "location": training_class.location,
                "start_date": training_class.start_date,
                "end_date": training_class.end_date,
                "status": training_class.status.value,
                "status_label": training_class.status.label,
                "sessions": len(sessions),
                "sessions_held": held,
                "checkins": checkins,
                "attendance_rate": _percent(checkins, tally["enrolled"] * held),
                "return_rate": _percent(survey["returned"], survey["issued"]),
            }
        )
    return rows
