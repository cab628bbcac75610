"""The projector's codes: rotation, images, the typed code and its attempt limit, roles."""

import time
from datetime import datetime, timedelta
from types import SimpleNamespace

import limits.storage.memory
import pytest

from backend.checkin.tokens import MIN_VALID_SECONDS, Rotation
from backend.core.timeutil import utcnow
from tests.checkin.helpers import code_for, make_online, old_slot_token, scan, set_class
from tests.conftest import wait_for


def test_a_reload_shows_the_same_code_until_the_slot_turns(app, api, world):
    set_class(app, world, code_rotate_seconds=600)
    session_id = world.session_ids[0]
    first, reload = code_for(api, world, session_id), code_for(api, world, session_id)
    assert (reload["token"], reload["code"]) == (first["token"], first["code"])

    set_class(app, world, code_rotate_seconds=2)
    before = code_for(api, world, session_id)
    after = wait_for(
        lambda: (code := code_for(api, world, session_id))["token"] != before["token"] and code,
        "a new code",
    )
    assert after["token"] != before["token"]
    assert after["expires_at"] > before["expires_at"]


def test_expiry_and_rotation_figures(api, world):
    qr = code_for(api, world, world.session_ids[0])
    expires_at = datetime.fromisoformat(qr["expires_at"])
    assert expires_at.utcoffset() == timedelta(hours=8)
    assert 0 < qr["rotates_in"] <= 15
    left = (expires_at - utcnow()).total_seconds()
    assert MIN_VALID_SECONDS - 1 <= left <= 30
    assert len(qr["code"]) == 6 and qr["code"].isdigit()


@pytest.mark.parametrize(
    ("rotate", "grace", "kept"), [(15, 1, 1), (15, 3, 3), (5, 1, 3), (2, 1, 8), (60, 0, 1)]
)
def test_grace_never_leaves_less_than_15_seconds(rotate, grace, kept):
    rotation = Rotation.of(rotate, grace)
    assert rotation.grace == kept
    slot = rotation.slot_at(1_000_000.0)
    handed_out_last = (slot + 1) * rotate - 0.001  # the worst moment: just before rotating
    assert rotation.expires_at(slot).timestamp() - handed_out_last >= MIN_VALID_SECONDS
    assert rotation.accepts(slot, (slot + 1 + kept) * rotate - 0.001)
    assert not rotation.accepts(slot, (slot + 1 + kept) * rotate)


def test_images_hold_the_current_qr_text(api, world):
    session_id = world.session_ids[0]
    svg = api.get(f"/sessions/{session_id}/checkin-code.svg", world.organizer)
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert b"<svg" in svg.data[:200] and svg.data.rstrip().endswith(b"</svg>")
    assert svg.headers["Cache-Control"] == "no-store"
    png = api.get(f"/sessions/{session_id}/checkin-code.png?mode=online", world.admin)
    assert png.status_code == 200 and png.data.startswith(b"\x89PNG")


def test_a_typed_code_checks_in(api, world):
    session_id = world.session_ids[0]
    qr = code_for(api, world, session_id)
    response = scan(api, world.trainee, code=qr["code"], session_id=session_id)
    assert response.status_code == 201
    attendance = api.get(f"/classes/{world.class_id}/attendance", world.organizer).json
    assert attendance["trainees"][0]["attendance"][0]["source"] == "code"


def test_a_typed_code_of_another_session_or_mode_is_refused(app, api, world):
    first, second = world.session_ids[:2]
    code = code_for(api, world, first)["code"]
    assert scan(api, world.trainee, code=code, session_id=second).json["error"] == "invalid_token"
    online_id, online = list(world.trainees.items())[1]
    make_online(app, online_id)
    refused = scan(api, online, code=code, session_id=first)
    assert refused.status_code == 403 and refused.json["error"] == "wrong_mode"
    meeting = code_for(api, world, first, mode="online")["code"]
    assert scan(api, online, code=meeting, session_id=first).status_code == 201


def test_an_old_typed_code_is_expired(app, api, world):
    set_class(app, world, code_rotate_seconds=600)
    session_id = world.session_ids[0]
    old = old_slot_token(app, world, session_id, 3, kind="code")
    response = scan(api, world.trainee, code=old, session_id=session_id)
    assert response.status_code == 410


def test_five_wrong_codes_block_typing_for_ten_minutes(api, world):
    session_id = world.session_ids[0]
    right = code_for(api, world, session_id)["code"]
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    trainee, other = list(world.trainees.values())[:2]
    for _ in range(5):
        response = scan(api, trainee, code=wrong, session_id=session_id)
        assert response.status_code == 400 and response.json["error"] == "invalid_token"
    blocked = scan(api, trainee, code=right, session_id=session_id)
    assert blocked.status_code == 429 and blocked.json["error"] == "rate_limited"
    assert 0 < int(blocked.headers["Retry-After"]) <= 600
    # a scan still works, and another trainee may still type
    assert scan(api, other, code=right, session_id=session_id).status_code == 201
    token = code_for(api, world, session_id)["token"]
    assert scan(api, trainee, token=token).status_code == 201


