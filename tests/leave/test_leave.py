"""请假: a trainee asks for leave, the organizer decides; approved sessions read as excused
(请假) in the attendance grid, the roster, 附件5, the dashboard, and do not count as attended."""

import csv
import io

from tests.conftest import check_in, page_log_in


def ask(api, world, session_indexes, token=None, reason="单位临时安排出差"):
    body = {
        "class_id": world.class_id,
        "session_ids": [world.session_ids[i] for i in session_indexes],
        "reason": reason,
    }
    return api.post("/me/leave-requests", token or world.trainee, json=body)


def decide(api, world, request_id, decision, reason=""):
    return api.post(
        f"/leave-requests/{request_id}/decision",
        world.organizer,
        json={"decision": decision, "reason": reason},
    )


def cells(api, world, enrollment_id):
    rows = api.get(f"/classes/{world.class_id}/attendance", world.organizer).json["trainees"]
    row = next(r for r in rows if r["enrollment_id"] == enrollment_id)
    return [c["state"] for c in row["attendance"]], row


def listed(api, world):
    answer = api.get(f"/classes/{world.class_id}/leave-requests", world.organizer)
    assert answer.status_code == 200
    return answer.json


def test_an_approved_leave_shows_as_excused_everywhere(api, world, client):
    enrollment_id = next(iter(world.trainees))
    asked = ask(api, world, [2, 1])
    assert asked.status_code == 201, asked.json
    assert asked.json["status"] == "pending"
    [mine] = api.get("/me/leave-requests", world.trainee).json
    assert mine["status"] == "pending" and mine["reason"] == "单位临时安排出差"
    assert mine["session_ids"] == sorted(world.session_ids[1:3])
    [staff_view] = listed(api, world)
    assert staff_view["name"] == "学员1" and staff_view["enrollment_id"] == enrollment_id
    assert staff_view["decided_by"] is None
    # pending: still absent
    assert cells(api, world, enrollment_id)[0] == ["absent"] * 4

    decided = decide(api, world, asked.json["id"], "approve", "同意")
    assert decided.status_code == 200, decided.json
    assert decided.json["status"] == "approved" and decided.json["decided_by"] == "org-hust"
    assert decided.json["decision_reason"] == "同意" and decided.json["decided_at"]

    states, row = cells(api, world, enrollment_id)
    assert states == ["absent", "excused", "excused", "absent"]
    assert row["sessions_attended"] == 0 and row["sessions_excused"] == 2
    grid = api.get(f"/classes/{world.class_id}/attendance", world.organizer).json
    assert [s["excused"] for s in grid["sessions"]] == [0, 1, 1, 0]
    roster = api.get(f"/classes/{world.class_id}/trainees", world.organizer).json
    entry = next(t for t in roster if t["enrollment_id"] == enrollment_id)
    assert entry["sessions_excused"] == 2 and entry["sessions_attended"] == 0
    assert api.get("/me/leave-requests", world.trainee).json[0]["status"] == "approved"

    # 附件5: 假 in both sessions, not counted as attended
    answer = api.get(f"/classes/{world.class_id}/exports/roster.csv", world.organizer)
    lines = list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig"))))
    first = next(line for line in lines if line[1] == "学员1")
    assert first[9:] == ["", "假", "假", "", "0"]

    # completion: excused is not attended
    completion = api.get(f"/classes/{world.class_id}/completion", world.organizer).json
    outcome = next(t for t in completion["trainees"] if t["enrollment_id"] == enrollment_id)
    assert outcome["sessions_attended"] == 0 and outcome["completed"] is False

    # the dashboard: one on leave in sessions 2 and 3
    page_log_in(client, "org-hust")
    html = client.get(f"/dashboard/classes/{world.class_id}").get_data(as_text=True)
    assert html.count('<td class="num excused">1</td>') == 2
    assert html.count('<td class="num excused">0</td>') == 2


def test_a_check_in_on_a_day_of_leave_counts(api, world):
    enrollment_id = next(iter(world.trainees))
    asked = ask(api, world, [0])
    decide(api, world, asked.json["id"], "approve")
    assert cells(api, world, enrollment_id)[0][0] == "excused"
    check_in(api, world, enrollment_id)
    states, row = cells(api, world, enrollment_id)
    assert states[0] == "present" and row["sessions_attended"] == 1
    assert row["sessions_excused"] == 0


def test_deciding_twice_changes_nothing(api, world):
    asked = ask(api, world, [1])
    assert decide(api, world, asked.json["id"], "reject", "课程重要，请安排参加").status_code == 200
    before = listed(api, world)
    again = decide(api, world, asked.json["id"], "approve")
    assert again.status_code == 409 and again.json["error"] == "already_decided"
    assert "已处理" in again.json["message"]
    assert listed(api, world) == before
    assert before[0]["status"] == "rejected"
    assert before[0]["decision_reason"] == "课程重要，请安排参加"
    assert cells(api, world, next(iter(world.trainees)))[0][1] == "absent"
    # the trainee may ask again for a rejected session
    assert ask(api, world, [1], reason="确有急事").status_code == 201


def test_leave_for_an_attended_session_is_refused(api, world):
    enrollment_id = next(iter(world.trainees))
    check_in(api, world, enrollment_id)
    answer = ask(api, world, [0, 1])
    assert answer.status_code == 422
    assert answer.json["fields"]["session_ids"] == ["已签到的课程不能请假：专题1"]
    assert api.get("/me/leave-requests", world.trainee).json == []


def test_bad_requests_name_the_field_and_store_nothing(api, world):
    other_class_trainee = list(world.trainees.values())[1]
    cases = [
        ({"class_id": world.class_id + 999, "session_ids": [world.session_ids[1]]}, "class_id"),
        ({"class_id": world.class_id, "session_ids": []}, "session_ids"),
        ({"class_id": world.class_id, "session_ids": [10**6]}, "session_ids"),
        ({"class_id": world.class_id, "session_ids": ["x"]}, "session_ids.0"),
    ]
    for body, field in cases:
        answer = api.post("/me/leave-requests", world.trainee, json={**body, "reason": "出差"})
        assert answer.status_code == 422, body
        assert field in answer.json["fields"], answer.json
    blank = ask(api, world, [1], reason="  ")
    assert blank.status_code == 422 and blank.json["fields"]["reason"] == ["不能为空"]
    assert ask(api, world, [1]).status_code == 201
    twice = ask(api, world, [1, 2])
    assert twice.status_code == 422
    assert twice.json["fields"]["session_ids"] == ["已申请过请假：专题2"]
    assert len(listed(api, world)) == 1
    assert api.get("/me/leave-requests", other_class_trainee).json == []
    wrong = decide(api, world, listed(api, world)[0]["id"], "maybe")
    assert wrong.status_code == 422 and "decision" in wrong.json["fields"]
    assert listed(api, world)[0]["status"] == "pending"


def test_only_the_classes_organizers_decide(api, world):
    request_id = ask(api, world, [1]).json["id"]
    body = {"decision": "approve"}
    path = f"/leave-requests/{request_id}/decision"
    expected = {
        None: 401,
        world.trainee: 403,
        world.lecturer: 403,
        world.admin: 403,
        world.other_organizer: 404,
    }
    for token, status in expected.items():
        assert api.post(path, token, json=body).status_code == status
    assert listed(api, world)[0]["status"] == "pending"
    assert (
        api.get(f"/classes/{world.class_id}/leave-requests", world.other_organizer).status_code
        == 404
    )
    assert api.get(f"/classes/{world.class_id}/leave-requests", world.admin).status_code == 200
    assert api.post(path, world.organizer, json=body).status_code == 200
