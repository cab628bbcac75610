"""Who may decide a request: the organizers of its class's unit (the admin: 403; another
unit's organizers: 404, as for classes)."""

from backend.auth.access import authorize
from backend.classes.access import class_for_organizer
from backend.core.errors import not_found
from backend.extensions import db
from backend.leave.models import CheckinRequest, LeaveRequest


def request_for_organizer(
    model: type[LeaveRequest] | type[CheckinRequest], request_id: int
) -> LeaveRequest | CheckinRequest:
    authorize({"organizer"})
    request = db.session.get(model, request_id)
    if request is None:
        raise not_found("找不到该申请")
    class_for_organizer(request.class_id)
    return request
