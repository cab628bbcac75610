"""Asking for leave (请假) or a late check-in (补签), and deciding on it.

A trainee asks for sessions of a class they are on the roster of and did not attend; the
class's organizer approves or rejects once, with an optional reason. An approved 补签 goes
through the check-in module's correction (audited, counted like any other correction); an
approved leave makes those sessions excused (leave/queries.py's excused_of).
"""

from typing import Any

from sqlalchemy import select

from backend.audit.logic import record
from backend.auth.models import Trainee, User
from backend.checkin.attendance import correct
from backend.checkin.queries import sessions_attended_by
from backend.classes.logic import sessions_of
from backend.classes.models import ClassStatus, Session, TrainingClass
from backend.core.errors import ApiError, validation_failed
from backend.core.timeutil import utcnow
from backend.enrollment.models import Enrollment
from backend.enrollment.queries import enrollment_of
from backend.extensions import db
from backend.leave.models import (
    CheckinRequest,
    LeaveRequest,
    LeaveSession,
    RequestStatus,
)

OPEN = (RequestStatus.PENDING, RequestStatus.APPROVED)


def _open_class(class_id: int) -> None:
    """409 class_closed once the class is closed: its attendance no longer changes."""
    if db.session.get(TrainingClass, class_id).status == ClassStatus.CLOSED:
        raise ApiError(409, "class_closed", "本班已结班，考勤不能再更改")


def _entry(trainee: Trainee, class_id: int, field: str, message: str) -> Enrollment:
    """The trainee's roster entry in the class; 422 naming `field` when there is none."""
    entry = enrollment_of(trainee.id, class_id)
    if entry is None:
        raise validation_failed({field: [message]})
    return entry


def _leave_taken(entry_id: int) -> set[int]:
    """Sessions already in a pending or approved leave request of this roster entry."""
    return set(
        db.session.scalars(
            select(LeaveSession.session_id)
            .join(LeaveRequest, LeaveRequest.id == LeaveSession.leave_id)
            .where(LeaveRequest.enrollment_id == entry_id, LeaveRequest.status.in_(OPEN))
        )
    )


def ask_leave(trainee: Trainee, data: dict[str, Any]) -> LeaveRequest:
    """A leave request for sessions of the trainee's class they have not attended.

    422 naming class_id (not on its roster) or session_ids (not of the class, attended, or
    already asked for); 409 class_closed.
    """
    entry = _entry(trainee, data["class_id"], "class_id", "你不在该研修班的名单中")
    _open_class(entry.class_id)
    topics = {s.id: s.topic for s in sessions_of(entry.class_id)}
    asked = list(dict.fromkeys(data["session_ids"]))
    if any(session_id not in topics for session_id in asked):
        raise validation_failed({"session_ids": ["课程不属于该研修班"]})
    for refused, message in (
        (sessions_attended_by(entry.id), "已签到的课程不能请假"),
        (_leave_taken(entry.id), "已申请过请假"),
    ):
        clash = [topics[s] for s in asked if s in refused]
        if clash:
            raise validation_failed({"session_ids": [f"{message}：{'、'.join(clash)}"]})
    leave = LeaveRequest(
        class_id=entry.class_id,
        enrollment_id=entry.id,
        reason=data["reason"],
        sessions=[LeaveSession(session_id=s) for s in sorted(asked)],
    )
    db.session.add(leave)
    db.session.flush()
    return leave


def ask_checkin(trainee: Trainee, data: dict[str, Any]) -> CheckinRequest:
    """A 补签 request for a started session of the trainee's class they did not attend.

    422 naming session_id (not of the trainee's class, attended, or already asked for);
    409 session_not_started, class_closed.
    """
    session = db.session.get(Session, data["session_id"])
    message = "该课程不属于你所在的研修班"
    if session is None:
        raise validation_failed({"session_id": [message]})
    entry = _entry(trainee, session.class_id, "session_id", message)
    _open_class(entry.class_id)
    if utcnow() < session.starts_at:
        raise ApiError(409, "session_not_started", "这节课尚未开始，不能申请补签")
    if session.id in sessions_attended_by(entry.id):
        raise validation_failed({"session_id": ["这节课你已签到，无需补签"]})
    pending = db.session.scalar(
        select(CheckinRequest.id).where(
            CheckinRequest.enrollment_id == entry.id,
            CheckinRequest.session_id == session.id,
            CheckinRequest.status == RequestStatus.PENDING,
        )
    )
    if pending is not None:
        raise validation_failed({"session_id": ["这节课的补签申请已提交，请等待审批"]})
    request = CheckinRequest(
        class_id=entry.class_id,
        enrollment_id=entry.id,
        session_id=session.id,
        reason=data["reason"],
    )
    db.session.add(request)
    db.session.flush()
    return request


