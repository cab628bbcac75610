"""The class page's 请假与补签 section: the organizer approves or rejects a request with an
optional reason, through the API's own schema, access check and logic."""

from flask import Blueprint, g

from backend.auth.models import Role
from backend.classes.access import class_for_organizer
from backend.classes.pages import after_post
from backend.core.errors import not_found
from backend.core.transaction import writes
from backend.leave import logic
from backend.leave.access import request_for_organizer
from backend.leave.models import CheckinRequest, LeaveRequest, RequestStatus
from backend.leave.schemas import RequestDecisionSchema
from backend.web.auth import page_login_required
from backend.web.forms import run_form

bp = Blueprint("leave_pages", __name__, template_folder="templates")

#: The page's word for each outcome.
KINDS = {
    "leave": (LeaveRequest, logic.decide_leave, "请假申请"),
    "checkin": (CheckinRequest, logic.decide_checkin, "补签申请"),
}


@bp.post("/classes/<int:class_id>/<any(leave, checkin):kind>-requests/<int:request_id>/decision")
@writes
@page_login_required(Role.ORGANIZER)
def decide(class_id: int, kind: str, request_id: int):
    training_class = class_for_organizer(class_id)
    model, decide_request, name = KINDS[kind]
    asked = request_for_organizer(model, request_id)
    if asked.class_id != training_class.id:
        raise not_found("找不到该申请")
    answer, errors = run_form(
        RequestDecisionSchema(), lambda data: decide_request(asked, data, g.user)
    )
    done = f"{name}{RequestStatus(answer['status']).label}" if answer else ""
    return after_post(training_class, "requests", errors, done)
