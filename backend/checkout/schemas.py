"""Check-out (签退) schemas."""

from marshmallow import Schema, fields, validate

from backend.core.schemas import ChinaDateTime


class SettingSchema(Schema):
    enabled = fields.Boolean(required=True, metadata={"description": "the class uses 签退"})
    required = fields.Boolean(
        load_default=False,
        metadata={"description": "a session counts as attended only with both scans"},
    )


class CheckoutCodeSchema(Schema):
    session_id = fields.Integer()
    qr_text = fields.String(metadata={"description": "what the QR holds: YXCO1:<token>"})
    expires_at = ChinaDateTime()
    rotates_in = fields.Float()
    opens_at = ChinaDateTime(metadata={"description": "15 minutes before the session ends"})
    closes_at = ChinaDateTime(metadata={"description": "30 minutes after it ends"})


class CheckoutRequestSchema(Schema):
    token = fields.String(
        required=True,
        validate=validate.Length(min=1, max=500),
        metadata={"description": "the scanned text (YXCO1:…) or the token alone"},
    )


class CheckoutResultSchema(Schema):
    session_id = fields.Integer()
    enrollment_id = fields.Integer()
    checked_out_at = ChinaDateTime()
