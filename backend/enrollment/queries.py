"""Roster queries other modules call."""

from sqlalchemy import func

from backend.core.memo import read_once
from backend.enrollment.models import AttendanceMode, Enrollment
from backend.extensions import db


def enrollment_of(trainee_id: int, class_id: int) -> Enrollment | None:
    """The roster entry this WeChat user is bound to in the class, if any."""
    return db.session.scalar(
        db.select(Enrollment).where(
            Enrollment.class_id == class_id, Enrollment.trainee_id == trainee_id
        )
    )


def enrollments_of_trainee(trainee_id: int) -> list[Enrollment]:
    return db.session.scalars(
        db.select(Enrollment).where(Enrollment.trainee_id == trainee_id).order_by(Enrollment.id)
    ).all()


def roster_of(class_id: int) -> list[Enrollment]:
    return db.session.scalars(
        db.select(Enrollment).where(Enrollment.class_id == class_id).order_by(Enrollment.id)
    ).all()


def roster_rows(class_id: int, only: set[int] | None = None) -> list:
    """The roster (or these entries of it) as light read-only rows (the fields of
    roster_of's entries that lists show), for pages and lists of thousands: no ORM objects
    to build."""
    query = (
        db.select(
            Enrollment.id,
            Enrollment.name,
            Enrollment.phone,
            Enrollment.gender,
            Enrollment.employer,
            Enrollment.post,
            Enrollment.professional_title,
            Enrollment.region,
            Enrollment.county,
            Enrollment.title_level,
            Enrollment.management_post,
            Enrollment.grassroots,
            Enrollment.poor_area,
            Enrollment.attendance_mode,
            Enrollment.trainee_id,
        )
        .where(Enrollment.class_id == class_id)
        .order_by(Enrollment.id)
    )
    if only is not None:
        query = query.where(Enrollment.id.in_(only))
    return db.session.execute(query).all()


@read_once
def roster_contacts(class_id: int) -> list:
    """The roster's ids, names, phones and WeChat users as light rows, in roster order."""
    return db.session.execute(
        db.select(Enrollment.id, Enrollment.name, Enrollment.phone, Enrollment.trainee_id)
        .where(Enrollment.class_id == class_id)
        .order_by(Enrollment.id)
    ).all()


def roster_entries(class_id: int, ids: set[int] | None = None) -> list:
    """The class's roster entries (or these of them) as light rows for a grid: id, name,
    attendance mode and WeChat user, in roster order."""
    if ids is not None and not ids:
        return []
    query = db.select(
        Enrollment.id, Enrollment.name, Enrollment.attendance_mode, Enrollment.trainee_id
    ).where(Enrollment.class_id == class_id)
    if ids is not None:
        query = query.where(Enrollment.id.in_(ids))
    return db.session.execute(query.order_by(Enrollment.id)).all()


def enrolled_count(class_id: int, mode: AttendanceMode | None = None) -> int:
    """Trainees on the roster; with a mode, only those taking part that way."""
    query = db.select(func.count()).select_from(Enrollment).where(Enrollment.class_id == class_id)
    if mode is not None:
        query = query.where(Enrollment.attendance_mode == mode)
    return db.session.scalar(query)


def enrolled_counts(class_ids: list[int]) -> dict[int, int]:
    """Trainees on the roster of each class (0 for an empty roster)."""
    rows = db.session.execute(
        db.select(Enrollment.class_id, func.count())
        .where(Enrollment.class_id.in_(class_ids))
        .group_by(Enrollment.class_id)
    ).all()
    return dict.fromkeys(class_ids, 0) | dict(rows)


def mask_phone(phone: str) -> str:
    """139****0001: what everyone but the class's organizers sees."""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) == 11 else "****"
