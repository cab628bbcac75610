"""The staff pages' log-in, log-out and home."""

from flask import Blueprint, g, redirect, render_template, request, url_for
from sqlalchemy import func

from backend.auth.limits import limit_logins
from backend.auth.logic import check_credentials
from backend.auth.models import Role
from backend.classes.logic import projects_for, visible_classes, warnings_of
from backend.core.errors import ApiError
from backend.core.timeutil import today_in_china
from backend.core.transaction import writes
from backend.exports.deadlines import deadline_state
from backend.extensions import db
from backend.plans.models import PlanYear
from backend.plans.pages import admin_home
from backend.web.auth import page_login_required, safe_next, sign_in, sign_out

bp = Blueprint("web", __name__, template_folder="templates")
STAFF_ROLES = (Role.ADMIN, Role.ORGANIZER, Role.LECTURER)


@bp.get("/login")
def login():
    return render_template("login.html", next=request.args.get("next", ""), error=None, username="")


@bp.post("/login")
@limit_logins
def login_submit():
    username = request.form.get("username", "")
    try:
        user = check_credentials(username, request.form.get("password", ""))
    except ApiError as error:
        page = render_template(
            "login.html",
            next=request.form.get("next", ""),
            error=error.message,
            username=username.strip(),
        )
        return page, error.status
    sign_in(user)
    return redirect(safe_next(request.form.get("next")))


@bp.post("/logout")
@writes
def logout():
    sign_out()
    return redirect(url_for("web.login"))


@bp.get("/")
@page_login_required(*STAFF_ROLES)
def home():
    """Links to every page the user may open."""
    if g.user.role == Role.LECTURER:
        return redirect("/lecturer")
    if g.user.role == Role.ADMIN:
        return admin_home()
    today = today_in_china()
    rows = [{"c": c, "flags": class_flags(c, today)} for c in visible_classes(g.user)]
    return render_template(
        "home.html",
        rows=rows,
        year=db.session.scalar(db.select(func.max(PlanYear.year))),
        can_create=bool(projects_for(g.user)),
    )


def class_flags(training_class, today) -> list[str]:
    """The rules a class breaks, in words: the notice's warnings and the deadlines' flags."""
    flags = [f.message for f in deadline_state(training_class, today)["flags"]]
    return flags + [w for w in warnings_of(training_class) if "期限" not in w]
