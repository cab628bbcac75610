"""What the system holds about a trainee, and the purge of a class's personal data.

A purge blanks the roster's personal fields and unbinds the WeChat users, but keeps the
roster rows themselves: check-ins and survey receipts still point at them, so attendance
and the 附件3 counts survive while nobody can be identified any more. The class's
applications and reminders, which tie a WeChat user to the class, are deleted. Certificates
stay as issued: they are the holder's proof of the 学时, verified for years. The class's free
text (correction and check-in reasons, change notices, the opening plan, report sections
and captions, budget notes, suggestions, audit details) is masked too: every roster name
and phone of the class, and any mobile number at all, becomes "（已清除）".
"""

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import update

from backend.audit.logic import record
from backend.audit.models import AuditEntry
from backend.auth.models import Trainee
from backend.checkin.models import AttendanceCorrection, CheckIn
from backend.checkin.queries import checkins_of
from backend.checkout.queries import checkouts_of
from backend.classes.logic import sessions_of
from backend.classes.models import ChangeNotice, ClassStatus, TrainingClass
from backend.completion.logic import certificates_of_trainee
from backend.core.errors import ApiError
from backend.core.timeutil import today_in_china
from backend.enrollment.models import Enrollment
from backend.enrollment.queries import enrollments_of_trainee
from backend.exports.models import BudgetItem, ReportPicture, ReportSection
from backend.extensions import db
from backend.leave.logic import checkin_requests_of_trainee, leave_requests_of_trainee
from backend.leave.models import CheckinRequest, LeaveRequest
from backend.recruitment.logic import applications_held, forget_applications
from backend.recruitment.models import Recruitment
from backend.reminders.logic import credits_of, forget_class
from backend.surveys.models import SurveySuggestion
from backend.surveys.queries import has_answered
from backend.surveys.release import mask_held_forms, settle_now

PURGED_NAME = "（已清除）"
#: A mainland mobile number, also written with spaces or dashes (139 0000 0001).
MOBILE = re.compile(r"(?<!\d)1[3-9]\d(?:[ \-]?\d){8}(?!\d)")
#: Free text kept with a class, by model and column (each model has `class_id`).
FREE_TEXT = (
    (CheckIn, ("reason",)),
    (AttendanceCorrection, ("reason",)),
    (Recruitment, ("notice",)),
    (LeaveRequest, ("reason", "decision_reason")),
    (CheckinRequest, ("reason", "decision_reason")),
    (ChangeNotice, ("old", "new", "reason")),
    (ReportSection, ("text",)),
    (ReportPicture, ("caption",)),
    (BudgetItem, ("note",)),
    (SurveySuggestion, ("text",)),
)
ROSTER_FIELDS = ("name", "phone", "gender", "employer", "post", "professional_title", "region")


def trainee_data(trainee: Trainee) -> dict[str, Any]:
    """Everything stored about this WeChat user (the session key excepted: it is WeChat's)."""
    enrollments = enrollments_of_trainee(trainee.id)
    checkins = checkins_of([e.id for e in enrollments])
    checkouts = checkouts_of([e.id for e in enrollments])
    result = []
    for entry in enrollments:
        training_class = db.session.get(TrainingClass, entry.class_id)
        topics = {s.id: s.topic for s in sessions_of(entry.class_id)}
        result.append(
            {
                "class_id": entry.class_id,
                "class_title": training_class.title,
                **{name: getattr(entry, name) for name in ROSTER_FIELDS},
                "attendance_mode": entry.attendance_mode.value,
                # that a form was returned, never what it said: answers carry no trace of who
                "survey_returned": has_answered(entry.id),
                "checkins": [
                    {
                        "session_id": c.session_id,
                        "topic": topics.get(c.session_id, ""),
                        "checked_in_at": c.checked_in_at,
                        "late": c.late,
                        "mode": c.mode.value,
                        "source": c.source.value,
                    }
                    for c in checkins
                    if c.enrollment_id == entry.id
                ],
                "checkouts": [
                    {
                        "session_id": c.session_id,
                        "topic": topics.get(c.session_id, ""),
                        "checked_out_at": c.checked_out_at,
                    }
                    for c in checkouts
                    if c.enrollment_id == entry.id
                ],
            }
        )
    return {
        "trainee": {
            "id": trainee.id,
            "openid": trainee.openid,
            "created_at": trainee.created_at,
            "last_login_at": trainee.last_login_at,
        },
        "enrollments": result,
        "applications": applications_held(trainee.id),
        "leave_requests": leave_requests_of_trainee(trainee),
        "checkin_requests": checkin_requests_of_trainee(trainee),
        "certificates": [
            {
                "number": c.number,
                "class_id": k.id,
                "title": k.title,
                "name": c.name,
                "credit_hours": c.credit_hours,
                "issued_at": c.issued_at,
                "revoked_at": c.revoked_at,
            }
            for c, k in certificates_of_trainee(trainee.id)
        ],
        "subscription_credits": credits_of(trainee.id),
    }


