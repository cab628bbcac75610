"""Organizers' corrections: present or absent with a reason, the history, the roster view."""

import pytest

from backend.core import signals
from tests.checkin.helpers import code_for, scan


@pytest.fixture
def sent():
    """Signals sent during the test: (name, class_id, kwargs)."""
    calls = []
    receivers = {}
    for name in ("checked_in", "checkin_removed"):

        def receiver(sender, _name=name, **kwargs):
            calls.append((_name, sender, kwargs))

        receivers[name] = receiver
        getattr(signals, name).connect(receiver)
    yield calls
    for name, receiver in receivers.items():
        getattr(signals, name).disconnect(receiver)


def correct(api, world, enrollment_id, session_index=0, **body):
    session_id = world.session_ids[session_index]
    return api.put(f"/sessions/{session_id}/attendance/{enrollment_id}", world.organizer, json=body)


def cell(api, world, enrollment_id, session_index=0):
    rows = api.get(f"/classes/{world.class_id}/attendance", world.organizer).json["trainees"]
    row = next(r for r in rows if r["enrollment_id"] == enrollment_id)
    return row["attendance"][session_index]


def test_marking_present_makes_a_manual_check_in(api, world, sent):
    enrollment_id, trainee = next(iter(world.trainees.items()))
    response = correct(api, world, enrollment_id, present=True, reason="手机没电，现场确认到课")
    assert response.status_code == 200
    assert response.json["state"] == "present" and response.json["manual"] is True
    assert response.json["late"] is False and response.json["source"] == "manual"
    assert cell(api, world, enrollment_id)["state"] == "present"
    session_id = world.session_ids[0]
    assert sent == [
        ("checked_in", world.class_id, {"session_id": session_id, "enrollment_id": enrollment_id})
    ]
    # the trainee sees it, and a later scan changes nothing
    mine = api.get("/me/classes", trainee).json[0]["sessions"][0]["checkin"]
    assert mine["checked_in_at"] == response.json["checked_in_at"]
    again = scan(api, trainee, token=code_for(api, world, session_id)["token"])
    assert again.status_code == 200
    assert again.json["checked_in_at"] == response.json["checked_in_at"]


def test_marking_late_then_not_late(api, world):
    enrollment_id = world.unbound[0]  # a trainee who never bound can be marked too
    late = correct(api, world, enrollment_id, present=True, late=True, reason="迟到 20 分钟")
    assert late.json["state"] == "late"
    fixed = correct(api, world, enrollment_id, present=True, reason="课程推迟开始，不算迟到")
    assert fixed.json["state"] == "present" and fixed.json["late"] is False


def test_marking_absent_removes_the_check_in(api, world, sent):
    enrollment_id, trainee = next(iter(world.trainees.items()))
    session_id = world.session_ids[0]
    assert scan(api, trainee, token=code_for(api, world, session_id)["token"]).status_code == 201
    sent.clear()
    response = correct(api, world, enrollment_id, present=False, reason="代签，本人未到")
    assert response.status_code == 200 and response.json["state"] == "absent"
    assert cell(api, world, enrollment_id)["state"] == "absent"
    assert api.get("/me/classes", trainee).json[0]["sessions"][0]["checkin"] is None
    roster = api.get(f"/classes/{world.class_id}/trainees", world.organizer).json
    assert next(r for r in roster if r["enrollment_id"] == enrollment_id)["sessions_attended"] == 0
    assert sent == [
        (
            "checkin_removed",
            world.class_id,
            {"session_id": session_id, "enrollment_id": enrollment_id},
        )
    ]
    # absent again: nothing to remove, no signal, still recorded
    correct(api, world, enrollment_id, present=False, reason="再次确认")
    assert len(sent) == 1


def test_every_correction_is_recorded_with_who_when_and_why(api, world):
    enrollment_id = next(iter(world.trainees))
    correct(api, world, enrollment_id, present=True, reason="手机没电")
    correct(api, world, enrollment_id, present=False, reason="核实后未到")
    history = api.get(f"/classes/{world.class_id}/attendance/corrections", world.admin).json
    assert [(h["present"], h["reason"], h["by"]) for h in history] == [
        (True, "手机没电", "org-hust"),
        (False, "核实后未到", "org-hust"),
    ]
    assert history[0]["name"] == f"学员{enrollment_id}"
    assert history[0]["at"].endswith("+08:00")


@pytest.mark.parametrize("body", [{"present": True}, {"present": True, "reason": "  "}, {}])
def test_a_reason_is_required(api, world, body):
    response = correct(api, world, next(iter(world.trainees)), **body)
    assert response.status_code == 422


def test_an_enrollment_of_another_class_is_404(api, world):
    assert correct(api, world, 999_999, present=True, reason="x").status_code == 404


def test_attendance_lists_every_trainee_and_session(api, world):
    first, trainee = next(iter(world.trainees.items()))
    scan(api, trainee, token=code_for(api, world, world.session_ids[0])["token"])
    absent = world.unbound[0]
    correct(api, world, absent, session_index=0, present=True, late=True, reason="补录")
    table = api.get(f"/classes/{world.class_id}/attendance", world.organizer).json
    assert [s["id"] for s in table["sessions"]] == world.session_ids
    assert [s["checked_in"] for s in table["sessions"]] == [2, 0, 0, 0]
    assert len(table["trainees"]) == 5
    rows = {r["enrollment_id"]: r for r in table["trainees"]}
    assert rows[first]["sessions_attended"] == rows[absent]["sessions_attended"] == 1
    assert [(c["state"], c["manual"]) for c in rows[first]["attendance"]] == [
        ("present", False),
        ("absent", False),
        ("absent", False),
        ("absent", False),
    ]
    assert [(c["state"], c["manual"]) for c in rows[absent]["attendance"]][0] == ("late", True)
