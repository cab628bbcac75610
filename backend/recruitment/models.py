"""A class's recruitment (招生) and the applications (报名) it received."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.labels import LabelledEnum
from backend.core.models import str_enum
from backend.core.timeutil import utcnow
from backend.core.types import UTCDateTime
from backend.enrollment.models import AttendanceMode, TitleLevel
from backend.extensions import db


class Recruitment(db.Model):
    """招生: one per class that ever recruited; open until `closes_at` or until closed."""

    __tablename__ = "recruitments"
    __table_args__ = (
        CheckConstraint("quota > 0", name="recruitment_quota_positive"),
        CheckConstraint("admitted >= 0 AND admitted <= quota", name="recruitment_within_quota"),
    )

    #: The class recruiting.
    class_id: Mapped[int] = mapped_column(
        ForeignKey("training_classes.id"), primary_key=True, autoincrement=False
    )
    #: Whether the organizer has it open (applications also stop at `closes_at`).
    open: Mapped[bool] = mapped_column(Boolean, default=True)
    #: 报名截止时间.
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: 招收名额: at most this many admitted (defaults to the class's capacity).
    quota: Mapped[int]
    #: Seats taken: admitted applications. Changed only by one conditional UPDATE each
    #: (logic.take_seat / free_seat), so concurrent admissions never pass the quota.
    admitted: Mapped[int] = mapped_column(default=0)
    #: 招生通知: the text applicants read.
    notice: Mapped[str] = mapped_column(Text, default="")
    #: When and by whom it was last opened.
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ApplicationStatus(LabelledEnum):
    """pending → admitted / waitlisted / rejected; withdrawn by the applicant."""

    PENDING = "pending", "待审核"
    ADMITTED = "admitted", "已录取"
    WAITLISTED = "waitlisted", "候补"
    REJECTED = "rejected", "未录取"
    WITHDRAWN = "withdrawn", "已撤回"


LIVE = "status != 'withdrawn'"


class Application(db.Model):
    """报名: one person's application to one class, with the fields the roster needs."""

    __tablename__ = "applications"
    __table_args__ = (
        # One live application per WeChat user and class, even under concurrent submits.
        Index(
            "application_live_once",
            "class_id",
            "trainee_id",
            unique=True,
            sqlite_where=text(LIVE),
            postgresql_where=text(LIVE),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The class applied to.
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id"), index=True)
    #: The WeChat user who applied.
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id"), index=True)
    #: 姓名, 联系电话 (personal data), 性别, 工作单位, 职务, 职称.
    name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str] = mapped_column(String(11), index=True)
    gender: Mapped[str] = mapped_column(String(4), default="")
    employer: Mapped[str] = mapped_column(String(100))
    post: Mapped[str] = mapped_column(String(50), default="")
    professional_title: Mapped[str] = mapped_column(String(50), default="")
    #: 职称级别 and 管理岗位: what eligibility is read from.
    title_level: Mapped[TitleLevel] = mapped_column(str_enum(TitleLevel, "title_level"))
    management_post: Mapped[bool] = mapped_column(Boolean)
    #: 地区 (a division's full name) and 县（市、区）.
    region: Mapped[str] = mapped_column(String(50))
    county: Mapped[str] = mapped_column(String(50), default="")
    #: 基层一线 and 原贫困地区: the applicant's own statement, for the organizer to review.
    grassroots: Mapped[bool] = mapped_column(Boolean)
    poor_area: Mapped[bool] = mapped_column(Boolean)
    #: onsite or online (hybrid classes).
    attendance_mode: Mapped[AttendanceMode] = mapped_column(
        str_enum(AttendanceMode, "attendance_mode"), default=AttendanceMode.ONSITE
    )
    #: Meets the notice's audience (中高级职称 or 管理岗位) when it was submitted.
    eligible: Mapped[bool] = mapped_column(Boolean)
    #: The Chinese notes shown with it, one a line (why it is not eligible).
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ApplicationStatus] = mapped_column(
        str_enum(ApplicationStatus, "application_status"), default=ApplicationStatus.PENDING
    )
    #: The organizer's reason for the last decision.
    reason: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The roster entry an admission made (enrollment's, not ours to write).
    enrollment_id: Mapped[int | None] = mapped_column(
        ForeignKey("enrollments.id", ondelete="SET NULL")
    )
