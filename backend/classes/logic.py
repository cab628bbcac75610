"""Operations on classes and their schedule. They add and flush; the request commits."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import func

from backend.audit.logic import record
from backend.auth.access import forbidden
from backend.auth.models import Role, User
from backend.classes.access import LECTURER_NOT_FOUND, lecturer_for
from backend.classes.models import (
    ChangeNotice,
    ClassMode,
    ClassStatus,
    Lecturer,
    PlanDecision,
    Session,
    TrainingClass,
)
from backend.classes.rules import class_warnings
from backend.core import signals
from backend.core.errors import ApiError, validation_failed
from backend.core.timeutil import china_date, to_china, utcnow
from backend.extensions import db
from backend.plans.models import Project, Unit
from backend.surveys.release import release_of


def warnings_of(training_class: TrainingClass) -> list[str]:
    return class_warnings(
        training_class.start_date,
        training_class.end_date,
        training_class.capacity,
        training_class.project.plan,
    )


def visible_classes(user: User, year: int | None = None, status: str | None = None):
    """Classes the user may see, newest first: all for the admin, own unit's for organizers."""
    query = db.select(TrainingClass).join(TrainingClass.project)
    if user.role != "admin":
        query = query.where(Project.host_unit_id == user.unit_id)
    if year is not None:
        query = query.where(Project.year == year)
    if status is not None:
        query = query.where(TrainingClass.status == status)
    return db.session.scalars(query.order_by(TrainingClass.start_date, TrainingClass.id)).all()


#: The longest class (start_date to end_date, API.md "Rules tightened").
MAX_CLASS_DAYS = 60


def check_dates(start: date, end: date) -> None:
    """422 naming end_date unless the class ends on or after its start, within 60 days."""
    if end < start:
        raise validation_failed({"end_date": ["结束日期不能早于开始日期"]})
    if (end - start).days > MAX_CLASS_DAYS:
        raise validation_failed({"end_date": [f"一个班最长 {MAX_CLASS_DAYS} 天（开始至结束日期）"]})


def projects_for(user: User, year: int | None = None) -> list[Project]:
    """The projects a user may open a class of: the own unit's for an organizer, all for the
    admin."""
    query = db.select(Project)
    if user.role != Role.ADMIN:
        query = query.where(Project.host_unit_id == user.unit_id)
    if year is not None:
        query = query.where(Project.year == year)
    return db.session.scalars(query.order_by(Project.year.desc(), Project.id)).all()


def open_class(user: User, data: dict[str, Any]) -> TrainingClass:
    """A new class of `data["project_id"]`, for its host unit's organizer or the admin."""
    project = db.session.get(Project, data["project_id"])
    if project is None:
        raise validation_failed({"project_id": ["项目不存在"]})
    if user.role == Role.ORGANIZER and project.host_unit_id != user.unit_id:
        raise forbidden("只能为本单位承办的项目开班")
    return create_class(project, data)


def create_class(project: Project, data: dict[str, Any]) -> TrainingClass:
    check_dates(data["start_date"], data["end_date"])
    training_class = TrainingClass(
        project=project,
        location=data["location"],
        start_date=data["start_date"],
        end_date=data["end_date"],
        capacity=data.get("capacity") or project.plan.class_size,
        mode=ClassMode(data["mode"]),
    )
    db.session.add(training_class)
    db.session.flush()
    return training_class


