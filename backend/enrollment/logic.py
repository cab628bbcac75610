"""Roster operations: import, bind a WeChat user, and the trainee's own view."""

from collections import Counter
from typing import Any

from flask import current_app
from sqlalchemy import insert

from backend.audit.logic import record
from backend.checkin.attendance import class_flags
from backend.checkin.queries import checkins_of, excused_without_checkin, sessions_attended
from backend.classes.logic import sessions_of
from backend.classes.models import ClassMode, TrainingClass
from backend.core import signals
from backend.core.errors import ApiError, not_found, validation_failed
from backend.enrollment.models import Enrollment
from backend.enrollment.queries import (
    enrollment_of,
    enrollments_of_trainee,
    mask_phone,
    roster_rows,
)
from backend.enrollment.roster_import import validate_rows
from backend.extensions import db
from backend.wechat.calls import call_wechat
from backend.wechat.client import WeChatCodeRefused


def import_roster(
    training_class: TrainingClass,
    rows: list[tuple[int, dict[str, Any]]],
    skip_existing: bool = False,
) -> dict[str, Any]:
    """Add every row or none: {created, skipped}. With skip_existing (an .xlsx upload), a
    phone already on the roster is skipped and reported instead of refusing the file."""
    existing = set(
        db.session.scalars(
            db.select(Enrollment.phone).where(Enrollment.class_id == training_class.id)
        )
    )
    checked = validate_rows(
        rows, existing, training_class.mode == ClassMode.HYBRID, skip_existing=skip_existing
    )
    if checked.rows:
        db.session.execute(
            insert(Enrollment), [{**row, "class_id": training_class.id} for row in checked.rows]
        )
        signals.class_changed.send(training_class.id)
    return {"created": len(checked.rows), "skipped": checked.skipped}


def roster_view(
    class_id: int,
    full_phones: bool,
    flags: dict[tuple[int, int], list[str]] | None = None,
    excused: set[tuple[int, int]] | None = None,
    only: set[int] | None = None,
) -> list[dict[str, Any]]:
    """The roster (`only`: these entries of it) with attendance; phones masked unless the
    caller needs them (`flags`: class_flags, `excused`: excused_without_checkin, when the
    caller has them already)."""
    attended = sessions_attended(class_id, only)
    excused = excused_without_checkin(class_id) if excused is None else excused
    excused_count = Counter(entry_id for entry_id, _ in excused)
    flagged = _relay_flags_by_entry(class_flags(class_id) if flags is None else flags)
    return [
        {
            "enrollment_id": entry.id,
            "name": entry.name,
            "phone": entry.phone if full_phones else mask_phone(entry.phone),
            "gender": entry.gender,
            "employer": entry.employer,
            "post": entry.post,
            "professional_title": entry.professional_title,
            "region": entry.region,
            "county": entry.county,
            "title_level": entry.title_level.value if entry.title_level else None,
            "management_post": entry.management_post,
            "grassroots": entry.grassroots,
            "poor_area": entry.poor_area,
            "attendance_mode": entry.attendance_mode.value,
            "bound": entry.trainee_id is not None,
            "sessions_attended": attended.get(entry.id, 0),
            "sessions_excused": excused_count[entry.id],
            "relay_flags": flagged.get(entry.id, []),
        }
        for entry in roster_rows(class_id, only)
    ]


def _relay_flags_by_entry(
    by_checkin: dict[tuple[int, int], list[str]],
) -> dict[int, list[dict[str, Any]]]:
    """Each roster entry's check-ins that look relayed: [{session_id, flags}]."""
    by_entry: dict[int, list[dict[str, Any]]] = {}
    for (enrollment_id, session_id), flags in sorted(by_checkin.items()):
        by_entry.setdefault(enrollment_id, []).append({"session_id": session_id, "flags": flags})
    return by_entry


def _not_on_roster() -> ApiError:
    """The one answer for "no such entry" and "another WeChat user holds it", so that typing
    names and phones tells nothing about who is on a roster or who has bound."""
    return ApiError(404, "not_on_roster", "名单中没有找到您，请核对姓名和手机号，或联系承办单位")


def _entries_with(phone: str, class_id: int | None, name: str | None = None) -> list[Enrollment]:
    query = db.select(Enrollment).where(Enrollment.phone == phone).order_by(Enrollment.class_id)
    if class_id is not None:
        query = query.where(Enrollment.class_id == class_id)
    if name is not None:
        query = query.where(Enrollment.name == name)
    return list(db.session.scalars(query))


def proven_phone(code: str) -> str:
    """The mainland mobile number WeChat vouches for, from a `getPhoneNumber` code.

    With DEV_LOGIN, a code `dev:<phone>` stands for that phone without calling WeChat.
    A number of another country can be on no roster: 404 not_on_roster.
    """
    if current_app.config["DEV_LOGIN"] and code.startswith("dev:"):
        return code.removeprefix("dev:")
    phone = call_wechat(
        lambda client: client.phone_number(code),
        WeChatCodeRefused,
        validation_failed({"phone_code": ["手机号授权已失效，请重新点击授权"]}),
        "微信手机号验证未配置，请输入姓名和手机号绑定",
    )
    if phone.country_code not in ("86", ""):
        raise _not_on_roster()
    return phone.number


