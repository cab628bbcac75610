"""Input and output schemas of classes, lecturers and sessions."""

from marshmallow import Schema, ValidationError, fields, validate

from backend.classes.models import ClassMode, ClassStatus
from backend.core.schemas import ChinaDateTime, ExactNumber, Text

MODES = [m.value for m in ClassMode]


def _whole_or_half(value) -> None:
    if (value * 2) % 1:
        raise ValidationError("学时须为 0.5 的整数倍")


def CreditHours() -> ExactNumber:  # noqa: N802  (a field factory, named like a field)
    """学时 of a session as the organizer sets it: 0 to 24, in halves; omitted: the default."""
    return ExactNumber(
        allow_none=True,
        validate=[validate.Range(0, 24, error="学时须在 0 到 24 之间"), _whole_or_half],
        metadata={"description": "学时; omitted or null: minutes / 45, rounded down to 0.5"},
    )


class ClassCreateSchema(Schema):
    project_id = fields.Integer(required=True)
    location = Text(200, required=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    #: Missing: the plan year's class-size norm (2023: 40).
    capacity = fields.Integer(validate=validate.Range(min=1, max=10000))
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
    status_label = fields.Function(
        lambda c: c.status.label, metadata={"description": "the status in Chinese (GET /labels)"}
    )
    opening_plan = fields.String()
    submitted_at = ChinaDateTime()
    approved_at = ChinaDateTime()
    warnings = fields.Method("get_warnings")
    returned = fields.Method("get_returned", metadata={"description": "退回修改: reason, by, at"})
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

    def get_returned(self, training_class) -> dict | None:
        from backend.classes.logic import last_return

        returned = last_return(training_class)
        return ReturnedSchema().dump(returned) if returned else None


class ReturnSchema(Schema):
    reason = Text(2000, required=True, multiline=True)


class ReturnedSchema(Schema):
    reason = fields.String()
    by = fields.String()
    at = ChinaDateTime()


class PlanDecisionSchema(Schema):
    action = fields.String(metadata={"description": "submit, return or approve"})
    text = fields.String(metadata={"description": "the plan submitted, or the return's reason"})
    by = fields.String()
    at = ChinaDateTime()


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
    unit_id = fields.Integer(
        allow_none=True,
        metadata={
            "description": "admin only: the unit whose lecturer it is (organizers: their own)"
        },
    )


class LecturerSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    title = fields.String()
    organization = fields.String()
    unit_id = fields.Integer(allow_none=True)


class LecturerRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class SessionCreateSchema(Schema):
    topic = Text(200, required=True)
    lecturer_id = fields.Integer(required=True)
    starts_at = ChinaDateTime(required=True)
    ends_at = ChinaDateTime(required=True)
    venue = Text(200, load_default="")
    credit_hours = CreditHours()


class SessionUpdateSchema(Schema):
    topic = Text(200)
    lecturer_id = fields.Integer()
    starts_at = ChinaDateTime()
    ends_at = ChinaDateTime()
    venue = Text(200)
    credit_hours = CreditHours()
    reason = Text(1000)


class SessionSchema(Schema):
    id = fields.Integer()
    class_id = fields.Integer()
    topic = fields.String()
    lecturer = fields.Nested(LecturerRefSchema)
    starts_at = ChinaDateTime()
    ends_at = ChinaDateTime()
    venue = fields.String()
    credit_hours = fields.Function(lambda s: float(s.hours), metadata={"description": "学时"})


class ScheduleSchema(Schema):
    class_ = fields.Nested(ClassSchema, data_key="class")
    sessions = fields.List(fields.Nested(SessionSchema))


class ClassQuerySchema(Schema):
    year = fields.Integer()
    status = fields.String(validate=validate.OneOf(list(ClassStatus)))
