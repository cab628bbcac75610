"""Wiring of the pages into the app."""

from datetime import datetime

from flask import Flask

from backend.core.timeutil import to_china
from backend.web.auth import csrf_token
from backend.web.routes import bp
from backend.web.security import register_security_headers


def china_time(value: datetime, fmt: str = "%m-%d %H:%M") -> str:
    return to_china(value).strftime(fmt)


def init_web(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_global(csrf_token)
    app.add_template_filter(china_time)
    register_security_headers(app)
