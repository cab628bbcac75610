"""Who logs in: staff users (username + password) and trainees (WeChat)."""

import enum
from datetime import datetime

from flask import current_app, has_app_context
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from backend.core.models import str_enum
from backend.core.timeutil import utcnow
from backend.core.types import UTCDateTime
from backend.extensions import db


class Role(enum.StrEnum):
    """admin: 省人社厅; organizer: staff of one host unit; lecturer: 授课人."""

    ADMIN = "admin"
    ORGANIZER = "organizer"
    LECTURER = "lecturer"


class User(db.Model):
    """A staff account."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role != 'organizer' OR unit_id IS NOT NULL", name="organizer_has_unit"),
        CheckConstraint(
            "role != 'lecturer' OR lecturer_id IS NOT NULL", name="lecturer_account_linked"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Log-in name, unique.
    username: Mapped[str] = mapped_column(String(50), unique=True)
    #: The person's name (姓名), shown in the pages' header instead of the log-in name.
    full_name: Mapped[str] = mapped_column(String(50), default="", server_default="")
    #: scrypt hash (werkzeug), never the password.
    password_hash: Mapped[str] = mapped_column(String(255))
    #: admin, organizer or lecturer.
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    #: The host unit of an organizer.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    #: The lecturer a lecturer account belongs to.
    lecturer_id: Mapped[int | None] = mapped_column(ForeignKey("lecturers.id"), index=True)
    #: Bumped on a password change or log-out: every token issued before dies.
    token_version: Mapped[int] = mapped_column(default=0)
    #: When the account was created.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Set when the province office disabled the account: it can no longer log in.
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def unit(self):
        """The host unit of an organizer, else None."""
        from backend.plans.models import Unit

        return db.session.get(Unit, self.unit_id) if self.unit_id else None

    def set_password(self, password: str) -> None:
        method = current_app.config["PASSWORD_HASH_METHOD"] if has_app_context() else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)
        self.token_version = (self.token_version or 0) + 1

    def check_password(self, password: str) -> bool:
        """A disabled account's password never matches."""
        return self.disabled_at is None and check_password_hash(self.password_hash, password)


class Trainee(db.Model):
    """学员 as a WeChat user: one per openid. Roster data lives on Enrollment."""

    __tablename__ = "trainees"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The WeChat openid of this mini-program (or "dev:<name>" with DEV_LOGIN).
    openid: Mapped[str] = mapped_column(String(64), unique=True)
    #: WeChat's session_key from the last log-in; never leaves the server.
    session_key: Mapped[str | None] = mapped_column(String(64))
    #: Bumped on log-out: earlier tokens die.
    token_version: Mapped[int] = mapped_column(default=0)
    #: First and last log-in.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
