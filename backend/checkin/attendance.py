"""Attendance per trainee and session, and organizers' corrections of it. An approved leave
(backend/leave) makes a session without a check-in "excused" instead of "absent".

A correction marks a trainee present (a manual check-in, or a changed late flag) or absent
(the check-in removed), and always leaves a row in attendance_corrections: who, when, why.
"""

from collections import Counter
from typing import Any

from sqlalchemy import Row, distinct, false, func, or_, select, tuple_

from backend.audit.logic import record
from backend.auth.models import User
from backend.checkin.models import AttendanceCorrection, AttendanceState, CheckIn, CheckInSource
from backend.checkin.queries import checked_in_per_session, excused_without_checkin
from backend.checkin.relay import burst_candidates, relay_flags
from backend.checkout.queries import checkout_mark, checkout_state, counts_as_attended
from backend.classes.logic import sessions_of
from backend.classes.models import ClassStatus, Session, TrainingClass
from backend.core import signals
from backend.core.errors import ApiError, not_found
from backend.core.timeutil import utcnow
from backend.enrollment.models import Enrollment
from backend.enrollment.queries import roster_entries
from backend.extensions import db

#: Cell states that are not attendance.
NOT_ATTENDED = ("absent", "excused")


def state_of(checkin: CheckIn | Row | None, excused: bool = False) -> dict[str, Any]:
    """One cell of the attendance table: absent, excused (an approved leave, 请假), late,
    online or present; manual or not. A check-in counts even on a day of leave. `checkin`:
    the object, or a row of CELL_COLUMNS."""
    if checkin is None:
        state = AttendanceState.EXCUSED if excused else AttendanceState.ABSENT
        return {"state": state, "manual": False, "late": False, "mode": None}
    return {
        "state": AttendanceState.of_checkin(checkin.late, checkin.mode),
        "manual": checkin.source == CheckInSource.MANUAL or checkin.corrected_by_id is not None,
        "late": checkin.late,
        "mode": checkin.mode.value,
        "source": checkin.source.value,
        "checked_in_at": checkin.checked_in_at,
    }


def correct(session: Session, enrollment_id: int, data: dict[str, Any], by: User) -> dict:
    """Mark present or absent; 404 when the enrollment is not on this session's class, 409
    once the class is closed (or purged, which needs it closed) and before the session has
    started (so no rate above 100% can appear)."""
    entry = db.session.get(Enrollment, enrollment_id)
    if entry is None or entry.class_id != session.class_id:
        raise not_found("本班名单中没有该学员")
    if db.session.get(TrainingClass, session.class_id).status == ClassStatus.CLOSED:
        raise ApiError(409, "class_closed", "本班已结班，考勤不能再更改")
    if utcnow() < session.starts_at:
        raise ApiError(409, "session_not_started", "这节课尚未开始，不能更正考勤")
    checkin = db.session.scalar(
        select(CheckIn).where(CheckIn.enrollment_id == entry.id, CheckIn.session_id == session.id)
    )
    created = removed = False
    if data["present"] and checkin is None:
        checkin = CheckIn(
            enrollment_id=entry.id,
            session_id=session.id,
            class_id=session.class_id,
            checked_in_at=utcnow(),
            late=data["late"],
            mode=entry.attendance_mode,
            source=CheckInSource.MANUAL,
        )
        db.session.add(checkin)
        created = True
    elif not data["present"] and checkin is not None:
        db.session.delete(checkin)
        checkin, removed = None, True
    if checkin is not None:
        checkin.late = data["late"]
        checkin.corrected_by_id = by.id
        checkin.reason = data["reason"]
    db.session.add(
        AttendanceCorrection(
            class_id=session.class_id,
            session_id=session.id,
            enrollment_id=entry.id,
            present=data["present"],
            late=data["late"] if data["present"] else False,
            reason=data["reason"],
            by_user_id=by.id,
        )
    )
    db.session.flush()
    record(
        "attendance.correct",
        class_id=session.class_id,
        session_id=session.id,
        enrollment_id=entry.id,
        present=data["present"],
        late=data["late"],
        reason=data["reason"],
    )
    if created:
        signals.checked_in.send(session.class_id, session_id=session.id, enrollment_id=entry.id)
    if removed:
        signals.checkin_removed.send(
            session.class_id, session_id=session.id, enrollment_id=entry.id
        )
    return {"session_id": session.id, "enrollment_id": entry.id, **state_of(checkin)}


