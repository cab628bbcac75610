"""Wiring of the check-in pages and the check-in's rate limits (and, for benchmarks only,
the bare insert endpoint)."""

import os

from flask import Flask

from backend.checkin.display import bp
from backend.checkin.limits import init_limits

#: Set to 1 only on a benchmark server: adds POST /api/bench/insert-checkin (no log-in!).
BENCH_ENV = "YANXIU_BENCH_ENDPOINTS"


def init_checkin(app: Flask) -> None:
    app.register_blueprint(bp)
    init_limits(app)
    if os.environ.get(BENCH_ENV) == "1":
        from backend.checkin.bench import bp as bench_bp

        app.register_blueprint(bench_bp)
