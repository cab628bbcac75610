"""Read-only check-out queries other modules call."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from backend.checkout.models import Checkout, CheckoutSetting
from backend.extensions import db


@dataclass(frozen=True)
class CheckoutState:
    """A class's check-out: whether it is on, required, and who checked out of what."""

    on: bool
    required: bool
    done: frozenset[tuple[int, int]]  # (enrollment_id, session_id)


OFF = CheckoutState(False, False, frozenset())


def checkout_state(class_id: int) -> CheckoutState:
    setting = db.session.get(CheckoutSetting, class_id)
    if setting is None:
        return OFF
    rows = db.session.execute(
        select(Checkout.enrollment_id, Checkout.session_id).where(Checkout.class_id == class_id)
    )
    return CheckoutState(True, setting.required, frozenset(tuple(r) for r in rows))


def checkouts_of(enrollment_ids: list[int]) -> list[Checkout]:
    """The check-outs of these roster entries (a trainee's own data), oldest first."""
    return list(
        db.session.scalars(
            select(Checkout)
            .where(Checkout.enrollment_id.in_(enrollment_ids))
            .order_by(Checkout.checked_out_at)
        )
    )


#: After this long past a session's end its check-out window is closed (logic.window_of).
CLOSES_AFTER_END = timedelta(minutes=30)


def checkout_mark(
    state: CheckoutState, enrollment_id: int, session_id: int, ends_at: datetime, now: datetime
) -> str | None:
    """For a check-in: "done" (checked out), "missing" (left early or never checked out, once
    the window has closed), None (签退 off, or the window still open and no scan yet)."""
    if not state.on:
        return None
    if (enrollment_id, session_id) in state.done:
        return "done"
    return "missing" if now > ends_at + CLOSES_AFTER_END else None


def counts_as_attended(state: CheckoutState, mark: str | None) -> bool:
    """A check-in counts unless the class requires 签退 and it is missing."""
    return not (state.required and mark == "missing")
