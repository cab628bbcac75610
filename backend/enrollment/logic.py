"""Roster operations: import, bind a WeChat user, and the trainee's own view."""

from typing import Any

from sqlalchemy import insert

from backend.checkin.queries import checkins_of, sessions_attended
from backend.classes.logic import sessions_of
from backend.classes.models import ClassMode, TrainingClass
from backend.core import signals
from backend.core.errors import ApiError
from backend.enrollment.models import Enrollment
from backend.enrollment.queries import (
    enrollment_of,
    enrollments_of_trainee,
    mask_phone,
    roster_of,
)
from backend.enrollment.roster_import import validate_rows
from backend.extensions import db


def import_roster(
    training_class: TrainingClass,
    rows: list[tuple[int, dict[str, Any]]],
    skip_existing: bool = False,
) -> dict[str, Any]:
    """Add every row or none: {created, skipped}. With skip_existing (an .xlsx upload), a
    phone already on the roster is skipped and reported instead of refusing the file."""
    existing = set(
        db.session.scalars(
            db.select(Enrollment.phone).where(Enrollment.class_id == training_class.id)
        )
    )
    checked = validate_rows(
        rows, existing, training_class.mode == ClassMode.HYBRID, skip_existing=skip_existing
    )
    if checked.rows:
        db.session.execute(
            insert(Enrollment), [{**row, "class_id": training_class.id} for row in checked.rows]
        )
        signals.class_changed.send(training_class.id)
    return {"created": len(checked.rows), "skipped": checked.skipped}


def roster_view(class_id: int, full_phones: bool) -> list[dict[str, Any]]:
    """The roster with attendance; phones masked unless the caller needs them."""
    attended = sessions_attended(class_id)
    return [
        {
            "enrollment_id": entry.id,
            "name": entry.name,
            "phone": entry.phone if full_phones else mask_phone(entry.phone),
            "gender": entry.gender,
            "employer": entry.employer,
            "post": entry.post,
            "professional_title": entry.professional_title,
            "region": entry.region,
            "attendance_mode": entry.attendance_mode.value,
            "bound": entry.trainee_id is not None,
            "sessions_attended": attended.get(entry.id, 0),
        }
        for entry in roster_of(class_id)
    ]


def _not_on_roster() -> ApiError:
    return ApiError(404, "not_on_roster", "名单中没有找到您，请核对姓名和手机号，或联系承办单位")


def bind(trainee_id: int, class_id: int, name: str, phone: str) -> Enrollment:
    """Bind this WeChat user to the roster entry with this name and phone."""
    entry = db.session.scalar(
        db.select(Enrollment).where(
            Enrollment.class_id == class_id, Enrollment.phone == phone, Enrollment.name == name
        )
    )
    if entry is None:
        raise _not_on_roster()
    if entry.trainee_id not in (None, trainee_id):
        raise ApiError(409, "already_bound", "该学员已被其他微信账号绑定，请联系承办单位")
    held = enrollment_of(trainee_id, class_id)
    if held is not None and held.id != entry.id:
        raise ApiError(409, "already_bound", "您的微信已绑定本班的另一名学员，请联系承办单位")
    entry.trainee_id = trainee_id
    db.session.flush()
    return entry


def bind_everywhere(trainee_id: int, name: str, phone: str) -> list[Enrollment]:
    """Bind every roster entry with this name and phone (one per class); 404 when none."""
    class_ids = db.session.scalars(
        db.select(Enrollment.class_id)
        .where(Enrollment.name == name, Enrollment.phone == phone)
        .order_by(Enrollment.class_id)
    ).all()
    if not class_ids:
        raise _not_on_roster()
    return [bind(trainee_id, class_id, name, phone) for class_id in class_ids]


def my_classes(trainee_id: int) -> list[dict[str, Any]]:
    """The trainee's classes, each with its sessions and the trainee's own check-ins."""
    enrollments = enrollments_of_trainee(trainee_id)
    mine = {(c.enrollment_id, c.session_id): c for c in checkins_of([e.id for e in enrollments])}
    result = []
    for entry in enrollments:
        training_class = db.session.get(TrainingClass, entry.class_id)
        sessions = [
            {
                "id": s.id,
                "topic": s.topic,
                "lecturer": {"id": s.lecturer.id, "name": s.lecturer.name},
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "venue": s.venue,
                "checkin": mine.get((entry.id, s.id)),
            }
            for s in sessions_of(entry.class_id)
        ]
        result.append(
            {
                "id": training_class.id,
                "title": training_class.title,
                "host_unit": training_class.project.host_unit.name,
                "location": training_class.location,
                "start_date": training_class.start_date,
                "end_date": training_class.end_date,
                "mode": training_class.mode.value,
                "status": training_class.status.value,
                "enrollment_id": entry.id,
                "attendance_mode": entry.attendance_mode.value,
                "sessions": sessions,
            }
        )
    return result
