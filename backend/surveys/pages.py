"""The lecturer's page /lecturer: the same figures as GET /me/ratings and its summary."""

from flask import Blueprint, g, render_template

from backend.auth.models import Role
from backend.surveys import stats
from backend.surveys.form import LEVEL_LABELS
from backend.web.auth import page_login_required

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
        levels={level.value: label for level, label in LEVEL_LABELS.items()},
        show_from=stats.SHOW_FROM_ANSWERS,
    )
