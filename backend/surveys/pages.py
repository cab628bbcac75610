"""The lecturer's page /lecturer (the same figures as GET /me/ratings and its summary), and
the class page's 开启测评 / 关闭测评."""

from flask import Blueprint, g, render_template

from backend.auth.models import Role
from backend.classes.access import class_for_organizer
from backend.classes.pages import after_post
from backend.core.labels import labels_of
from backend.core.transaction import writes
from backend.surveys import logic, stats
from backend.surveys.models import Level
from backend.web.auth import page_login_required
from backend.web.forms import run_action

bp = Blueprint("surveys_pages", __name__, template_folder="templates")


@bp.get("/lecturer")
@page_login_required(Role.LECTURER)
def lecturer():
    """我的授课评价: the lecturer's sessions, counts and rates; nothing about who rated."""
    lecturer_id = g.user.lecturer_id
    return render_template(
        "surveys/lecturer.html",
        rows=stats.my_ratings(lecturer_id),
        rounding_note=stats.ROUNDING_NOTE,
        summary=stats.my_summary(lecturer_id),
        levels=labels_of(Level),
        show_from=stats.SHOW_FROM_ANSWERS,
    )


@bp.post("/classes/<int:class_id>/survey/open")
@writes
@page_login_required(Role.ORGANIZER)
def open_survey(class_id: int):
    """开启测评 on the class page: the API's own logic (409 before approval, too early...)."""
    training_class = class_for_organizer(class_id)
    _, errors = run_action(lambda: logic.open_survey(training_class))
    return after_post(training_class, "survey", errors, "测评已开启，学员可在小程序中填写")


@bp.post("/classes/<int:class_id>/survey/close")
@writes
@page_login_required(Role.ORGANIZER)
def close_survey(class_id: int):
    training_class = class_for_organizer(class_id)
    _, errors = run_action(lambda: logic.close_survey(training_class))
    return after_post(training_class, "survey", errors, "测评已关闭，统计结果已全部公布")
