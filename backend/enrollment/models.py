"""Enrollment: a trainee's line on a class's roster (附件5)."""

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.labels import LabelledEnum
from backend.core.models import str_enum
from backend.extensions import db


class AttendanceMode(LabelledEnum):
    """参训方式: in the room, or online (hybrid classes)."""

    ONSITE = "onsite", "线下"
    ONLINE = "online", "线上"


class TitleLevel(LabelledEnum):
    """职称级别: the notice asks for 中高级职称 (intermediate or senior) or a management post."""

    SENIOR = "senior", "正高/副高"
    INTERMEDIATE = "intermediate", "中级"
    JUNIOR = "junior", "初级"
    NONE = "none", "无职称"


#: Eligible by title (API.md: eligible = senior or intermediate title, or a management post).
ELIGIBLE_LEVELS = (TitleLevel.SENIOR, TitleLevel.INTERMEDIATE)


def is_eligible(title_level: TitleLevel | None, management_post: bool) -> bool:
    """The notice's audience: 中高级职称（职业资格） or 管理岗位 (a norm: flagged, never refused)."""
    return title_level in ELIGIBLE_LEVELS or management_post


class Enrollment(db.Model):
    """One roster entry; a WeChat user binds to it with name and phone."""

    __tablename__ = "enrollments"
    __table_args__ = (
        UniqueConstraint("class_id", "phone", name="enrollment_phone_once"),
        UniqueConstraint("class_id", "trainee_id", name="enrollment_trainee_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The class this roster entry belongs to.
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id"), index=True)
    #: 姓名.
    name: Mapped[str] = mapped_column(String(50))
    #: 联系电话: a mainland mobile number, 11 digits; personal data.
    phone: Mapped[str] = mapped_column(String(11))
    #: 性别: 男, 女 or empty.
    gender: Mapped[str] = mapped_column(String(4), default="")
    #: 工作单位.
    employer: Mapped[str] = mapped_column(String(100), default="")
    #: 职务.
    post: Mapped[str] = mapped_column(String(50), default="")
    #: 职称, e.g. 高级工程师.
    professional_title: Mapped[str] = mapped_column(String(50), default="")
    #: 地区: one of Hubei's 17 divisions by its full name (backend/core/regions.py), or empty.
    region: Mapped[str] = mapped_column(String(50), default="")
    #: 县（市、区） within the region, as written.
    county: Mapped[str] = mapped_column(String(50), default="")
    #: 职称级别; None when the roster row did not say.
    title_level: Mapped[TitleLevel | None] = mapped_column(str_enum(TitleLevel, "title_level"))
    #: 在管理岗位工作.
    management_post: Mapped[bool] = mapped_column(Boolean, default=False)
    #: 基层一线 and 原贫困地区: the person's own statement.
    grassroots: Mapped[bool] = mapped_column(Boolean, default=False)
    poor_area: Mapped[bool] = mapped_column(Boolean, default=False)
    #: onsite or online.
    attendance_mode: Mapped[AttendanceMode] = mapped_column(
        str_enum(AttendanceMode, "attendance_mode"), default=AttendanceMode.ONSITE
    )
    #: The WeChat user who bound to this entry, once bound.
    trainee_id: Mapped[int | None] = mapped_column(ForeignKey("trainees.id"), index=True)
