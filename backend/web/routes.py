"""The staff pages' log-in, log-out and home."""

from flask import Blueprint, g, redirect, render_template, request, url_for
from werkzeug.security import check_password_hash

from backend.auth.logic import DUMMY_HASH
from backend.auth.models import Role, User
from backend.classes.logic import sessions_of, visible_classes
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
    classes = [(c, sessions_of(c.id)) for c in visible_classes(g.user)]
    return render_template("home.html", classes=classes)
