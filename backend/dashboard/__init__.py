"""Dashboards for screens: the host unit's live class page and the province's year page."""

from flask import Flask


def init_dashboard(app: Flask) -> None:
    from backend.dashboard.routes import bp

    app.register_blueprint(bp)
