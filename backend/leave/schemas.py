"""Schemas of leave (请假) and check-in (补签) requests."""

from marshmallow import Schema, fields, validate

from backend.core.schemas import ChinaDateTime, Text

STATUS = "pending, approved or rejected"


class LeaveAskSchema(Schema):
    class_id = fields.Integer(required=True)
    session_ids = fields.List(
        fields.Integer(),
        required=True,
        validate=validate.Length(min=1, max=200, error="请选择要请假的课程"),
    )
    reason = Text(500, required=True)


class CheckinAskSchema(Schema):
    session_id = fields.Integer(required=True)
    reason = Text(500, required=True)


class RequestDecisionSchema(Schema):
    decision = fields.String(
        required=True,
        validate=validate.OneOf(
            ["approve", "reject"], error="应为 approve（批准）或 reject（驳回）"
        ),
    )
    reason = Text(500, load_default="")


class AskedSchema(Schema):
    id = fields.Integer()
    status = fields.String(metadata={"description": STATUS})


class _RequestSchema(Schema):
    id = fields.Integer()
    class_id = fields.Integer()
    enrollment_id = fields.Integer()
    name = fields.String(metadata={"description": "the trainee's name on the roster"})
    reason = fields.String()
    status = fields.String(metadata={"description": STATUS})
    created_at = ChinaDateTime()
    decided_by = fields.String(allow_none=True, metadata={"description": "the organizer"})
    decided_at = ChinaDateTime(allow_none=True)
    decision_reason = fields.String()


class LeaveRequestSchema(_RequestSchema):
    session_ids = fields.List(fields.Integer())


class CheckinRequestSchema(_RequestSchema):
    session_id = fields.Integer()
