"""Read-only survey queries, including the ones other modules call.

Every count here is an SQL aggregate; no query loads the answers themselves.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, time, timedelta
from typing import NamedTuple

from sqlalchemy import Row, func

from backend.checkin.queries import attended_enrollment_ids, attendee_count, attendee_counts
from backend.classes.models import Session, TrainingClass
from backend.core.memo import read_once
from backend.core.timeutil import CHINA, utcnow
from backend.extensions import db
from backend.surveys.models import (
    DEFAULT_CLOSE_DAYS,
    Item,
    Level,
    SurveyAnswer,
    SurveyReceipt,
    SurveySettings,
    SurveySuggestion,
    item_codes,
    rating_of,
)
from backend.surveys.release import batch_size, release_of, shown_held_forms

#: Counts per level, every level present.
Counts = dict[Level, int]


def no_counts() -> Counts:
    return dict.fromkeys(Level, 0)


def settings_of(class_id: int) -> SurveySettings | None:
    return db.session.get(SurveySettings, class_id)


def closes_at(training_class: TrainingClass, settings: SurveySettings | None) -> datetime:
    """Midnight (China) after the last day the survey may be answered."""
    days = settings.closes_after_days if settings else DEFAULT_CLOSE_DAYS
    last_day = training_class.end_date + timedelta(days=days)
    return datetime.combine(last_day + timedelta(days=1), time.min, CHINA)


def settings_by_class(class_ids: list[int]) -> dict[int, SurveySettings]:
    """The survey settings of these classes (classes never opened may have none)."""
    rows = db.session.scalars(
        db.select(SurveySettings).where(SurveySettings.class_id.in_(class_ids))
    )
    return {settings.class_id: settings for settings in rows}


def survey_state(training_class: TrainingClass) -> dict:
    """{open, closes_after_days, closes_at}: open means opened and not past closes_at."""
    return state_with(training_class, settings_of(training_class.id))


def state_with(training_class: TrainingClass, settings: SurveySettings | None) -> dict:
    """survey_state of a class whose settings (or None) are already loaded."""
    deadline = closes_at(training_class, settings)
    return {
        "open": bool(settings and settings.opened) and utcnow() < deadline,
        "closes_after_days": settings.closes_after_days if settings else DEFAULT_CLOSE_DAYS,
        "closes_at": deadline,
        "batch_size": batch_size(settings),
    }


def is_open(class_id: int) -> bool:
    """Trainees may answer now: the organizer opened it and it has not closed by itself."""
    training_class = db.session.get(TrainingClass, class_id)
    return training_class is not None and survey_state(training_class)["open"]


def _ever_opened(settings: SurveySettings | None) -> bool:
    """The organizer opened the survey at least once (before that no form exists)."""
    return settings is not None and settings.opened_at is not None


def issued_count(class_id: int) -> int:
    """Forms issued (发放): trainees checked in at least once; 0 until first opened."""
    return attendee_count(class_id) if _ever_opened(settings_of(class_id)) else 0


def issued_counts(class_ids: list[int]) -> dict[int, int]:
    """issued_count of each class, in two queries for all of them."""
    settings = settings_by_class(class_ids)
    attendees = attendee_counts(class_ids)
    return {
        class_id: attendees[class_id] if _ever_opened(settings.get(class_id)) else 0
        for class_id in class_ids
    }


def returned_count(class_id: int) -> int:
    """Forms shown (收回, as every count covers them): see release.py."""
    return release_of(db.session.get(TrainingClass, class_id)).shown


def returned_counts(class_ids: Iterable[int]) -> dict[int, int]:
    """Forms shown per class, for several classes at once."""
    return {class_id: returned_count(class_id) for class_id in class_ids}


def survey_tally(class_id: int) -> dict[str, int]:
    """The live tally's forms issued and returned: before the survey is first opened there
    are none, so a class checking in reads one row here instead of the counts' six."""
    if not _ever_opened(settings_of(class_id)):
        return {"issued": 0, "returned": 0}
    return {"issued": attendee_count(class_id), "returned": returned_count(class_id)}


def has_answered(enrollment_id: int) -> bool:
    return (
        db.session.scalar(
            db.select(SurveyReceipt.id).where(SurveyReceipt.enrollment_id == enrollment_id)
        )
        is not None
    )


