"""Survey operations: the form, opening and closing, returning a form, sharing suggestions.

They add and flush; the request commits (see backend/__init__.py).
"""

from datetime import datetime

from marshmallow import ValidationError
from sqlalchemy.exc import IntegrityError

from backend.checkin.queries import has_attended
from backend.classes.logic import sessions_of
from backend.classes.models import Session, TrainingClass, refuse_unless_approved
from backend.core import signals
from backend.core.errors import ApiError, flatten_messages, not_found, validation_failed
from backend.core.timeutil import china_date, utcnow
from backend.enrollment.models import Enrollment
from backend.enrollment.queries import mask_phone, roster_contacts
from backend.extensions import db
from backend.surveys import form
from backend.surveys.models import (
    DEFAULT_CLOSE_DAYS,
    Item,
    Level,
    SurveyReceipt,
    SurveySettings,
    SurveySuggestion,
    random_id,
    rating_code,
)
from backend.surveys.queries import (
    closes_at,
    has_answered,
    settings_of,
    survey_state,
    waiting_ids,
)
from backend.surveys.release import batch_size, hold, release_of, settle_now
from backend.surveys.schemas import validate_answer


def survey_form(training_class: TrainingClass, enrollment: Enrollment | None) -> dict:
    """附件2 for this class: its sessions in schedule order, the fixed items, Chinese labels."""
    body = {
        "class_id": training_class.id,
        "class_title": training_class.title,
        **survey_state(training_class),
        "levels": [level.value for level in form.LEVELS],
        "lectures": [
            {
                "session_id": s.id,
                "topic": s.topic,
                "lecturer": s.lecturer.name,
                "starts_at": s.starts_at,
            }
            for s in rated_sessions(training_class.id)
        ],
        "teaching": form.section_keys("teaching"),
        "service": form.section_keys("service"),
        "labels": form.labels(),
        "sections": form.sections(),
    }
    if enrollment is not None:
        body["answered"] = has_answered(enrollment.id)
    return body


def rated_sessions(class_id: int) -> list[Session]:
    """The sessions the form asks about: those that have started (none not yet held)."""
    now = utcnow()
    return [s for s in sessions_of(class_id) if s.starts_at <= now]


def _settings(class_id: int) -> SurveySettings:
    settings = settings_of(class_id)
    if settings is None:
        settings = SurveySettings(
            class_id=class_id, opened=False, closes_after_days=DEFAULT_CLOSE_DAYS
        )
        db.session.add(settings)
    return settings


def open_survey(training_class: TrainingClass) -> dict:
    """Open it (409 before approval, before the last session has started, or once the
    automatic closing day has passed)."""
    refuse_unless_approved(training_class.status, "使用问卷")
    sessions = sessions_of(training_class.id)
    if not sessions or sessions[-1].starts_at > utcnow():
        raise ApiError(409, "survey_too_early", "本班最后一门课程开始后才能开放满意度调查问卷")
    settings = _settings(training_class.id)
    settings.open(past_deadline=utcnow() >= closes_at(training_class, settings))
    db.session.flush()
    signals.response_submitted.send(training_class.id)
    return survey_state(training_class)


def close_survey(training_class: TrainingClass) -> dict:
    """Close it, releasing the held forms (release.py says when they are shown)."""
    _settings(training_class.id).close()
    db.session.flush()
    settle_now(training_class)
    signals.response_submitted.send(training_class.id)
    return survey_state(training_class)


def update_settings(training_class: TrainingClass, data: dict) -> dict:
    """Days after the class's end until it closes by itself; B, only before any form."""
    settings = _settings(training_class.id)
    if "batch_size" in data and data["batch_size"] != batch_size(settings):
        if release_of(training_class).received:
            raise ApiError(409, "survey_has_answers", "已有学员提交问卷，每批公布份数不能再更改")
        settings.batch_size = data["batch_size"]
    if "closes_after_days" in data:
        settings.closes_after_days = data["closes_after_days"]
    db.session.flush()
    return survey_state(training_class)


def _ratings(answers: dict) -> list[tuple[int, int | None]]:
    """(rating, session id or None) per rated item: stand-alone, nothing ties them together."""
    rated = [(Item.LECTURE, int(sid), level) for sid, level in answers["lectures"].items()]
    for item in form.FIXED_ITEMS:
        value = answers
        for key in item.path:
            value = value[key]
        rated.append((item.item, None, value))
    return [(rating_code(item, Level(level)), session_id) for item, session_id, level in rated]


def submit(training_class: TrainingClass, enrollment: Enrollment, body: object) -> dict:
    """Store a returned form: a receipt for who and the sealed form, in one transaction.

    The form is released into the answers tables later, in batches (release.py).

    Raises, in this order: 409 class_not_approved, 403 not_attended, 409 survey_closed,
    422 validation_failed (every bad field named), 409 already_submitted (also when two
    forms race: the receipt's unique enrollment decides, and the loser stores nothing).
    """
    refuse_unless_approved(training_class.status, "使用问卷")
    if not has_attended(enrollment.id):
        raise ApiError(403, "not_attended", "您尚未签到任何一门课程，签到后才能填写满意度调查问卷")
    if not survey_state(training_class)["open"]:
        raise ApiError(409, "survey_closed", "满意度调查问卷未开放或已关闭")
    try:
        answers = validate_answer(body, rated_sessions(training_class.id))
    except ValidationError as error:
        raise validation_failed(flatten_messages(error.messages)) from None
    now: datetime = utcnow()
    receipt_id = random_id()
    try:
        db.session.execute(
            SurveyReceipt.__table__.insert().values(
                id=receipt_id, class_id=training_class.id, enrollment_id=enrollment.id
            )
        )
    except IntegrityError:
        raise ApiError(409, "already_submitted", "您已提交过本班的满意度调查问卷") from None
    hold(training_class.id, _ratings(answers), china_date(now), answers.get("suggestions") or "")
    signals.response_submitted.send(training_class.id)
    return {"id": receipt_id, "submitted_at": now}


def pending(class_id: int, full_phones: bool) -> list[dict]:
    """Trainees given the form (checked in at least once) who have not returned it."""
    waiting = waiting_ids(class_id)
    return [
        {
            "enrollment_id": entry.id,
            "name": entry.name,
            "phone": entry.phone if full_phones else mask_phone(entry.phone),
        }
        for entry in roster_contacts(class_id)
        if entry.id in waiting
    ]


def share_suggestion(class_id: int, suggestion_id: int, shared: bool) -> SurveySuggestion:
    """Show a suggestion to the class's lecturers, or stop showing it.

    A suggestion shown from a held form (a survey closed by itself) is released first, and
    answers under its new id.
    """
    moved = settle_now(db.session.get(TrainingClass, class_id))
    suggestion = db.session.get(SurveySuggestion, moved.get(suggestion_id, suggestion_id))
    if suggestion is None or suggestion.class_id != class_id:
        raise not_found("找不到该条意见与建议")
    suggestion.shared = shared
    db.session.flush()
    return suggestion
