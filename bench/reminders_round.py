"""One scheduler round (`flask reminders tick`'s work) for 50 classes × 40 trainees, each class
with a session starting in 20 minutes and every trainee holding a credit: 2,000 reminders
queued and sent through wechatpy to the fake WeChat server. Prints the round's time and the
database statements it ran (in all, and per reminder).

    .venv/bin/python bench/reminders_round.py                 # SQLite (a temporary file)
    .venv/bin/python bench/reminders_round.py --postgresql    # a private database on 127.0.0.1:5432
"""

import argparse
import sys
import time
from datetime import timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import event, insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend import create_app  # noqa: E402
from backend.extensions import db  # noqa: E402
from bench.exports import config, database  # noqa: E402
from tests.fakewechat import FakeWeChat  # noqa: E402

CLASSES, TRAINEES = 50, 40


def build() -> None:
    """50 approved classes of 40 bound trainees with one credit each, a session in 20 min."""
    from backend.auth.models import Trainee
    from backend.classes.models import ClassMode, ClassStatus, Lecturer, Session, TrainingClass
    from backend.core.timeutil import today_in_china, utcnow
    from backend.enrollment.models import Enrollment
    from backend.plans.logic import load_plan
    from backend.plans.models import Project
    from backend.reminders.models import Kind, SubscriptionCredit

    load_plan(2023)
    project = db.session.scalars(db.select(Project)).first()
    lecturer = Lecturer(name="专家", title="教授")
    db.session.add(lecturer)
    db.session.flush()
    starts = utcnow().replace(second=0, microsecond=0) + timedelta(minutes=20)
    today = today_in_china()
    for number in range(CLASSES):
        training_class = TrainingClass(
            project=project,
            location="武汉",
            start_date=today,
            end_date=today + timedelta(days=3),
            mode=ClassMode.OFFLINE,
            status=ClassStatus.APPROVED,
        )
        db.session.add(training_class)
        db.session.flush()
        db.session.add(
            Session(
                class_id=training_class.id,
                topic=f"第{number}班专题一",
                lecturer_id=lecturer.id,
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                venue="报告厅",
            )
        )
        for i in range(TRAINEES):
            trainee = Trainee(openid=f"bench-{number}-{i}")
            db.session.add(trainee)
            db.session.flush()
            db.session.add(
                Enrollment(
                    class_id=training_class.id,
                    name=f"学员{i}",
                    phone=f"139{number:04d}{i:04d}",
                    trainee_id=trainee.id,
                )
            )
    db.session.flush()
    trainee_ids = db.session.scalars(db.select(Trainee.id)).all()
    db.session.execute(
        insert(SubscriptionCredit),
        [
            {"trainee_id": t, "kind": Kind.SESSION_START, "credits": 1, "updated_at": utcnow()}
            for t in trainee_ids
        ],
    )
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgresql", action="store_true")
    args = parser.parse_args()
    url, drop = database(args.postgresql)
    wechat = FakeWeChat()
    from backend.reminders.logic import TEMPLATE_KEYS

    templates = {kind.value: f"tpl-{kind.value}" for kind in TEMPLATE_KEYS}
    wechat.templates.update({templates[k.value]: keys for k, keys in TEMPLATE_KEYS.items()})
    app = create_app(
        config(url)
        | {
            "WECHAT_APP_ID": wechat.app_id,
            "WECHAT_APP_SECRET": wechat.app_secret,
            "WECHAT_API_BASE": wechat.base_url,
            "REMINDER_TEMPLATES": templates,
        }
    )
    try:
        with app.app_context():
            upgrade()
            build()
            from backend.reminders.schedule import run_round

            statements = 0

            def count(*_args) -> None:
                nonlocal statements
                statements += 1

            event.listen(db.engine, "before_cursor_execute", count)
            began = time.perf_counter()
            outcomes = run_round()
            elapsed = time.perf_counter() - began
            event.remove(db.engine, "before_cursor_execute", count)
            sent = outcomes["sent"]
            print(f"database: {db.engine.dialect.name}")
            print(
                f"outcomes: {dict(outcomes)}; delivered to WeChat: {len(wechat.subscribe_messages)}"
            )
            print(f"round: {elapsed:.2f} s, {elapsed / sent * 1000:.1f} ms per reminder")
            print(f"statements: {statements}, {statements / sent:.1f} per reminder")
            began = time.perf_counter()
            again = run_round()
            print(
                f"a second round (nothing due): {time.perf_counter() - began:.2f} s {dict(again)}"
            )
            db.engine.dispose()
    finally:
        wechat.stop()
        drop()


if __name__ == "__main__":
    main()
