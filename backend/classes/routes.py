"""HTTP endpoints: classes, opening plans, change notices, lecturers, schedule."""

from flask_smorest import Blueprint

from backend.audit.logic import record
from backend.auth.access import TRAINEE, current_user, require
from backend.auth.models import Role
from backend.classes import logic
from backend.classes.access import (
    class_for_organizer,
    class_for_reader,
    class_for_staff,
    session_for_staff,
)
from backend.classes.models import Lecturer
from backend.classes.schemas import (
    ChangeNoticeSchema,
    ClassCreateSchema,
    ClassQuerySchema,
    ClassSchema,
    ClassUpdateSchema,
    LecturerCreateSchema,
    LecturerSchema,
    OpeningPlanSchema,
    PlanDecisionSchema,
    ReturnSchema,
    ScheduleSchema,
    SessionCreateSchema,
    SessionSchema,
    SessionUpdateSchema,
)
from backend.extensions import db

blp = Blueprint("classes", __name__, description="研修班、开班实施方案、情况说明、授课人与课程表")


@blp.route("/classes", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.arguments(ClassQuerySchema, location="query")
@blp.response(200, ClassSchema(many=True))
def list_classes(query):
    """The classes the caller may see: all for the admin, the own unit's for an organizer."""
    return logic.visible_classes(current_user(), query.get("year"), query.get("status"))


@blp.route("/classes", methods=["POST"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.arguments(ClassCreateSchema)
@blp.response(201, ClassSchema)
def create_class(data):
    """Open a class of a project (organizer of the project's host unit, or the admin)."""
    return logic.open_class(current_user(), data)


@blp.route("/classes/<int:class_id>", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER, Role.LECTURER, TRAINEE)
@blp.response(200, ClassSchema)
def get_class(class_id):
    return class_for_reader(class_id)


@blp.route("/classes/<int:class_id>", methods=["PATCH"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.arguments(ClassUpdateSchema)
@blp.response(200, ClassSchema)
def update_class(data, class_id):
    """Change place, dates, capacity or mode; after approval a reason is required."""
    training_class = class_for_staff(class_id)
    logic.update_class(training_class, data, current_user())
    return training_class


@blp.route("/classes/<int:class_id>/changes", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, ChangeNoticeSchema(many=True))
def list_changes(class_id):
    """情况说明: every change made after approval, oldest first."""
    return logic.changes_of(class_for_staff(class_id).id)


@blp.route("/classes/<int:class_id>/opening-plan", methods=["POST"])
@require(Role.ORGANIZER)
@blp.arguments(OpeningPlanSchema)
@blp.response(200, ClassSchema)
def submit_opening_plan(data, class_id):
    """开班实施方案: submit it for the province office's approval."""
    training_class = class_for_organizer(class_id)
    logic.submit_opening_plan(training_class, data["summary"], current_user())
    return training_class


@blp.route("/classes/<int:class_id>/opening-plan/approve", methods=["POST"])
@require(Role.ADMIN)
@blp.response(200, ClassSchema)
def approve_opening_plan(class_id):
    training_class = class_for_staff(class_id, roles=("admin",))
    logic.approve_opening_plan(training_class, current_user())
    return training_class


@blp.route("/classes/<int:class_id>/opening-plan/return", methods=["POST"])
@require(Role.ADMIN)
@blp.arguments(ReturnSchema)
@blp.response(200, ClassSchema)
def return_opening_plan(data, class_id):
    """退回修改: the class goes back to draft with the reason; the organizer edits and submits
    again."""
    training_class = class_for_staff(class_id, roles=("admin",))
    logic.return_opening_plan(training_class, data["reason"], current_user())
    return training_class


@blp.route("/classes/<int:class_id>/opening-plan/history", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, PlanDecisionSchema(many=True))
def opening_plan_history(class_id):
    """Every submission (with its text) and decision (with the return's reason), oldest first."""
    return logic.plan_history(class_for_staff(class_id).id)


@blp.route("/classes/<int:class_id>/opening-plan/reject", methods=["POST"])
@require(Role.ADMIN)
@blp.response(200, ClassSchema)
def reject_opening_plan(class_id):
    """Send the opening plan back without a reason (kept for old callers; prefer /return)."""
    training_class = class_for_staff(class_id, roles=("admin",))
    logic.return_opening_plan(training_class, "", current_user())
    return training_class


@blp.route("/classes/<int:class_id>/close", methods=["POST"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, ClassSchema)
def close_class(class_id):
    training_class = class_for_staff(class_id)
    training_class.close()
    record("class.close", class_id=class_id)
    return training_class


@blp.route("/lecturers", methods=["POST"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.arguments(LecturerCreateSchema)
@blp.response(201, LecturerSchema)
def create_lecturer(data):
    return logic.add_lecturer(data)


@blp.route("/lecturers", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, LecturerSchema(many=True))
def list_lecturers():
    return db.session.scalars(db.select(Lecturer).order_by(Lecturer.name, Lecturer.id)).all()


@blp.route("/classes/<int:class_id>/sessions", methods=["POST"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.arguments(SessionCreateSchema)
@blp.response(201, SessionSchema)
def add_session(data, class_id):
    training_class = class_for_staff(class_id)
    return logic.add_session(training_class, data, current_user())


@blp.route("/sessions/<int:session_id>", methods=["PATCH"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.arguments(SessionUpdateSchema)
@blp.response(200, SessionSchema)
def update_session(data, session_id):
    """Change a session; after approval a reason is required and a notice recorded."""
    session = session_for_staff(session_id)
    training_class = class_for_staff(session.class_id)
    logic.update_session(training_class, session, data, current_user())
    return session


@blp.route("/sessions/<int:session_id>", methods=["DELETE"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(204)
def delete_session(session_id):
    """Take a session off the schedule; 409 session_has_checkins once someone checked in."""
    session = session_for_staff(session_id)
    logic.remove_session(class_for_staff(session.class_id), session, current_user())


@blp.route("/classes/<int:class_id>/schedule", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER, Role.LECTURER, TRAINEE)
@blp.response(200, ScheduleSchema)
def get_schedule(class_id):
    training_class = class_for_reader(class_id)
    return {"class_": training_class, "sessions": logic.sessions_of(training_class.id)}
