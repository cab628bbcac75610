"""The class page's roster upload: the API's own reading of the .xlsx and its import."""

from flask import Blueprint

from backend.auth.models import Role
from backend.classes.access import class_for_organizer
from backend.classes.pages import after_post
from backend.core.transaction import writes
from backend.enrollment import logic
from backend.enrollment.routes import uploaded_rows
from backend.web.auth import page_login_required
from backend.web.forms import run_action

bp = Blueprint("enrollment_pages", __name__)


@bp.post("/classes/<int:class_id>/roster")
@writes
@page_login_required(Role.ORGANIZER)
def import_roster(class_id: int):
    """上传名单 + 导入: all rows or none; each bad row's problems shown by its Excel row."""
    training_class = class_for_organizer(class_id)

    def run():
        rows, from_xlsx = uploaded_rows()
        return logic.import_roster(training_class, rows, skip_existing=from_xlsx)

    result, errors = run_action(run)
    done = ""
    if result:
        done = f"已导入 {result['created']} 名学员"
        if result["skipped"]:
            done += f"，{len(result['skipped'])} 名已在名单中，已跳过"
    return after_post(training_class, "roster", errors, done)


@bp.post("/classes/<int:class_id>/trainees/<int:enrollment_id>/unbind")
@writes
@page_login_required(Role.ORGANIZER)
def unbind(class_id: int, enrollment_id: int):
    """解除绑定: the API's own unbind (DELETE …/binding); the trainee binds again in WeChat."""
    training_class = class_for_organizer(class_id)
    entry, errors = run_action(lambda: logic.unbind(training_class, enrollment_id))
    done = f"已解除“{entry.name}”的小程序绑定，该学员需在小程序中重新绑定" if entry else ""
    return after_post(training_class, "roster", errors, done)
