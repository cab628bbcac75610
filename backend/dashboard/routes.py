"""The dashboard pages. They render the frame; the numbers come from the API in the
browser (the class page over SSE, the year page by polling), with the page's bearer token."""

from collections import Counter

from flask import Blueprint, abort, render_template

from backend.auth.models import Role
from backend.checkin.queries import excused_without_checkin
from backend.classes.access import is_staff_of
from backend.classes.logic import sessions_of
from backend.classes.models import TrainingClass
from backend.extensions import db
from backend.plans.models import PlanYear
from backend.surveys.stats import ROUNDING_NOTE
from backend.web.auth import page_login_required

bp = Blueprint("dashboard", __name__, template_folder="templates")


@bp.get("/dashboard/classes/<int:class_id>")
@page_login_required(Role.ADMIN, Role.ORGANIZER)
def class_dashboard(class_id: int):
    """Enrolled, attendance per session (and who is on leave), forms issued and returned, and
    附件3, live."""
    training_class = db.session.get(TrainingClass, class_id)
    if training_class is None or not is_staff_of(training_class):
        abort(404)
    return render_template(
        "dashboard/class.html",
        training_class=training_class,
        rounding_note=ROUNDING_NOTE,
        sessions=sessions_of(class_id),
        excused=Counter(session_id for _, session_id in excused_without_checkin(class_id)),
    )


@bp.get("/dashboard/plans/<int:year>")
@page_login_required(Role.ADMIN)
def plan_dashboard(year: int):
    """Every class of the year with status, attendance and return rates (province office)."""
    plan = db.session.get(PlanYear, year)
    if plan is None:
        abort(404)
    return render_template("dashboard/plan.html", plan=plan)
