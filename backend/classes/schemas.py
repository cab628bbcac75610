"""Input and output schemas of classes, lecturers and sessions."""

from marshmallow import Schema, fields, validate

from backend.classes.models import ClassMode
from backend.core.schemas import ChinaDateTime, Text

MODES = [m.value for m in ClassMode]


class ClassCreateSchema(Schema):
    project_id = fields.Integer(required=True)
    location = Text(200, required=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    capacity = fields.Integer(load_default=40, validate=validate.Range(min=1, max=10000))
    mode = fields.String(load_default="offline", validate=validate.OneOf(MODES))


class ClassUpdateSchema(Schema):
    location = Text(200)
    start_date = fields.Date()
    end_date = fields.Date()
    capacity = fields.Integer(validate=validate.Range(min=1, max=10000))
    mode = fields.String(validate=validate.OneOf(MODES))
    reason = Text(1000)


class UnitRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class ClassSchema(Schema):
    id = fields.Integer()
    project_id = fields.Integer()
    year = fields.Function(lambda c: c.project.year)
    title = fields.String()
    host_unit = fields.Function(
        lambda c: {"id": c.project.host_unit.id, "name": c.project.host_unit.name}
    )
    funding = fields.Function(lambda c: c.project.funding.value)
    location = fields.String()
    start_date = fields.Date()
    end_date = fields.Date()
    capacity = fields.Integer()
    mode = fields.Function(lambda c: c.mode.value)
    status = fields.Function(lambda c: c.status.value)
    opening_plan = fields.String()
    submitted_at = ChinaDateTime()
    approved_at = ChinaDateTime()
    warnings = fields.Method("get_warnings")
    checkin_settings = fields.Function(
        lambda c: {
            "opens_before_min": c.checkin_opens_before_min,
            "late_after_min": c.late_after_min,
            "code_rotate_seconds": c.code_rotate_seconds,
            "code_grace_slots": c.code_grace_slots,
        }
    )

    def get_warnings(self, training_class) -> list[str]:
        from backend.classes.logic import warnings_of

        return warnings_of(training_class)


class ChangeNoticeSchema(Schema):
    field = fields.String()
    old = fields.String()
    new = fields.String()
    reason = fields.String()
    by = fields.String()
    at = ChinaDateTime()


class OpeningPlanSchema(Schema):
    summary = Text(20000, required=True, multiline=True)


class LecturerCreateSchema(Schema):
    name = Text(50, required=True)
    title = Text(50, load_default="")
    organization = Text(100, load_default="")


class LecturerSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    title = fields.String()
    organization = fields.String()


class LecturerRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class SessionCreateSchema(Schema):
    topic = Text(200, required=True)
    lecturer_id = fields.Integer(required=True)
    starts_at = ChinaDateTime(required=True)
    ends_at = ChinaDateTime(required=True)
    venue = Text(200, load_default="")


class SessionUpdateSchema(Schema):
    topic = Text(200)
    lecturer_id = fields.Integer()
    starts_at = ChinaDateTime()
    ends_at = ChinaDateTime()
    venue = Text(200)
    reason = Text(1000)


class SessionSchema(Schema):
    id = fields.Integer()
    class_id = fields.Integer()
    topic = fields.String()
    lecturer = fields.Nested(LecturerRefSchema)
    starts_at = ChinaDateTime()
    ends_at = ChinaDateTime()
    venue = fields.String()


class ScheduleSchema(Schema):
    class_ = fields.Nested(ClassSchema, data_key="class")
    sessions = fields.List(fields.Nested(SessionSchema))


class ClassQuerySchema(Schema):
    year = fields.Integer()
    status = fields.String(validate=validate.OneOf(["draft", "submitted", "approved", "closed"]))