def test_the_block_ends_ten_minutes_after_the_first_wrong_code(api, world, monkeypatch):
    session_id = world.session_ids[0]
    right = code_for(api, world, session_id)["code"]
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        scan(api, world.trainee, code=wrong, session_id=session_id)
    blocked = scan(api, world.trainee, code=right, session_id=session_id)
    assert blocked.status_code == 429 and 590 <= int(blocked.headers["Retry-After"]) <= 600
    later = SimpleNamespace(time=lambda: time.time() + 601)  # the limiter's clock only
    monkeypatch.setattr(limits.storage.memory, "time", later)
    assert scan(api, world.trainee, code=right, session_id=session_id).status_code == 201


def test_right_codes_do_not_use_up_the_budget(api, world):
    session_id = world.session_ids[0]
    right = code_for(api, world, session_id)["code"]
    for _ in range(8):  # a retried scan of a recorded check-in, again and again
        assert scan(api, world.trainee, code=right, session_id=session_id).status_code in (200, 201)
    for _ in range(5):
        assert (
            scan(
                api,
                world.trainee,
                code="999999" if right != "999999" else "888888",
                session_id=session_id,
            ).status_code
            == 400
        )


def test_a_typed_code_for_an_unknown_session_counts_as_wrong(api, world):
    for _ in range(5):
        response = scan(api, world.trainee, code="123456", session_id=999_999)
        assert response.json["error"] == "invalid_token"
    assert scan(api, world.trainee, code="123456", session_id=999_999).status_code == 429


def test_recent_arrivals_for_the_projector(api, world):
    session_id = world.session_ids[0]
    token = code_for(api, world, session_id)["token"]
    names = []
    for enrollment_id, trainee in world.trainees.items():
        scan(api, trainee, token=token)
        names.insert(0, f"学员{enrollment_id}")
    response = api.get(f"/sessions/{session_id}/checkins/recent?limit=2", world.organizer)
    assert response.status_code == 200
    assert response.json["checked_in"] == 3 and response.json["enrolled"] == 5
    assert [a["name"] for a in response.json["recent"]] == names[:2]
    online = api.get(f"/sessions/{session_id}/checkins/recent?mode=online", world.admin).json
    assert (online["checked_in"], online["enrolled"], online["recent"]) == (0, 0, [])


STAFF_READS = [
    "/sessions/{s}/checkin-code",
    "/sessions/{s}/checkin-code.svg",
    "/sessions/{s}/checkin-code.png",
    "/sessions/{s}/checkins/recent",
    "/classes/{c}/attendance",
    "/classes/{c}/attendance/corrections",
]


@pytest.mark.parametrize("path", STAFF_READS)
@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 401),
        ("trainee", 403),
        ("lecturer", 403),
        ("other_organizer", 404),
        ("organizer", 200),
        ("admin", 200),
    ],
)
def test_role_matrix_of_staff_reads(api, world, path, who, status):
    token = getattr(world, who) if who else None
    url = path.format(s=world.session_ids[0], c=world.class_id)
    assert api.get(url, token).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 401),
        ("trainee", 403),
        ("lecturer", 403),
        ("admin", 403),
        ("other_organizer", 404),
        ("organizer", 200),
    ],
)
def test_role_matrix_of_corrections(api, world, who, status):
    token = getattr(world, who) if who else None
    enrollment_id = next(iter(world.trainees))
    response = api.put(
        f"/sessions/{world.session_ids[0]}/attendance/{enrollment_id}",
        token,
        json={"present": True, "reason": "手机没电，现场确认"},
    )
    assert response.status_code == status


@pytest.mark.parametrize(
    ("who", "status"), [(None, 401), ("organizer", 403), ("admin", 403), ("lecturer", 403)]
)
def test_only_trainees_check_in(api, world, who, status):
    token = getattr(world, who) if who else None
    qr = code_for(api, world, world.session_ids[0])
    assert api.post("/checkins", token, json={"token": qr["token"]}).status_code == status


def test_unknown_session_is_404_for_staff(api, world):
    assert api.get("/sessions/999999/checkin-code", world.admin).status_code == 404


def test_the_benchmark_endpoint_exists_only_when_asked_for(client, world):
    """POST /api/bench/insert-checkin has no log-in: never there unless YANXIU_BENCH_ENDPOINTS=1."""
    body = {"enrollment_id": next(iter(world.trainees)), "session_id": 1, "class_id": 1}
    assert client.post("/api/bench/insert-checkin", json=body).status_code == 404
