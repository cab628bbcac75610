"""Check-in (签到): each scan checked without the database, then one query and one insert.

The hot path (POST /checkins) reads the session, its class's settings, the trainee's roster
entry and any earlier check-in in one join, and inserts with ON CONFLICT DO NOTHING (a row
counted or not): a unique (enrollment, session) key makes concurrent duplicate scans harmless.
Both statements are module-level constants SQLAlchemy compiles once, and each runs as its own
transaction (core/transaction.statement_connection): on PostgreSQL a check-in costs two round
trips and no BEGIN or COMMIT, on SQLite it holds the write lock for the insert alone.
"""

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, request
from limits import parse as parse_limit
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import Boolean, and_, bindparam, select, text
from sqlalchemy.engine import Connection, Row

from backend.auth.access import TRAINEE, authorize, unauthorized
from backend.auth.models import Trainee
from backend.auth.tokens import TokenClaims
from backend.checkin import tokens
from backend.checkin.models import CheckIn, CheckInSource
from backend.checkin.tokens import Rotation, SlotRef
from backend.classes.models import (
    ClassMode,
    ClassStatus,
    Session,
    TrainingClass,
    refuse_unless_approved,
)
from backend.core import signals
from backend.core.errors import ApiError, validation_failed
from backend.core.timeutil import to_china, utcnow
from backend.core.transaction import statement_connection
from backend.core.types import UTCDateTime
from backend.enrollment.models import AttendanceMode, Enrollment
from backend.extensions import limiter

#: Wrong typed codes allowed per trainee (in the rate limiter's storage); then 429 until the
#: window, which starts at the first wrong code, has passed.
CODE_BUDGET = parse_limit("5 per 10 minutes")
#: Older slots a typed code is recognised in, to answer "expired" rather than "wrong".
EXPIRED_CODE_SLOTS = 8
#: A typed code of the last this many seconds is always recognised (docs/API.md, Check-in).
RECOGNISED_CODE_SECONDS = 120


def invalid_token(message: str = "签到码无效，请扫描现场大屏上的二维码") -> ApiError:
    return ApiError(400, "invalid_token", message)


def wrong_code() -> ApiError:
    return invalid_token("签到码不正确，请核对大屏上的 6 位数字")


def token_expired() -> ApiError:
    return ApiError(410, "token_expired", "签到码已过期，请扫描或输入大屏上最新的签到码")


def not_enrolled() -> ApiError:
    return ApiError(
        403,
        "not_enrolled",
        "您不在本班学员名单中或尚未绑定名单，请先在小程序中绑定，或联系承办单位",
    )


def wrong_mode(enrolled_as: AttendanceMode) -> ApiError:
    if enrolled_as == AttendanceMode.ONLINE:
        message = "您报名的参训方式为线上，请使用线上会议中展示的签到码"
    else:
        message = "您报名的参训方式为线下（现场），请扫描现场大屏上的签到码，线上签到码不适用"
    return ApiError(403, "wrong_mode", message)


def checkin_closed(opens_before_min: int) -> ApiError:
    return ApiError(
        409,
        "checkin_closed",
        f"不在签到时间内：签到于课程开始前 {opens_before_min} 分钟开放，课程结束时关闭",
    )


def window_opens(starts_at: datetime, opens_before_min: int) -> datetime:
    """Check-in opens this long before the session starts; it closes when the session ends."""
    return starts_at - timedelta(minutes=opens_before_min)


def display_state(session: Session, training_class: TrainingClass, now: datetime) -> dict:
    """What the projector shows now: the live code only while check-in is open, else why not
    (the same rules as check_in's refusals)."""
    opens = window_opens(session.starts_at, training_class.checkin_opens_before_min)
    if training_class.status in (ClassStatus.DRAFT, ClassStatus.SUBMITTED):
        return {"state": "not_approved", "message": "本班开班实施方案尚未审核通过，学员暂不能签到"}
    if training_class.status == ClassStatus.CLOSED:
        return {"state": "closed", "message": ClassStatus.CLOSED.label}
    if now < opens:
        return {
            "state": "not_open",
            "message": f"签到未开始（{to_china(opens):%H:%M} 开放）",
            "changes_at": opens,
        }
    if now > session.ends_at:
        return {"state": "ended", "message": "本次课程已结束"}
    return {"state": "open", "message": "", "changes_at": session.ends_at}


