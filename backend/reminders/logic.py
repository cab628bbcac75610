"""Credits, queueing reminders, and what the console shows.

Other modules call `application_decided` and `certificate_issued` inside the transaction of
their decision: the reminder is queued with it (so it exists exactly when the decision was
committed) and the scheduler's next round sends it.
"""

import json
from collections import defaultdict
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite

from backend.core.timeutil import to_china, utcnow
from backend.extensions import db
from backend.recruitment.models import ApplicationStatus
from backend.reminders.models import Kind, Reminder, Status, SubscriptionCredit

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}

#: The keys of each kind's WeChat template, in order (README: choose templates with these).
TEMPLATE_KEYS: dict[Kind, tuple[str, ...]] = {
    Kind.SESSION_START: ("thing1", "time2", "thing3"),  # 课程名称, 上课时间, 上课地点
    Kind.SURVEY: ("thing1", "time2", "thing3"),  # 研修班, 截止时间, 温馨提示
    Kind.APPLICATION: ("thing1", "phrase2", "thing3"),  # 研修班, 审核结果, 备注
    Kind.CERTIFICATE: ("thing1", "character_string2", "thing3"),  # 研修班, 证书编号, 学时
}

#: Longest value WeChat takes per key type (a `thing` is at most 20 characters).
_MAX_CHARS = {"thing": 20, "phrase": 5, "character_string": 32, "time": 64}

#: The mini-program page each kind opens.
PAGES = {
    Kind.SESSION_START: "pages/schedule/schedule",
    Kind.SURVEY: "pages/survey/survey",
    Kind.APPLICATION: "pages/classes/classes",
    Kind.CERTIFICATE: "pages/classes/classes",
}


def target_label(target: str, topics: dict[int, str]) -> str:
    """A reminder's target in words: "课程：专题2", "测评开放", "测评截止前24小时"..."""
    what, _, rest = target.partition(":")
    if what == "session":
        return f"课程：{topics.get(int(rest), '（已删除的课程）')}"
    if what == "survey":
        return "测评开放" if rest.endswith(":opened") else "测评截止前24小时"
    if what == "application":
        application_id, _, decision = rest.partition(":")
        return f"报名申请 {application_id}：{ApplicationStatus(decision).label}"
    return f"证书 {rest}"


def templates() -> dict[Kind, str]:
    """The template id of every kind configured (REMINDER_TEMPLATE_<KIND>); none: off."""
    if current_app.extensions.get("wechat") is None:
        return {}
    configured = current_app.config.get("REMINDER_TEMPLATES") or {}
    return {Kind(kind): tid for kind, tid in configured.items() if tid}


def off_notice() -> str | None:
    """What the console says when some or all reminders are off; None when all are on."""
    if current_app.extensions.get("wechat") is None:
        return "微信订阅消息提醒未开启：未配置小程序的 WECHAT_APP_ID 和 WECHAT_APP_SECRET"
    missing = [kind for kind in Kind if kind not in templates()]
    if not missing:
        return None
    names = "、".join(f"REMINDER_TEMPLATE_{kind.upper()}" for kind in missing)
    return f"以下微信订阅消息提醒未开启（未配置模板）：{names}"


def add_credits(trainee_id: int, accepted: dict[str, int]) -> dict[str, int]:
    """One credit per accept and kind; answers every credit the trainee holds."""
    insert = _INSERTS[db.engine.dialect.name]
    for kind, count in accepted.items():
        if count <= 0:
            continue
        statement = insert(SubscriptionCredit).values(
            trainee_id=trainee_id, kind=Kind(kind), credits=count, updated_at=utcnow()
        )
        db.session.execute(
            statement.on_conflict_do_update(
                index_elements=["trainee_id", "kind"],
                set_={
                    "credits": SubscriptionCredit.credits + statement.excluded.credits,
                    "updated_at": statement.excluded.updated_at,
                },
            )
        )
    return credits_of(trainee_id)


def credits_of(trainee_id: int) -> dict[str, int]:
    rows = db.session.execute(
        db.select(SubscriptionCredit.kind, SubscriptionCredit.credits).where(
            SubscriptionCredit.trainee_id == trainee_id
        )
    ).all()
    held = {kind.value: credits for kind, credits in rows}
    return {kind.value: held.get(kind.value, 0) for kind in Kind}


