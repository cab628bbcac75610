"""Check-ins (签到): a trainee present at a session, at most once."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.labels import LabelledEnum
from backend.core.models import str_enum
from backend.core.timeutil import utcnow
from backend.core.types import UTCDateTime
from backend.enrollment.models import AttendanceMode
from backend.extensions import db


class CheckInSource(enum.StrEnum):
    """How the check-in was made."""

    QR = "qr"  # scanned the rotating QR code
    CODE = "code"  # typed the 6-digit code
    WXACODE = "wxacode"  # opened from the WeChat mini-program code
    MANUAL = "manual"  # an organizer's correction


class AttendanceState(LabelledEnum):
    """考勤: one trainee at one session, as the attendance cell's `state` says it."""

    PRESENT = "present", "出勤"
    LATE = "late", "迟到"
    ONLINE = "online", "线上"
    EXCUSED = "excused", "请假"
    ABSENT = "absent", "缺勤"

    @classmethod
    def of_checkin(cls, late: bool, mode: AttendanceMode | str) -> "AttendanceState":
        """A check-in's state: late first, then online, else present."""
        if late:
            return cls.LATE
        return cls.ONLINE if mode == AttendanceMode.ONLINE else cls.PRESENT


class CheckIn(db.Model):
    """签到记录. Unique per (enrollment, session): a repeated scan changes nothing."""

    __tablename__ = "checkins"
    __table_args__ = (
        # Also the index of "this roster entry's check-ins" (its leading column).
        UniqueConstraint("enrollment_id", "session_id", name="checkin_once"),
        # A class's per-session counts and address counts (the relay flags) read these
        # alone, in order: no table rows, no sort (a class of 2,000 has 36,000 check-ins).
        Index("ix_checkins_class_session_addr", "class_id", "session_id", "client_addr"),
        Index("ix_checkins_class_enrollment_addr", "class_id", "enrollment_id", "client_addr"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Who: the roster entry.
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id"))
    #: Which session.
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"), index=True)
    #: The class, kept here so per-class counts need no join.
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id"))
    #: Server time of the first successful check-in.
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Arrived after start + the class's late_after_min.
    late: Mapped[bool] = mapped_column(default=False)
    #: onsite or online (hybrid classes).
    mode: Mapped[AttendanceMode] = mapped_column(
        str_enum(AttendanceMode, "checkin_mode"), default=AttendanceMode.ONSITE
    )
    #: qr, code, wxacode or manual.
    source: Mapped[CheckInSource] = mapped_column(str_enum(CheckInSource, "checkin_source"))
    #: The client's address (behind a trusted proxy: the real one) and a digest of its
    #: User-Agent, for spotting relayed codes; shown to the class's organizers only, blanked
    #: by the purge. None for manual check-ins and rows from before they were recorded.
    client_addr: Mapped[str | None] = mapped_column(String(45))
    device: Mapped[str | None] = mapped_column(String(16))
    #: For a manual correction: who made it and why.
    corrected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(500), default="")


class AttendanceCorrection(db.Model):
    """An organizer marked a trainee present or absent for a session: who, when and why."""

    __tablename__ = "attendance_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The class, for its history list.
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id"), index=True)
    #: Which session and which roster entry.
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"))
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id"), index=True)
    #: Marked present (a manual check-in) or absent (the check-in removed).
    present: Mapped[bool]
    #: For present: whether the arrival counts as late.
    late: Mapped[bool] = mapped_column(default=False)
    #: Why, e.g. "手机没电，现场确认到课".
    reason: Mapped[str] = mapped_column(String(500))
    #: The organizer who made it, and when.
    by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
