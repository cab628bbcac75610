"""Classes: creation, the notice's warnings, status transitions, change notices, schedule."""

from datetime import date, timedelta

import pytest


def _project_id(api, token, name="区块链技术数字化工程师高级研修班"):
    projects = api.get("/projects?year=2023", token).json
    return next(p["id"] for p in projects if p["name"] == name)


def _new_class(api, token, **overrides):
    body = {
        "project_id": _project_id(api, token),
        "location": "武汉",
        "start_date": "2023-09-04",
        "end_date": "2023-09-07",
        "capacity": 40,
        "mode": "offline",
        **overrides,
    }
    return api.post("/classes", token, json=body)


def test_projects_list_the_2023_plan(api, world):
    projects = api.get("/projects?year=2023", world.organizer).json
    assert len(projects) == 10
    assert sum(p["funding"] == "fiscal" for p in projects) == 8
    hust = next(p for p in projects if p["name"] == "区块链技术数字化工程师高级研修班")
    assert hust["host_unit"]["name"] == "华中科技大学"
    assert hust["applicant_unit"] == "华中科技大学"
    assert all(" " not in p["name"] for p in projects)


def test_a_four_day_class_of_forty_has_no_warnings(api, world):
    response = _new_class(api, world.organizer)
    assert response.status_code == 201
    body = response.json
    assert body["status"] == "draft"
    assert body["warnings"] == []
    assert body["title"] == "区块链技术数字化工程师高级研修班"


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"start_date": "2023-10-09", "end_date": "2023-10-12"}, "不予资助"),
        ({"capacity": 15}, "40人左右"),
        ({"capacity": 80}, "40人左右"),
        ({"start_date": "2023-09-04", "end_date": "2023-09-04"}, "4天左右"),
        ({"start_date": "2023-09-01", "end_date": "2023-09-10"}, "4天左右"),
    ],
)
def test_rule_breaking_classes_are_accepted_with_a_warning(api, world, overrides, fragment):
    response = _new_class(api, world.organizer, **overrides)
    assert response.status_code == 201
    assert len(response.json["warnings"]) == 1
    assert fragment in response.json["warnings"][0]


def test_the_deadline_day_itself_is_fine(api, world):
    response = _new_class(api, world.organizer, start_date="2023-10-07", end_date="2023-10-10")
    assert response.json["warnings"] == []


def test_bad_class_input_names_the_fields(api, world):
    response = api.post(
        "/classes",
        world.organizer,
        json={
            "project_id": _project_id(api, world.organizer),
            "location": " ",
            "start_date": "2023-09-07",
            "end_date": "2023-09-04",
            "mode": "online",
        },
    )
    assert response.status_code == 422
    assert set(response.json["fields"]) >= {"location", "mode"}


def test_organizer_cannot_open_a_class_of_another_units_project(api, world):
    project = _project_id(api, world.other_organizer, "区块链技术数字化工程师高级研修班")
    response = api.post(
        "/classes",
        world.other_organizer,
        json={
            "project_id": project,
            "location": "武汉",
            "start_date": "2023-09-04",
            "end_date": "2023-09-07",
        },
    )
    assert response.status_code == 403


def test_opening_plan_flow_and_illegal_moves(api, world):
    class_id = _new_class(api, world.organizer).json["id"]
    approve_draft = api.post(f"/classes/{class_id}/opening-plan/approve", world.admin)
    assert approve_draft.status_code == 409
    assert approve_draft.json["error"] == "invalid_transition"
    submitted = api.post(
        f"/classes/{class_id}/opening-plan", world.organizer, json={"summary": "方案"}
    )
    assert submitted.json["status"] == "submitted"
    again = api.post(f"/classes/{class_id}/opening-plan", world.organizer, json={"summary": "方案"})
    assert again.status_code == 409
    assert api.post(f"/classes/{class_id}/opening-plan/approve", world.organizer).status_code == 403
    approved = api.post(f"/classes/{class_id}/opening-plan/approve", world.admin)
    assert approved.status_code == 200 and approved.json["status"] == "approved"
    assert approved.json["approved_at"].endswith("+08:00")


def test_rejected_plan_goes_back_to_draft(api, world):
    class_id = _new_class(api, world.organizer).json["id"]
    api.post(f"/classes/{class_id}/opening-plan", world.organizer, json={"summary": "方案"})
    assert (
        api.post(f"/classes/{class_id}/opening-plan/reject", world.admin).json["status"] == "draft"
    )


def test_changes_before_approval_need_no_reason(api, world):
    class_id = _new_class(api, world.organizer).json["id"]
    response = api.patch(f"/classes/{class_id}", world.organizer, json={"location": "宜昌"})
    assert response.status_code == 200 and response.json["location"] == "宜昌"
    assert api.get(f"/classes/{class_id}/changes", world.organizer).json == []


def test_changes_after_approval_need_a_reason_and_leave_a_notice(api, world):
    path = f"/classes/{world.class_id}"
    refused = api.patch(path, world.organizer, json={"location": "襄阳"})
    assert refused.status_code == 422
    assert refused.json["error"] == "reason_required"
    assert api.get(path, world.organizer).json["location"] == "华中科技大学"
    changed = api.patch(path, world.organizer, json={"location": "襄阳", "reason": "场地维修"})
    assert changed.status_code == 200
    changes = api.get(f"{path}/changes", world.organizer).json
    assert [(c["field"], c["old"], c["new"], c["reason"], c["by"]) for c in changes] == [
        ("location", "华中科技大学", "襄阳", "场地维修", "org-hust")
    ]
    assert changes[0]["at"].endswith("+08:00")


