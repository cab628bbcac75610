"""Reminders through WeChat subscribe messages (订阅消息): credits and the sent log.

WeChat lets a mini-program send one subscribe message of a template for every time the user
accepted it in `wx.requestSubscribeMessage`. `SubscriptionCredit` counts those accepts per
trainee and kind; `Reminder` is every message we meant to send, one row per trainee, kind and
target (the unique key), so that no machine, retry or restart sends one twice.
"""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.labels import LabelledEnum
from backend.core.models import str_enum
from backend.core.timeutil import utcnow
from backend.core.types import UTCDateTime
from backend.extensions import db


class Kind(LabelledEnum):
    """What a reminder is about; one WeChat template each."""

    SESSION_START = "session_start", "开课提醒"
    SURVEY = "survey", "测评提醒"
    APPLICATION = "application", "报名结果通知"
    CERTIFICATE = "certificate", "结业证书通知"


class Status(enum.StrEnum):
    """Where a reminder stands. `queued` waits for the next round; `sending` was claimed by
    one round and handed to WeChat (a process killed meanwhile leaves it so: it is never sent
    again, and a later round settles it as `failed`, 发送中断)."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    NO_CREDIT = "no_credit"
    FAILED = "failed"


class SubscriptionCredit(db.Model):
    """How many more messages of a kind the trainee has allowed (one per accept)."""

    __tablename__ = "subscription_credits"
    __table_args__ = (
        UniqueConstraint("trainee_id", "kind", name="subscription_credit_once"),
        CheckConstraint("credits >= 0", name="subscription_credits_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The WeChat user who accepted.
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id"))
    #: The kind of message accepted.
    kind: Mapped[Kind] = mapped_column(str_enum(Kind, "reminder_kind"))
    #: Messages of this kind we may still send; never below zero.
    credits: Mapped[int] = mapped_column(default=0)
    #: Last accept or use.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Reminder(db.Model):
    """One reminder to one trainee: queued, then sent, skipped for lack of credit, or failed."""

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("trainee_id", "kind", "target", name="reminder_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Who gets it.
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id"))
    #: The template it uses.
    kind: Mapped[Kind] = mapped_column(str_enum(Kind, "reminder_kind"))
    #: What it is about: "session:12", "survey:3:opened", "survey:3:closing",
    #: "application:7:admitted", "certificate:YX2023-00003-000012".
    target: Mapped[str] = mapped_column(String(64))
    #: The class it belongs to, for the console's per-class counts.
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id"), index=True)
    #: The message's values by template key, as JSON text, fixed when queued.
    data: Mapped[str] = mapped_column(Text)
    #: The mini-program page the message opens.
    page: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[Status] = mapped_column(
        str_enum(Status, "reminder_status"), default=Status.QUEUED, index=True
    )
    #: WeChat's refusal of a failed one ("errcode: errmsg"); empty otherwise.
    error: Mapped[str] = mapped_column(String(200), default="")
    #: When it was queued, and when it was last settled (sent, skipped or failed).
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When a round claimed it for sending (sending.py settles one left claimed too long).
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
