"""Start the real backend for the mini-program tests.

Run with the project's virtualenv python from anywhere:

    .venv/bin/python miniprogram_stub/test/start_backend.py

It makes a SQLite file in a temporary folder, migrates it (what `flask db upgrade` does),
builds the scenario of tests/conftest.py's build_world (plan 2023, admin, organizer, lecturer
accounts, an approved class running now with four sessions, five trainees on the roster of
whom three are bound to `dev:` WeChat users), prints one line of JSON describing it, then
serves the app with DEV_LOGIN on a free port until its standard input closes (the test
runner holds the pipe; when the runner dies, the server goes too).
"""

import json
import logging
import os
import secrets
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from backend import create_app  # noqa: E402
from backend.extensions import db  # noqa: E402


def settings(database_url: str) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": secrets.token_hex(32),
        "DEV_LOGIN": True,
        "REDIS_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://",
        "WECHAT_APP_ID": None,
        "WECHAT_APP_SECRET": None,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }


def build_scenario(app) -> dict:
    """The world of the backend's own tests, described for the JavaScript side."""
    from backend.enrollment.models import Enrollment
    from tests.conftest import build_world

    with app.app_context():
        world = build_world(trainees=5, bound=3)
        unbound = [db.session.get(Enrollment, entry_id) for entry_id in world.unbound]
        return {
            "class_id": world.class_id,
            "session_ids": world.session_ids,
            "lecturer_ids": world.lecturer_ids,
            "tokens": {
                "admin": world.admin,
                "organizer": world.organizer,
                "lecturer": world.lecturer,
                "other_lecturer": world.other_lecturer,
            },
            "lecturer": {"username": "lect-wang", "password": "lect-wang-password"},
            "other_lecturer": {"username": "lect-li", "password": "lect-li-password"},
            "organizer": {"username": "org-hust", "password": "org-hust-password"},
            # Bound trainees log in with these wx.login codes (their openids).
            "bound": [
                {"enrollment_id": entry_id, "code": f"dev:trainee{entry_id}"}
                for entry_id in world.trainees
            ],
            # Roster entries nobody has bound yet: name and phone for the bind form.
            "unbound": [
                {"enrollment_id": e.id, "name": e.name, "phone": e.phone} for e in unbound
            ],
        }


def stop_when_stdin_closes(server) -> None:
    """The parent holds our stdin; EOF means it is gone or done with us."""
    sys.stdin.read()
    server.shutdown()


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="yanxiu-mp-") as folder:
        database_url = f"sqlite:///{Path(folder) / 'yanxiu.sqlite3'}"
        os.environ["DATABASE_URL"] = database_url
        app = create_app(settings(database_url))
        with app.app_context():
            upgrade()
        scenario = build_scenario(app)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        base = f"http://127.0.0.1:{server.server_port}"
        print(json.dumps({"base_url": base, "api": f"{base}/api/v1", **scenario}), flush=True)
        threading.Thread(target=stop_when_stdin_closes, args=(server,), daemon=True).start()
        server.serve_forever()
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
