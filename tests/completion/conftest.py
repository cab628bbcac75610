"""A class that ended yesterday: four sessions of two hours, five trainees, three bound."""

from datetime import timedelta

import pytest

from backend.core.timeutil import utcnow
from tests.conftest import build_world
from tests.live.conftest import live_server  # noqa: F401  (fixture)


@pytest.fixture
def ended(app):
    """The world of tests.conftest, moved five days back: every session has ended."""
    return build_world(app, now=utcnow() - timedelta(days=5))


def mark(api, world, session_index: int, enrollment_id: int, present: bool = True):
    """The organizer marks a trainee present (or absent) for a past session."""
    session_id = world.session_ids[session_index]
    answer = api.put(
        f"/sessions/{session_id}/attendance/{enrollment_id}",
        world.organizer,
        json={"present": present, "reason": "纸质签到表补录"},
    )
    assert answer.status_code == 200, answer.json
