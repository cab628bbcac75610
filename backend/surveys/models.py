"""Survey storage: settings, receipts (who answered) and anonymous answers.

How anonymity is kept
---------------------
A returned form is split at the door into two things that share nothing:

* a **receipt** (`SurveyReceipt`): *who* answered (the enrollment), so that issued/returned
  can be counted, a second form refused, and non-respondents reminded. It holds no answer
  and no time.
* the **answers** (`SurveyAnswer`, one row per rated item) and the **suggestion**
  (`SurveySuggestion`): *what* was answered. They hold the class, the item, the level and
  the day the form was filled (附件2's 填报时间), and nothing else: no trainee, no
  enrollment, no receipt, no response id, no time of day.

Nothing in the data lines the two up either:

* Every primary key here is random (`random_id`), never a sequence, so neither the receipt
  ids nor the answer ids tell the order in which forms came in. Matching "the 7th receipt"
  to "the 7th form" is impossible because no column says which was 7th. On SQLite the
  random key *is* the rowid, so even the physical order of rows is random.
* Answer rows of one form are not tied to each other either: each is a stand-alone
  ballot for one item. A suggestion is not tied to the ratings of the form it came with.
* The receipt carries no time, so the day stored with the answers cannot be matched to a
  receipt's day (a lone late respondent's answers would otherwise stand out).
* No endpoint reads receipts and answers together; the statistics only ever aggregate.

What this does not hide: someone with superuser access to the PostgreSQL server itself
can still see transaction ids and physical row positions (`xmin`, `ctid`) and the WAL,
which reveal which rows were written together; the receipt and the answers must be
written in one transaction so that a failure leaves neither. And anyone watching the
live counts while one known person submits learns that person's answers from the
difference; the lecturers' view hides rows with fewer than three answers for the same
reason, but cannot hide differences over time.

Why one long table of answers, with one small number per answer
----------------------------------------------------------------
附件3 needs, per class, the count of each level for every item (one row per session and
ten fixed items). Stored as one row per answer, all of it is one
`GROUP BY rating, session_id` over a covering index `(class_id, rating, session_id)`:
the database counts without touching the table, and the same statement works on SQLite
and PostgreSQL. `rating` packs the item and the level into one small integer
(`item * 4 + level`, see `rating_code`), so the group key is two small integers; measured
here on 180,000 answers that groups about 1.5 to 2 times faster than separate item and
level columns (text or integers). A wide row per form (one column per fixed item, summed
with `SUM(CASE ...)`) still needs a long table for the sessions, whose number varies per
class, and was no faster: the 40 CASE expressions per row cost about what the extra rows
do. The per-session index `(session_id, rating)` serves the lecturers' own view.
"""

import enum
import secrets
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.errors import ApiError
from backend.core.labels import LabelledEnum
from backend.core.timeutil import utcnow
from backend.core.types import UTCDateTime
from backend.extensions import db

#: A random 64-bit key that is also SQLite's rowid (so rows are stored in random order).
RandomKey = BigInteger().with_variant(Integer, "sqlite")

#: Days after the class's last day until the survey closes by itself, unless set per class.
DEFAULT_CLOSE_DAYS = 3

#: Ids sent to clients stay below 2**53 so JavaScript reads them exactly.
JSON_SAFE_BITS = 53


def random_id(bits: int = JSON_SAFE_BITS) -> int:
    """A random positive key: it says nothing about when its row was written."""
    return secrets.randbits(bits) or 1


def random_answer_id() -> int:
    """Answer rows are never sent to clients: use the whole signed 64-bit range."""
    return random_id(63)


class Level(LabelledEnum):
    """Rating levels, in the form's order."""

    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    FAIR = "fair", "一般"
    POOR = "poor", "较差"


class Item(enum.IntEnum):
    """What an answer rates: a session (`LECTURE`) or one of the form's fixed items.

    The numbers are stored (inside `SurveyAnswer.rating`): never renumber them.
    """

    LECTURE = 0
    FACULTY_OVERALL = 1
    CONTENT = 2
    LEVEL = 3
    MODE = 4
    TEACHING_OVERALL = 5
    ORGANIZATION = 6
    LOGISTICS = 7
    SERVICE = 8
    SERVICE_OVERALL = 9
    SATISFACTION = 10


#: The levels in their fixed order; a level's index is its stored number.
_LEVEL_ORDER: tuple[Level, ...] = tuple(Level)


def rating_code(item: Item, level: Level) -> int:
    """The stored number of an answer: item * 4 + level (0 excellent ... 3 poor)."""
    return item * len(_LEVEL_ORDER) + _LEVEL_ORDER.index(level)


def rating_of(code: int) -> tuple[Item, Level]:
    """The item and level of a stored number (the inverse of rating_code)."""
    item, level = divmod(code, len(_LEVEL_ORDER))
    return Item(item), _LEVEL_ORDER[level]


