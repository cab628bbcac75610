"""HTTP endpoints of 签退: the class's setting, the projector's code, the trainee's scan."""

from flask import Response
from flask_smorest import Blueprint

from backend.auth.access import TRAINEE, current_trainee, require
from backend.auth.models import Role
from backend.checkin import images
from backend.checkout import logic
from backend.checkout.schemas import (
    CheckoutCodeSchema,
    CheckoutRequestSchema,
    CheckoutResultSchema,
    SettingSchema,
)
from backend.classes.access import class_for_organizer, class_for_staff, session_for_staff
from backend.classes.models import TrainingClass
from backend.core.errors import ErrorSchema
from backend.core.transaction import writes
from backend.extensions import db

blp = Blueprint("checkout", __name__, description="签退：可选，按班启用")

CLOSED = "checkout_off (the class does not use 签退), checkout_closed (outside the window)"


@blp.route("/classes/<int:class_id>/checkout", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, SettingSchema)
def get_setting(class_id):
    return logic.setting_view(class_for_staff(class_id).id)


@blp.route("/classes/<int:class_id>/checkout", methods=["PUT"])
@writes
@require(Role.ORGANIZER)
@blp.arguments(SettingSchema)
@blp.response(200, SettingSchema)
def put_setting(data, class_id):
    """Turn 签退 on (required: attended needs both scans) or off; off by default."""
    return logic.set_setting(class_for_organizer(class_id), data)


def _code(session_id: int) -> dict:
    session = session_for_staff(session_id)
    return logic.checkout_code(session, db.session.get(TrainingClass, session.class_id))


@blp.route("/sessions/<int:session_id>/checkout-code", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, CheckoutCodeSchema)
@blp.alt_response(409, schema=ErrorSchema, description=CLOSED)
def checkout_code(session_id):
    """The current check-out code, from 15 minutes before the session ends to 30 after."""
    return _code(session_id)


@blp.route("/sessions/<int:session_id>/checkout-code.svg", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, content_type="image/svg+xml")
@blp.alt_response(409, schema=ErrorSchema, description=CLOSED)
def checkout_code_svg(session_id):
    """The check-out code as a QR image for the projector."""
    response = Response(images.qr_svg(_code(session_id)["qr_text"]), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "no-store"
    return response


@blp.route("/checkouts", methods=["POST"])
@writes
@require(TRAINEE)
@blp.arguments(CheckoutRequestSchema)
@blp.response(201, CheckoutResultSchema)
@blp.alt_response(200, schema=CheckoutResultSchema, description="already checked out: the first")
@blp.alt_response(400, schema=ErrorSchema, description="invalid_token")
@blp.alt_response(403, schema=ErrorSchema, description="not_enrolled")
@blp.alt_response(409, schema=ErrorSchema, description=CLOSED)
@blp.alt_response(410, schema=ErrorSchema, description="token_expired")
def check_out(data):
    """Check out (签退) with the scanned check-out code; POST /checkins is unchanged."""
    answer, new = logic.check_out(current_trainee().id, data)
    return answer, 201 if new else 200
