"""Reminders against the fake WeChat server: templates chosen, WeChat configured."""

from datetime import timedelta

import pytest

from backend.auth.logic import init_wechat
from backend.auth.models import Trainee
from backend.classes.models import Session
from backend.core.timeutil import utcnow
from backend.extensions import db
from backend.reminders.logic import TEMPLATE_KEYS
from tests.completion.conftest import ended  # noqa: F401  (fixture)
from tests.live.conftest import live_server  # noqa: F401  (fixture)

TEMPLATES = {kind.value: f"tpl-{kind.value}" for kind in TEMPLATE_KEYS}


@pytest.fixture
def wechat(app, fake_wechat):
    """WeChat configured against the fake server, with a template for every kind."""
    app.config.update(
        WECHAT_APP_ID=fake_wechat.app_id,
        WECHAT_APP_SECRET=fake_wechat.app_secret,
        WECHAT_API_BASE=fake_wechat.base_url,
        REMINDER_TEMPLATES=dict(TEMPLATES),
    )
    init_wechat(app)
    for kind, keys in TEMPLATE_KEYS.items():
        fake_wechat.templates[TEMPLATES[kind.value]] = keys
    return fake_wechat


def tick(app) -> str:
    """`flask reminders tick`, as the scheduler's process runs it; its output."""
    result = app.test_cli_runner().invoke(args=["reminders", "tick"])
    assert result.exit_code == 0, result.output
    return result.output


def subscribe(api, token: str, **accepted: int) -> dict:
    answer = api.post("/me/subscriptions", token, json={"accepted": accepted})
    assert answer.status_code == 200, answer.json
    return answer.json["credits"]


def openid_of(app, world, enrollment_id: int) -> str:
    from backend.enrollment.models import Enrollment

    with app.app_context():
        entry = db.session.get(Enrollment, enrollment_id)
        return db.session.get(Trainee, entry.trainee_id).openid


def start_in(app, session_id: int, minutes: int) -> None:
    """Move a session so that it starts `minutes` from now (two hours long)."""
    with app.app_context():
        session = db.session.get(Session, session_id)
        session.starts_at = utcnow().replace(second=0, microsecond=0) + timedelta(minutes=minutes)
        session.ends_at = session.starts_at + timedelta(hours=2)
        db.session.commit()


def sent_to(wechat, kind: str) -> list[dict]:
    """The messages of one kind WeChat delivered."""
    return [m for m in wechat.subscribe_messages if m["template_id"] == TEMPLATES[kind]]


def reminders_of(api, world) -> dict[str, dict]:
    answer = api.get(f"/classes/{world.class_id}/reminders", world.organizer)
    assert answer.status_code == 200, answer.json
    return {row["target"]: row for row in answer.json}
