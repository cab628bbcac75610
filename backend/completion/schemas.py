"""Input and output of the completion endpoints (API.md, "Completion (结业) and credit hours")."""

from marshmallow import Schema, fields, validate

from backend.core.schemas import ChinaDateTime, ExactNumber, Text


class RuleSchema(Schema):
    min_attendance = ExactNumber(
        required=True,
        validate=validate.Range(0, 1, error="出勤率要求须在 0 到 1 之间"),
        metadata={"description": "attended / sessions of the class must reach this share"},
    )
    require_survey = fields.Boolean(required=True)


class RuleOutSchema(Schema):
    min_attendance = fields.Float()
    require_survey = fields.Boolean()


class CertificateRefSchema(Schema):
    number = fields.String()
    revoked = fields.Function(lambda c: c.revoked_at is not None)


class OutcomeSchema(Schema):
    enrollment_id = fields.Integer()
    name = fields.String()
    sessions_attended = fields.Integer()
    sessions_total = fields.Integer()
    attendance_rate = fields.Float()
    credit_hours = fields.Float(metadata={"description": "学时 of the sessions attended"})
    survey_returned = fields.Boolean()
    completed = fields.Boolean()
    reasons = fields.List(fields.String(), metadata={"description": "why not completed"})
    certificate = fields.Nested(CertificateRefSchema, allow_none=True)
    action = fields.String(
        allow_none=True,
        metadata={"description": "issue: completed without a certificate; revoke: no longer"},
    )


class CompletionSchema(Schema):
    rule = fields.Nested(RuleOutSchema)
    trainees = fields.List(fields.Nested(OutcomeSchema))


class IssuedSchema(Schema):
    issued = fields.Integer()
    total = fields.Integer(metadata={"description": "certificates of the class after the call"})


class CertificateSchema(Schema):
    number = fields.String()
    enrollment_id = fields.Integer()
    name = fields.String()
    credit_hours = fields.Float()
    issued_at = ChinaDateTime()
    revoked = fields.Function(lambda c: c.revoked_at is not None)
    revoked_reason = fields.String()


class RevokeSchema(Schema):
    reason = Text(500, required=True, metadata={"description": "why, for the audit trail"})


class MyCertificateSchema(Schema):
    number = fields.String()
    class_id = fields.Integer()
    title = fields.String()
    credit_hours = fields.Float()
    issued_at = ChinaDateTime()
    verify_url = fields.String()
    revoked = fields.Boolean()


class VerificationSchema(Schema):
    valid = fields.Boolean()
    revoked = fields.Boolean()
    number = fields.String()
    name_masked = fields.String()
    class_title = fields.String()
    host_unit = fields.String()
    start_date = fields.Date()
    end_date = fields.Date()
    credit_hours = fields.Float()


class LookupQuerySchema(Schema):
    year = fields.Integer()
    q = Text(50, load_default="", metadata={"description": "a certificate number or a name"})


class LookupSchema(Schema):
    certificate = fields.Nested(CertificateSchema)
    class_id = fields.Integer()
    class_title = fields.String()
    host_unit = fields.String()
