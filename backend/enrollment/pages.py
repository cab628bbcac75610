"""The class page's roster upload: the API's own reading of the .xlsx and its import."""

from flask import Blueprint

from backend.auth.models import Role
from backend.classes.access import class_for_organizer
from backend.classes.pages import after_post
from backend.enrollment import logic
from backend.enrollment.routes import uploaded_rows
from backend.web.auth import page_login_required
from backend.web.forms import run_action

bp = Blueprint("enrollment_pages", __name__)


@bp.post("/classes/<int:class_id>/roster")
@page_login_required(Role.ORGANIZER)
def import_roster(class_id: int):
    """上传名单 + 导入: all rows or none; each bad row's problems shown by its Excel row."""
    training_class = class_for_organizer(class_id)
    created, errors = run_action(lambda: logic.import_roster(training_class, uploaded_rows()))
    done = f"已导入 {created} 名学员" if created else ""
    return after_post(training_class, "roster", errors, done)
