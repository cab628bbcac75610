"""HTTP endpoints of the live tallies (docs/API.md "Live tallies") and the province's view."""

from flask import g
from flask_smorest import Blueprint

from backend.auth.access import authorize, current_user, forbidden, require, unauthorized
from backend.auth.models import Role
from backend.classes.access import CLASS_NOT_FOUND, class_for_staff, is_staff_of
from backend.classes.models import TrainingClass
from backend.core.errors import ErrorSchema, not_found
from backend.extensions import db
from backend.live.schemas import LiveQuerySchema, PlanTallySchema, TicketSchema
from backend.live.stream import open_stream
from backend.live.tally import plan_tallies
from backend.live.tickets import issue_ticket, ticket_user

blp = Blueprint("live", __name__, description="实时统计：签到与问卷回收的实时数据流")

STAFF = {Role.ADMIN.value, Role.ORGANIZER.value}
EVENT_STREAM = {
    "200": {
        "description": "text/event-stream of `event: tally` (and `event: status`) events",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    }
}


@blp.route("/classes/<int:class_id>/live-ticket", methods=["POST"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, TicketSchema)
def live_ticket(class_id):
    """A one-hour credential for EventSource: this class's stream, for this user."""
    class_for_staff(class_id)
    ticket, expires_at = issue_ticket(current_user(), class_id)
    return {"ticket": ticket, "expires_at": expires_at}


@blp.route("/classes/<int:class_id>/live", methods=["GET"])
@blp.arguments(LiveQuerySchema, location="query")
@blp.doc(responses=EVENT_STREAM)
@blp.alt_response(401, schema=ErrorSchema, description="unauthorized (bad or expired ticket)")
@blp.alt_response(403, schema=ErrorSchema, description="forbidden")
def live(query, class_id):
    """The class's live tally as server-sent events (ticket in the URL, or a Bearer header)."""
    _authorize_watcher(class_id, query.get("ticket"))
    training_class = db.session.get(TrainingClass, class_id)
    if training_class is None or not is_staff_of(training_class):
        raise not_found(CLASS_NOT_FOUND)
    return open_stream(class_id, g.user.id)


def _authorize_watcher(class_id: int, ticket: str | None) -> None:
    """Ticket or bearer; sets g.user. 401 for a bad ticket, 403 for a wrong role."""
    if not ticket:
        authorize(STAFF)
        return
    user = ticket_user(ticket, class_id)
    if user is None:
        raise unauthorized("实时数据凭证无效或已过期，请刷新页面")
    if user.role.value not in STAFF:
        raise forbidden()
    g.user, g.trainee = user, None


@blp.route("/plans/<int:year>/tallies", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, PlanTallySchema(many=True))
def year_tallies(year):
    """Every class of the year with its live numbers (the province's dashboard polls it);
    an organizer gets the own unit's classes."""
    return plan_tallies(current_user(), year)
