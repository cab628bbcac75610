"""The audit trail (操作日志)."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.timeutil import utcnow
from backend.core.types import UTCDateTime
from backend.extensions import db


class AuditEntry(db.Model):
    """One recorded action. Rows are only ever added."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: When it happened (server time).
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: The staff user who did it; kept as a name too, so the trail reads after an account goes.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    username: Mapped[str] = mapped_column(String(50), default="")
    #: What was done, e.g. "class.approve", "attendance.correct", "export.roster.xlsx".
    action: Mapped[str] = mapped_column(String(50), index=True)
    #: The class concerned, if any.
    class_id: Mapped[int | None] = mapped_column(index=True)
    #: Details (field, old and new values, counts); never phone numbers.
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