def fit(key: str, value: str) -> str:
    """The value cut to what WeChat takes for its key's type (thing1 → 20 characters)."""
    limit = _MAX_CHARS[key.rstrip("0123456789")]
    return value if len(value) <= limit else value[: limit - 1] + "…"


def message_time(value: datetime) -> str:
    """A time as the message shows it: 2026-12-02 09:00 (China)."""
    return to_china(value).strftime("%Y-%m-%d %H:%M")


def queue(
    trainee_ids: list[int], kind: Kind, target: str, class_id: int, values: tuple[str, ...]
) -> None:
    """Queue one reminder per trainee, unless that kind is off or it exists already (the
    unique trainee, kind and target: a second machine or round adds nothing)."""
    if kind not in templates() or not trainee_ids:
        return
    data = json.dumps(
        {key: fit(key, value) for key, value in zip(TEMPLATE_KEYS[kind], values, strict=True)},
        ensure_ascii=False,
    )
    rows = [
        {
            "trainee_id": trainee_id,
            "kind": kind,
            "target": target,
            "class_id": class_id,
            "data": data,
            "page": PAGES[kind],
            "status": Status.QUEUED,
            "error": "",
            "created_at": utcnow(),
        }
        for trainee_id in trainee_ids
    ]
    insert = _INSERTS[db.engine.dialect.name]
    db.session.execute(
        insert(Reminder).on_conflict_do_nothing(index_elements=["trainee_id", "kind", "target"]),
        rows,
    )


def application_decided(
    trainee_id: int,
    class_id: int,
    application_id: int,
    class_title: str,
    decision: ApplicationStatus,
    note: str,
) -> None:
    """Queue the "application decided" message (decision: an ApplicationStatus, shown as
    已录取, 候补, 未录取; note: the reason or what to do next). Call it in the decision's
    transaction. One message per application and decision: a waitlisted applicant admitted
    later hears of it again; the same decision reported twice is sent once."""
    queue(
        [trainee_id],
        Kind.APPLICATION,
        f"application:{application_id}:{decision.value}",
        class_id,
        (class_title, decision.label, note or "请在小程序中查看详情"),
    )


def certificate_issued(
    trainee_id: int, class_id: int, class_title: str, number: str, credit_hours: Any
) -> None:
    """Queue the "certificate issued" message. Call it in the issuing transaction."""
    queue(
        [trainee_id],
        Kind.CERTIFICATE,
        f"certificate:{number}",
        class_id,
        (class_title, number, f"结业证书已颁发，{float(credit_hours):g}学时"),
    )


def class_reminders(class_id: int) -> list[dict[str, Any]]:
    """Per kind and target: how many were sent, skipped for lack of credit, failed, still
    waiting, and when the last one was settled (or queued); oldest first."""
    rows = db.session.execute(
        db.select(
            Reminder.kind,
            Reminder.target,
            Reminder.status,
            db.func.count(),
            db.func.max(Reminder.created_at),
            db.func.max(Reminder.settled_at),
        )
        .where(Reminder.class_id == class_id)
        .group_by(Reminder.kind, Reminder.target, Reminder.status)
    ).all()
    summary: dict[tuple[Kind, str], dict[str, Any]] = defaultdict(
        lambda: {"sent": 0, "no_credit": 0, "failed": 0, "pending": 0, "at": None}
    )
    for kind, target, status, count, created, settled in rows:
        entry = summary[(kind, target)]
        column = status.value if status in _COUNTED else "pending"
        entry[column] += count
        latest = settled or created
        entry["at"] = latest if entry["at"] is None else max(entry["at"], latest)
    answer = [{"kind": k.value, "target": t, **entry} for (k, t), entry in summary.items()]
    return sorted(answer, key=lambda entry: (entry["at"], entry["kind"], entry["target"]))


_COUNTED = {Status.SENT, Status.NO_CREDIT, Status.FAILED}


def forget_class(class_id: int) -> int:
    """Delete a purged class's reminders: each names a WeChat user and what was sent to them."""
    return db.session.execute(delete(Reminder).where(Reminder.class_id == class_id)).rowcount
