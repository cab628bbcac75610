"""Roster schemas."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from backend.checkin.schemas import AttendanceWordsSchema
from backend.core.labels import labels_of
from backend.core.regions import RegionField
from backend.core.schemas import ChinaDateTime, Text
from backend.enrollment.models import AttendanceMode, TitleLevel

PHONE_PATTERN = r"^1[3-9]\d{9}$"
PHONE_MESSAGE = "应为11位大陆手机号，如 13900000001"


class Phone(fields.String):
    """A mainland mobile number; spaces and dashes are dropped first."""

    def __init__(self, **kwargs) -> None:
        super().__init__(validate=validate.Regexp(PHONE_PATTERN, error=PHONE_MESSAGE), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        text = super()._deserialize(value, attr, data, **kwargs)
        return "".join(ch for ch in text if ch not in " -\u00a0\t")


#: 参训方式 as the template writes it (its labels, 现场 or nothing for onsite), to its value.
MODE_WORDS = {mode.label: mode.value for mode in AttendanceMode} | {"现场": "onsite", "": "onsite"}
MODE_ERROR = "应为 " + " 或 ".join(mode.label for mode in AttendanceMode)


class AttendanceModeField(fields.String):
    """线下/线上 (or onsite/online); anything else is refused in the template's words."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        mode = MODE_WORDS.get(text, text)
        if mode not in MODE_WORDS.values():
            raise ValidationError(MODE_ERROR)
        return mode


#: 职称级别 as people write it, and as the API names it.
TITLE_LEVEL_WORDS = {
    **{level.label: level.value for level in TitleLevel},
    "正高": "senior",
    "副高": "senior",
    "正高级": "senior",
    "副高级": "senior",
    "高级": "senior",
    "无": "none",
}
TITLE_LEVEL_LABELS = labels_of(TitleLevel)
TITLE_LEVEL_ERROR = "应为 senior、intermediate、junior、none，或 正高、副高、中级、初级、无"


class TitleLevelField(fields.String):
    """职称级别: senior/intermediate/junior/none or its Chinese word (正高、副高 are senior)."""

    def _deserialize(self, value, attr, data, **kwargs) -> str | None:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text and not self.required:
            return None
        level = TITLE_LEVEL_WORDS.get(text, text)
        if level not in TITLE_LEVEL_LABELS:
            raise ValidationError(TITLE_LEVEL_ERROR)
        return level


class YesNo(fields.Boolean):
    """true/false, or 是/否 as a spreadsheet says it (empty: false)."""

    truthy = {*fields.Boolean.truthy, "是"}
    falsy = {*fields.Boolean.falsy, "否", ""}
    default_error_messages = {"invalid": "应为 是 或 否（true 或 false）"}


class RosterRowSchema(Schema):
    """One trainee of the roster (附件5)."""

    name = Text(50, required=True)
    phone = Phone(required=True)
    gender = fields.String(
        load_default="", validate=validate.OneOf(["", "男", "女"], error="应为 男 或 女")
    )
    employer = Text(100, load_default="")
    post = Text(50, load_default="")
    professional_title = Text(50, load_default="")
    region = RegionField(
        load_default="",
        metadata={
            "description": "one of Hubei's 17 divisions (恩施州 read as 恩施土家族苗族自治州)"
        },
    )
    attendance_mode = AttendanceModeField(
        load_default="onsite", metadata={"description": "onsite/online, or 线下/线上"}
    )
    title_level = TitleLevelField(
        load_default=None, metadata={"description": "senior, intermediate, junior or none"}
    )
    management_post = YesNo(load_default=False)
    county = Text(50, load_default="")
    grassroots = YesNo(load_default=False, metadata={"description": "基层一线"})
    poor_area = YesNo(load_default=False, metadata={"description": "原贫困地区"})


class RosterEntrySchema(Schema):
    enrollment_id = fields.Integer()
    name = fields.String()
    phone = fields.String(metadata={"description": "full for the class's organizers, else masked"})
    gender = fields.String()
    employer = fields.String()
    post = fields.String()
    professional_title = fields.String()
    region = fields.String()
    county = fields.String()
    title_level = fields.String(allow_none=True)
    management_post = fields.Boolean()
    grassroots = fields.Boolean()
    poor_area = fields.Boolean()
    attendance_mode = fields.String()
    bound = fields.Boolean()
    sessions_attended = fields.Integer()
    sessions_excused = fields.Integer(metadata={"description": "sessions on approved leave (请假)"})
    relay_flags = fields.List(
        fields.Dict(),
        metadata={"description": "check-ins that look relayed: [{session_id, flags}]"},
    )


class SkippedSchema(Schema):
    row = fields.Integer(metadata={"description": "Excel's row number"})
    name = fields.String()
    phone = fields.String()
    reason = fields.String()


class CreatedSchema(Schema):
    created = fields.Integer()
    skipped = fields.List(
        fields.Nested(SkippedSchema),
        metadata={"description": ".xlsx only: rows whose phone is already on the roster"},
    )


class BindSchema(Schema):
    """Either `phone_code` (WeChat vouches for the phone) or `name` and `phone` (typed)."""

    class_id = fields.Integer(
        load_default=None,
        metadata={
            "description": "optional: without it, every roster entry with this phone (and name) is bound"
        },
    )
    phone_code = fields.String(
        validate=validate.Length(min=1, max=128),
        metadata={"description": "the code of wx getPhoneNumber (手机号快速验证)"},
    )
    name = Text(50)
    phone = Phone()

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _one_way(self, data, original, **kwargs):
        """Typed: name and phone both needed; each left empty is named, beside the other's error."""
        if "phone_code" in data or not isinstance(original, dict):
            return
        empty = [f for f in ("name", "phone") if not str(original.get(f) or "").strip()]
        if empty:
            raise ValidationError({f: ["请填写"] for f in empty})


class BoundSchema(Schema):
    enrollment_id = fields.Integer()
    class_id = fields.Integer()
    class_ids = fields.List(fields.Integer(), metadata={"description": "every class now bound"})


class MyCheckInSchema(AttendanceWordsSchema):
    checked_in_at = ChinaDateTime()
    late = fields.Boolean()
    mode = fields.Function(lambda c: c.mode.value)


class MySessionSchema(Schema):
    id = fields.Integer()
    topic = fields.String()
    lecturer = fields.Dict()
    starts_at = ChinaDateTime()
    ends_at = ChinaDateTime()
    venue = fields.String()
    checkin = fields.Nested(MyCheckInSchema, allow_none=True)


class MyClassSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    host_unit = fields.String()
    location = fields.String()
    start_date = fields.Date()
    end_date = fields.Date()
    mode = fields.String()
    status = fields.String()
    status_label = fields.String(metadata={"description": "the status in Chinese, e.g. 已审核通过"})
    enrollment_id = fields.Integer()
    attendance_mode = fields.String()
    sessions = fields.List(fields.Nested(MySessionSchema))
