"""Start the real backend for the mini-program tests.

Run with the project's virtualenv python from anywhere:

    .venv/bin/python miniprogram_stub/test/start_backend.py [--ended]

It makes a SQLite file in a temporary folder, migrates it (what `flask db upgrade` does),
builds the scenario of tests/conftest.py's build_world (plan 2023, admin, organizer, lecturer
accounts, an approved class running now with four sessions, ten trainees on the roster of
whom six are bound to `dev:` WeChat users; with `--ended` the class ran five days ago, so its
certificates can be issued), prints one line of JSON describing it, then
serves the app with DEV_LOGIN on a free port until its standard input closes (the test
runner holds the pipe; when the runner dies, the server goes too).

WeChat is the fake server of tests/fakewechat.py, so the backend can make real mini-program
codes; a small side server (`wechat_control` in the JSON) lists the scenes the backend put
into them, which is what a phone scanning such a code would hand to the page.
"""

import json
import logging
import os
import secrets
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from flask import Flask, jsonify  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from backend import create_app  # noqa: E402
from backend.extensions import db  # noqa: E402
from backend.reminders.logic import TEMPLATE_KEYS  # noqa: E402
from tests.fakewechat import FakeWeChat  # noqa: E402


def settings(database_url: str, wechat: FakeWeChat) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": secrets.token_hex(32),
        "DEV_LOGIN": True,
        "REDIS_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://",
        "WECHAT_APP_ID": wechat.app_id,
        "WECHAT_APP_SECRET": wechat.app_secret,
        "WECHAT_API_BASE": wechat.base_url,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "REMINDER_TEMPLATES": {kind.value: f"tpl-{kind.value}" for kind in TEMPLATE_KEYS},
    }


def expired_qr_text(class_id: int, session_id: int) -> str:
    """What the projector showed for session `session_id` a hundred code rotations ago."""
    from backend.checkin import logic, tokens
    from backend.classes.models import TrainingClass
    from backend.enrollment.models import AttendanceMode

    rotation = logic.rotation_of(db.session.get(TrainingClass, class_id))
    old_slot = rotation.slot_at(time.time()) - 100
    return tokens.qr_text(tokens.SlotRef(session_id, AttendanceMode.ONSITE, old_slot))


def build_scenario(app, ended: bool) -> dict:
    """The world of the backend's own tests, described for the JavaScript side."""
    from backend.core.timeutil import utcnow
    from backend.enrollment.models import Enrollment
    from tests.conftest import build_world

    with app.app_context():
        now = utcnow() - timedelta(days=5) if ended else None
        world = build_world(app, now=now, trainees=10, bound=6)
        unbound = [db.session.get(Enrollment, entry_id) for entry_id in world.unbound]
        return {
            "expired_qr_text": expired_qr_text(world.class_id, world.session_ids[0]),
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
            "unbound": [{"enrollment_id": e.id, "name": e.name, "phone": e.phone} for e in unbound],
        }


def wechat_control(wechat: FakeWeChat) -> Flask:
    """What the fake WeChat was asked for: the scene and page of every mini-program code."""
    control = Flask("wechat_control")

    @control.get("/wxacodes")
    def wxacodes():
        calls = wechat.calls_to("/wxa/getwxacodeunlimit")
        return jsonify(
            [{"scene": data.get("scene"), "page": data.get("page")} for _, _, data in calls]
        )

    return control


def stop_when_stdin_closes(*servers) -> None:
    """The parent holds our stdin; EOF means it is gone or done with us."""
    sys.stdin.read()
    for server in servers:
        server.shutdown()


def main() -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="yanxiu-mp-") as folder:
        database_url = f"sqlite:///{Path(folder) / 'yanxiu.sqlite3'}"
        os.environ["DATABASE_URL"] = database_url
        wechat = FakeWeChat()
        wechat.templates.update({f"tpl-{k.value}": keys for k, keys in TEMPLATE_KEYS.items()})
        app = create_app(settings(database_url, wechat))
        with app.app_context():
            upgrade()
        scenario = build_scenario(app, ended="--ended" in sys.argv[1:])
        server = make_server("127.0.0.1", 0, app, threaded=True)
        control = make_server("127.0.0.1", 0, wechat_control(wechat), threaded=True)
        threading.Thread(target=control.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        print(
            json.dumps(
                {
                    "base_url": base,
                    "api": f"{base}/api/v1",
                    "wechat_control": f"http://127.0.0.1:{control.server_port}",
                    **scenario,
                }
            ),
            flush=True,
        )
        threading.Thread(target=stop_when_stdin_closes, args=(server, control), daemon=True).start()
        server.serve_forever()
        wechat.stop()
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