# --- issuing ---------------------------------------------------------------------------


def rotation_of(training_class: TrainingClass) -> Rotation:
    return Rotation.of(training_class.code_rotate_seconds, training_class.code_grace_slots)


def check_mode_allowed(training_class: TrainingClass, mode: AttendanceMode) -> None:
    """Only hybrid classes have an online code (422 otherwise)."""
    if mode == AttendanceMode.ONLINE and training_class.mode != ClassMode.HYBRID:
        raise validation_failed({"mode": ["本班为线下班，没有线上签到码"]})


def current_ref(session: Session, training_class: TrainingClass, mode: AttendanceMode) -> SlotRef:
    rotation = rotation_of(training_class)
    return SlotRef(session.id, mode, rotation.slot_at(time.time()))


def current_code(
    session: Session, training_class: TrainingClass, mode: AttendanceMode
) -> dict[str, Any]:
    """What the projector shows now: the QR's token and text, the typed code, their life."""
    rotation = rotation_of(training_class)
    now = time.time()
    ref = SlotRef(session.id, mode, rotation.slot_at(now))
    return {
        "session_id": session.id,
        "mode": mode.value,
        "token": tokens.qr_token(ref),
        "qr_text": tokens.qr_text(ref),
        "code": tokens.typed_code(ref),
        "expires_at": rotation.expires_at(ref.slot),
        "rotates_in": round(rotation.rotates_in(now), 3),
    }


# --- checking in -----------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """What the trainee sent: a decoded token or scene, or a typed code still to match."""

    source: CheckInSource
    session_id: int
    ref: SlotRef | None = None
    code: str | None = None


#: The session, its class's settings, the trainee's roster entry, any earlier check-in, and
#: the trainee's token_version (to refuse a revoked bearer token without another query).
_CONTEXT = (
    select(
        Trainee.token_version,
        Session.class_id,
        Session.starts_at,
        Session.ends_at,
        TrainingClass.status,
        TrainingClass.checkin_opens_before_min,
        TrainingClass.late_after_min,
        TrainingClass.code_rotate_seconds,
        TrainingClass.code_grace_slots,
        Enrollment.id.label("enrollment_id"),
        Enrollment.attendance_mode,
        CheckIn.checked_in_at,
        CheckIn.late,
        CheckIn.mode.label("checkin_mode"),
    )
    .join(TrainingClass, TrainingClass.id == Session.class_id)
    .outerjoin(Trainee, Trainee.id == bindparam("trainee_id"))
    .outerjoin(
        Enrollment,
        and_(
            Enrollment.class_id == Session.class_id,
            Enrollment.trainee_id == bindparam("trainee_id"),
        ),
    )
    .outerjoin(
        CheckIn, and_(CheckIn.enrollment_id == Enrollment.id, CheckIn.session_id == Session.id)
    )
    .where(Session.id == bindparam("session_id"))
)

#: Portable (SQLite ≥ 3.35 and PostgreSQL) and, as a text() constant, compiled once.
_INSERT = text(
    "INSERT INTO checkins (enrollment_id, session_id, class_id, checked_in_at, late, mode,"
    " source, reason, client_addr, device) VALUES (:enrollment_id, :session_id, :class_id,"
    " :checked_in_at, :late, :mode, :source, '', :client_addr, :device)"
    " ON CONFLICT (enrollment_id, session_id) DO NOTHING"
).bindparams(bindparam("checked_in_at", type_=UTCDateTime()), bindparam("late", type_=Boolean()))

