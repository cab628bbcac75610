"""The class page's attendance corrections: several cells at once, one reason, each cell
through the API's own schema and logic (attendance.correct)."""

from flask import Blueprint, g, request

from backend.auth.models import Role
from backend.checkin import attendance
from backend.checkin.schemas import CorrectionSchema
from backend.classes.access import class_for_organizer, session_for_staff
from backend.classes.pages import after_post
from backend.core.errors import not_found, validation_failed
from backend.web.auth import page_login_required
from backend.web.forms import run_form

bp = Blueprint("checkin_pages", __name__)
#: 改为: the marks an organizer may set, as the API's {present, late}.
MARKS = {"present": (True, False), "late": (True, True), "absent": (False, False)}


def _cells() -> list[tuple[int, int]]:
    """The ticked cells as (session_id, enrollment_id)."""
    cells = []
    for value in request.form.getlist("cell"):
        session_id, _, enrollment_id = value.partition(":")
        if not (session_id.isdigit() and enrollment_id.isdigit()):
            raise not_found("找不到所选的签到记录")
        cells.append((int(session_id), int(enrollment_id)))
    if not cells:
        raise validation_failed({"_form": ["请先勾选要更正的签到格"]})
    return cells


@bp.post("/classes/<int:class_id>/attendance")
@page_login_required(Role.ORGANIZER)
def correct(class_id: int):
    training_class = class_for_organizer(class_id)
    present, late = MARKS.get(request.form.get("mark", ""), (None, None))

    def apply(data: dict) -> int:
        cells = _cells()
        for session_id, enrollment_id in cells:
            session = session_for_staff(session_id, roles=("organizer",))
            if session.class_id != training_class.id:
                raise not_found("找不到该课程")
            attendance.correct(session, enrollment_id, data, g.user)
        return len(cells)

    form = {"reason": request.form.get("reason", ""), "present": present, "late": late}
    count, errors = run_form(CorrectionSchema(), apply, form)
    return after_post(training_class, "attendance", errors, f"已更正 {count} 个签到格")
