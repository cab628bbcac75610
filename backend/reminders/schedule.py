"""The scheduler's round: what is due now, queued and delivered; surveys past their closing
time closed. `flask reminders tick` runs one round, `flask reminders run` one every
REMINDERS_INTERVAL_SECONDS until stopped.

Several machines may run the scheduler at once. A round holds a Redis lock (redis-py's
`Lock`, a token-checked SET NX PX), so normally one machine does the work and the others skip;
even without it, or when a round outlives the lock, nothing is sent twice: every reminder has
a unique key (trainee, kind, target) and is claimed by one UPDATE (sending.py).
"""

import logging
import signal
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from flask import current_app

from backend.checkin.queries import checked_in_ids
from backend.classes.models import ClassStatus, Session, TrainingClass
from backend.core.timeutil import utcnow
from backend.core.transaction import task_step
from backend.enrollment.queries import enrollment_of, roster_of
from backend.extensions import db
from backend.leave.queries import excused_of
from backend.reminders.logic import message_time, queue, templates
from backend.reminders.models import Kind, Reminder
from backend.reminders.sending import deliver, settle_interrupted
from backend.surveys.logic import close_survey
from backend.surveys.models import SurveySettings
from backend.surveys.queries import closes_at, survey_state, waiting_ids

log = logging.getLogger(__name__)

#: A session's reminder goes this long before it starts.
SESSION_LEAD = timedelta(minutes=30)
#: The survey's last call goes this long before it closes.
SURVEY_LAST_CALL = timedelta(hours=24)
#: A round's lock expires after this even if its machine died holding it.
LOCK_SECONDS = 600


def run_round() -> Counter[str]:
    """One pass: close expired surveys, queue what is due, deliver the queue."""
    with _round_lock() as held:
        if not held:
            return Counter({"locked": 1})
        now = utcnow()
        with task_step():
            outcomes = Counter(
                surveys_closed=close_expired_surveys(now), interrupted=settle_interrupted(now)
            )
        client = current_app.extensions.get("wechat")
        if client is None or not templates():
            return outcomes + Counter({"off": 1})
        with task_step():
            queue_due(now)
        return outcomes + deliver(client, still_due)


def run_forever(interval: float) -> None:
    """Rounds every `interval` seconds until SIGTERM or SIGINT (the round in progress ends)."""
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    while not stop.is_set():
        try:
            log.info("reminders round: %s", dict(run_round()))
        except Exception:  # a failed round (database away) must not end the scheduler
            log.exception("reminders round failed")
        stop.wait(interval)


@contextmanager
def _round_lock() -> Iterator[bool]:
    redis_client = current_app.extensions.get("redis")
    if redis_client is None:  # one machine (the demo): the unique keys are enough
        yield True
        return
    key = f"{current_app.config.get('RATELIMIT_KEY_PREFIX', 'yanxiu')}:reminders:round"
    lock = redis_client.lock(key, timeout=LOCK_SECONDS, blocking=False)
    held = lock.acquire()
    try:
        yield held
    finally:
        if held and lock.owned():
            lock.release()


def close_expired_surveys(now: datetime) -> int:
    """Close (and release the held forms of) every survey left open past its closing time."""
    closed = 0
    for settings in db.session.scalars(db.select(SurveySettings).where(SurveySettings.opened)):
        training_class = db.session.get(TrainingClass, settings.class_id)
        if now >= closes_at(training_class, settings):
            close_survey(training_class)
            closed += 1
    return closed


def queue_due(now: datetime) -> None:
    """Queue the session and survey reminders due now (existing ones are not queued again)."""
    for session in _sessions_starting(now):
        training_class = db.session.get(TrainingClass, session.class_id)
        expected = _not_expected(session)
        queue(
            [t for e, t in _bound(session.class_id).items() if e not in expected],
            Kind.SESSION_START,
            f"session:{session.id}",
            session.class_id,
            (
                session.topic,
                message_time(session.starts_at),
                session.venue or training_class.location,
            ),
        )
    for settings in db.session.scalars(db.select(SurveySettings).where(SurveySettings.opened)):
        _queue_survey(db.session.get(TrainingClass, settings.class_id), now)


def _not_expected(session: Session) -> set[int]:
    """Roster entries this session needs no reminder for: checked in, or on approved leave."""
    away = {e for e, s in excused_of(session.class_id) if s == session.id}
    return checked_in_ids(session.id) | away


def _sessions_starting(now: datetime) -> list[Session]:
    return db.session.scalars(
        db.select(Session)
        .join(TrainingClass, TrainingClass.id == Session.class_id)
        .where(
            TrainingClass.status == ClassStatus.APPROVED,
            Session.starts_at > now,
            Session.starts_at <= now + SESSION_LEAD,
        )
    ).all()


def _queue_survey(training_class: TrainingClass, now: datetime) -> None:
    state = survey_state(training_class)
    if not state["open"]:
        return
    waiting = waiting_ids(training_class.id)
    trainees = [t for e, t in _bound(training_class.id).items() if e in waiting]
    deadline = message_time(state["closes_at"])
    title = training_class.title
    queue(
        trainees,
        Kind.SURVEY,
        f"survey:{training_class.id}:opened",
        training_class.id,
        (title, deadline, "满意度测评已开放，请及时填写"),
    )
    if now >= state["closes_at"] - SURVEY_LAST_CALL:
        queue(
            trainees,
            Kind.SURVEY,
            f"survey:{training_class.id}:closing",
            training_class.id,
            (title, deadline, "测评将于24小时内截止，请尽快填写"),
        )


def _bound(class_id: int) -> dict[int, int]:
    """{enrollment id: trainee id} of the class's roster entries bound to a WeChat user."""
    return {e.id: e.trainee_id for e in roster_of(class_id) if e.trainee_id is not None}


def still_due(reminder: Reminder) -> bool:
    """Whether a queued reminder should still go, from the data committed now: not to a
    trainee who has checked in or been granted leave meanwhile, nor to one who has returned
    the form."""
    what, _, rest = reminder.target.partition(":")
    if what == "session":
        session = db.session.get(Session, int(rest))
        entry = session and enrollment_of(reminder.trainee_id, session.class_id)
        return (
            bool(entry) and session.starts_at > utcnow() and entry.id not in _not_expected(session)
        )
    if what == "survey":
        entry = enrollment_of(reminder.trainee_id, reminder.class_id)
        training_class = db.session.get(TrainingClass, reminder.class_id)
        return (
            entry is not None
            and survey_state(training_class)["open"]
            and entry.id in waiting_ids(reminder.class_id)
        )
    return True
