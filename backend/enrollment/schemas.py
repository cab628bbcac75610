"""Roster schemas."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from backend.core.schemas import ChinaDateTime, Text

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


#: 参训方式 as the template writes it (线下/线上), and as the API names it.
MODE_WORDS = {"线下": "onsite", "现场": "onsite", "线上": "online", "": "onsite"}
MODE_ERROR = "应为 线下 或 线上"


class AttendanceModeField(fields.String):
    """线下/线上 (or onsite/online); anything else is refused in the template's words."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        mode = MODE_WORDS.get(text, text)
        if mode not in ("onsite", "online"):
            raise ValidationError(MODE_ERROR)
        return mode


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
    region = Text(50, load_default="")
    attendance_mode = AttendanceModeField(
        load_default="onsite", metadata={"description": "onsite/online, or 线下/线上"}
    )


class RosterEntrySchema(Schema):
    enrollment_id = fields.Integer()
    name = fields.String()
    phone = fields.String(metadata={"description": "full for the class's organizers, else masked"})
    gender = fields.String()
    employer = fields.String()
    post = fields.String()
    professional_title = fields.String()
    region = fields.String()
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

    @validates_schema
    def _one_way(self, data, **kwargs):
        if "phone_code" in data:
            return
        missing = {f: ["必填"] for f in ("name", "phone") if not data.get(f)}
        if missing:
            raise ValidationError(missing)


class BoundSchema(Schema):
    enrollment_id = fields.Integer()
    class_id = fields.Integer()
    class_ids = fields.List(fields.Integer(), metadata={"description": "every class now bound"})


class MyCheckInSchema(Schema):
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
    enrollment_id = fields.Integer()
    attendance_mode = fields.String()
    sessions = fields.List(fields.Nested(MySessionSchema))
