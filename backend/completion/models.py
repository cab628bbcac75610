"""The completion rule of a class and the certificates (结业证书) it issued."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.timeutil import utcnow
from backend.core.types import UTCDateTime
from backend.extensions import db

#: The defaults of a class without a rule of its own: 80% attendance and the form returned.
DEFAULT_MIN_ATTENDANCE = Decimal("0.80")
DEFAULT_REQUIRE_SURVEY = True


class CompletionRule(db.Model):
    """Who completes a class (结业): a minimum share of sessions attended, and the form."""

    __tablename__ = "completion_rules"
    __table_args__ = (
        CheckConstraint("min_attendance >= 0 AND min_attendance <= 1", name="rule_share_range"),
    )

    #: The class the rule is for (one rule per class; none means the defaults).
    class_id: Mapped[int] = mapped_column(
        ForeignKey("training_classes.id"), primary_key=True, autoincrement=False
    )
    #: Attended sessions / sessions of the class must reach this share (0 to 1).
    min_attendance: Mapped[Decimal] = mapped_column(Numeric(4, 3), default=DEFAULT_MIN_ATTENDANCE)
    #: Whether the satisfaction form (附件2) must have been returned.
    require_survey: Mapped[bool] = mapped_column(Boolean, default=DEFAULT_REQUIRE_SURVEY)


class Certificate(db.Model):
    """结业证书: one per roster entry that completed; revoked, never deleted.

    `number` is printed on the certificate and unique in the province; `code` is the secret
    part of the public verification address, unguessable and unrelated to the number.
    """

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Printed on the certificate: YX<year>-<class id>-<roster entry id>, unique.
    number: Mapped[str] = mapped_column(String(32), unique=True)
    #: The verification code in /verify/<code>: 128 random bits, URL-safe.
    code: Mapped[str] = mapped_column(String(32), unique=True)
    #: The class, and the roster entry it was issued to (one certificate per entry).
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id"), index=True)
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id"), unique=True)
    #: The name and 学时 as printed when it was issued.
    name: Mapped[str] = mapped_column(String(50))
    credit_hours: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    #: When it was issued, and by whom.
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: Set when it was revoked, with the reason (it then verifies as revoked).
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str] = mapped_column(Text, default="")