def purge_class(training_class: TrainingClass) -> int:
    """Blank the personal data of a closed class past its retention period."""
    if training_class.status != ClassStatus.CLOSED:
        raise ApiError(409, "invalid_transition", "只能清除已结班研修班的个人信息")
    days = current_app.config["RETENTION_DAYS"]
    purge_from = training_class.end_date + timedelta(days=days)
    if today_in_china() < purge_from:
        raise ApiError(
            409,
            "retention_period",
            f"个人信息须保存至 {purge_from.isoformat()}（结班后 {days} 天），之后方可清除",
        )
    entries = db.session.scalars(
        db.select(Enrollment).where(Enrollment.class_id == training_class.id)
    ).all()
    _mask_free_text(training_class, _masker(entries))
    ids = [entry.id for entry in entries]
    blank = {
        "name": PURGED_NAME,
        "gender": "",
        "employer": "",
        "post": "",
        "professional_title": "",
        "region": "",
        "trainee_id": None,
    }
    if ids:
        # The phone must stay unique per class: an 11-digit placeholder no mobile can have.
        db.session.execute(
            update(Enrollment), [{"id": i, "phone": f"{i:011d}", **blank} for i in ids]
        )
    db.session.execute(  # where each check-in came from (relay flags) goes too
        update(CheckIn)
        .where(CheckIn.class_id == training_class.id)
        .values(client_addr=None, device=None)
    )
    purged = len(ids)
    record(
        "class.purge",
        class_id=training_class.id,
        enrollments=purged,
        applications=forget_applications(training_class.id),
        reminders=forget_class(training_class.id),
    )
    return purged


def _masker(entries: list[Enrollment]) -> Callable[[str], str]:
    """Replaces the roster's names and phones, and any mobile number, in a text."""
    words = sorted(
        {e.name for e in entries if len(e.name) >= 2} | {e.phone for e in entries if e.phone},
        key=len,
        reverse=True,
    )
    known = re.compile("|".join(map(re.escape, words))) if words else None

    def mask(text: str) -> str:
        if known is not None:
            text = known.sub(PURGED_NAME, text)
        return MOBILE.sub(PURGED_NAME, text)

    return mask


def _masked_json(value: Any, mask: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, list):
        return [_masked_json(v, mask) for v in value]
    if isinstance(value, dict):
        return {k: _masked_json(v, mask) for k, v in value.items()}
    return value


def _mask_free_text(training_class: TrainingClass, mask: Callable[[str], str]) -> None:
    """Mask personal data in every free text the class keeps (see the module's docstring)."""
    training_class.opening_plan = mask(training_class.opening_plan or "")
    settle_now(training_class)  # a survey closed by itself: its held forms are released
    mask_held_forms(training_class.id, mask)
    for model, columns in FREE_TEXT:
        for row in db.session.scalars(db.select(model).where(model.class_id == training_class.id)):
            for column in columns:
                setattr(row, column, mask(getattr(row, column) or ""))
    entries = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.class_id == training_class.id)
    )
    for entry in entries:
        entry.detail = _masked_json(entry.detail, mask)
    db.session.flush()
