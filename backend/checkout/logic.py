"""签退: the class turns it on (optionally required), the projector shows a check-out code
from 15 minutes before a session ends until 30 minutes after, trainees scan it."""

import time
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from backend.checkin import tokens
from backend.checkin.logic import invalid_token, not_enrolled, rotation_of
from backend.checkout.models import Checkout, CheckoutSetting
from backend.checkout.queries import CLOSES_AFTER_END
from backend.classes.models import Session, TrainingClass
from backend.core.errors import ApiError
from backend.core.timeutil import to_china, utcnow
from backend.enrollment.models import AttendanceMode
from backend.enrollment.queries import enrollment_of
from backend.extensions import db

#: The check-out window around a session's end.
OPENS_BEFORE_END = timedelta(minutes=15)


def setting_view(class_id: int) -> dict[str, bool]:
    setting = db.session.get(CheckoutSetting, class_id)
    return {"enabled": setting is not None, "required": bool(setting and setting.required)}


def set_setting(training_class: TrainingClass, data: dict[str, Any]) -> dict[str, bool]:
    """Turn check-out on (required or not) or off; check-outs already made are kept."""
    setting = db.session.get(CheckoutSetting, training_class.id)
    if not data["enabled"]:
        if setting is not None:
            db.session.delete(setting)
    elif setting is None:
        db.session.add(CheckoutSetting(class_id=training_class.id, required=data["required"]))
    else:
        setting.required = data["required"]
    db.session.flush()
    return setting_view(training_class.id)


def window_of(session: Session) -> tuple[datetime, datetime]:
    return session.ends_at - OPENS_BEFORE_END, session.ends_at + CLOSES_AFTER_END


def _check_open(session: Session, now: datetime) -> None:
    """409 checkout_off (the class does not use 签退) or checkout_closed (outside its window)."""
    if db.session.get(CheckoutSetting, session.class_id) is None:
        raise ApiError(409, "checkout_off", "本班未启用签退")
    opens, closes = window_of(session)
    if not opens <= now <= closes:
        raise ApiError(
            409,
            "checkout_closed",
            f"签退时间为 {to_china(opens):%H:%M} 至 {to_china(closes):%H:%M}",
        )


def checkout_code(session: Session, training_class: TrainingClass) -> dict[str, Any]:
    """The current check-out code for the projector: like the check-in code, it rotates."""
    _check_open(session, utcnow())
    rotation = rotation_of(training_class)
    now = time.time()
    ref = tokens.SlotRef(session.id, AttendanceMode.ONSITE, rotation.slot_at(now))
    opens, closes = window_of(session)
    return {
        "session_id": session.id,
        "qr_text": tokens.checkout_text(ref),
        "expires_at": rotation.expires_at(ref.slot),
        "rotates_in": round(rotation.rotates_in(now), 3),
        "opens_at": opens,
        "closes_at": closes,
    }


def check_out(trainee_id: int, data: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Record the trainee's check-out; a repeated scan answers the first (new: False).

    400 invalid_token, 410 token_expired, 403 not_enrolled, 409 checkout_off, checkout_closed.
    """
    ref = tokens.read_checkout(data["token"])
    session = db.session.get(Session, ref.session_id) if ref else None
    if session is None:
        raise invalid_token("签退码无效，请扫描现场大屏上的签退二维码")
    training_class = db.session.get(TrainingClass, session.class_id)
    if not rotation_of(training_class).accepts(ref.slot, time.time()):
        raise ApiError(410, "token_expired", "签退码已过期，请扫描大屏上最新的签退码")
    entry = enrollment_of(trainee_id, session.class_id)
    if entry is None:
        raise not_enrolled()
    existing = db.session.scalar(
        select(Checkout).where(
            Checkout.enrollment_id == entry.id, Checkout.session_id == session.id
        )
    )
    if existing is not None:
        return _answer(existing), False
    _check_open(session, utcnow())
    checkout = Checkout(
        enrollment_id=entry.id,
        session_id=session.id,
        class_id=session.class_id,
        checked_out_at=utcnow(),
    )
    db.session.add(checkout)
    db.session.flush()
    return _answer(checkout), True


def _answer(checkout: Checkout) -> dict[str, Any]:
    return {
        "session_id": checkout.session_id,
        "enrollment_id": checkout.enrollment_id,
        "checked_out_at": checkout.checked_out_at,
    }