def _text(value: Any) -> str:
    if isinstance(value, datetime):
        return to_china(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(getattr(value, "value", value))


def _apply_changes(
    target: Any,
    class_id: int,
    changes: dict[str, Any],
    reason: str | None,
    by: User,
    needs_notice: bool,
    label: str = "",
) -> list[str]:
    """Set the changed attributes; after approval each needs a reason and leaves a notice."""
    changed = {k: v for k, v in changes.items() if _text(getattr(target, k)) != _text(v)}
    if changed and needs_notice and not reason:
        raise ApiError(
            422,
            "reason_required",
            "研修班已审核通过，变更须填写情况说明（reason）",
            {"reason": ["审核通过后的变更须说明原因"]},
        )
    for name, value in changed.items():
        if needs_notice:
            _notice(
                class_id, f"{label}{name}", _text(getattr(target, name)), _text(value), reason, by
            )
        setattr(target, name, value)
    return list(changed)


def _notice(class_id: int, field: str, old: str, new: str, reason: str, by: User) -> None:
    """File a change notice (情况说明) and record it in the audit trail."""
    db.session.add(
        ChangeNotice(
            class_id=class_id, field=field, old=old, new=new, reason=reason, by_user_id=by.id
        )
    )
    record("class.change", class_id=class_id, field=field, old=old, new=new, reason=reason)


def _refuse_if_closed(training_class: TrainingClass) -> None:
    if training_class.status == ClassStatus.CLOSED:
        raise ApiError(409, "invalid_transition", "研修班已结班，不能再修改")


def _sessions_outside(training_class: TrainingClass, start: date, end: date) -> bool:
    return any(
        not (start <= china_date(s.starts_at) and china_date(s.ends_at) <= end)
        for s in sessions_of(training_class.id)
    )


def update_class(training_class: TrainingClass, data: dict[str, Any], by: User) -> None:
    _refuse_if_closed(training_class)
    reason = data.pop("reason", None)
    if "mode" in data:
        data["mode"] = ClassMode(data["mode"])
    start = data.get("start_date", training_class.start_date)
    end = data.get("end_date", training_class.end_date)
    check_dates(start, end)
    if _sessions_outside(training_class, start, end):
        raise validation_failed({"start_date": ["已排的课程有的不在新的日期范围内，请先调整课程"]})
    needs_notice = training_class.status == ClassStatus.APPROVED
    if _apply_changes(training_class, training_class.id, data, reason, by, needs_notice):
        db.session.flush()
        signals.class_changed.send(training_class.id)


def changes_of(class_id: int) -> list[dict[str, Any]]:
    rows = db.session.execute(
        db.select(ChangeNotice, User.username)
        .join(User, User.id == ChangeNotice.by_user_id)
        .where(ChangeNotice.class_id == class_id)
        .order_by(ChangeNotice.at, ChangeNotice.id)
    ).all()
    return [
        {"field": n.field, "old": n.old, "new": n.new, "reason": n.reason, "by": name, "at": n.at}
        for n, name in rows
    ]


def sessions_of(class_id: int) -> list[Session]:
    return db.session.scalars(
        db.select(Session)
        .where(Session.class_id == class_id)
        .order_by(Session.starts_at, Session.id)
    ).all()


def first_session_starts(class_ids: list[int]) -> dict[int, datetime]:
    """When each class's first session starts (classes without sessions are absent)."""
    rows = db.session.execute(
        db.select(Session.class_id, func.min(Session.starts_at))
        .where(Session.class_id.in_(class_ids))
        .group_by(Session.class_id)
    ).all()
    return dict(rows)


def sessions_taught_by(lecturer_id: int) -> list[Session]:
    """Every session this lecturer teaches, in any class, by start time."""
    return db.session.scalars(
        db.select(Session)
        .where(Session.lecturer_id == lecturer_id)
        .order_by(Session.starts_at, Session.id)
    ).all()


def add_lecturer(by: User, data: dict[str, Any]) -> Lecturer:
    """授课人, to pick in the schedule: of the organizer's unit; the admin names a unit or
    none (admin-created)."""
    unit_id = data.pop("unit_id", None)
    if by.role == Role.ORGANIZER:
        if unit_id not in (None, by.unit_id):
            raise validation_failed({"unit_id": ["只能为本单位添加授课人"]})
        unit_id = by.unit_id
    elif unit_id is not None and db.session.get(Unit, unit_id) is None:
        raise validation_failed({"unit_id": ["承办单位不存在"]})
    lecturer = Lecturer(**data, unit_id=unit_id)
    db.session.add(lecturer)
    db.session.flush()
    return lecturer


def _check_session(
    training_class: TrainingClass, values: dict[str, Any], by: User, new_lecturer: bool
) -> None:
    """422 unless the lecturer is one the user may use (when set now) and the session lies
    within the class's dates."""
    problems: dict[str, list[str]] = {}
    if new_lecturer and lecturer_for(by, values["lecturer_id"]) is None:
        problems["lecturer_id"] = [LECTURER_NOT_FOUND]
    starts, ends = values["starts_at"], values["ends_at"]
    if ends <= starts:
        problems["ends_at"] = ["结束时间必须晚于开始时间"]
    first, last = training_class.start_date, training_class.end_date
    if not first <= china_date(starts) <= last:
        problems["starts_at"] = [f"课程须安排在研修班日期内（{first} 至 {last}）"]
    if not first <= china_date(ends) <= last:
        problems.setdefault("ends_at", []).append(f"课程须安排在研修班日期内（{first} 至 {last}）")
    if problems:
        raise validation_failed(problems)


def _refuse_if_rated(session: Session) -> None:
    """The ratings of a session belong to who taught it: once forms may have rated it (it
    has started and the class has received forms), its lecturer stays."""
    training_class = db.session.get(TrainingClass, session.class_id)
    if session.starts_at <= utcnow() and release_of(training_class).received:
        raise ApiError(
            409, "session_rated", "该课程已有学员评价，不能更换授课人；如需调整请新增一门课程"
        )


def add_session(training_class: TrainingClass, data: dict[str, Any], by: User) -> Session:
    _refuse_if_closed(training_class)
    _check_session(training_class, data, by, new_lecturer=True)
    session = Session(class_id=training_class.id, **data)
    db.session.add(session)
    if training_class.status == ClassStatus.APPROVED:
        _notice(training_class.id, "session", "", data["topic"], "审核通过后新增课程", by)
    db.session.flush()
    signals.class_changed.send(training_class.id)
    return session


def remove_session(training_class: TrainingClass, session: Session, by: User) -> None:
    """Take a session off the schedule: never once someone checked in to it; after approval
    the removal is a change notice (情况说明)."""
    from backend.checkin.models import AttendanceCorrection, CheckIn

    _refuse_if_closed(training_class)
    for model in (CheckIn, AttendanceCorrection):
        if db.session.scalar(db.select(model.id).where(model.session_id == session.id).limit(1)):
            raise ApiError(409, "session_has_checkins", "该课程已有签到记录，不能删除")
    if training_class.status == ClassStatus.APPROVED:
        _notice(training_class.id, "session", session.topic, "", "审核通过后删除课程", by)
    db.session.delete(session)
    db.session.flush()
    signals.class_changed.send(training_class.id)


def update_session(
    training_class: TrainingClass, session: Session, data: dict[str, Any], by: User
) -> None:
    _refuse_if_closed(training_class)
    reason = data.pop("reason", None)
    merged = {
        "lecturer_id": session.lecturer_id,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        **data,
    }
    changes_lecturer = data.get("lecturer_id", session.lecturer_id) != session.lecturer_id
    _check_session(training_class, merged, by, new_lecturer=changes_lecturer)
    if changes_lecturer:
        _refuse_if_rated(session)
    needs_notice = training_class.status == ClassStatus.APPROVED
    label = f"session:{session.id}."
    if _apply_changes(session, training_class.id, data, reason, by, needs_notice, label):
        db.session.flush()
        db.session.expire(session, ["lecturer"])
        signals.class_changed.send(training_class.id)


def _decide(training_class: TrainingClass, action: str, text: str, by: User) -> None:
    db.session.add(
        PlanDecision(class_id=training_class.id, action=action, text=text, by_user_id=by.id)
    )
    record(f"class.{action}", class_id=training_class.id)


def submit_opening_plan(training_class: TrainingClass, summary: str, by: User) -> None:
    """开班实施方案: send it (again, after a return) for the province office's approval."""
    training_class.submit_opening_plan(summary)
    _decide(training_class, "submit", summary, by)


def approve_opening_plan(training_class: TrainingClass, by: User) -> None:
    training_class.approve(by.id)
    _decide(training_class, "approve", "", by)


def return_opening_plan(training_class: TrainingClass, reason: str, by: User) -> None:
    """退回修改: back to draft with the province's reason, which the organizer sees."""
    training_class.reject()
    _decide(training_class, "return", reason, by)


def plan_history(class_id: int) -> list[dict[str, Any]]:
    """Every submission and decision of the class's opening plan, oldest first."""
    rows = db.session.execute(
        db.select(PlanDecision, User)
        .join(User, User.id == PlanDecision.by_user_id)
        .where(PlanDecision.class_id == class_id)
        .order_by(PlanDecision.at, PlanDecision.id)
    ).all()
    return [
        {"action": d.action, "text": d.text, "by": u.full_name or u.username, "at": d.at}
        for d, u in rows
    ]


def last_return(training_class: TrainingClass) -> dict[str, Any] | None:
    """The return that sent this draft back (its reason, who, when), or None."""
    if training_class.status != ClassStatus.DRAFT:
        return None
    history = plan_history(training_class.id)
    if history and history[-1]["action"] == "return":
        last = history[-1]
        return {"reason": last["text"], "by": last["by"], "at": last["at"]}
    return None
