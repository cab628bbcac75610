"""Staff log-in for HTML pages: a session cookie instead of a bearer header.

The cookie holds the user id and token_version, so a password change or log-out ends
page sessions too. A page that calls the API gets a fresh bearer token in a data
attribute of <body> (never in an inline script).
"""

import secrets
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from flask import abort, g, redirect, request, session, url_for

from backend.auth import tokens
from backend.auth.models import User
from backend.extensions import db


def page_user() -> User | None:
    """The staff user of this browser session, if still valid."""
    user_id, version = session.get("uid"), session.get("tv")
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    if user is None or user.token_version != version:
        session.clear()
        return None
    return user


def sign_in(user: User) -> None:
    session.clear()
    session["uid"] = user.id
    session["tv"] = user.token_version
    session.permanent = True


def page_login_required(*roles: str) -> Callable:
    """Guard a page: log in first (redirect), then only `roles` (others: 403 page)."""
    allowed = {str(r) for r in roles}

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = page_user()
            if user is None:
                return redirect(url_for("web.login", next=request.full_path.rstrip("?")))
            if user.role.value not in allowed:
                abort(403)
            g.user = user
            g.api_token = tokens.issue("staff", user.id, user.token_version)[0]
            return view(*args, **kwargs)

        return wrapper

    return decorator


def csrf_token() -> str:
    """A per-session token for the forms of these pages."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def check_csrf() -> None:
    """400 unless the request carries this session's token (form field or htmx header)."""
    sent = request.form.get("csrf") or request.headers.get("X-CSRF-Token", "")
    if not sent or not secrets.compare_digest(sent, session.get("csrf", "")):
        abort(400)


def safe_next(target: str | None) -> str:
    """Only same-site paths: never redirect a log-in to another host."""
    if not target:
        return url_for("web.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("web.home")
    return target
