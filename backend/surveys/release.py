"""What the survey's counts show: answers are released in whole batches, never one by one.

The rule (API.md, "Survey privacy"), with B the class's batch (SURVEY_BATCH, at least 3):
while the survey is open every count that depends on answers covers
max(0, ⌊received / B⌋·B − B) forms, one whole batch always held back; once it is closed,
all of them. So each release while open adds exactly B forms and the release at closing
between B and 2B − 1 (all of them when fewer than 2B came in): comparing the pending list
before and after a change never sets apart a group smaller than B.

The storage follows the rule, so that the database cannot be read more finely than the
counts (see models.py): a form is first sealed in `survey_held_forms`, in the receipt's
transaction; a release moves forms out of it, unsealed and shuffled, into the answers
tables in a transaction of its own — B of them (chosen at random among the 2B held) as soon
as 2B are held, and all of them when the organizer closes the survey. A survey that closes
by itself (its closing day passed) has no moment to move them: then the held forms are
read, unsealed, by the counts themselves (`shown_held_forms`) until a write moves them.

`Release` is the one place that says how many forms are shown; every count (stats, the live
tally, the lecturers' ratings, the dashboard, the exports) reads the answers tables plus
`shown_held_forms`, which hold exactly that many.

A survey reopened after a closing keeps the guarantee: forms returned since are shown only
when they make a whole batch (at a closing too); fewer than B stay held (counted in
`received`, never lost) until more come in.
"""

import base64
import hashlib
import json
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from cryptography.fernet import Fernet
from flask import current_app, has_app_context
from sqlalchemy import Connection, delete, event, func, insert, select
from sqlalchemy.orm import Session, SessionTransaction

from backend.classes.models import TrainingClass
from backend.core.memo import read_once
from backend.extensions import db
from backend.surveys.models import (
    SurveyAnswer,
    SurveyHeldForm,
    SurveyReceipt,
    SurveySettings,
    SurveySuggestion,
    random_answer_id,
    random_id,
)

log = logging.getLogger(__name__)

#: B when neither the class nor the app (SURVEY_BATCH) sets it; never below BATCH_MIN.
BATCH_DEFAULT, BATCH_MIN, BATCH_MAX = 5, 3, 50
#: Sealed forms are padded to a multiple of this many bytes, so their length tells nothing
#: (a form with a 2000-character suggestion is about 8 KB).
PAD_BYTES = 16384
#: Where a session notes the classes whose held forms may fill a batch after its commit.
INFO_KEY = "survey_release_class_ids"
_shuffle = random.SystemRandom()


def batch_size(settings: SurveySettings | None) -> int:
    """B of a class: its own setting, else the app's SURVEY_BATCH, never below BATCH_MIN."""
    if settings is not None and settings.batch_size:
        return settings.batch_size
    default = current_app.config.get("SURVEY_BATCH", BATCH_DEFAULT) if has_app_context() else 0
    return max(BATCH_MIN, int(default or BATCH_DEFAULT))


