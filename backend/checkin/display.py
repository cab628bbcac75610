"""The projector page /display/sessions/<id>: the rotating QR, the typed code, live counts.

The page itself is static HTML; checkin-display.js asks the API for each new code just as
the old one rotates (the old one stays valid through its grace), and polls the arrivals.
"""

from flask import Blueprint, abort, render_template, request

from backend.auth.models import Role
from backend.checkin.logic import display_state
from backend.classes.access import is_staff_of
from backend.classes.models import ClassMode, Session, TrainingClass
from backend.core.timeutil import utcnow
from backend.enrollment.models import AttendanceMode
from backend.extensions import db
from backend.web.auth import page_login_required

bp = Blueprint("checkin_display", __name__, template_folder="templates")


@bp.get("/display/sessions/<int:session_id>")
@page_login_required(Role.ADMIN, Role.ORGANIZER)
def display(session_id: int):
    """Full screen for the room (or, with ?mode=online, for the online meeting)."""
    session = db.session.get(Session, session_id)
    training_class = session and db.session.get(TrainingClass, session.class_id)
    if training_class is None or not is_staff_of(training_class):
        abort(404)
    mode = request.args.get("mode", AttendanceMode.ONSITE.value)
    if mode not in (AttendanceMode.ONSITE, AttendanceMode.ONLINE) or (
        mode == AttendanceMode.ONLINE and training_class.mode != ClassMode.HYBRID
    ):
        abort(404)
    return render_template(
        "checkin/display.html",
        session=session,
        training_class=training_class,
        mode=mode,
        hybrid=training_class.mode == ClassMode.HYBRID,
        window=display_state(session, training_class, utcnow()),
    )