def test_class_dates_cannot_leave_sessions_outside(api, world):
    response = api.patch(
        f"/classes/{world.class_id}",
        world.organizer,
        json={
            "start_date": (date.today() + timedelta(days=30)).isoformat(),
            "end_date": (date.today() + timedelta(days=33)).isoformat(),
            "reason": "延期",
        },
    )
    assert response.status_code == 422


def test_sessions_must_lie_within_the_class(api, world):
    class_id = _new_class(api, world.organizer).json["id"]
    lecturer = api.post(
        "/lecturers", world.organizer, json={"name": "张教授", "title": "教授"}
    ).json
    good = api.post(
        f"/classes/{class_id}/sessions",
        world.organizer,
        json={
            "topic": "区块链概论",
            "lecturer_id": lecturer["id"],
            "starts_at": "2023-09-04T09:00:00",
            "ends_at": "2023-09-04T11:30:00",
        },
    )
    assert good.status_code == 201
    assert good.json["lecturer"] == {"id": lecturer["id"], "name": "张教授"}
    assert good.json["starts_at"] == "2023-09-04T09:00:00+08:00"
    outside = api.post(
        f"/classes/{class_id}/sessions",
        world.organizer,
        json={
            "topic": "x",
            "lecturer_id": lecturer["id"],
            "starts_at": "2023-09-08T09:00:00",
            "ends_at": "2023-09-08T10:00:00",
        },
    )
    assert outside.status_code == 422 and "starts_at" in outside.json["fields"]
    backwards = api.post(
        f"/classes/{class_id}/sessions",
        world.organizer,
        json={
            "topic": "x",
            "lecturer_id": lecturer["id"],
            "starts_at": "2023-09-05T10:00:00",
            "ends_at": "2023-09-05T09:00:00",
        },
    )
    assert backwards.status_code == 422 and "ends_at" in backwards.json["fields"]
    no_lecturer = api.post(
        f"/classes/{class_id}/sessions",
        world.organizer,
        json={
            "topic": "x",
            "lecturer_id": 9999,
            "starts_at": "2023-09-05T09:00:00",
            "ends_at": "2023-09-05T10:00:00",
        },
    )
    assert no_lecturer.status_code == 422 and "lecturer_id" in no_lecturer.json["fields"]
    # an explicit offset is honoured: 01:00Z is 09:00 in China
    utc = api.post(
        f"/classes/{class_id}/sessions",
        world.organizer,
        json={
            "topic": "y",
            "lecturer_id": lecturer["id"],
            "starts_at": "2023-09-06T01:00:00Z",
            "ends_at": "2023-09-06T02:00:00Z",
        },
    )
    assert utc.json["starts_at"] == "2023-09-06T09:00:00+08:00"


def test_schedule_is_sorted_and_readable_by_trainee_and_lecturer(api, world):
    schedule = api.get(f"/classes/{world.class_id}/schedule", world.trainee).json
    starts = [s["starts_at"] for s in schedule["sessions"]]
    assert starts == sorted(starts) and len(starts) == 4
    assert schedule["class"]["id"] == world.class_id
    assert api.get(f"/classes/{world.class_id}/schedule", world.lecturer).status_code == 200


def test_session_topic_change_after_approval_is_a_change_notice(api, world):
    session_id = world.session_ids[1]
    refused = api.patch(f"/sessions/{session_id}", world.organizer, json={"topic": "新专题"})
    assert refused.status_code == 422 and refused.json["error"] == "reason_required"
    done = api.patch(
        f"/sessions/{session_id}", world.organizer, json={"topic": "新专题", "reason": "专家调整"}
    )
    assert done.status_code == 200 and done.json["topic"] == "新专题"
    change = api.get(f"/classes/{world.class_id}/changes", world.admin).json[-1]
    assert change["field"] == f"session:{session_id}.topic"
    assert (change["old"], change["new"]) == ("专题2", "新专题")


def test_list_classes_by_unit(api, world):
    assert [c["id"] for c in api.get("/classes", world.organizer).json] == [world.class_id]
    assert api.get("/classes", world.other_organizer).json == []
    assert [c["id"] for c in api.get("/classes?year=2023", world.admin).json] == [world.class_id]


def test_a_returned_plan_carries_the_reason_and_its_history(api, world):
    class_id = _new_class(api, world.organizer).json["id"]
    url = f"/classes/{class_id}/opening-plan"
    draft_return = api.post(f"{url}/return", world.admin, json={"reason": "请补充师资"})
    assert draft_return.status_code == 409 and draft_return.json["error"] == "invalid_transition"
    api.post(url, world.organizer, json={"summary": "第一稿"})
    assert api.post(f"{url}/return", world.organizer, json={"reason": "x"}).status_code == 403
    no_reason = api.post(f"{url}/return", world.admin, json={"reason": "  "})
    assert no_reason.status_code == 422 and "reason" in no_reason.json["fields"]
    assert api.get(f"/classes/{class_id}", world.organizer).json["status"] == "submitted"
    returned = api.post(f"{url}/return", world.admin, json={"reason": "请补充师资"})
    assert returned.status_code == 200 and returned.json["status"] == "draft"
    assert returned.json["returned"]["reason"] == "请补充师资"
    assert returned.json["returned"]["at"].endswith("+08:00")
    seen = api.get(f"/classes/{class_id}", world.organizer).json
    assert seen["returned"]["reason"] == "请补充师资"
    api.post(url, world.organizer, json={"summary": "第二稿"})
    approved = api.post(f"{url}/approve", world.admin).json
    assert approved["status"] == "approved" and approved["returned"] is None
    history = api.get(f"{url}/history", world.organizer).json
    assert [(h["action"], h["text"]) for h in history] == [
        ("submit", "第一稿"),
        ("return", "请补充师资"),
        ("submit", "第二稿"),
        ("approve", ""),
    ]
    assert api.get(f"{url}/history", world.other_organizer).status_code == 404
