"""HTTP endpoints of the satisfaction survey (附件2), its tally (附件3) and the ratings.

No endpoint reads receipts and answers together: who answered and what was answered
are never shown side by side, to anyone (see models.py).
"""

from flask import request
from flask_smorest import Blueprint

from backend.auth.access import TRAINEE, current_trainee, current_user, require
from backend.auth.models import Role
from backend.classes.access import CLASS_NOT_FOUND, class_for_organizer, class_for_staff
from backend.classes.logic import visible_classes
from backend.classes.models import ClassStatus, TrainingClass
from backend.core.errors import ErrorSchema, not_found
from backend.core.transaction import writes
from backend.enrollment.models import Enrollment
from backend.enrollment.queries import enrollment_of
from backend.extensions import db
from backend.plans.models import PlanYear
from backend.surveys import logic, stats
from backend.surveys.schemas import (
    MyRatingSchema,
    PendingSchema,
    RatingsSummarySchema,
    ReceiptSchema,
    StatsSchema,
    SuggestionItemSchema,
    SurveyAnswerSchema,
    SurveyFormSchema,
    SurveySettingsSchema,
    SurveyStateSchema,
    YearRatingsSchema,
)

blp = Blueprint("surveys", __name__, description="满意度调查（附件2）、统计（附件3）与授课评价")

ANSWER_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": SurveyAnswerSchema}},
    }
}


def _enrolled_class(class_id: int) -> tuple[TrainingClass, Enrollment]:
    """The class and the calling trainee's roster entry in it; 404 unless both exist."""
    training_class = db.session.get(TrainingClass, class_id)
    enrollment = enrollment_of(current_trainee().id, class_id) if training_class else None
    if enrollment is None:
        raise not_found(CLASS_NOT_FOUND)
    return training_class, enrollment


@blp.route("/classes/<int:class_id>/survey", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER, TRAINEE)
@blp.response(200, SurveyFormSchema)
@blp.alt_response(409, schema=ErrorSchema, description="class_not_approved")
def get_survey(class_id):
    """附件2: the form of this class, with Chinese labels; trainees also learn if they answered."""
    if current_trainee() is not None:
        training_class, enrollment = _enrolled_class(class_id)
    else:
        training_class, enrollment = class_for_staff(class_id), None
    return logic.survey_form(training_class, enrollment)


@blp.route("/classes/<int:class_id>/survey/responses", methods=["POST"])
@writes
@require(TRAINEE)
@blp.doc(**ANSWER_BODY)
@blp.response(201, ReceiptSchema)
@blp.alt_response(403, schema=ErrorSchema, description="not_attended")
@blp.alt_response(
    409, schema=ErrorSchema, description="class_not_approved, survey_closed, already_submitted"
)
@blp.alt_response(422, schema=ErrorSchema, description="validation_failed")
def submit_response(class_id):
    """Return the form, once. Answers are stored apart from who gave them."""
    training_class, enrollment = _enrolled_class(class_id)
    return logic.submit(training_class, enrollment, request.get_json(silent=True))


@blp.route("/classes/<int:class_id>/survey/open", methods=["POST"])
@writes
@require(Role.ORGANIZER)
@blp.response(200, SurveyStateSchema)
@blp.alt_response(
    409,
    schema=ErrorSchema,
    description="class_not_approved, survey_closed (past the automatic closing day)",
)
def open_survey(class_id):
    return logic.open_survey(class_for_organizer(class_id))


@blp.route("/classes/<int:class_id>/survey/close", methods=["POST"])
@writes
@require(Role.ORGANIZER)
@blp.response(200, SurveyStateSchema)
@blp.alt_response(409, schema=ErrorSchema, description="class_not_approved")
def close_survey(class_id):
    return logic.close_survey(class_for_organizer(class_id))


@blp.route("/classes/<int:class_id>/survey/settings", methods=["PUT"])
@writes
@require(Role.ORGANIZER)
@blp.arguments(SurveySettingsSchema)
@blp.response(200, SurveyStateSchema)
def update_settings(data, class_id):
    """Days after the class's last day until it closes by itself (default 3); B (before any form)."""
    return logic.update_settings(class_for_organizer(class_id), data)


@blp.route("/classes/<int:class_id>/survey/stats", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, StatsSchema)
def get_stats(class_id):
    """附件3: enrolled, issued, returned, and per row the counts and rates of each level."""
    return stats.class_stats(class_for_staff(class_id).id)


@blp.route("/classes/<int:class_id>/survey/pending", methods=["GET"])
@require(Role.ADMIN, Role.ORGANIZER)
@blp.response(200, PendingSchema(many=True))
def list_pending(class_id):
    """Trainees given the form who have not returned it (phones masked for the admin)."""
    training_class = class_for_staff(class_id)
    return logic.pending(training_class.id, full_phones=current_user().role == Role.ORGANIZER)


@blp.route("/classes/<int:class_id>/survey/suggestions/<int:suggestion_id>/share", methods=["POST"])
@writes
@require(Role.ORGANIZER)
@blp.response(200, SuggestionItemSchema)
def share_suggestion(class_id, suggestion_id):
    """Show this suggestion to the class's lecturers."""
    return logic.share_suggestion(class_for_organizer(class_id).id, suggestion_id, True)


@blp.route(
    "/classes/<int:class_id>/survey/suggestions/<int:suggestion_id>/share", methods=["DELETE"]
)
@writes
@require(Role.ORGANIZER)
@blp.response(200, SuggestionItemSchema)
def unshare_suggestion(class_id, suggestion_id):
    """Stop showing this suggestion to the class's lecturers."""
    return logic.share_suggestion(class_for_organizer(class_id).id, suggestion_id, False)


@blp.route("/me/ratings", methods=["GET"])
@require(Role.LECTURER)
@blp.response(200, MyRatingSchema(many=True))
def my_ratings():
    """The lecturer's own sessions with their ratings; fewer than 3 answers: hidden."""
    return stats.my_ratings(current_user().lecturer_id)


@blp.route("/me/ratings/summary", methods=["GET"])
@require(Role.LECTURER)
@blp.response(200, RatingsSummarySchema)
def my_ratings_summary():
    """The lecturer's 优秀率 and 满意率 over their shown sessions, and suggestions shared."""
    return stats.my_summary(current_user().lecturer_id)


@blp.route("/plans/<int:year>/ratings", methods=["GET"])
@require(Role.ADMIN)
@blp.response(200, YearRatingsSchema)
def year_ratings(year):
    """The year's classes and lecturers ranked by 优秀率, then 满意率, with answer counts."""
    if db.session.get(PlanYear, year) is None:
        raise not_found("找不到该年度计划")
    classes = [
        c
        for c in visible_classes(current_user(), year)
        if c.status in (ClassStatus.APPROVED, ClassStatus.CLOSED)
    ]
    return stats.year_ratings(year, classes)
