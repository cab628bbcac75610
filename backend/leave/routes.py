"""HTTP endpoints of 请假 and 补签: trainees ask, the class's organizers decide."""

from flask_smorest import Blueprint

from backend.auth.access import TRAINEE, current_trainee, current_user, require
from backend.auth.models import Role
from backend.classes.access import class_for_staff
from backend.core.errors import ErrorSchema
from backend.core.transaction import writes
from backend.leave import logic
from backend.leave.access import request_for_organizer
from backend.leave.models import CheckinRequest, LeaveRequest
from backend.leave.schemas import (
    AskedSchema,
    CheckinAskSchema,
    CheckinRequestSchema,
    LeaveAskSchema,
    LeaveRequestSchema,
    RequestDecisionSchema,
)

blp = Blueprint("leave", __name__, description="请假与补签：学员申请，组织方审批")

CLOSED = "class_closed: the class is closed, its attendance no longer changes"
DECIDED = "already_decided (approved or rejected once), " + CLOSED


@blp.route("/me/leave-requests", methods=["POST"])
@writes
@require(TRAINEE)
@blp.arguments(LeaveAskSchema)
@blp.response(201, AskedSchema)
@blp.alt_response(409, schema=ErrorSchema, description=CLOSED)
def ask_leave(data):
    """Ask for leave for sessions of one's class not attended; 422 names class_id or
    session_ids (not the trainee's class, not its sessions, attended, asked already)."""
    return logic.ask_leave(current_trainee(), data)


@blp.route("/me/leave-requests", methods=["GET"])
@require(TRAINEE)
@blp.response(200, LeaveRequestSchema(many=True))
def my_leave_requests():
    """The trainee's leave requests, newest first, with their status and the decision."""
    return logic.leave_requests_of_trainee(current_trainee())


@blp.route("/classes/<int:class_id>/leave-requests", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, LeaveRequestSchema(many=True))
def class_leave_requests(class_id):
    """Every leave request of the class, newest first."""
    return logic.leave_requests_of_class(class_for_staff(class_id).id)


@blp.route("/leave-requests/<int:request_id>/decision", methods=["POST"])
@writes
@require(Role.ORGANIZER)
@blp.arguments(RequestDecisionSchema)
@blp.response(200, LeaveRequestSchema)
@blp.alt_response(409, schema=ErrorSchema, description=DECIDED)
def decide_leave(data, request_id):
    """Approve or reject; approved sessions show as excused (请假), not attended."""
    return logic.decide_leave(request_for_organizer(LeaveRequest, request_id), data, current_user())


@blp.route("/me/checkin-requests", methods=["POST"])
@writes
@require(TRAINEE)
@blp.arguments(CheckinAskSchema)
@blp.response(201, AskedSchema)
@blp.alt_response(409, schema=ErrorSchema, description="session_not_started, " + CLOSED)
def ask_checkin(data):
    """Ask to be marked present (补签) for a started session one did not attend; 422 names
    session_id (not the trainee's class, attended, asked already)."""
    return logic.ask_checkin(current_trainee(), data)


@blp.route("/me/checkin-requests", methods=["GET"])
@require(TRAINEE)
@blp.response(200, CheckinRequestSchema(many=True))
def my_checkin_requests():
    """The trainee's 补签 requests, newest first, with their status and the decision."""
    return logic.checkin_requests_of_trainee(current_trainee())


@blp.route("/classes/<int:class_id>/checkin-requests", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, CheckinRequestSchema(many=True))
def class_checkin_requests(class_id):
    """Every 补签 request of the class, newest first."""
    return logic.checkin_requests_of_class(class_for_staff(class_id).id)


@blp.route("/checkin-requests/<int:request_id>/decision", methods=["POST"])
@writes
@require(Role.ORGANIZER)
@blp.arguments(RequestDecisionSchema)
@blp.response(200, CheckinRequestSchema)
@blp.alt_response(
    409,
    schema=ErrorSchema,
    description=DECIDED + ", already_attended: checked in since (reject it instead)",
)
def decide_checkin(data, request_id):
    """Approve or reject; approving marks the trainee present, a correction with the
    request's reason (in the class's correction history and the audit trail)."""
    request = request_for_organizer(CheckinRequest, request_id)
    return logic.decide_checkin(request, data, current_user())
