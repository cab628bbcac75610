"""Read-only survey queries, including the ones other modules call.

Every count here is an SQL aggregate; no query loads the answers themselves.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, time, timedelta

from sqlalchemy import Row, func

from backend.classes.models import TrainingClass
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


def survey_state(training_class: TrainingClass) -> dict:
    """{open, closes_after_days, closes_at}: open means opened and not past closes_at."""
    settings = settings_of(training_class.id)
    deadline = closes_at(training_class, settings)
    return {
        "open": bool(settings and settings.opened) and utcnow() < deadline,
        "closes_after_days": settings.closes_after_days if settings else DEFAULT_CLOSE_DAYS,
        "closes_at": deadline,
    }


def is_open(class_id: int) -> bool:
    """Trainees may answer now: the organizer opened it and it has not closed by itself."""
    training_class = db.session.get(TrainingClass, class_id)
    return training_class is not None and survey_state(training_class)["open"]


def returned_count(class_id: int) -> int:
    """Forms returned (收回) for the class."""
    return db.session.scalar(
        db.select(func.count()).select_from(SurveyReceipt).where(SurveyReceipt.class_id == class_id)
    )


def returned_counts(class_ids: Iterable[int]) -> dict[int, int]:
    """Forms returned per class, for several classes at once."""
    rows = db.session.execute(
        db.select(SurveyReceipt.class_id, func.count())
        .where(SurveyReceipt.class_id.in_(list(class_ids)))
        .group_by(SurveyReceipt.class_id)
    ).all()
    return dict(rows)


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


def _rating_counts(by: tuple, *where) -> dict[tuple, Counts]:
    """One GROUP BY over the answers: {(item, *values of `by`): counts per level}."""
    rows = db.session.execute(
        db.select(*by, SurveyAnswer.rating, func.count())
        .where(*where)
        .group_by(SurveyAnswer.rating, *by)
    ).all()
    counts: dict[tuple, Counts] = defaultdict(no_counts)
    for *key, rating, n in rows:
        item, level = rating_of(rating)
        counts[item, *key][level] = n
    return counts


def _by_second(counts: dict[tuple, Counts]) -> dict[int, Counts]:
    """Re-key {(item, id): counts} by the id; missing ids read as all zero."""
    return defaultdict(no_counts, {key[1]: n for key, n in counts.items()})


def class_counts(class_id: int) -> dict[tuple[Item, int | None], Counts]:
    """附件3's counts in one GROUP BY: per (item, session id or None), per level."""
    return _rating_counts((SurveyAnswer.session_id,), SurveyAnswer.class_id == class_id)


def session_counts(session_ids: Iterable[int]) -> dict[int, Counts]:
    """Per session, the count of each level (the faculty rows of several classes)."""
    return _by_second(
        _rating_counts((SurveyAnswer.session_id,), SurveyAnswer.session_id.in_(list(session_ids)))
    )


def item_counts(class_ids: Iterable[int], item: Item) -> dict[int, Counts]:
    """Per class, the count of each level for one fixed item (e.g. satisfaction)."""
    low, high = item_codes(item)
    return _by_second(
        _rating_counts(
            (SurveyAnswer.class_id,),
            SurveyAnswer.class_id.in_(list(class_ids)),
            SurveyAnswer.rating.between(low, high),
        )
    )


def suggestions_of(class_id: int) -> list[Row]:
    """The class's non-empty suggestions (id, text, shared), ordered by their random ids
    (so in no time order)."""
    return db.session.execute(
        db.select(SurveySuggestion.id, SurveySuggestion.text, SurveySuggestion.shared)
        .where(SurveySuggestion.class_id == class_id)
        .order_by(SurveySuggestion.id)
    ).all()


def shared_suggestions(class_ids: Iterable[int]) -> list[Row]:
    """(class_id, text) of the suggestions an organizer chose to show to these classes' lecturers."""
    return db.session.execute(
        db.select(SurveySuggestion.class_id, SurveySuggestion.text)
        .where(SurveySuggestion.class_id.in_(list(class_ids)), SurveySuggestion.shared)
        .order_by(SurveySuggestion.class_id, SurveySuggestion.id)
    ).all()
