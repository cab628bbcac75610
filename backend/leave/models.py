"""Leave requests (请假) and check-in requests (补签): asked by a trainee, decided by an
organizer once."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.core.errors import ApiError
from backend.core.labels import LabelledEnum
from backend.core.models import str_enum
from backend.core.timeutil import utcnow
from backend.core.types import UTCDateTime
from backend.extensions import db


class RequestStatus(LabelledEnum):
    """A request's state: pending until an organizer decides it once."""

    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已驳回"


class Decided:
    """The columns and the one transition both kinds of request share."""

    #: pending until an organizer approves or rejects it.
    status: Mapped[RequestStatus] = mapped_column(
        str_enum(RequestStatus, "request_status"), default=RequestStatus.PENDING
    )
    #: The trainee's reason, e.g. "单位临时安排出差".
    reason: Mapped[str] = mapped_column(String(500))
    #: When the trainee asked.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The organizer who decided, when, and why (optional).
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_reason: Mapped[str] = mapped_column(String(500), default="")

    def decide(self, approve: bool, by_user_id: int, reason: str) -> None:
        """Approve or reject; 409 already_decided once it is no longer pending."""
        if self.status != RequestStatus.PENDING:
            raise ApiError(409, "already_decided", "该申请已处理，不能再次审批")
        self.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
        self.decided_by_id = by_user_id
        self.decided_at = utcnow()
        self.decision_reason = reason


class LeaveRequest(Decided, db.Model):
    """请假: a trainee will miss (or missed) some sessions of the class; approved, those
    sessions show as excused, neither attended nor absent."""

    __tablename__ = "leave_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The class, for its list.
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id"), index=True)
    #: Who: the roster entry of the trainee who asked.
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id"), index=True)
    #: The sessions asked for, in schedule order.
    sessions: Mapped[list["LeaveSession"]] = relationship(
        order_by="LeaveSession.session_id", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def session_ids(self) -> list[int]:
        return [s.session_id for s in self.sessions]


class LeaveSession(db.Model):
    """One session of a leave request."""

    __tablename__ = "leave_request_sessions"

    leave_id: Mapped[int] = mapped_column(ForeignKey("leave_requests.id"), primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"), primary_key=True)


class CheckinRequest(Decided, db.Model):
    """补签: a trainee missed the scan of a session that has started and asks to be marked
    present; approved, it is recorded as an organizer's correction with the trainee's reason."""

    __tablename__ = "checkin_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The class, for its list.
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id"), index=True)
    #: Who and which session.
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"))
