"""The scheduler on several machines at once, killed mid-round, locked out, or switched off."""

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from backend.core.timeutil import utcnow
from backend.extensions import db
from backend.reminders.models import Reminder, Status
from backend.reminders.sending import INTERRUPTED_AFTER
from tests.conftest import ROOT, build_world, wait_for
from tests.reminders.conftest import TEMPLATES, reminders_of, sent_to, start_in, subscribe, tick

FLASK = Path(sys.executable).with_name("flask")
SEND = "cgi-bin/message/subscribe/send"


@pytest.fixture
def big_class(app):
    """A class of 30 trainees, all bound, all subscribed to the session reminder."""
    return build_world(app, trainees=30, bound=30)


def _scheduler(database_url: str, wechat, *args: str) -> subprocess.Popen:
    """`flask reminders <args>` in a process of its own, as on another machine."""
    env = os.environ | {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "WECHAT_APP_ID": wechat.app_id,
        "WECHAT_APP_SECRET": wechat.app_secret,
        "WECHAT_API_BASE": wechat.base_url,
        "WECHAT_TIMEOUT": "60",
        **{f"REMINDER_TEMPLATE_{kind.upper()}": tid for kind, tid in TEMPLATES.items()},
    }
    env.pop("REDIS_URL", None)
    return subprocess.Popen(
        [str(FLASK), "--app", "backend", "reminders", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _due_for_all(app, api, world) -> None:
    for token in world.trainees.values():
        subscribe(api, token, session_start=1)
    start_in(app, world.session_ids[1], 15)


def test_two_scheduler_processes_at_once_send_each_reminder_once(
    app, api, big_class, wechat, database_url
):
    world = big_class
    _due_for_all(app, api, world)
    wechat.send_together(2)  # the first message of each waits for the other's: both at work

    processes = [_scheduler(database_url, wechat, "tick") for _ in range(2)]
    outputs = [p.communicate(timeout=120)[0] for p in processes]

    assert [p.returncode for p in processes] == [0, 0], outputs
    assert all("sent=" in output for output in outputs), outputs  # each sent some
    touched = sorted(m["touser"] for m in sent_to(wechat, "session_start"))
    assert len(touched) == 30 and len(set(touched)) == 30
    assert reminders_of(api, world)[f"session:{world.session_ids[1]}"]["sent"] == 30


def test_a_scheduler_killed_mid_send_repeats_nothing(app, api, big_class, wechat, database_url):
    world = big_class
    _due_for_all(app, api, world)
    wechat.script(SEND, "hang")  # the first message is on its way when the process dies
    victim = _scheduler(database_url, wechat, "tick")
    wait_for(lambda: wechat.calls_to(SEND), "sending")
    victim.send_signal(signal.SIGKILL)
    victim.wait()

    tick(app)
    tick(app)

    touched = [m["touser"] for m in sent_to(wechat, "session_start")]
    assert len(touched) == 29 and len(set(touched)) == 29
    row = reminders_of(api, world)[f"session:{world.session_ids[1]}"]
    assert (row["sent"], row["pending"]) == (29, 1)  # the one in flight is never sent again

    with app.app_context():  # ten minutes on, a round says what became of it
        db.session.execute(
            update(Reminder)
            .where(Reminder.status == Status.SENDING)
            .values(claimed_at=utcnow() - INTERRUPTED_AFTER - timedelta(minutes=1))
        )
        db.session.commit()
    assert "interrupted=1" in tick(app)
    row = reminders_of(api, world)[f"session:{world.session_ids[1]}"]
    assert (row["sent"], row["failed"], row["pending"]) == (29, 1, 0)
    assert len(sent_to(wechat, "session_start")) == 29


def test_a_round_running_elsewhere_holds_the_lock(app, api, world, wechat, redis_env):
    import redis

    app.config.update(redis_env)
    app.extensions["redis"] = redis.Redis.from_url(redis_env["REDIS_URL"])
    _due_for_all(app, api, world)
    lock = app.extensions["redis"].lock(f"{redis_env['RATELIMIT_KEY_PREFIX']}:reminders:round")
    assert lock.acquire(blocking=False)

    assert "locked=1" in tick(app)
    assert sent_to(wechat, "session_start") == []

    lock.release()
    tick(app)
    assert len(sent_to(wechat, "session_start")) == 3


def test_without_template_ids_reminders_are_off_and_say_so(app, api, world, fake_wechat):
    app.config.update(
        WECHAT_APP_ID=fake_wechat.app_id,
        WECHAT_APP_SECRET=fake_wechat.app_secret,
        WECHAT_API_BASE=fake_wechat.base_url,
    )
    from backend.auth.logic import init_wechat

    init_wechat(app)
    _due_for_all(app, api, world)

    output = tick(app)

    assert "未配置模板" in output and "REMINDER_TEMPLATE_SESSION_START" in output
    assert fake_wechat.calls_to(SEND) == []
    assert reminders_of(api, world) == {}
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Reminder)) == 0
    assert subscribe(api, world.trainee)["session_start"] == 1  # the credit kept for later


def test_credits_never_go_below_zero(app, api, world, wechat):
    _due_for_all(app, api, world)
    for token in world.trainees.values():
        assert subscribe(api, token)["session_start"] == 1
    tick(app)
    for token in world.trainees.values():
        assert subscribe(api, token)["session_start"] == 0
    with app.app_context():
        statuses = db.session.scalars(db.select(Reminder.status)).all()
    assert statuses == [Status.SENT] * 3