def class_flags(class_id: int, only: set[int] | None = None) -> dict[tuple[int, int], list[str]]:
    """The relay flags of every check-in of the class (`only`: of these roster entries). The
    database counts each session's addresses and finds the trainees seen from two addresses,
    so only the check-ins that could be flagged are read: a class of thousands has tens of
    thousands of check-ins. A burst is judged over all of its session's check-ins."""
    addressed = (CheckIn.class_id == class_id, CheckIn.client_addr.is_not(None))
    counts = db.session.execute(
        select(CheckIn.session_id, CheckIn.client_addr, func.count())
        .where(*addressed)
        .group_by(CheckIn.session_id, CheckIn.client_addr)
    ).all()
    candidates = burst_candidates(counts)
    arrivals = select(
        CheckIn.enrollment_id,
        CheckIn.session_id,
        CheckIn.client_addr,
        CheckIn.checked_in_at.label("at"),
    ).where(*addressed)
    if only is None:
        movers = (
            select(CheckIn.enrollment_id)
            .where(*addressed)
            .group_by(CheckIn.enrollment_id)
            .having(func.count(distinct(CheckIn.client_addr)) > 1)
        )
        could_be = [CheckIn.enrollment_id.in_(movers), _pair_in(candidates)]
        return relay_flags(db.session.execute(arrivals.where(or_(*could_be))).all(), candidates)
    # these trainees' own check-ins, and the others' in the bursts these could belong to
    own = db.session.execute(arrivals.where(CheckIn.enrollment_id.in_(only))).all()
    candidates &= {(a.session_id, a.client_addr) for a in own}
    others = arrivals.where(CheckIn.enrollment_id.not_in(only), _pair_in(candidates))
    flags = relay_flags([*own, *db.session.execute(others)], candidates)
    return {key: flag for key, flag in flags.items() if key[0] in only}


def _pair_in(pairs: set[tuple[int, str]]):
    """(session, address) is one of these pairs (false when there are none)."""
    return tuple_(CheckIn.session_id, CheckIn.client_addr).in_(sorted(pairs)) if pairs else false()


#: What a grid cell shows of a check-in, read as light rows (a class has tens of thousands).
CELL_COLUMNS = (
    CheckIn.enrollment_id,
    CheckIn.session_id,
    CheckIn.late,
    CheckIn.mode,
    CheckIn.source,
    CheckIn.corrected_by_id,
    CheckIn.checked_in_at,
    CheckIn.client_addr,
    CheckIn.device,
)


def _cell(
    checkin: Row | None, excused: bool, flags: list[str], with_addresses: bool
) -> dict[str, Any]:
    cell = {**state_of(checkin, excused), "flags": flags}
    if with_addresses and checkin is not None:
        cell |= {"client_addr": checkin.client_addr, "device": checkin.device}
    return cell


def class_attendance(
    class_id: int,
    only: set[int] | None = None,
    with_addresses: bool = False,
    flags: dict[tuple[int, int], list[str]] | None = None,
    excused: set[tuple[int, int]] | None = None,
) -> dict[str, Any]:
    """The roster with one cell per session, in schedule order; each cell with its relay
    flags, and (for the class's organizers: `with_addresses`) its address and device hint.
    `only`: just these roster entries' rows (a page of the class page); the per-session
    counts and the relay flags still look at everyone (`flags`: class_flags, `excused`:
    excused_without_checkin, when the caller has them already)."""
    sessions = sessions_of(class_id)
    query = select(*CELL_COLUMNS).where(CheckIn.class_id == class_id)
    if only is not None:
        query = query.where(CheckIn.enrollment_id.in_(only))
    checkins = {(c.enrollment_id, c.session_id): c for c in db.session.execute(query)}
    flags = class_flags(class_id) if flags is None else flags
    excused = excused_without_checkin(class_id) if excused is None else excused
    checkout, now = checkout_state(class_id), utcnow()
    entries = roster_entries(class_id, only)
    trainees = []
    for entry in entries:
        cells = [
            {
                "session_id": s.id,
                **_cell(
                    checkins.get((entry.id, s.id)),
                    (entry.id, s.id) in excused,
                    flags.get((entry.id, s.id), []),
                    with_addresses,
                ),
                "checkout": checkout_mark(checkout, entry.id, s.id, s.ends_at, now)
                if (entry.id, s.id) in checkins
                else None,
            }
            for s in sessions
        ]
        trainees.append(
            {
                "enrollment_id": entry.id,
                "name": entry.name,
                "attendance_mode": entry.attendance_mode.value,
                "bound": entry.trainee_id is not None,
                "sessions_attended": sum(
                    c["state"] not in NOT_ATTENDED and counts_as_attended(checkout, c["checkout"])
                    for c in cells
                ),
                "sessions_excused": sum(c["state"] == "excused" for c in cells),
                "attendance": cells,
            }
        )
    counts = checked_in_per_session(class_id)
    excused_per_session = Counter(session_id for _, session_id in excused)
    return {
        "class_id": class_id,
        "checkout": {"enabled": checkout.on, "required": checkout.required},
        "sessions": [
            {
                "id": s.id,
                "topic": s.topic,
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "checked_in": counts.get(s.id, 0),
                "excused": excused_per_session[s.id],
            }
            for s in sessions
        ],
        "trainees": trainees,
    }


def corrections_of(class_id: int) -> list[dict[str, Any]]:
    """Every correction of the class, oldest first."""
    rows = db.session.execute(
        select(AttendanceCorrection, Enrollment.name, User.username)
        .join(Enrollment, Enrollment.id == AttendanceCorrection.enrollment_id)
        .join(User, User.id == AttendanceCorrection.by_user_id)
        .where(AttendanceCorrection.class_id == class_id)
        .order_by(AttendanceCorrection.at, AttendanceCorrection.id)
    ).all()
    return [
        {
            "session_id": c.session_id,
            "enrollment_id": c.enrollment_id,
            "name": name,
            "present": c.present,
            "late": c.late,
            "reason": c.reason,
            "by": username,
            "at": c.at,
        }
        for c, name, username in rows
    ]
