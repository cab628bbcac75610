"""Rotating check-in credentials: the QR token, the mini-program code's scene, the typed code.

All three are derived from (session, mode, slot) with HMAC-SHA256 under keys derived from the
app's SECRET_KEY, one key per purpose, so none of them passes for another, nor for a log-in
token. A slot is floor(server time / rotate_seconds): the same slot always gives the same
credential, so reloading the projector never invalidates a code already on screen, and only
the server's clock counts.
"""

import base64
import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from flask import current_app

from backend.enrollment.models import AttendanceMode

#: What the QR code holds: this prefix and the token, plain text for wx.scanCode (no URL).
QR_PREFIX = "YXCI1:"
#: A credential handed out stays valid at least this long (docs/API.md), whatever the rotation.
MIN_VALID_SECONDS = 15
#: WeChat's limit on a mini-program code's scene.
SCENE_MAX = 32
#: Bytes of HMAC kept in a scene (96 bits: a forgery within the code's life is hopeless).
SCENE_MAC_BYTES = 12

_MODE_CHARS = {AttendanceMode.ONSITE: "s", AttendanceMode.ONLINE: "o"}
_CHAR_MODES = {char: mode for mode, char in _MODE_CHARS.items()}
_DIGITS36 = "0123456789abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class SlotRef:
    """What a check-in credential stands for: a session, onsite or online, in one time slot."""

    session_id: int
    mode: AttendanceMode
    slot: int


@dataclass(frozen=True)
class Rotation:
    """A class's rotation settings: a new credential every `seconds`, kept `grace` slots more.

    `grace` is at least what keeps a credential valid MIN_VALID_SECONDS after it was handed
    out, so a short rotation never breaks docs/API.md's promise.
    """

    seconds: int
    grace: int

    @classmethod
    def of(cls, rotate_seconds: int, grace_slots: int) -> "Rotation":
        seconds = max(1, rotate_seconds)
        return cls(seconds, max(grace_slots, math.ceil(MIN_VALID_SECONDS / seconds)))

    def slot_at(self, now: float) -> int:
        return int(now // self.seconds)

    def expires_at(self, slot: int) -> datetime:
        """The end of the slot's grace window: the credential is refused from then on."""
        return datetime.fromtimestamp((slot + 1 + self.grace) * self.seconds, UTC)

    def rotates_in(self, now: float) -> float:
        """Seconds until the next slot begins."""
        return (self.slot_at(now) + 1) * self.seconds - now

    def accepts(self, slot: int, now: float) -> bool | None:
        """True while the slot is current or in its grace; False once too old; None for a slot
        in the future beyond one slot of clock skew between servers (never issued)."""
        current = self.slot_at(now)
        if slot > current + 1:
            return None
        return current <= slot + self.grace

    def recent_slots(self, now: float, extra: int = 0) -> range:
        """The slots whose credentials are accepted now (newest first), plus `extra` older ones."""
        current = self.slot_at(now)
        return range(current + 1, current - self.grace - extra - 1, -1)


@lru_cache(maxsize=8)
def _key(secret: str, purpose: str) -> bytes:
    return hmac.new(secret.encode(), f"yanxiu.checkin.{purpose}".encode(), hashlib.sha256).digest()


def _mac(purpose: str, payload: str) -> bytes:
    key = _key(current_app.config["SECRET_KEY"], purpose)
    return hmac.new(key, payload.encode(), hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _base36(number: int) -> str:
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = _DIGITS36[rest] + digits
        if not number:
            return digits


def _payload(ref: SlotRef) -> str:
    return f"{_base36(ref.session_id)}.{_base36(ref.slot)}.{_MODE_CHARS[ref.mode]}"


def _parse_payload(payload: str) -> SlotRef | None:
    session, slot, mode = payload.split(".")
    return SlotRef(int(session, 36), _CHAR_MODES[mode], int(slot, 36))


def _signed(purpose: str, ref: SlotRef, mac_bytes: int | None = None) -> str:
    payload = _payload(ref)
    return f"{payload}.{_b64(_mac(purpose, payload)[:mac_bytes])}"


def _read_signed(purpose: str, text: str, mac_bytes: int | None = None) -> SlotRef | None:
    payload, _, signature = text.rpartition(".")
    if not payload or not hmac.compare_digest(
        signature.encode(), _b64(_mac(purpose, payload)[:mac_bytes]).encode()
    ):
        return None
    try:
        return _parse_payload(payload)
    except (ValueError, KeyError):  # signed by us, so only a format of another version
        return None


def qr_token(ref: SlotRef) -> str:
    """The token of the QR code (also handed out by GET /sessions/{id}/checkin-code)."""
    return _signed("qr", ref)


def qr_text(ref: SlotRef) -> str:
    """The text the QR code holds."""
    return QR_PREFIX + qr_token(ref)


def read_token(text: str) -> SlotRef | None:
    """What a token (raw, or the QR's whole text) stands for; None unless we signed it."""
    return _read_signed("qr", text.strip().removeprefix(QR_PREFIX))


def scene(ref: SlotRef) -> str:
    """The scene of a mini-program code: at most 32 characters WeChat accepts."""
    value = _signed("scene", ref, SCENE_MAC_BYTES)
    if len(value) > SCENE_MAX:
        raise ValueError(f"scene too long for session {ref.session_id}")
    return value


def read_scene(text: str) -> SlotRef | None:
    return _read_signed("scene", text.strip(), SCENE_MAC_BYTES)


def typed_code(ref: SlotRef) -> str:
    """The 6-digit code shown beside the QR, for phones that cannot read it."""
    number = int.from_bytes(_mac("code", _payload(ref))[:8], "big") % 1_000_000
    return f"{number:06d}"


def match_code(
    code: str, session_id: int, modes: list[AttendanceMode], slots: range
) -> SlotRef | None:
    """The first (mode, slot) in this order whose typed code is `code`, or None."""
    for mode in modes:
        for slot in slots:
            ref = SlotRef(session_id, mode, slot)
            if hmac.compare_digest(typed_code(ref), code):
                return ref
    return None


#: What a check-out QR code (签退) holds: this prefix and the check-out token.
CHECKOUT_PREFIX = "YXCO1:"


def checkout_text(ref: SlotRef) -> str:
    """The check-out QR's text: signed under a key of its own, so no check-in token passes
    for a check-out token, nor the reverse."""
    return CHECKOUT_PREFIX + _signed("checkout", ref)


def read_checkout(text: str) -> SlotRef | None:
    """What a check-out token (raw, or the QR's whole text) stands for; None unless ours."""
    return _read_signed("checkout", text.strip().removeprefix(CHECKOUT_PREFIX))