def respondent_ids(class_id: int) -> set[int]:
    """Enrollment ids that returned a form (for the non-respondent list only)."""
    return set(
        db.session.scalars(
            db.select(SurveyReceipt.enrollment_id).where(SurveyReceipt.class_id == class_id)
        )
    )


def waiting_ids(class_id: int) -> set[int]:
    """Enrollment ids given the form (checked in at least once) that have not returned it,
    from committed receipts only: who answered, never what (for the pending list and the
    reminders)."""
    return attended_enrollment_ids(class_id) - respondent_ids(class_id)


def _rating_counts(
    key: str,
    class_ids: list[int] | None = None,
    session_ids: list[int] | None = None,
    ratings: tuple[int, int] | None = None,
) -> dict[tuple, Counts]:
    """{(item, the row's `key` column): counts per level} over the released answers.

    One GROUP BY over the answers table, plus the held forms that the release shows
    (release.py), filtered alike: by class, by session, by a range of ratings.
    """
    table = SurveyAnswer.__table__
    where = []
    if class_ids is not None:
        where.append(table.c.class_id.in_(class_ids))
    if session_ids is not None:
        where.append(table.c.session_id.in_(session_ids))
    if ratings is not None:
        where.append(table.c.rating.between(*ratings))
    rows = db.session.execute(
        db.select(table.c[key], table.c.rating, func.count())
        .where(*where)
        .group_by(table.c.rating, table.c[key])
    ).all()
    counts: dict[tuple, Counts] = defaultdict(no_counts)
    for value, rating, n in rows:
        item, level = rating_of(rating)
        counts[item, value][level] += n
    for held in shown_held_forms(class_ids or _classes_of(session_ids or [])):
        for rating, session_id in held.ratings:
            if session_ids is not None and session_id not in session_ids:
                continue
            if ratings is not None and not ratings[0] <= rating <= ratings[1]:
                continue
            item, level = rating_of(rating)
            counts[item, held.class_id if key == "class_id" else session_id][level] += 1
    return counts


def _classes_of(session_ids: list[int]) -> list[int]:
    return list(
        db.session.scalars(
            db.select(Session.class_id).where(Session.id.in_(session_ids)).distinct()
        )
    )


def _by_second(counts: dict[tuple, Counts]) -> dict[int, Counts]:
    """Re-key {(item, id): counts} by the id; missing ids read as all zero."""
    return defaultdict(no_counts, {key[1]: n for key, n in counts.items()})


@read_once
def class_counts(class_id: int) -> dict[tuple[Item, int | None], Counts]:
    """附件3's counts in one GROUP BY: per (item, session id or None), per level."""
    return _rating_counts("session_id", class_ids=[class_id])


def session_counts(session_ids: Iterable[int]) -> dict[int, Counts]:
    """Per session, the count of each level (the faculty rows of several classes)."""
    return _by_second(_rating_counts("session_id", session_ids=list(session_ids)))


def item_counts(class_ids: Iterable[int], item: Item) -> dict[int, Counts]:
    """Per class, the count of each level for one fixed item (e.g. satisfaction)."""
    return _by_second(
        _rating_counts("class_id", class_ids=list(class_ids), ratings=item_codes(item))
    )


class SuggestionRow(NamedTuple):
    id: int
    text: str
    shared: bool


def suggestions_of(class_id: int) -> list[SuggestionRow]:
    """The class's released suggestions (id, text, shared), ordered by their random ids
    (so in no time order)."""
    rows = db.session.execute(
        db.select(SurveySuggestion.id, SurveySuggestion.text, SurveySuggestion.shared).where(
            SurveySuggestion.class_id == class_id
        )
    ).all()
    held = [
        SuggestionRow(form.id, form.suggestion, False)
        for form in shown_held_forms([class_id])
        if form.suggestion
    ]
    return sorted([SuggestionRow(*row) for row in rows] + held)


def shared_suggestions(class_ids: Iterable[int]) -> list[Row]:
    """(class_id, text) of the suggestions an organizer chose to show to these classes' lecturers."""
    return db.session.execute(
        db.select(SurveySuggestion.class_id, SurveySuggestion.text)
        .where(SurveySuggestion.class_id.in_(list(class_ids)), SurveySuggestion.shared)
        .order_by(SurveySuggestion.class_id, SurveySuggestion.id)
    ).all()
