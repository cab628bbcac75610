"""Delivering queued reminders: claim, send through WeChat, settle.

Each reminder goes through two short transactions around the WeChat call:

1. claim: `queued` → `sending` with an UPDATE that only one machine's round can win, and one
   credit taken with `credits = credits - 1 WHERE credits > 0` (never below zero); no credit
   left settles it as `no_credit` at once. A reminder no longer due (the trainee checked in,
   returned the form) is dropped here, from the data committed at this moment.
2. settle: `sent`, `no_credit` (WeChat's 43101 also zeroes that credit) or `failed` (the credit
   is given back: WeChat did not use it).

A process killed between the two leaves the reminder `sending`: it is never sent again (a
message is rather lost than repeated). A round settles one claimed longer than
`INTERRUPTED_AFTER` ago as `failed` (发送中断), so the console does not count it as waiting
forever; its credit is not given back, as WeChat may have used it.
"""

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update

from backend.auth.models import Trainee
from backend.core.timeutil import utcnow
from backend.core.transaction import task_step
from backend.extensions import db
from backend.reminders.logic import templates
from backend.reminders.models import Kind, Reminder, Status, SubscriptionCredit
from backend.wechat.client import MiniProgramClient, WeChatError, WeChatNoCredit

#: Far longer than a WeChat call may take (the client's timeout is seconds).
INTERRUPTED_AFTER = timedelta(minutes=10)
INTERRUPTED = "发送中断：不知微信是否已送达，不再重发"


@dataclass(frozen=True)
class Claimed:
    """A reminder this round won, with what the WeChat call needs."""

    id: int
    trainee_id: int
    kind: Kind
    openid: str
    data: dict[str, str]
    page: str


def deliver(client: MiniProgramClient, still_due: Callable[[Reminder], bool]) -> Counter[str]:
    """Send every queued reminder once; the count of each outcome of this round."""
    outcomes: Counter[str] = Counter()
    with task_step():  # the list read, its transaction ended before the first claim
        ids = db.session.scalars(
            db.select(Reminder.id).where(Reminder.status == Status.QUEUED).order_by(Reminder.id)
        ).all()
    for reminder_id in ids:
        with task_step():
            claimed, outcome = _claim(reminder_id, still_due)
        if claimed is not None:
            with task_step():
                outcome = _settle(claimed, _send(client, claimed))
        outcomes[outcome] += 1
    return outcomes


def settle_interrupted(now: datetime) -> int:
    """Reminders whose sending process died (claimed too long ago) become `failed`."""
    return db.session.execute(
        update(Reminder)
        .where(Reminder.status == Status.SENDING, Reminder.claimed_at < now - INTERRUPTED_AFTER)
        .values(status=Status.FAILED, error=INTERRUPTED, settled_at=now)
    ).rowcount


def _claim(reminder_id: int, still_due: Callable[[Reminder], bool]) -> tuple[Claimed | None, str]:
    won = db.session.execute(
        update(Reminder)
        .where(Reminder.id == reminder_id, Reminder.status == Status.QUEUED)
        .values(status=Status.SENDING, claimed_at=utcnow())
    ).rowcount
    if not won:
        return None, "taken"
    reminder = db.session.get(Reminder, reminder_id)
    if not still_due(reminder):
        db.session.delete(reminder)
        return None, "not_due"
    credit = db.session.execute(
        update(SubscriptionCredit)
        .where(
            SubscriptionCredit.trainee_id == reminder.trainee_id,
            SubscriptionCredit.kind == reminder.kind,
            SubscriptionCredit.credits > 0,
        )
        .values(credits=SubscriptionCredit.credits - 1, updated_at=utcnow())
    ).rowcount
    if not credit:
        _mark(reminder, Status.NO_CREDIT, "")
        return None, Status.NO_CREDIT.value
    openid = db.session.get(Trainee, reminder.trainee_id).openid
    return (
        Claimed(
            reminder.id,
            reminder.trainee_id,
            reminder.kind,
            openid,
            json.loads(reminder.data),
            reminder.page,
        ),
        Status.SENDING.value,
    )


def _send(client: MiniProgramClient, claimed: Claimed) -> tuple[Status, str]:
    template_id = templates().get(claimed.kind)
    if template_id is None:
        return Status.FAILED, "模板未配置"
    try:
        client.send_subscribe_message(claimed.openid, template_id, claimed.data, claimed.page)
    except WeChatNoCredit as error:
        return Status.NO_CREDIT, str(error)[:200]
    except WeChatError as error:
        return Status.FAILED, str(error)[:200]
    return Status.SENT, ""


def _settle(claimed: Claimed, result: tuple[Status, str]) -> str:
    status, error = result
    _mark(db.session.get(Reminder, claimed.id), status, error)
    if status is not Status.SENT:
        # 43101: WeChat holds no credit for it, whatever we counted; a failure used none.
        credits = SubscriptionCredit.credits + 1 if status is Status.FAILED else 0
        db.session.execute(
            update(SubscriptionCredit)
            .where(
                SubscriptionCredit.trainee_id == claimed.trainee_id,
                SubscriptionCredit.kind == claimed.kind,
            )
            .values(credits=credits, updated_at=utcnow())
        )
    return status.value


def _mark(reminder: Reminder, status: Status, error: str) -> None:
    reminder.status = status
    reminder.error = error
    reminder.settled_at = utcnow()
    db.session.flush()
