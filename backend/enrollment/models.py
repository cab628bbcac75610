"""Enrollment: a trainee's line on a class's roster (附件5)."""

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.labels import LabelledEnum
from backend.core.models import str_enum
from backend.extensions import db


class AttendanceMode(LabelledEnum):
    """参训方式: in the room, or online (hybrid classes)."""

    ONSITE = "onsite", "线下"
    ONLINE = "online", "线上"


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
    #: 地区, e.g. 恩施州.
    region: Mapped[str] = mapped_column(String(50), default="")
    #: onsite or online.
    attendance_mode: Mapped[AttendanceMode] = mapped_column(
        str_enum(AttendanceMode, "attendance_mode"), default=AttendanceMode.ONSITE
    )
    #: The WeChat user who bound to this entry, once bound.
    trainee_id: Mapped[int | None] = mapped_column(ForeignKey("trainees.id"), index=True)
