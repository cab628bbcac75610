"""The staff pages' log-in, log-out and home."""

from flask import Blueprint, g, redirect, render_template, request, url_for
from werkzeug.security import check_password_hash

from backend.auth.logic import DUMMY_HASH
from backend.auth.models import Role, User
from backend.classes.logic import projects_for, visible_classes, warnings_of
from backend.core.timeutil import today_in_china
from backend.exports.deadlines import deadline_state
from backend.extensions import db, limiter
from backend.web.auth import page_login_required, safe_next, session, sign_in

bp = Blueprint("web", __name__, template_folder="templates")
STAFF_ROLES = (Role.ADMIN, Role.ORGANIZER, Role.LECTURER)


@bp.get("/login")
def login():
    return render_template("login.html", next=request.args.get("next", ""), error=None, username="")


@bp.post("/login")
@limiter.limit("30/minute")
def login_submit():
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    user = db.session.scalar(db.select(User).where(User.username == username))
    if user is None:
        check_password_hash(DUMMY_HASH, password)
    if user is None or not user.check_password(password):
        page = render_template(
            "login.html",
            next=request.form.get("next", ""),
            error="用户名或密码错误",
            username=username,
        )
        return page, 401
    sign_in(user)
    return redirect(safe_next(request.form.get("next")))


@bp.post("/logout")
def logout():
    session.clear()
    return redirect(url_for("web.login"))


@bp.get("/")
@page_login_required(*STAFF_ROLES)
def home():
    """Links to every page the user may open."""
    if g.user.role == Role.LECTURER:
        return redirect("/lecturer")
    today = today_in_china()
    rows = [{"c": c, "flags": class_flags(c, today)} for c in visible_classes(g.user)]
    return render_template(
        "home.html", rows=rows, year=today.year, can_create=bool(projects_for(g.user))
    )


def class_flags(training_class, today) -> list[str]:
    """The rules a class breaks, in words: the notice's warnings and the deadlines' flags."""
    flags = [f.message for f in deadline_state(training_class, today)["flags"]]
    return flags + [w for w in warnings_of(training_class) if "期限" not in w]
