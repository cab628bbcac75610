"""Recruitment schemas: opening, applying, deciding, and what lists and composition show."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from backend.core.regions import RegionField
from backend.core.schemas import ChinaDateTime, PlainDump, Text
from backend.enrollment.schemas import AttendanceModeField, Phone, TitleLevelField
from backend.recruitment.models import ApplicationStatus

STATUSES = [s.value for s in ApplicationStatus]
DECISIONS = {"admit": "admitted", "waitlist": "waitlisted", "reject": "rejected"}


class OpenSchema(Schema):
    """招生设置: when applications close, how many are admitted, the notice applicants read."""

    closes_at = ChinaDateTime(required=True, metadata={"description": "报名截止时间"})
    quota = fields.Integer(
        load_default=None,
        validate=validate.Range(min=1, max=10_000),
        metadata={"description": "招收名额; defaults to the class's capacity"},
    )
    notice = Text(5000, multiline=True, load_default="", metadata={"description": "招生通知"})


class RecruitmentSchema(Schema):
    class_id = fields.Integer()
    open = fields.Boolean(metadata={"description": "applications are accepted now"})
    closes_at = ChinaDateTime()
    quota = fields.Integer()
    admitted = fields.Integer()
    notice = fields.String()


class ClassCardSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    host_unit = fields.String()
    location = fields.String()
    start_date = fields.Date()
    end_date = fields.Date()
    mode = fields.String()


class PublicRecruitmentSchema(RecruitmentSchema):
    """What an applicant reads before applying."""

    klass = fields.Nested(ClassCardSchema, data_key="class", attribute="class")


class ApplySchema(Schema):
    """报名表: the roster's fields, eligibility's and the grassroots tilt's.

    The phone is typed (`phone`), or proven by WeChat's 手机号快速验证 (`phone_code`)."""

    name = Text(50, required=True)
    phone = Phone(metadata={"description": "typed; or send phone_code instead"})
    phone_code = fields.String(
        validate=validate.Length(min=1, max=128),
        metadata={"description": "the code of wx getPhoneNumber (手机号快速验证)"},
    )
    gender = fields.String(
        load_default="", validate=validate.OneOf(["", "男", "女"], error="应为 男 或 女")
    )
    employer = Text(100, required=True)
    post = Text(50, load_default="")
    professional_title = Text(50, load_default="")
    title_level = TitleLevelField(
        required=True, metadata={"description": "senior, intermediate, junior or none"}
    )
    management_post = fields.Boolean(required=True, metadata={"description": "在管理岗位工作"})
    region = RegionField(
        required=True,
        metadata={"description": "one of Hubei's 17 divisions; 恩施州, 神农架 accepted"},
    )
    county = Text(50, load_default="")
    grassroots = fields.Boolean(required=True, metadata={"description": "基层一线"})
    poor_area = fields.Boolean(required=True, metadata={"description": "原贫困地区"})
    attendance_mode = AttendanceModeField(load_default="onsite")

    @validates_schema
    def _phone_given(self, data, **kwargs):
        if not data.get("phone") and not data.get("phone_code"):
            raise ValidationError({"phone": ["必填"]})


class AppliedSchema(Schema):
    id = fields.Integer()
    status = fields.String()
    eligible = fields.Boolean()
    notes = fields.List(fields.String())


class MyApplicationSchema(Schema):
    id = fields.Integer()
    class_id = fields.Integer()
    title = fields.String()
    status = fields.String()
    reason = fields.String()
    submitted_at = ChinaDateTime()
    decided_at = ChinaDateTime(allow_none=True)


class WithdrawnSchema(Schema):
    status = fields.String()


class StatusQuerySchema(Schema):
    status = fields.String(
        load_default=None, validate=validate.OneOf(STATUSES, error="应为以下之一：{choices}")
    )


class OtherClassSchema(Schema):
    class_id = fields.Integer()
    title = fields.String()
    host_unit = fields.String()
    how = fields.String(metadata={"description": "applied (报名) or roster (名单)"})


class ApplicationFormSchema(Schema):
    """What an application's form said, as stored."""

    name = fields.String()
    phone = fields.String()
    gender = fields.String()
    employer = fields.String()
    post = fields.String()
    professional_title = fields.String()
    title_level = fields.String()
    management_post = fields.Boolean()
    region = fields.String()
    county = fields.String()
    grassroots = fields.Boolean()
    poor_area = fields.Boolean()
    attendance_mode = fields.String()


class ApplicationSchema(ApplicationFormSchema):
    id = fields.Integer()
    class_id = fields.Integer()
    phone = fields.String(metadata={"description": "full for the class's organizers, else masked"})
    eligible = fields.Boolean()
    notes = fields.List(fields.String())
    status = fields.String()
    reason = fields.String()
    submitted_at = ChinaDateTime()
    decided_at = ChinaDateTime(allow_none=True)
    enrollment_id = fields.Integer(allow_none=True)
    also_in = fields.List(
        fields.Nested(OtherClassSchema),
        metadata={"description": "other classes of the same year this person applied to or is on"},
    )


#: The list's (and a decision's) answer: ApplicationSchema's JSON without marshmallow's work
#: per field (2,000 applications).
APPLICATION_DUMP = PlainDump(ApplicationSchema())


class MyApplicationDataSchema(MyApplicationSchema, ApplicationFormSchema):
    """One's own application with what its form said (GET /me/data)."""


class ApplicationDecisionSchema(Schema):
    decision = fields.String(
        required=True,
        validate=validate.OneOf(list(DECISIONS), error="应为 admit、waitlist 或 reject"),
    )
    reason = Text(500, load_default="")


class CompositionPartSchema(Schema):
    total = fields.Integer()
    title_level = fields.Dict(keys=fields.String(), values=fields.Integer())
    management_post = fields.Integer()
    eligible = fields.Integer()
    grassroots = fields.Integer()
    poor_area = fields.Integer()
    regions = fields.Dict(keys=fields.String(), values=fields.Integer())
    regions_covered = fields.Integer(metadata={"description": "how many of the 17 divisions"})
    title_level_stated = fields.Integer(
        metadata={"description": "people whose title level is known (imported rows may omit it)"}
    )


class CompositionSchema(Schema):
    applicants = fields.Nested(CompositionPartSchema)
    roster = fields.Nested(CompositionPartSchema)