_EXISTING = select(CheckIn.checked_in_at, CheckIn.late, CheckIn.mode.label("checkin_mode")).where(
    CheckIn.enrollment_id == bindparam("enrollment_id"),
    CheckIn.session_id == bindparam("session_id"),
)


def read_claim(data: dict[str, Any]) -> Claim:
    """The credential of a POST /checkins body; 400 invalid_token for anything we did not sign.

    A `session_id` sent beside a token or scene must be the one the credential is for.
    """
    if "code" in data:
        return Claim(CheckInSource.CODE, data["session_id"], code=data["code"])
    if "scene" in data:
        source, ref = CheckInSource.WXACODE, tokens.read_scene(data["scene"])
    else:
        source, ref = CheckInSource.QR, tokens.read_token(data["token"])
    if ref is None:
        raise invalid_token()
    if data.get("session_id") not in (None, ref.session_id):
        raise invalid_token("该签到码不属于这节课，请扫描本节课的签到码")
    return Claim(source, ref.session_id, ref=ref)


def check_in(claims: TokenClaims, data: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Check the trainee of these (not yet verified) token claims in; returns the check-in
    and whether it is new.

    Errors, the first that applies: 401 for a revoked bearer token, then docs/API.md's order:
    400 invalid_token, 410 token_expired, 403 not_enrolled (or wrong_mode),
    409 class_not_approved, 409 checkin_closed; but a trainee already checked in to the
    session gets 200 and the first check-in for any credential we signed for it, however
    old (a retried scan never reports failure). A typed code is refused with 429
    rate_limited after too many wrong ones.
    """
    now = utcnow()
    try:
        claim = read_claim(data)
    except ApiError:
        authorize({TRAINEE})  # a revoked bearer token is 401 before anything else
        raise
    connection = statement_connection()
    context = _context(connection, claims, claim)
    rotation = Rotation.of(context.code_rotate_seconds, context.code_grace_slots)
    ref = claim.ref or _match_code(claims.account_id, claim, context, rotation, now)
    if context.checked_in_at is not None:  # a retried scan: however old, it was recorded
        return _answer(ref, context, context), False
    _check_allowed(ref, context, rotation, now)
    return _insert(connection, claim.source, ref, context, now)


def _context(connection: Connection, claims: TokenClaims, claim: Claim) -> Row:
    """The one query of a check-in; 401 when the bearer token was revoked."""
    trainee_id = claims.account_id
    context = connection.execute(
        _CONTEXT, {"trainee_id": trainee_id, "session_id": claim.session_id}
    ).one_or_none()
    if context is None:  # no such session (any more)
        authorize({TRAINEE})
        if claim.source == CheckInSource.CODE:
            _spend_guess(trainee_id)  # a wrong guess: no refund
            raise wrong_code()
        raise invalid_token()
    if context.token_version != claims.version:
        raise unauthorized()
    return context


def _insert(
    connection: Connection, source: CheckInSource, ref: SlotRef, context: Row, now: datetime
) -> tuple[dict[str, Any], bool]:
    """Insert the check-in unless a concurrent scan of the same trainee won (then: its row)."""
    late = now > context.starts_at + timedelta(minutes=context.late_after_min)
    inserted = connection.execute(
        _INSERT,
        {
            "enrollment_id": context.enrollment_id,
            "session_id": ref.session_id,
            "class_id": context.class_id,
            "checked_in_at": now,
            "late": late,
            "mode": ref.mode.value,
            "source": source.value,
            "client_addr": (request.remote_addr or "")[:45] or None,
            "device": device_hint(request.user_agent.string),
        },
    ).rowcount
    if not inserted:
        first = connection.execute(
            _EXISTING, {"enrollment_id": context.enrollment_id, "session_id": ref.session_id}
        ).one()
        return _answer(ref, context, first), False
    signals.checked_in.send(
        context.class_id, session_id=ref.session_id, enrollment_id=context.enrollment_id
    )
    return {
        "session_id": ref.session_id,
        "enrollment_id": context.enrollment_id,
        "checked_in_at": now,
        "late": late,
        "mode": ref.mode.value,
    }, True


def device_hint(user_agent: str) -> str | None:
    """A short digest of the User-Agent: equal for the same phone and WeChat version, and
    not the string itself (which names the phone model)."""
    if not user_agent:
        return None
    return hashlib.sha256(user_agent.encode()).hexdigest()[:12]


def _answer(ref: SlotRef, context: Row, checkin: Row) -> dict[str, Any]:
    """The answer for an earlier check-in (a repeat scan)."""
    return {
        "session_id": ref.session_id,
        "enrollment_id": context.enrollment_id,
        "checked_in_at": checkin.checked_in_at,
        "late": checkin.late,
        "mode": checkin.checkin_mode.value,
    }


def _check_allowed(ref: SlotRef, context: Row, rotation: Rotation, now: datetime) -> None:
    """Every refusal after the signature, in docs/API.md's order."""
    fresh = rotation.accepts(ref.slot, now.timestamp())
    if fresh is None:
        raise invalid_token()
    if not fresh:
        raise token_expired()
    if context.enrollment_id is None:
        raise not_enrolled()
    if ref.mode != context.attendance_mode:
        raise wrong_mode(context.attendance_mode)
    refuse_unless_approved(context.status, "签到")
    opens = window_opens(context.starts_at, context.checkin_opens_before_min)
    if context.status != ClassStatus.APPROVED or not opens <= now <= context.ends_at:
        raise checkin_closed(context.checkin_opens_before_min)


def _match_code(
    trainee_id: int, claim: Claim, context: Row, rotation: Rotation, now: datetime
) -> SlotRef:
    """The slot a typed code belongs to, the trainee's own mode first; each guess is paid for
    from the budget first, and a right one gets its guess back."""
    refund = _spend_guess(trainee_id)
    own = context.attendance_mode or AttendanceMode.ONSITE
    modes = [own, *(m for m in AttendanceMode if m != own)]
    extra = max(EXPIRED_CODE_SLOTS, math.ceil(RECOGNISED_CODE_SECONDS / rotation.seconds))
    slots = rotation.recent_slots(now.timestamp(), extra=extra)
    ref = tokens.match_code(claim.code, claim.session_id, modes, slots)
    if ref is None:
        raise wrong_code()
    refund()
    return ref


def _spend_guess(trainee_id: int) -> Callable[[], None]:
    """Take one guess from the trainee's typed-code budget before the code is compared; 429
    when none is left. Returns the refund, for a code that turns out right.

    Taking is one atomic increment in the rate limiter's storage (Redis INCR, or a locked
    counter in process), so concurrent wrong codes cannot get more guesses than the budget.
    """
    if not limiter.enabled:  # RATELIMIT_DISABLED (load tests): no limit of any kind
        return lambda: None
    key = (current_app.config["RATELIMIT_KEY_PREFIX"], "checkin-code", str(trainee_id))
    # a fixed window, whatever the app's strategy: it starts at the first wrong code, and a
    # refund is a plain decrement
    strategy = FixedWindowRateLimiter(limiter.limiter.storage)
    try:
        if strategy.hit(CODE_BUDGET, *key):
            return lambda: strategy.hit(CODE_BUDGET, *key, cost=-1)
        reset = strategy.get_window_stats(CODE_BUDGET, *key).reset_time
    except strategy.storage.base_exceptions as error:  # it died since the route's limits ran
        raise ApiError(503, "unavailable", "暂时无法核对签到码，请扫描二维码签到") from error
    wait = max(1, math.ceil(reset - time.time()))
    raise ApiError(
        429,
        "rate_limited",
        f"签到码输错次数过多，请 {(wait + 59) // 60} 分钟后再试，或扫描二维码签到",
        headers={"Retry-After": str(wait)},
    )
