"""Training classes (高级研修班), their schedule and their change notices (情况说明)."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.core.errors import ApiError
from backend.core.labels import LabelledEnum
from backend.core.models import str_enum
from backend.core.timeutil import utcnow
from backend.core.types import UTCDateTime
from backend.extensions import db
from backend.plans.models import Project

#: One 学时 (credit hour) of continuing education per 45 minutes of session.
MINUTES_PER_CREDIT_HOUR = 45
#: The default in words, for the forms where the organizer may set a session's 学时.
HOURS_RULE = f"不填则按时长计：每 {MINUTES_PER_CREDIT_HOUR} 分钟 1 学时，向下取整到 0.5"


class ClassMode(LabelledEnum):
    """办班方式: offline, everyone in the room; hybrid, some trainees online."""

    OFFLINE = "offline", "线下"
    HYBRID = "hybrid", "当地线下+异地线上"


class ClassStatus(LabelledEnum):
    """draft → submitted (opening plan sent) → approved (may open) → closed."""

    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已审核通过"
    CLOSED = "closed", "已结班"


def refuse_unless_approved(status: ClassStatus, action: str) -> None:
    """409 class_not_approved while the opening plan waits (draft, submitted): check-ins and
    the survey start only once the admin has approved it. `action` completes 暂不能…"""
    if status in (ClassStatus.DRAFT, ClassStatus.SUBMITTED):
        raise ApiError(409, "class_not_approved", f"本班开班实施方案尚未审核通过，暂不能{action}")


class TrainingClass(db.Model):
    """高级研修班: one run of a project, ~4 days and ~40 trainees."""

    __tablename__ = "training_classes"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="class_dates_ordered"),
        CheckConstraint("capacity > 0", name="class_capacity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The project of 附件1 this class runs.
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    #: 地点: where it is held.
    location: Mapped[str] = mapped_column(String(200))
    #: First and last day, in China's calendar.
    start_date: Mapped[date]
    end_date: Mapped[date]
    #: Planned number of trainees (about 40).
    capacity: Mapped[int] = mapped_column(default=40)
    #: offline or hybrid.
    mode: Mapped[ClassMode] = mapped_column(str_enum(ClassMode, "class_mode"))
    #: draft, submitted, approved or closed; change it only through the methods below.
    status: Mapped[ClassStatus] = mapped_column(
        str_enum(ClassStatus, "class_status"), default=ClassStatus.DRAFT
    )
    #: 开班实施方案: the opening plan's text, as last submitted.
    opening_plan: Mapped[str] = mapped_column(Text, default="")
    #: When the opening plan was submitted and approved.
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The admin who approved it.
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Check-in window: opens this many minutes before a session starts.
    checkin_opens_before_min: Mapped[int] = mapped_column(default=30)
    #: A check-in later than start + this many minutes is late.
    late_after_min: Mapped[int] = mapped_column(default=15)
    #: A new check-in code every this many seconds.
    code_rotate_seconds: Mapped[int] = mapped_column(default=15)
    #: A code is accepted in its own slot and this many following slots.
    code_grace_slots: Mapped[int] = mapped_column(default=1)
    #: When the row was created.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[Project] = relationship(lazy="joined")

    @property
    def title(self) -> str:
        return self.project.name

    @property
    def host_unit_id(self) -> int:
        return self.project.host_unit_id

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    def _move(self, allowed_from: ClassStatus, to: ClassStatus, message: str) -> None:
        if self.status != allowed_from:
            raise ApiError(409, "invalid_transition", message)
        self.status = to

    def submit_opening_plan(self, summary: str) -> None:
        """Submit (or resubmit after a rejection) the opening plan."""
        self._move(
            ClassStatus.DRAFT, ClassStatus.SUBMITTED, "只有草稿状态的研修班可以提交开班实施方案"
        )
        self.opening_plan = summary
        self.submitted_at = utcnow()

    def approve(self, admin_id: int) -> None:
        self._move(
            ClassStatus.SUBMITTED,
            ClassStatus.APPROVED,
            "只有已提交开班实施方案的研修班可以审核通过",
        )
        self.approved_at = utcnow()
        self.approved_by_id = admin_id

    def reject(self) -> None:
        """Send the opening plan back to the organizer (back to draft)."""
        self._move(
            ClassStatus.SUBMITTED, ClassStatus.DRAFT, "只有已提交开班实施方案的研修班可以退回"
        )

    def close(self) -> None:
        self._move(ClassStatus.APPROVED, ClassStatus.CLOSED, "只有已审核通过的研修班可以结班")


class PlanDecision(db.Model):
    """One step of an opening plan's history: submitted, returned for changes (退回修改, with
    the reason) or approved. The latest return is what the organizer sees."""

    __tablename__ = "opening_plan_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The class whose opening plan this is.
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id"), index=True)
    #: submit, return or approve.
    action: Mapped[str] = mapped_column(String(10))
    #: The plan's text for a submission, the reason for a return.
    text: Mapped[str] = mapped_column(Text, default="")
    #: Who, and when.
    by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ChangeNotice(db.Model):
    """情况说明: a change made after approval, with its reason (rule 2)."""

    __tablename__ = "change_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The class that changed.
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id"), index=True)
    #: What changed: a class field (location, start_date, ...) or "session:<id>.topic".
    field: Mapped[str] = mapped_column(String(50))
    #: The value before and after, as text.
    old: Mapped[str] = mapped_column(Text)
    new: Mapped[str] = mapped_column(Text)
    #: Why: the explanation sent to the province office.
    reason: Mapped[str] = mapped_column(Text)
    #: Who made the change, and when.
    by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Lecturer(db.Model):
    """授课人 / 专家: teaches sessions; may have a staff log-in to see their ratings."""

    __tablename__ = "lecturers"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Full name.
    name: Mapped[str] = mapped_column(String(50))
    #: Professional title, e.g. 教授.
    title: Mapped[str] = mapped_column(String(50), default="")
    #: Where the lecturer works.
    organization: Mapped[str] = mapped_column(String(100), default="")
    #: The host unit whose organizer created the lecturer: only that unit's organizers see
    #: and use them. None: created by the admin (only the admin assigns them).
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)


class Session(db.Model):
    """课程 / 授课项目: one lecture of a class's schedule."""

    __tablename__ = "sessions"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="session_times_ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The class whose schedule this is.
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id"), index=True)
    #: 授课项目: the topic.
    topic: Mapped[str] = mapped_column(String(200))
    #: 授课人.
    lecturer_id: Mapped[int] = mapped_column(ForeignKey("lecturers.id"), index=True)
    #: When it starts and ends.
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Room or place, if not the class's.
    venue: Mapped[str] = mapped_column(String(200), default="")
    #: 学时 set by the organizer; None means the default (see `hours`).
    credit_hours: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))

    lecturer: Mapped[Lecturer] = relationship(lazy="joined")

    @property
    def hours(self) -> Decimal:
        """The session's 学时: as set, else `default_hours`."""
        return self.default_hours if self.credit_hours is None else self.credit_hours

    @property
    def default_hours(self) -> Decimal:
        """One 学时 per 45 minutes, rounded down to a half (HOURS_RULE)."""
        minutes = int((self.ends_at - self.starts_at).total_seconds()) // 60
        return Decimal(minutes * 2 // MINUTES_PER_CREDIT_HOUR) / 2
