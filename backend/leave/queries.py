"""Read-only queries other modules call: which sessions are excused, what is pending."""

from sqlalchemy import func, select

from backend.extensions import db
from backend.leave.models import CheckinRequest, LeaveRequest, LeaveSession, RequestStatus


def excused_of(class_id: int) -> set[tuple[int, int]]:
    """(enrollment_id, session_id) of every session covered by an approved leave (请假)."""
    rows = db.session.execute(
        select(LeaveRequest.enrollment_id, LeaveSession.session_id)
        .join(LeaveSession, LeaveSession.leave_id == LeaveRequest.id)
        .where(LeaveRequest.class_id == class_id, LeaveRequest.status == RequestStatus.APPROVED)
    )
    return {(enrollment_id, session_id) for enrollment_id, session_id in rows}


def pending_counts(class_id: int) -> dict[str, int]:
    """How many leave and check-in requests of the class await a decision."""

    def count(model) -> int:
        return db.session.scalar(
            select(func.count())
            .select_from(model)
            .where(model.class_id == class_id, model.status == RequestStatus.PENDING)
        )

    return {"leave": count(LeaveRequest), "checkin": count(CheckinRequest)}
