"""Wiring of the pages into the app."""

from datetime import datetime

from flask import Flask, request

from backend.auth.models import User
from backend.core.timeutil import to_china
from backend.labels import all_labels
from backend.web.auth import check_csrf, csrf_token
from backend.web.routes import bp
from backend.web.security import register_security_headers

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
ROLE_NAMES = {"admin": "省人社厅", "organizer": "承办单位", "lecturer": "授课人"}


def china_time(value: datetime, fmt: str = "%m-%d %H:%M") -> str:
    return to_china(value).strftime(fmt)


def person_name(user: User) -> str:
    """The header shows who is at the keyboard: the person's name, never the log-in name."""
    return user.full_name or ROLE_NAMES[user.role.value] + "工作人员"


def person_unit(user: User) -> str:
    unit = user.unit
    return unit.name if unit is not None else ROLE_NAMES[user.role.value]


def _csrf_for_pages() -> None:
    """Every state-changing request to a page carries the session's CSRF token (form field
    `csrf` or header X-CSRF-Token, which htmx sends). The API uses bearer tokens, no cookie.
    A path that is no page at all answers 404, as it would without the check."""
    is_page = request.url_rule is not None and not request.path.startswith("/api/")
    if request.method not in SAFE_METHODS and is_page:
        check_csrf()


def init_web(app: Flask) -> None:
    from backend.checkin.pages import bp as checkin_pages
    from backend.classes.pages import bp as class_pages
    from backend.enrollment.pages import bp as enrollment_pages
    from backend.exports.pages import bp as export_pages

    for blueprint in (bp, class_pages, enrollment_pages, checkin_pages, export_pages):
        app.register_blueprint(blueprint)
    app.before_request(_csrf_for_pages)
    for function in (csrf_token, person_name, person_unit):
        app.add_template_global(function)
    app.add_template_global(all_labels(), "labels")
    app.add_template_filter(china_time)
    register_security_headers(app)
