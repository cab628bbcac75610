"""补签: a trainee who missed the scan of a started session asks to be marked present; the
organizer's approval is a correction with the trainee's reason (history, audit, counts)."""

from tests.conftest import check_in


def ask(api, world, session_index=0, token=None, reason="手机没电，未能扫码"):
    body = {"session_id": world.session_ids[session_index], "reason": reason}
    return api.post("/me/checkin-requests", token or world.trainee, json=body)


def decide(api, world, request_id, decision, reason=""):
    return api.post(
        f"/checkin-requests/{request_id}/decision",
        world.organizer,
        json={"decision": decision, "reason": reason},
    )


def row_of(api, world, enrollment_id):
    rows = api.get(f"/classes/{world.class_id}/attendance", world.organizer).json["trainees"]
    return next(r for r in rows if r["enrollment_id"] == enrollment_id)


def corrections(api, world):
    return api.get(f"/classes/{world.class_id}/attendance/corrections", world.organizer).json


def test_an_approved_request_marks_present_as_a_correction(api, world):
    enrollment_id = next(iter(world.trainees))
    asked = ask(api, world)
    assert asked.status_code == 201, asked.json
    assert asked.json["status"] == "pending"
    [staff_view] = api.get(f"/classes/{world.class_id}/checkin-requests", world.organizer).json
    assert staff_view["name"] == "学员1" and staff_view["session_id"] == world.session_ids[0]
    assert row_of(api, world, enrollment_id)["attendance"][0]["state"] == "absent"

    decided = decide(api, world, asked.json["id"], "approve")
    assert decided.status_code == 200, decided.json
    assert decided.json["status"] == "approved" and decided.json["decided_by"] == "org-hust"
    cell = row_of(api, world, enrollment_id)["attendance"][0]
    assert cell["state"] == "present" and cell["manual"] is True
    assert row_of(api, world, enrollment_id)["sessions_attended"] == 1
    [correction] = corrections(api, world)
    assert correction["reason"] == "手机没电，未能扫码" and correction["present"] is True
    assert correction["by"] == "org-hust" and correction["enrollment_id"] == enrollment_id
    audit = api.get(f"/audit?class_id={world.class_id}", world.admin).json
    assert {"attendance.correct", "checkin_request.decide"} <= {e["action"] for e in audit}
    mine = api.get("/me/checkin-requests", world.trainee).json
    assert [m["status"] for m in mine] == ["approved"]
    # the trainee's own view shows the check-in
    assert api.get("/me/classes", world.trainee).json[0]["sessions"][0]["checkin"] is not None

    again = decide(api, world, asked.json["id"], "approve")
    assert again.status_code == 409 and again.json["error"] == "already_decided"
    assert len(corrections(api, world)) == 1


def test_a_rejected_request_changes_no_attendance(api, world):
    enrollment_id = next(iter(world.trainees))
    asked = ask(api, world)
    decided = decide(api, world, asked.json["id"], "reject", "现场核实未到课")
    assert decided.json["status"] == "rejected"
    assert decided.json["decision_reason"] == "现场核实未到课"
    assert row_of(api, world, enrollment_id)["attendance"][0]["state"] == "absent"
    assert corrections(api, world) == []


def test_a_session_not_started_is_409(api, world):
    answer = ask(api, world, session_index=1)
    assert answer.status_code == 409 and answer.json["error"] == "session_not_started"
    assert "尚未开始" in answer.json["message"]
    assert api.get("/me/checkin-requests", world.trainee).json == []


def test_an_attended_session_or_another_class_is_422(api, world):
    enrollment_id = next(iter(world.trainees))
    check_in(api, world, enrollment_id)
    attended = ask(api, world)
    assert attended.status_code == 422
    assert attended.json["fields"]["session_id"] == ["这节课你已签到，无需补签"]
    unknown = api.post(
        "/me/checkin-requests", world.trainee, json={"session_id": 10**6, "reason": "x"}
    )
    assert unknown.status_code == 422
    assert unknown.json["fields"]["session_id"] == ["该课程不属于你所在的研修班"]
    assert api.get("/me/checkin-requests", world.trainee).json == []


def test_one_pending_request_per_session(api, world):
    assert ask(api, world).status_code == 201
    twice = ask(api, world)
    assert twice.status_code == 422 and "等待审批" in twice.json["fields"]["session_id"][0]


def test_a_trainee_who_scanned_since_is_not_corrected(api, world):
    enrollment_id = next(iter(world.trainees))
    request_id = ask(api, world).json["id"]
    scanned = check_in(api, world, enrollment_id)
    answer = decide(api, world, request_id, "approve")
    assert answer.status_code == 409 and answer.json["error"] == "already_attended"
    cell = row_of(api, world, enrollment_id)["attendance"][0]
    assert cell["manual"] is False and cell["checked_in_at"] == scanned["checked_in_at"]
    assert decide(api, world, request_id, "reject").json["status"] == "rejected"
    assert corrections(api, world) == []
