"""Read-only attendance queries other modules call (they never touch the table)."""

from collections import Counter

from sqlalchemy import func

from backend.checkin.models import CheckIn
from backend.core.memo import read_once
from backend.enrollment.models import AttendanceMode, Enrollment
from backend.extensions import db
from backend.leave.queries import excused_of


def sessions_attended(class_id: int, only: set[int] | None = None) -> Counter[int]:
    """Per enrollment id (or per one of `only`): how many sessions of the class it attended."""
    query = db.select(CheckIn.enrollment_id, func.count()).where(CheckIn.class_id == class_id)
    if only is not None:
        query = query.where(CheckIn.enrollment_id.in_(only))
    rows = db.session.execute(query.group_by(CheckIn.enrollment_id)).all()
    return Counter(dict(rows))


def excused_without_checkin(class_id: int) -> set[tuple[int, int]]:
    """(enrollment_id, session_id) on approved leave (请假) with no check-in: the excused
    cells (a check-in counts even on a day of leave)."""
    excused = excused_of(class_id)
    if not excused:
        return set()
    checked = db.session.execute(
        db.select(CheckIn.enrollment_id, CheckIn.session_id).where(
            CheckIn.class_id == class_id,
            CheckIn.enrollment_id.in_({enrollment_id for enrollment_id, _ in excused}),
        )
    )
    return excused - {(enrollment_id, session_id) for enrollment_id, session_id in checked}


def checkins_of(enrollment_ids: list[int]) -> list[CheckIn]:
    """Every check-in of these roster entries."""
    if not enrollment_ids:
        return []
    return db.session.scalars(
        db.select(CheckIn).where(CheckIn.enrollment_id.in_(enrollment_ids))
    ).all()


def attended_enrollment_ids(class_id: int) -> set[int]:
    """Roster entries checked in to at least one session (the form is issued to them)."""
    return set(
        db.session.scalars(
            db.select(CheckIn.enrollment_id).where(CheckIn.class_id == class_id).distinct()
        )
    )


def checked_in_ids(session_id: int) -> set[int]:
    """Roster entries checked in to (or corrected present for) one session."""
    return set(
        db.session.scalars(db.select(CheckIn.enrollment_id).where(CheckIn.session_id == session_id))
    )


def has_attended(enrollment_id: int) -> bool:
    return (
        db.session.scalar(
            db.select(CheckIn.id).where(CheckIn.enrollment_id == enrollment_id).limit(1)
        )
        is not None
    )


def sessions_attended_by(enrollment_id: int) -> set[int]:
    """The session ids this roster entry checked in to."""
    return set(
        db.session.scalars(
            db.select(CheckIn.session_id).where(CheckIn.enrollment_id == enrollment_id)
        )
    )


@read_once
def attendee_count(class_id: int) -> int:
    return db.session.scalar(
        db.select(func.count(func.distinct(CheckIn.enrollment_id))).where(
            CheckIn.class_id == class_id
        )
    )


def attendee_counts(class_ids: list[int]) -> dict[int, int]:
    """Trainees checked in at least once, per class (0 for none)."""
    rows = db.session.execute(
        db.select(CheckIn.class_id, func.count(func.distinct(CheckIn.enrollment_id)))
        .where(CheckIn.class_id.in_(class_ids))
        .group_by(CheckIn.class_id)
    ).all()
    return dict.fromkeys(class_ids, 0) | dict(rows)


@read_once
def checked_in_per_session(class_id: int) -> dict[int, int]:
    rows = db.session.execute(
        db.select(CheckIn.session_id, func.count())
        .where(CheckIn.class_id == class_id)
        .group_by(CheckIn.session_id)
    ).all()
    return dict(rows)


def attendance_marks(class_id: int) -> list:
    """Every check-in of the class as light rows (enrollment_id, session_id, late, mode):
    what a roster of thousands needs, without building an object per check-in."""
    return db.session.execute(
        db.select(CheckIn.enrollment_id, CheckIn.session_id, CheckIn.late, CheckIn.mode).where(
            CheckIn.class_id == class_id
        )
    ).all()


def recent_arrivals(
    session_id: int, mode: AttendanceMode | None = None, limit: int = 10
) -> tuple[int, list[dict]]:
    """How many checked in to the session (in this mode), and the latest arrivals' names."""
    where = [CheckIn.session_id == session_id]
    if mode is not None:
        where.append(CheckIn.mode == mode)
    count = db.session.scalar(db.select(func.count()).select_from(CheckIn).where(*where))
    rows = db.session.execute(
        db.select(Enrollment.name, CheckIn.checked_in_at, CheckIn.late, CheckIn.mode)
        .join(Enrollment, Enrollment.id == CheckIn.enrollment_id)
        .where(*where)
        .order_by(CheckIn.checked_in_at.desc(), CheckIn.id.desc())
        .limit(limit)
    ).all()
    return count, [
        {"name": name, "checked_in_at": at, "late": late, "mode": checkin_mode.value}
        for name, at, late, checkin_mode in rows
    ]