def bind_typed(trainee_id: int, class_id: int | None, name: str, phone: str) -> list[Enrollment]:
    """Bind this WeChat user to the entries with this name and phone (in one class, or in every
    class) that no other WeChat user holds; 404 not_on_roster when there is none."""
    entries = [
        e for e in _entries_with(phone, class_id, name) if e.trainee_id in (None, trainee_id)
    ]
    if not entries:
        raise _not_on_roster()
    return [_bind(trainee_id, entry) for entry in entries]


def bind_proven_phone(trainee_id: int, class_id: int | None, phone: str) -> list[Enrollment]:
    """Bind this WeChat user to every entry with a phone WeChat vouches for (in one class, or in
    every class), taking an entry over from another WeChat user if need be: whoever proves the
    phone is its owner. A take-over is audited. 404 not_on_roster when there is none."""
    entries = _entries_with(phone, class_id)
    if not entries:
        raise _not_on_roster()
    return [_bind(trainee_id, entry) for entry in entries]


def _bind(trainee_id: int, entry: Enrollment) -> Enrollment:
    """409 already_bound when this WeChat user already holds another entry of the class (its
    own state: nothing about anyone else)."""
    held = enrollment_of(trainee_id, entry.class_id)
    if held is not None and held.id != entry.id:
        raise ApiError(409, "already_bound", "您的微信已绑定本班的另一名学员，请联系承办单位")
    if entry.trainee_id not in (None, trainee_id):
        record("enrollment.take_over", class_id=entry.class_id, enrollment_id=entry.id)
    entry.trainee_id = trainee_id
    db.session.flush()
    return entry


def unbind(training_class: TrainingClass, enrollment_id: int) -> Enrollment:
    """An organizer frees a roster entry (e.g. bound by the wrong person): its WeChat user is
    no longer enrolled, so that user's token opens nothing of this class any more."""
    entry = db.session.get(Enrollment, enrollment_id)
    if entry is None or entry.class_id != training_class.id:
        raise not_found("本班名单中没有该学员")
    if entry.trainee_id is not None:
        entry.trainee_id = None
        record("enrollment.unbind", class_id=training_class.id, enrollment_id=entry.id)
        db.session.flush()
    return entry


def my_classes(trainee_id: int) -> list[dict[str, Any]]:
    """The trainee's classes, each with its sessions and the trainee's own check-ins."""
    enrollments = enrollments_of_trainee(trainee_id)
    mine = {(c.enrollment_id, c.session_id): c for c in checkins_of([e.id for e in enrollments])}
    result = []
    for entry in enrollments:
        training_class = db.session.get(TrainingClass, entry.class_id)
        sessions = [
            {
                "id": s.id,
                "topic": s.topic,
                "lecturer": {"id": s.lecturer.id, "name": s.lecturer.name},
                "starts_at": s.starts_at,
                "ends_at": s.ends_at,
                "venue": s.venue,
                "checkin": mine.get((entry.id, s.id)),
            }
            for s in sessions_of(entry.class_id)
        ]
        result.append(
            {
                "id": training_class.id,
                "title": training_class.title,
                "host_unit": training_class.project.host_unit.name,
                "location": training_class.location,
                "start_date": training_class.start_date,
                "end_date": training_class.end_date,
                "mode": training_class.mode.value,
                "status": training_class.status.value,
                "status_label": training_class.status.label,
                "enrollment_id": entry.id,
                "attendance_mode": entry.attendance_mode.value,
                "sessions": sessions,
            }
        )
    return result


def enroll_bound(training_class: TrainingClass, row: dict[str, Any], trainee_id: int) -> Enrollment:
    """Put a person on the roster already bound to their WeChat user (an admitted application).

    The entry this WeChat user already holds in the class is kept; an unbound entry with the
    same phone (an imported roster) is bound and completed; a phone another WeChat user holds
    is 409 already_bound.
    """
    held = enrollment_of(trainee_id, training_class.id)
    if held is not None:
        return held
    entry = next(iter(_entries_with(row["phone"], training_class.id)), None)
    if entry is None:
        entry = Enrollment(class_id=training_class.id, **row)
        db.session.add(entry)
    elif entry.trainee_id is not None:
        raise ApiError(409, "already_bound", "该手机号已由本班名单中另一名学员的微信绑定")
    else:
        for name, value in row.items():
            setattr(entry, name, value)
    entry.trainee_id = trainee_id
    db.session.flush()
    signals.class_changed.send(training_class.id)
    return entry


def remove_entry(training_class: TrainingClass, enrollment_id: int) -> None:
    """Take an entry off the roster (an admitted applicant who withdrew before the class)."""
    entry = db.session.get(Enrollment, enrollment_id)
    if entry is None or entry.class_id != training_class.id:
        return
    db.session.delete(entry)
    record("enrollment.remove", class_id=training_class.id, enrollment_id=enrollment_id)
    db.session.flush()
    signals.class_changed.send(training_class.id)
