"""Yanxiu (研修通): the backend of the training classes' WeChat mini-program."""

from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import text

from backend import core  # noqa: F401  (engine settings are registered on import)
from backend.config import Config
from backend.core import database  # noqa: F401
from backend.core.errors import register_error_handlers
from backend.core.ids import init_ids
from backend.core.proxy import init_proxy
from backend.core.transaction import TransactionalFlask
from backend.extensions import api, db, limiter, migrate

API_PREFIX = "/api/v1"


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """The app factory; tests pass settings in test_config."""
    app = TransactionalFlask(__name__, instance_relative_config=True)
    app.config.from_object(Config(Path(app.instance_path)))
    if test_config:
        app.config.update(test_config)
    app.json.ensure_ascii = False
    init_ids(app)
    # Keys keep their order: row errors come sorted by row number, not as text ("10" < "2").
    app.json.sort_keys = False
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    # No X-RateLimit-* headers: on every answer they cost one more round trip to the limits'
    # storage (a third of a check-in's rate-limit cost); a 429 says Retry-After (core/errors.py).
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(Path(__file__).parent.parent / "migrations"), render_as_batch=True
    )
    api.init_app(app)
    limiter.init_app(app)
    register_error_handlers(app)
    _init_redis(app)
    _init_cors(app)
    _register_modules(app)
    init_proxy(app)
    return app


def _init_redis(app: Flask) -> None:
    url = app.config.get("REDIS_URL")
    if url:
        import redis

        app.extensions["redis"] = redis.Redis.from_url(
            url, socket_timeout=2, socket_connect_timeout=2, health_check_interval=30
        )


def _init_cors(app: Flask) -> None:
    """CORS stays closed (no header at all) unless CORS_ORIGINS lists the allowed origins."""
    origins = [o.strip() for o in app.config.get("CORS_ORIGINS", "").split(",") if o.strip()]
    if origins:
        from flask_cors import CORS

        CORS(
            app,
            resources={r"/api/*": {"origins": origins}},
            max_age=600,
            allow_headers=["Authorization", "Content-Type", "Last-Event-ID"],
        )


def _register_modules(app: Flask) -> None:
    from backend import models  # noqa: F401  (the whole schema, for Alembic)
    from backend.admin import pages as admin_pages
    from backend.audit import routes as audit_routes
    from backend.auth import routes as auth_routes
    from backend.auth.logic import init_wechat
    from backend.checkin import routes as checkin_routes
    from backend.checkin.setup import init_checkin
    from backend.checkout import pages as checkout_pages
    from backend.checkout import routes as checkout_routes
    from backend.classes import routes as class_routes
    from backend.cli import register_cli
    from backend.completion import pages as completion_pages
    from backend.completion import routes as completion_routes
    from backend.dashboard import init_dashboard
    from backend.enrollment import routes as enrollment_routes
    from backend.exports import routes as export_routes
    from backend.labels import routes as label_routes
    from backend.leave import pages as leave_pages
    from backend.leave import routes as leave_routes
    from backend.live import init_live
    from backend.live import routes as live_routes
    from backend.plans import pages as plan_pages
    from backend.plans import routes as plan_routes
    from backend.privacy import routes as privacy_routes
    from backend.recruitment import pages as recruitment_pages
    from backend.recruitment import routes as recruitment_routes
    from backend.reminders import routes as reminder_routes
    from backend.surveys import pages as survey_pages
    from backend.surveys import routes as survey_routes
    from backend.surveys.release import connect as connect_survey_release
    from backend.web.setup import init_web

    for module in (
        auth_routes,
        plan_routes,
        class_routes,
        enrollment_routes,
        checkin_routes,
        audit_routes,
        privacy_routes,
        survey_routes,
        export_routes,
        live_routes,
        completion_routes,
        label_routes,
        recruitment_routes,
        leave_routes,
        checkout_routes,
        reminder_routes,
    ):
        api.register_blueprint(module.blp, url_prefix=API_PREFIX)
    init_wechat(app)
    init_web(app)
    init_checkin(app)
    app.register_blueprint(survey_pages.bp)
    app.register_blueprint(plan_pages.bp)
    app.register_blueprint(admin_pages.bp)
    app.register_blueprint(completion_pages.bp)
    app.register_blueprint(recruitment_pages.bp)
    app.register_blueprint(leave_pages.bp)
    app.register_blueprint(checkout_pages.bp)
    init_live(app)
    connect_survey_release()
    init_dashboard(app)
    register_cli(app)
    app.add_url_rule("/healthz", "healthz", healthz)


def healthz():
    """For load balancers: the app answers and its database too."""
    db.session.execute(text("SELECT 1"))
    return {"ok": True}
