"""Output schemas of the live endpoints."""

from marshmallow import EXCLUDE, Schema, fields

from backend.core.schemas import ChinaDateTime


class TicketSchema(Schema):
    ticket = fields.String(required=True)
    expires_at = ChinaDateTime(required=True)


class LiveQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE  # a cache-busting parameter must not break the stream

    ticket = fields.String(metadata={"description": "from POST /classes/{id}/live-ticket"})


class SurveyCountSchema(Schema):
    issued = fields.Integer()
    returned = fields.Integer()


class PlanTallySchema(Schema):
    """One class of the province view."""

    class_id = fields.Integer()
    title = fields.String()
    host_unit = fields.String()
    location = fields.String()
    start_date = fields.Date()
    end_date = fields.Date()
    status = fields.String()
    status_label = fields.String(metadata={"description": "the status in Chinese (GET /labels)"})
    enrolled = fields.Integer()
    attendees = fields.Integer()
    sessions = fields.Integer(metadata={"description": "sessions in the schedule"})
    sessions_held = fields.Integer(metadata={"description": "sessions already started"})
    checkins = fields.Integer()
    checked_in = fields.Dict(keys=fields.String(), values=fields.Integer())
    survey = fields.Nested(SurveyCountSchema)
    attendance_rate = fields.Float(
        allow_none=True, metadata={"description": "check-ins / (enrolled × sessions held), %"}
    )
    return_rate = fields.Float(allow_none=True, metadata={"description": "returned / issued, %"})
    at = fields.String()