def decide_leave(leave: LeaveRequest, data: dict[str, Any], by: User) -> dict[str, Any]:
    """Approve or reject a leave request (audited), and the request as listed; 409
    already_decided, class_closed."""
    _open_class(leave.class_id)
    leave.decide(data["decision"] == "approve", by.id, data["reason"])
    record(
        "leave.decide",
        class_id=leave.class_id,
        enrollment_id=leave.enrollment_id,
        session_ids=leave.session_ids,
        decision=data["decision"],
        reason=data["reason"],
    )
    return _listed(LeaveRequest, LeaveRequest.id == leave.id)[0]


def decide_checkin(request: CheckinRequest, data: dict[str, Any], by: User) -> dict[str, Any]:
    """Approve or reject a 补签 request; approving records the correction (present, not late,
    with the trainee's reason). 409 already_decided, class_closed; 409 already_attended when
    the trainee has checked in since (nothing to correct: reject it; the request's
    transaction rolls back, so the request stays pending)."""
    _open_class(request.class_id)
    approve = data["decision"] == "approve"
    request.decide(approve, by.id, data["reason"])
    if approve and request.session_id in sessions_attended_by(request.enrollment_id):
        raise ApiError(409, "already_attended", "该学员已签到这节课，无需补签，请驳回")
    record(
        "checkin_request.decide",
        class_id=request.class_id,
        enrollment_id=request.enrollment_id,
        session_id=request.session_id,
        decision=data["decision"],
        reason=data["reason"],
    )
    if approve:
        session = db.session.get(Session, request.session_id)
        correct(
            session,
            request.enrollment_id,
            {"present": True, "late": False, "reason": request.reason},
            by,
        )
    return _listed(CheckinRequest, CheckinRequest.id == request.id)[0]


def _listed(model, where) -> list[dict[str, Any]]:
    """Requests with the trainee's name and the decider's username, newest first."""
    rows = db.session.execute(
        select(model, Enrollment.name, User.username)
        .join(Enrollment, Enrollment.id == model.enrollment_id)
        .outerjoin(User, User.id == model.decided_by_id)
        .where(where)
        .order_by(model.created_at.desc(), model.id.desc())
    ).all()
    answer = []
    for request, name, username in rows:
        item = {
            "id": request.id,
            "class_id": request.class_id,
            "enrollment_id": request.enrollment_id,
            "name": name,
            "reason": request.reason,
            "status": request.status.value,
            "created_at": request.created_at,
            "decided_by": username,
            "decided_at": request.decided_at,
            "decision_reason": request.decision_reason,
        }
        if isinstance(request, LeaveRequest):
            item["session_ids"] = request.session_ids
        else:
            item["session_id"] = request.session_id
        answer.append(item)
    return answer


def leave_requests_of_class(class_id: int) -> list[dict[str, Any]]:
    return _listed(LeaveRequest, LeaveRequest.class_id == class_id)


def checkin_requests_of_class(class_id: int) -> list[dict[str, Any]]:
    return _listed(CheckinRequest, CheckinRequest.class_id == class_id)


def _mine(model, trainee: Trainee) -> list[dict[str, Any]]:
    entries = select(Enrollment.id).where(Enrollment.trainee_id == trainee.id)
    return _listed(model, model.enrollment_id.in_(entries))


def leave_requests_of_trainee(trainee: Trainee) -> list[dict[str, Any]]:
    return _mine(LeaveRequest, trainee)


def checkin_requests_of_trainee(trainee: Trainee) -> list[dict[str, Any]]:
    return _mine(CheckinRequest, trainee)