def item_codes(item: Item) -> tuple[int, int]:
    """The lowest and highest stored number of an item's answers."""
    return rating_code(item, _LEVEL_ORDER[0]), rating_code(item, _LEVEL_ORDER[-1])


class SurveySettings(db.Model):
    """The survey of one class: open or closed, and when it closes by itself."""

    __tablename__ = "survey_settings"
    __table_args__ = (
        CheckConstraint(
            "closes_after_days >= 0 AND closes_after_days <= 365", name="survey_close_days_range"
        ),
        CheckConstraint(
            "batch_size IS NULL OR (batch_size >= 3 AND batch_size <= 50)",
            name="survey_batch_size_range",
        ),
    )

    #: The class; one row per class, made when first needed.
    class_id: Mapped[int] = mapped_column(
        ForeignKey("training_classes.id"), primary_key=True, autoincrement=False
    )
    #: Opened by the organizer and not closed since (the deadline below still applies).
    opened: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The survey closes by itself this many days after the class's last day.
    closes_after_days: Mapped[int] = mapped_column(default=DEFAULT_CLOSE_DAYS)
    #: B, the release batch (None: the app's SURVEY_BATCH); see backend/surveys/release.py.
    batch_size: Mapped[int | None] = mapped_column(SmallInteger)
    #: When the organizer last opened and last closed it.
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def open(self, past_deadline: bool) -> None:
        """Open it; refused once the automatic closing day has passed."""
        if past_deadline:
            raise ApiError(
                409,
                "survey_closed",
                "问卷已过自动关闭日期；如需重新开放，请先延长自动关闭天数",
            )
        if not self.opened:
            self.opened = True
            self.opened_at = utcnow()

    def close(self) -> None:
        if self.opened:
            self.opened = False
            self.closed_at = utcnow()


class SurveyReceipt(db.Model):
    """回执: this roster entry has returned its form. Says who, never what nor when."""

    __tablename__ = "survey_receipts"

    #: Random, so the order of receipts cannot be read from their ids.
    id: Mapped[int] = mapped_column(RandomKey, primary_key=True, autoincrement=False)
    #: The class, for counting returned forms.
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id"), index=True)
    #: Who returned it; unique, which is what makes a second form fail.
    enrollment_id: Mapped[int] = mapped_column(ForeignKey("enrollments.id"), unique=True)


class SurveyAnswer(db.Model):
    """One rated item of one returned form, with nothing that tells whose form it was."""

    __tablename__ = "survey_answers"
    __table_args__ = (
        CheckConstraint("rating >= 0 AND rating <= 43", name="survey_answer_rating_range"),
        CheckConstraint("(rating < 4) = (session_id IS NOT NULL)", name="survey_answer_session"),
        Index("ix_survey_answers_tally", "class_id", "rating", "session_id"),
        Index("ix_survey_answers_session", "session_id", "rating"),
    )

    #: Random: answer rows carry no order.
    id: Mapped[int] = mapped_column(RandomKey, primary_key=True, autoincrement=False)
    #: The class the form belongs to.
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id"))
    #: What is rated and how, in one number: Item * 4 + level (see rating_code);
    #: 0 to 3 rate a session.
    rating: Mapped[int] = mapped_column(SmallInteger)
    #: The session rated, for session ratings (rating 0 to 3) only.
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id"))
    #: 填报时间: the day (in China) the form was filled; deliberately no time of day.
    answered_on: Mapped[date]


class SurveySuggestion(db.Model):
    """意见与建议: the free text of one form, stored apart from its ratings."""

    __tablename__ = "survey_suggestions"

    #: Random, JSON-safe: organizers refer to it when sharing.
    id: Mapped[int] = mapped_column(RandomKey, primary_key=True, autoincrement=False)
    #: The class the form belongs to.
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id"), index=True)
    #: The text, cleaned of control characters, at most 2000 characters.
    text: Mapped[str] = mapped_column(Text)
    #: An organizer chose to show it to the class's lecturers.
    shared: Mapped[bool] = mapped_column(Boolean, default=False)


class SurveyHeldForm(db.Model):
    """A returned form waiting for its batch: sealed, so that it names no one and says nothing.

    It is written in the receipt's transaction (so a 201 means it is stored), which a
    database reader can see (`xmin`, row order); that is why its content is encrypted with a
    key derived from the app's SECRET_KEY, padded to a fixed length. It leaves this table,
    unsealed and shuffled with other forms, in a release (backend/surveys/release.py).
    """

    __tablename__ = "survey_held_forms"

    #: Random; while a survey closed by itself shows held forms, their suggestions go by it.
    id: Mapped[int] = mapped_column(RandomKey, primary_key=True, autoincrement=False)
    #: The class the form belongs to.
    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id"), index=True)
    #: The form (its answer rows, day and suggestion), padded and encrypted (Fernet).
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
