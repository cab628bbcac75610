"""The projector's check-out page and the class page's 签退 setting form."""

from flask import Blueprint, abort, render_template

from backend.auth.models import Role
from backend.checkout import logic
from backend.checkout.schemas import SettingSchema
from backend.classes.access import class_for_organizer, is_staff_of
from backend.classes.models import Session, TrainingClass
from backend.classes.pages import after_post
from backend.core.errors import ApiError
from backend.core.transaction import writes
from backend.extensions import db
from backend.web.auth import page_login_required
from backend.web.forms import run_form

bp = Blueprint("checkout_pages", __name__, template_folder="templates")


@bp.get("/display/sessions/<int:session_id>/checkout")
@page_login_required(Role.ADMIN, Role.ORGANIZER)
def display(session_id: int):
    """Full screen for the room: the check-out QR (the API's image), the page reloaded as
    the code rotates (no script needed)."""
    session = db.session.get(Session, session_id)
    training_class = session and db.session.get(TrainingClass, session.class_id)
    if training_class is None or not is_staff_of(training_class):
        abort(404)
    try:
        code, message = logic.checkout_code(session, training_class), ""
    except ApiError as error:
        code, message = None, error.message
    return render_template(
        "checkout/display.html",
        session=session,
        training_class=training_class,
        code=code,
        message=message,
        refresh=max(1, training_class.code_rotate_seconds),
    )


@bp.post("/classes/<int:class_id>/checkout")
@writes
@page_login_required(Role.ORGANIZER)
def setting(class_id: int):
    training_class = class_for_organizer(class_id)
    _, errors = run_form(SettingSchema(), lambda data: logic.set_setting(training_class, data))
    return after_post(training_class, "attendance", errors, "签退设置已保存")
