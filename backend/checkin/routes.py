"""HTTP endpoints of check-in: codes for the projector, scans, attendance and corrections."""

from flask import Response, g
from flask_smorest import Blueprint

from backend.auth.access import (
    current_user,
    require,
    require_trainee_token,
)
from backend.auth.models import Role
from backend.checkin import attendance, images, logic, tokens
from backend.checkin.limits import limit_checkins
from backend.checkin.queries import recent_arrivals
from backend.checkin.schemas import (
    CheckInCodeSchema,
    CheckInRequestSchema,
    CheckInResultSchema,
    ClassAttendanceSchema,
    CorrectionRecordSchema,
    CorrectionResultSchema,
    CorrectionSchema,
    ModeQuerySchema,
    RecentQuerySchema,
    RecentSchema,
)
from backend.classes.access import class_for_staff, session_for_staff
from backend.classes.models import Session, TrainingClass
from backend.core.errors import ErrorSchema
from backend.core.transaction import writes
from backend.enrollment.models import AttendanceMode
from backend.enrollment.queries import enrolled_count
from backend.extensions import db

blp = Blueprint("checkin", __name__, description="签到：投屏签到码、扫码签到、考勤与更正")


def _session_and_class(session_id: int, mode: str) -> tuple[Session, TrainingClass, AttendanceMode]:
    """The session (staff of its class only), its class, and the code's mode, checked."""
    session = session_for_staff(session_id)
    training_class = db.session.get(TrainingClass, session.class_id)
    attendance_mode = AttendanceMode(mode)
    logic.check_mode_allowed(training_class, attendance_mode)
    return session, training_class, attendance_mode


def _image(data: bytes, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Cache-Control"] = "no-store"
    return response


@blp.route("/sessions/<int:session_id>/checkin-code", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.arguments(ModeQuerySchema, location="query")
@blp.response(200, CheckInCodeSchema)
def checkin_code(query, session_id):
    """The current check-in code of the session: a new one every `rotates_in` seconds.

    `mode=online` (hybrid classes) gives the code to show in the online meeting; only
    trainees enrolled online can use it, and only they.
    """
    return logic.current_code(*_session_and_class(session_id, query["mode"]))


@blp.route("/sessions/<int:session_id>/checkin-code.svg", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.arguments(ModeQuerySchema, location="query")
@blp.response(200, content_type="image/svg+xml")
def checkin_code_svg(query, session_id):
    """The QR image of the current token (plain text `YXCI1:<token>`, for wx.scanCode)."""
    ref = logic.current_ref(*_session_and_class(session_id, query["mode"]))
    return _image(images.qr_svg(tokens.qr_text(ref)), "image/svg+xml")


@blp.route("/sessions/<int:session_id>/checkin-code.png", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.arguments(ModeQuerySchema, location="query")
@blp.response(200, content_type="image/png")
def checkin_code_png(query, session_id):
    ref = logic.current_ref(*_session_and_class(session_id, query["mode"]))
    return _image(images.qr_png(tokens.qr_text(ref)), "image/png")


@blp.route("/sessions/<int:session_id>/checkin-wxacode.png", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.arguments(ModeQuerySchema, location="query")
@blp.response(200, content_type="image/png")
@blp.alt_response(
    503, schema=ErrorSchema, description="unavailable (WeChat not configured or not reachable)"
)
@blp.alt_response(429, schema=ErrorSchema, description="rate_limited (WeChat's quota)")
def checkin_wxacode(query, session_id):
    """A WeChat mini-program code opening the check-in page with this slot's scene."""
    ref = logic.current_ref(*_session_and_class(session_id, query["mode"]))
    return _image(images.wxacode(tokens.scene(ref)), "image/png")


@blp.route("/checkins", methods=["POST"])
@writes(each_statement=True)
@limit_checkins
@require_trainee_token
@blp.arguments(CheckInRequestSchema())  # an instance: a class is instantiated per request
@blp.response(201, CheckInResultSchema)
@blp.alt_response(200, schema=CheckInResultSchema, description="already checked in: the first")
@blp.alt_response(400, schema=ErrorSchema, description="invalid_token")
@blp.alt_response(403, schema=ErrorSchema, description="not_enrolled, wrong_mode")
@blp.alt_response(409, schema=ErrorSchema, description="class_not_approved, checkin_closed")
@blp.alt_response(410, schema=ErrorSchema, description="token_expired")
@blp.alt_response(
    404, schema=ErrorSchema, description="not_found: an id beyond the database's range"
)
@blp.alt_response(
    429, schema=ErrorSchema, description="rate_limited (check-ins or wrong typed codes)"
)
def check_in(data):
    """Check in with a scanned token (or the QR's text), a mini-program scene, or a typed code.

    Errors, the first that applies: 400 invalid_token, 410 token_expired, 403 not_enrolled
    (403 wrong_mode: an online code for an onsite trainee or the reverse), 409
    class_not_approved, 409 checkin_closed; 429 rate_limited beyond CHECKIN_TRAINEE_LIMIT
    check-ins of one trainee or CHECKIN_IP_LIMIT from one address (30 and 1,200 a minute by
    default), or after 5 wrong typed codes in 10 minutes.
    """
    checkin, new = logic.check_in(g.trainee_claims, data)
    return checkin, 201 if new else 200


@blp.route("/sessions/<int:session_id>/checkins/recent", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.arguments(RecentQuerySchema, location="query")
@blp.response(200, RecentSchema)
def recent(query, session_id):
    """For the projector: checked in / enrolled (in one mode if given) and the last arrivals."""
    session = session_for_staff(session_id)
    mode = AttendanceMode(query["mode"]) if query.get("mode") else None
    count, arrivals = recent_arrivals(session.id, mode, query["limit"])
    return {
        "session_id": session.id,
        "mode": mode.value if mode else None,
        "checked_in": count,
        "enrolled": enrolled_count(session.class_id, mode),
        "recent": arrivals,
    }


@blp.route("/sessions/<int:session_id>/attendance/<int:enrollment_id>", methods=["PUT"])
@writes
@require(Role.ORGANIZER)
@blp.arguments(CorrectionSchema)
@blp.response(200, CorrectionResultSchema)
def correct_attendance(data, session_id, enrollment_id):
    """Mark a trainee present or absent for a session, with a reason (kept in the history)."""
    session = session_for_staff(session_id, roles=("organizer",))
    return attendance.correct(session, enrollment_id, data, current_user())


@blp.route("/classes/<int:class_id>/attendance", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, ClassAttendanceSchema)
def class_attendance(class_id):
    """Per trainee and session: present, late, online or absent, and whether by hand."""
    training_class = class_for_staff(class_id)
    organizer = current_user().role == Role.ORGANIZER
    return attendance.class_attendance(training_class.id, with_addresses=organizer)


@blp.route("/classes/<int:class_id>/attendance/corrections", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, CorrectionRecordSchema(many=True))
def attendance_corrections(class_id):
    """Every correction: who marked whom present or absent, when and why; oldest first."""
    return attendance.corrections_of(class_for_staff(class_id).id)
