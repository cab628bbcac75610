"""The staff pages' log-in, log-out and home."""

from flask import Blueprint, g, redirect, render_template, request, url_for

from backend.auth.limits import limit_logins
from backend.auth.logic import check_credentials
from backend.auth.models import Role
from backend.classes.logic import sessions_of, visible_classes
from backend.core.errors import ApiError
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
def logout():
    sign_out()
    return redirect(url_for("web.login"))


@bp.get("/")
@page_login_required(*STAFF_ROLES)
def home():
    """Links to every page the user may open."""
    if g.user.role == Role.LECTURER:
        return redirect("/lecturer")
    classes = [(c, sessions_of(c.id)) for c in visible_classes(g.user)]
    return render_template("home.html", classes=classes)
