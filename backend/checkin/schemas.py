"""Check-in schemas."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from backend.checkin.models import AttendanceState
from backend.core.schemas import ChinaDateTime, Text
from backend.enrollment.models import AttendanceMode

MODES = [m.value for m in AttendanceMode]


class ModeQuerySchema(Schema):
    mode = fields.String(
        load_default=AttendanceMode.ONSITE.value,
        validate=validate.OneOf(MODES),
        metadata={"description": "onsite (the room's projector) or online (hybrid classes)"},
    )


class CheckInCodeSchema(Schema):
    session_id = fields.Integer()
    mode = fields.String()
    token = fields.String(metadata={"description": "POST it to /checkins as {token}"})
    qr_text = fields.String(metadata={"description": "what the QR code holds: YXCI1:<token>"})
    code = fields.String(metadata={"description": "the 6-digit code to type instead"})
    expires_at = ChinaDateTime(metadata={"description": "refused from then on (≥ 15 s away)"})
    rotates_in = fields.Float(metadata={"description": "seconds until the next code"})


class CheckInRequestSchema(Schema):
    """One of: a scanned token (or the QR's whole text), a scene, a typed code with its session."""

    token = fields.String(validate=validate.Length(min=1, max=500))
    scene = fields.String(validate=validate.Length(min=1, max=64))
    code = fields.String(validate=validate.Regexp(r"^\d{6}$", error="应为 6 位数字"))
    session_id = fields.Integer()

    @validates_schema
    def _one_credential(self, data, **kwargs):
        given = [name for name in ("token", "scene", "code") if name in data]
        if len(given) != 1:
            raise ValidationError("请提供扫码得到的 token、小程序码的 scene 或 6 位签到码之一")
        if "code" in data and "session_id" not in data:
            raise ValidationError("输入签到码时须指明课程", "session_id")


class AttendanceWordsSchema(Schema):
    """A check-in's attendance state and its words, from its `late` and `mode`."""

    state = fields.Method("_state", metadata={"description": "present, late or online"})
    state_label = fields.Method("_state_label", metadata={"description": "e.g. 迟到 (GET /labels)"})
    mode_label = fields.Method("_mode_label", metadata={"description": "e.g. 线上 (GET /labels)"})

    def _of(self, checkin) -> AttendanceState:
        late, mode = (
            self.get_attribute(checkin, "late", False),
            self.get_attribute(checkin, "mode", None),
        )
        return AttendanceState.of_checkin(late, mode)

    def _state(self, checkin) -> str:
        return self._of(checkin).value

    def _state_label(self, checkin) -> str:
        return self._of(checkin).label

    def _mode_label(self, checkin) -> str:
        return AttendanceMode(self.get_attribute(checkin, "mode", None)).label


class CheckInResultSchema(AttendanceWordsSchema):
    session_id = fields.Integer()
    enrollment_id = fields.Integer()
    checked_in_at = ChinaDateTime()
    late = fields.Boolean()
    mode = fields.String()


class CorrectionSchema(Schema):
    present = fields.Boolean(required=True)
    reason = Text(500, required=True)
    late = fields.Boolean(load_default=False, metadata={"description": "for present: arrived late"})


class AttendanceCellSchema(Schema):
    session_id = fields.Integer()
    state = fields.String(
        metadata={"description": "present, late, online, excused (approved leave) or absent"}
    )
    manual = fields.Boolean(metadata={"description": "made or changed by an organizer"})
    late = fields.Boolean()
    mode = fields.String(allow_none=True)
    source = fields.String()
    checked_in_at = ChinaDateTime()
    flags = fields.List(
        fields.String(),
        metadata={
            "description": "looks relayed: burst (one address, many trainees within "
            "seconds) or two_addresses (one trainee, several addresses in a day)"
        },
    )
    checkout = fields.String(
        allow_none=True,
        metadata={
            "description": "签退, for a check-in of a class that uses it: done, or missing (left "
            "early or never checked out, once the window has closed); else null"
        },
    )
    client_addr = fields.String(
        allow_none=True, metadata={"description": "the class's organizers only"}
    )
    device = fields.String(
        allow_none=True, metadata={"description": "User-Agent digest; organizers only"}
    )


class CorrectionResultSchema(AttendanceCellSchema):
    enrollment_id = fields.Integer()


class AttendanceSessionSchema(Schema):
    id = fields.Integer()
    topic = fields.String()
    starts_at = ChinaDateTime()
    ends_at = ChinaDateTime()
    checked_in = fields.Integer()
    excused = fields.Integer(metadata={"description": "trainees on approved leave (请假)"})


class AttendanceRowSchema(Schema):
    enrollment_id = fields.Integer()
    name = fields.String()
    attendance_mode = fields.String()
    bound = fields.Boolean()
    sessions_attended = fields.Integer()
    sessions_excused = fields.Integer(metadata={"description": "sessions on approved leave"})
    attendance = fields.List(fields.Nested(AttendanceCellSchema))


class ClassAttendanceSchema(Schema):
    class_id = fields.Integer()
    checkout = fields.Dict(metadata={"description": "签退: {enabled, required}"})
    sessions = fields.List(fields.Nested(AttendanceSessionSchema))
    trainees = fields.List(fields.Nested(AttendanceRowSchema))


class CorrectionRecordSchema(Schema):
    session_id = fields.Integer()
    enrollment_id = fields.Integer()
    name = fields.String()
    present = fields.Boolean()
    late = fields.Boolean()
    reason = fields.String()
    by = fields.String()
    at = ChinaDateTime()


class RecentQuerySchema(ModeQuerySchema):
    mode = fields.String(validate=validate.OneOf(MODES), metadata={"description": "count only"})
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=50))


class ArrivalSchema(Schema):
    name = fields.String()
    checked_in_at = ChinaDateTime()
    late = fields.Boolean()
    mode = fields.String()


class RecentSchema(Schema):
    session_id = fields.Integer()
    mode = fields.String(allow_none=True)
    checked_in = fields.Integer()
    enrolled = fields.Integer()
    recent = fields.List(fields.Nested(ArrivalSchema))
