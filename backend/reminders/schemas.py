"""Input and output of the reminder endpoints (API.md, "Reminders (微信订阅消息)")."""

from marshmallow import Schema, fields, validate

from backend.core.schemas import ChinaDateTime
from backend.reminders.models import Kind

#: At most this many accepts reported at once per kind (wx.requestSubscribeMessage asks once).
MAX_ACCEPTS = 10

KINDS = [kind.value for kind in Kind]


class SubscriptionsSchema(Schema):
    accepted = fields.Dict(
        required=True,
        keys=fields.String(
            validate=validate.OneOf(KINDS, error=f"提醒类型须为 {'、'.join(KINDS)} 之一")
        ),
        values=fields.Integer(
            strict=True,
            validate=validate.Range(0, MAX_ACCEPTS, error=f"接受次数须在 0 到 {MAX_ACCEPTS} 之间"),
        ),
        metadata={"description": "per kind: how many times the user accepted it just now"},
    )


class CreditsSchema(Schema):
    credits = fields.Dict(
        keys=fields.String(), values=fields.Integer(), metadata={"description": "per kind"}
    )


class SubscriptionStateSchema(CreditsSchema):
    templates = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": "per kind that is on: its WeChat template id"},
    )


class ClassReminderSchema(Schema):
    kind = fields.String(
        metadata={"description": "session_start, survey, application, certificate"}
    )
    target = fields.String(
        metadata={
            "description": "session:<id>, survey:<class>:opened|closing, application:<id>:<decision>, certificate:<number>"
        }
    )
    sent = fields.Integer()
    no_credit = fields.Integer(metadata={"description": "skipped: no credit left"})
    failed = fields.Integer()
    pending = fields.Integer(metadata={"description": "queued or being sent"})
    at = ChinaDateTime(metadata={"description": "the last one settled (or queued)"})
