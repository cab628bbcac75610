"""The check-out setting of a class and the check-outs (签退) of its trainees."""

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.types import UTCDateTime
from backend.extensions import db


class CheckoutSetting(db.Model):
    """A class that uses 签退; no row: check-out is off and nothing changes."""

    __tablename__ = "checkout_settings"

    #: The class (one setting per class).
    class_id: Mapped[int] = mapped_column(
        ForeignKey("training_classes.id"), primary_key=True, autoincrement=False
    )
    #: A session counts as attended only with both a check-in and a check-out.
    required: Mapped[bool] = mapped_column(default=False)


class Checkout(db.Model):
    """签退记录: a trainee scanned the check-out code of a session, at most once."""

    __tablename__ = "checkouts"
    __table_args__ = (UniqueConstraint("enrollment_id", "session_id", name="checkout_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Who and which session.
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id"))
    #: The class, for per-class reads.
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id"), index=True)
    #: Server time of the scan.
    checked_out_at: Mapped[datetime] = mapped_column(UTCDateTime)
