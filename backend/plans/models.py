"""The annual plan (附件1): plan years, units and projects."""

from datetime import date
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.core.labels import LabelledEnum
from backend.core.models import str_enum
from backend.extensions import db


class Funding(LabelledEnum):
    """经费类型: how a project is paid for, province subsidy or own funds."""

    FISCAL = "fiscal", "财政资助"
    SELF = "self", "自筹经费"


class PlanYear(db.Model):
    """知识更新工程 年度计划: one year's plan of projects."""

    __tablename__ = "plan_years"

    #: The plan's year, e.g. 2023.
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    #: Every class must be finished by this date; later classes get no subsidy (rule 1).
    deadline: Mapped[date]
    #: The notice that published the plan, e.g. 鄂人社函〔2023〕68号.
    notice: Mapped[str] = mapped_column(String(100), default="")
    #: Most a fiscal-funded class may receive (rule 8; 2023: 125,000.00 CNY).
    subsidy_cap: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("125000.00"))
    #: Days after a class's end within which its papers are due (rule 7; 2023: 15).
    report_days: Mapped[int] = mapped_column(default=15)
    #: Days after a class's end within which its expense papers are due (rule 8; 2023: 30).
    expense_days: Mapped[int] = mapped_column(default=30)
    #: The norm for a class's size ("学员40人左右"; 2023: 40).
    class_size: Mapped[int] = mapped_column(default=40)
    #: The norm for a class's length in days ("研修时间为4天左右"; 2023: 4).
    class_days: Mapped[int] = mapped_column(default=4)


class Unit(db.Model):
    """承办单位: an organization that hosts classes; its staff are organizers."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Full official name, unique.
    name: Mapped[str] = mapped_column(String(100), unique=True)
    #: Set when the unit was created under a name that differs from this other unit's only
    #: by spaces, brackets or full-width characters: the admin merges the two or confirms
    #: they are different units (which clears it).
    similar_to_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))

    similar_to: Mapped["Unit | None"] = relationship(remote_side=[id], lazy="joined")


class Project(db.Model):
    """高级研修项目: one row of 附件1."""

    __tablename__ = "projects"
    __table_args__ = (UniqueConstraint("year", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The plan year this project belongs to.
    year: Mapped[int] = mapped_column(ForeignKey("plan_years.year"), index=True)
    #: 项目名称.
    name: Mapped[str] = mapped_column(String(100))
    #: 申报单位: who applied (a unit or a city), as printed in the plan.
    applicant_unit: Mapped[str] = mapped_column(String(100))
    #: 承办单位: who runs the classes.
    host_unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    #: 财政资助 or 自筹经费.
    funding: Mapped[Funding] = mapped_column(str_enum(Funding, "funding"))

    host_unit: Mapped[Unit] = relationship(lazy="joined")
    plan: Mapped[PlanYear] = relationship(lazy="joined")
