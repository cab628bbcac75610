"""What the organizer writes for the paperwork: the summary report's own sections and
pictures (附件4), the budget settlement (附件6), and when the papers were sent (rules 7, 8)."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.labels import LabelledEnum
from backend.core.models import str_enum
from backend.core.timeutil import utcnow
from backend.core.types import UTCDateTime
from backend.extensions import db

#: Money: CNY to the fen, exact (Decimal in Python, NUMERIC in the database).
Money = Numeric(12, 2)

#: The outline's sections the organizer writes (一 and 五 come from data).
WRITTEN_SECTIONS = (2, 3, 4, 6, 7)


class ReportSection(db.Model):
    """The organizer's text of one section of the summary report (总结报告, 附件4)."""

    __tablename__ = "report_sections"
    __table_args__ = (CheckConstraint("number IN (2, 3, 4, 6, 7)", name="report_section_written"),)

    #: The class reported on.
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id"), primary_key=True)
    #: The outline's number: 2 二 特点, 3 三 做法, 4 四 成效, 6 六 问题, 7 七 意见和建议.
    number: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    #: The text; paragraphs separated by line breaks.
    text: Mapped[str] = mapped_column(Text, default="")
    #: Who wrote it last, and when.
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PictureColumns:
    """The columns of an uploaded picture (PNG or JPEG), shared by the report's and the
    news' pictures."""

    #: image/png or image/jpeg, as Pillow found it (not as the client claimed).
    content_type: Mapped[str] = mapped_column(String(20))
    #: The file's bytes; loaded only when the image itself is needed.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    #: Size in bytes and in pixels.
    size: Mapped[int]
    width: Mapped[int]
    height: Mapped[int]
    #: The caption printed under the picture.
    caption: Mapped[str] = mapped_column(String(200), default="")
    #: Who uploaded it, and when.
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReportPicture(PictureColumns, db.Model):
    """A picture of section 三 (项目主要做法（可附图片）), PNG or JPEG, checked with Pillow."""

    __tablename__ = "report_pictures"
    __table_args__ = (
        CheckConstraint("content_type IN ('image/png', 'image/jpeg')", name="report_picture_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The class reported on.
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id"), index=True)


class BudgetItemKind(LabelledEnum):
    """The expense lines of 附件6, in the form's order."""

    LODGING = "lodging", "住宿费"
    MEALS = "meals", "伙食费"
    VENUE = "venue", "场地费"
    LECTURE_FEES = "lecture_fees", "讲课费"
    MATERIALS = "materials", "资料费"
    TRANSPORT = "transport", "交通费"
    OTHER = "other", "其他"


class Budget(db.Model):
    """经费决算表 (附件6) of a class. 合计 is never stored: it is the sum of the items."""

    __tablename__ = "budgets"
    __table_args__ = (
        CheckConstraint("staff_count >= 0", name="budget_staff_count"),
        CheckConstraint("subsidy >= 0", name="budget_subsidy_positive"),
    )

    #: The class accounted for.
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id"), primary_key=True)
    #: 工作人员: how many staff ran the class.
    staff_count: Mapped[int]
    #: 人社部门资助金额: the subsidy asked of the province office.
    subsidy: Mapped[Decimal] = mapped_column(Money)
    #: 经办人: who filled the form.
    handler: Mapped[str] = mapped_column(String(50), default="")
    #: Who saved it last, and when (填报时间 is that day).
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BudgetItem(db.Model):
    """One expense line of a budget: 金额 and 备注."""

    __tablename__ = "budget_items"
    __table_args__ = (CheckConstraint("amount >= 0", name="budget_item_amount_positive"),)

    #: The budget (class) this line belongs to.
    class_id: Mapped[int] = mapped_column(ForeignKey("budgets.class_id"), primary_key=True)
    #: Which line: lodging, meals, venue, lecture_fees, materials, transport or other.
    kind: Mapped[BudgetItemKind] = mapped_column(
        str_enum(BudgetItemKind, "budget_item_kind"), primary_key=True
    )
    #: 金额 in CNY.
    amount: Mapped[Decimal] = mapped_column(Money)
    #: 备注.
    note: Mapped[str] = mapped_column(String(200), default="")


class Submission(db.Model):
    """When a class's papers went to the province office (rules 7 and 8)."""

    __tablename__ = "submissions"

    #: The class.
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id"), primary_key=True)
    #: The day the report, tally, roster and budget were sent (due 15 days after the end).
    paperwork_sent_on: Mapped[date | None]
    #: The day the expense papers were sent (due 1 month after the end).
    expenses_sent_on: Mapped[date | None]
    #: Who recorded it last, and when.
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NewsItem(db.Model):
    """图文动态信息: a short news item the organizer writes during the class (title, day,
    text, pictures), sent with the other papers (notice 三、认真总结宣传)."""

    __tablename__ = "news_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The class it reports on.
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id"), index=True)
    #: The headline.
    title: Mapped[str] = mapped_column(String(100))
    #: The day it happened (printed under the headline).
    day: Mapped[date]
    #: The text; paragraphs separated by line breaks.
    text: Mapped[str] = mapped_column(Text, default="")
    #: Who wrote it, and when it was last changed.
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NewsPicture(PictureColumns, db.Model):
    """A picture of a news item, PNG or JPEG, checked like the report's pictures."""

    __tablename__ = "news_pictures"
    __table_args__ = (
        CheckConstraint("content_type IN ('image/png', 'image/jpeg')", name="news_picture_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The news item it illustrates.
    news_id: Mapped[int] = mapped_column(ForeignKey("news_items.id"), index=True)