@dataclass(frozen=True)
class Release:
    """How many forms of a class are stored, held back and shown."""

    #: Forms stored (one receipt each).
    received: int
    #: Of those, still sealed in the holding table.
    held: int
    #: The survey may be answered now.
    open: bool
    #: B.
    batch: int

    @property
    def moved(self) -> int:
        """Forms already in the answers tables."""
        return self.received - self.held

    @property
    def held_shown(self) -> bool:
        """Closed, and the held forms make a group of at least B (or are all there is)."""
        return not self.open and self.held > 0 and (self.held >= self.batch or self.moved == 0)

    @property
    def shown(self) -> int:
        """Forms covered by every count (`returned`)."""
        return self.moved + (self.held if self.held_shown else 0)

    def to_move(self) -> list[int]:
        """The sizes of the moves due now: B at a time while open, the rest once shown."""
        if self.held_shown:
            return [self.held]
        return [self.batch] * max(0, self.held // self.batch - 1) if self.open else []


def _count(connection, table, class_id: int) -> int:
    return connection.scalar(
        select(func.count()).select_from(table).where(table.c.class_id == class_id)
    )


def _counts(table, class_ids: list[int]) -> dict[int, int]:
    """Rows per class of a table with a class_id column (classes without rows are absent)."""
    rows = db.session.execute(
        select(table.c.class_id, func.count())
        .where(table.c.class_id.in_(class_ids))
        .group_by(table.c.class_id)
    )
    return dict(rows.all())


@read_once
def release_of(training_class: TrainingClass) -> Release:
    """The class's release now (the one function every count uses)."""
    return releases_of([training_class])[training_class.id]


def releases_of(classes: list[TrainingClass]) -> dict[int, Release]:
    """release_of of each class, in three queries for all of them."""
    from backend.surveys.queries import settings_by_class, state_with

    ids = [c.id for c in classes]
    received = _counts(SurveyReceipt.__table__, ids)
    held = _counts(SurveyHeldForm.__table__, ids)
    settings = settings_by_class(ids)
    return {
        c.id: Release(
            received=received.get(c.id, 0),
            held=held.get(c.id, 0),
            open=state_with(c, settings.get(c.id))["open"],
            batch=batch_size(settings.get(c.id)),
        )
        for c in classes
    }


# --- Sealing -------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _fernet(secret: str) -> Fernet:
    digest = hashlib.sha256(f"yanxiu.survey.held.{secret}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _seal(form: dict) -> bytes:
    plain = json.dumps(form, ensure_ascii=False, separators=(",", ":")).encode()
    padded = plain + b" " * (-len(plain) % PAD_BYTES)
    return _fernet(current_app.config["SECRET_KEY"]).encrypt(padded)


def _unseal(sealed: bytes) -> dict:
    return json.loads(_fernet(current_app.config["SECRET_KEY"]).decrypt(sealed))


def hold(class_id: int, ratings: list[tuple[int, int | None]], day: date, suggestion: str) -> None:
    """Store a returned form sealed, in the caller's transaction (the receipt's)."""
    form = {"ratings": ratings, "day": day.isoformat(), "suggestion": suggestion}
    db.session.execute(
        insert(SurveyHeldForm).values(id=random_id(), class_id=class_id, sealed=_seal(form))
    )
    db.session.info.setdefault(INFO_KEY, set()).add(class_id)


@dataclass(frozen=True)
class HeldForm:
    """A held form, unsealed: read by the counts of a survey closed by itself."""

    id: int
    class_id: int
    ratings: list[tuple[int, int | None]]
    day: date
    suggestion: str


def _unsealed(row) -> HeldForm:
    form = _unseal(row.sealed)
    ratings = [(rating, session_id) for rating, session_id in form["ratings"]]
    day = date.fromisoformat(form["day"])
    return HeldForm(row.id, row.class_id, ratings, day, form["suggestion"])


def shown_held_forms(class_ids: list[int]) -> list[HeldForm]:
    """The held forms that the release shows (surveys closed by themselves), unsealed."""
    table = SurveyHeldForm.__table__
    held_classes = db.session.scalars(
        select(table.c.class_id).where(table.c.class_id.in_(class_ids)).distinct()
    ).all()
    shown = [
        class_id
        for class_id in held_classes
        if release_of(db.session.get(TrainingClass, class_id)).held_shown
    ]
    if not shown:
        return []
    rows = db.session.execute(select(table).where(table.c.class_id.in_(shown))).all()
    return [_unsealed(row) for row in rows]


# --- Moving --------------------------------------------------------------------------


def _move(connection: Connection, class_id: int, count: int) -> dict[int, int]:
    """Move `count` held forms, chosen at random, into the answers tables, shuffled.

    Suggestions get new random ids (a held row's id, seen next to its receipt's transaction,
    must not reappear); returns {held form id: its suggestion's new id}.
    """
    table = SurveyHeldForm.__table__
    ids = connection.scalars(select(table.c.id).where(table.c.class_id == class_id)).all()
    chosen = _shuffle.sample(ids, count)
    forms = [
        _unsealed(row) for row in connection.execute(select(table).where(table.c.id.in_(chosen)))
    ]
    connection.execute(delete(table).where(table.c.id.in_(chosen)))
    answers = [
        {
            "id": random_answer_id(),
            "class_id": class_id,
            "rating": rating,
            "session_id": session_id,
            "answered_on": form.day,
        }
        for form in forms
        for rating, session_id in form.ratings
    ]
    new_ids = {form.id: random_id() for form in forms if form.suggestion}
    suggestions = [
        {"id": new_ids[form.id], "class_id": class_id, "text": form.suggestion, "shared": False}
        for form in forms
        if form.suggestion
    ]
    _shuffle.shuffle(answers)
    _shuffle.shuffle(suggestions)
    connection.execute(insert(SurveyAnswer), answers)
    if suggestions:
        connection.execute(insert(SurveySuggestion), suggestions)
    return new_ids


def settle(connection: Connection, class_id: int, open_now: bool) -> tuple[int, dict[int, int]]:
    """Make the moves that are due for the class: (forms moved, new suggestion ids by form).

    The class's settings row is locked first (PostgreSQL; SQLite writes one at a time
    anyway), so two settles never pick the same forms nor split a batch.
    """
    settings = connection.execute(
        select(SurveySettings.__table__)
        .where(SurveySettings.class_id == class_id)
        .with_for_update()
    ).first()
    release = Release(
        received=_count(connection, SurveyReceipt.__table__, class_id),
        held=_count(connection, SurveyHeldForm.__table__, class_id),
        open=open_now,
        batch=batch_size(settings),
    )
    moves, new_ids = release.to_move(), {}
    for count in moves:
        new_ids.update(_move(connection, class_id, count))
    return sum(moves), new_ids


def settle_now(training_class: TrainingClass) -> dict[int, int]:
    """Within the caller's (write) transaction: make the moves due (at closing, sharing)."""
    from backend.surveys.queries import survey_state

    open_now = survey_state(training_class)["open"]
    _, new_ids = settle(db.session.connection(), training_class.id, open_now)
    db.session.expire_all()
    return new_ids


def mask_held_forms(class_id: int, mask: Callable[[str], str]) -> None:
    """Mask the suggestions of forms still held (a purge), sealing them again."""
    table = SurveyHeldForm.__table__
    for row in db.session.execute(select(table).where(table.c.class_id == class_id)).all():
        form = _unseal(row.sealed)
        form["suggestion"] = mask(form["suggestion"])
        db.session.execute(table.update().where(table.c.id == row.id).values(sealed=_seal(form)))


def _after_commit(session: Session) -> None:
    """After a form's commit: fill batches, each in a transaction of its own."""
    class_ids = session.info.pop(INFO_KEY, None)
    if not class_ids or not has_app_context():
        return
    for class_id in class_ids:
        try:
            with db.engine.begin() as connection:
                moved, _ = settle(connection, class_id, open_now=True)
        except Exception:  # the forms stay held (stored); the next form retries
            log.exception("survey: release of class %s failed", class_id)
            continue
        live = current_app.extensions.get("live")
        if moved and live is not None:
            live.publisher.mark({class_id})


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    """The outermost transaction ended without a commit: its forms were not stored."""
    if transaction.parent is None:
        session.info.pop(INFO_KEY, None)


def connect() -> None:
    """Listen once per process for the commits of returned forms."""
    if not event.contains(db.session, "after_commit", _after_commit):
        event.listen(db.session, "after_commit", _after_commit)
        event.listen(db.session, "after_transaction_end", _after_transaction_end)
