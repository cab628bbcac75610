"""The credentials themselves: deterministic per slot, one purpose each, short scenes."""

import re

import pytest

from backend.checkin import tokens
from backend.checkin.tokens import SlotRef
from backend.enrollment.models import AttendanceMode

ONSITE, ONLINE = AttendanceMode.ONSITE, AttendanceMode.ONLINE
SCENE = re.compile(r"[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}")


@pytest.fixture(autouse=True)
def _signing_context(app):
    """Credentials are signed with the app's secret; these tests make no request."""
    with app.app_context():
        yield


def test_the_same_slot_always_gives_the_same_credentials(app):
    ref = SlotRef(7, ONSITE, 123_456_789)
    assert tokens.qr_token(ref) == tokens.qr_token(SlotRef(7, ONSITE, 123_456_789))
    assert tokens.read_token(tokens.qr_text(ref)) == ref
    assert tokens.read_scene(tokens.scene(ref)) == ref
    assert tokens.qr_token(ref) != tokens.qr_token(SlotRef(7, ONSITE, 123_456_790))
    assert tokens.qr_token(ref) != tokens.qr_token(SlotRef(7, ONLINE, 123_456_789))


@pytest.mark.parametrize("session_id", [1, 36**5 - 1])
@pytest.mark.parametrize("slot", [0, 2**31 - 1])
def test_scenes_fit_wechat_limits_for_large_ids_and_far_slots(app, session_id, slot):
    scene = tokens.scene(SlotRef(session_id, ONLINE, slot))
    assert SCENE.fullmatch(scene)


def test_each_purpose_has_its_own_key(app):
    ref = SlotRef(3, ONSITE, 99)
    assert tokens.read_scene(tokens.qr_token(ref)) is None
    assert tokens.read_token(tokens.scene(ref)) is None


def test_typed_codes_are_six_digits_and_spread(app):
    codes = {tokens.typed_code(SlotRef(1, ONSITE, slot)) for slot in range(2000)}
    assert all(len(code) == 6 and code.isdigit() for code in codes)
    assert len(codes) > 1990  # collisions are rare
    ref = SlotRef(1, ONLINE, 5)
    assert tokens.match_code(tokens.typed_code(ref), 1, [ONSITE, ONLINE], range(7, 0, -1)) == ref
    assert tokens.match_code(tokens.typed_code(ref), 2, [ONSITE, ONLINE], range(7, 0, -1)) is None
