"""Input and output schemas of the exports module."""

import re
from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate

from backend.core.schemas import ChinaDateTime, Text
from backend.exports.models import WRITTEN_SECTIONS, BudgetItemKind
from backend.recruitment.schemas import CompositionPartSchema

CENT = Decimal("0.01")
_MONEY = re.compile(r"\d{1,10}(\.\d{1,2})?")


class Money(fields.Field):
    """CNY as a decimal string with at most two decimals ("12000.00"), read as an exact
    Decimal; a JSON number is refused, since it may already have lost the exact value."""

    def _deserialize(self, value, attr, data, **kwargs) -> Decimal:
        if not isinstance(value, str):
            raise ValidationError('金额应为文本形式的数字，如 "12000.00"')
        text = value.strip()
        if text.startswith("-"):
            raise ValidationError("金额不能为负数")
        if re.fullmatch(r"\d+\.\d{3,}", text):
            raise ValidationError("金额最多两位小数（精确到分）")
        if re.fullmatch(r"\d{11,}(\.\d*)?", text):
            raise ValidationError("金额过大")
        if not _MONEY.fullmatch(text):
            raise ValidationError('金额应为数字，如 "12000.00"')
        return Decimal(text).quantize(CENT)

    def _serialize(self, value, attr, obj, **kwargs) -> str | None:
        return None if value is None else f"{value:.2f}"


class BudgetItemSchema(Schema):
    amount = Money(required=True, metadata={"description": "金额，元，最多两位小数"})
    note = Text(200, load_default="", metadata={"description": "备注"})


def _zero_item() -> dict:
    return {"amount": Decimal("0.00"), "note": ""}


BudgetItemsSchema = Schema.from_dict(
    {
        kind.value: fields.Nested(BudgetItemSchema, load_default=_zero_item)
        for kind in BudgetItemKind
    },
    name="BudgetItemsSchema",
)


class BudgetInputSchema(Schema):
    """附件6 as the organizer fills it; 合计 is computed, never sent."""

    items = fields.Nested(BudgetItemsSchema, required=True)
    staff_count = fields.Integer(required=True, validate=validate.Range(min=0, max=10000))
    subsidy = Money(required=True, metadata={"description": "人社部门资助金额"})
    handler = Text(50, load_default="", metadata={"description": "经办人"})


class BudgetSchema(Schema):
    class_id = fields.Integer()
    items = fields.Nested(BudgetItemsSchema)
    staff_count = fields.Integer()
    subsidy = Money()
    handler = fields.String()
    total = Money(metadata={"description": "合计: the sum of the items"})
    updated_at = ChinaDateTime()


class ReportInputSchema(Schema):
    """The organizer's text of sections 二 三 四 六 七; sections left out become empty."""

    sections = fields.Dict(
        keys=fields.String(
            validate=validate.OneOf(
                [str(n) for n in WRITTEN_SECTIONS],
                error="只能填写第 2、3、4、6、7 部分（一和五由系统生成）",
            )
        ),
        values=Text(20000, multiline=True),
        required=True,
    )


class PictureSchema(Schema):
    id = fields.Integer()
    caption = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    width = fields.Integer()
    height = fields.Integer()
    uploaded_at = ChinaDateTime()


class ReportSchema(Schema):
    class_id = fields.Integer()
    sections = fields.Dict(keys=fields.String(), values=fields.String())
    pictures = fields.List(fields.Nested(PictureSchema))


class SentInputSchema(Schema):
    date = fields.Date(metadata={"description": "the day it was sent; default today in China"})


class FlagSchema(Schema):
    code = fields.String()
    message = fields.String()


class SubmissionSchema(Schema):
    class_id = fields.Integer()
    end_date = fields.Date()
    paperwork_due = fields.Date()
    paperwork_sent_on = fields.Date(allow_none=True)
    expenses_due = fields.Date()
    expenses_sent_on = fields.Date(allow_none=True)
    flags = fields.List(fields.Nested(FlagSchema))


class OverviewQuerySchema(Schema):
    today = fields.Date(metadata={"description": "judge the deadlines as on this day"})


class OverviewClassSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    host_unit = fields.String()
    funding = fields.String()
    status = fields.String()
    location = fields.String()
    start_date = fields.Date()
    end_date = fields.Date()
    enrolled = fields.Integer()
    attended = fields.Integer(metadata={"description": "trainees checked in at least once (参训)"})
    attendance_rate = fields.Float(
        allow_none=True, metadata={"description": "attended / enrolled, in percent (参训率)"}
    )
    issued = fields.Integer()
    returned = fields.Integer()
    return_rate = fields.Float(allow_none=True)
    satisfied_rate = fields.Float(allow_none=True)
    subsidy = Money(allow_none=True)
    budget_total = Money(allow_none=True)
    paperwork_due = fields.Date()
    paperwork_sent_on = fields.Date(allow_none=True)
    expenses_due = fields.Date()
    expenses_sent_on = fields.Date(allow_none=True)
    flags = fields.List(fields.Nested(FlagSchema))
    composition = fields.Nested(
        CompositionPartSchema, metadata={"description": "the roster's composition (生源构成)"}
    )


class OverviewSchema(Schema):
    year = fields.Integer()
    deadline = fields.Date()
    today = fields.Date()
    classes = fields.List(fields.Nested(OverviewClassSchema))
    composition = fields.Nested(
        CompositionPartSchema,
        metadata={
            "description": "the year's rosters together: divisions reached, grassroots share"
        },
    )


class NewsInputSchema(Schema):
    """One news item (图文动态信息) as the organizer writes it."""

    title = Text(100, required=True, metadata={"description": "标题"})
    date = fields.Date(required=True, metadata={"description": "日期"})
    text = Text(5000, multiline=True, load_default="", metadata={"description": "正文"})


class NewsPatchSchema(Schema):
    title = Text(100, required=False)
    date = fields.Date()
    text = Text(5000, multiline=True)


class NewsSchema(Schema):
    id = fields.Integer()
    class_id = fields.Integer()
    title = fields.String()
    date = fields.Date()
    text = fields.String()
    updated_at = ChinaDateTime()
    pictures = fields.List(fields.Nested(PictureSchema))
