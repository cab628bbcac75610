"""Every endpoint of docs/API.md's Auth, Plan/classes/schedule and Enrollment sections, called by
each kind of caller, answers the status docs/API.md implies (another unit's class: 404)."""

import pytest

from tests.conftest import check_role_matrix

ROLES = ["anonymous", "trainee", "lecturer", "organizer", "other_organizer", "admin"]


def _cases(api, world, project_id):
    c = world.class_id
    session_body = {
        "topic": "新课",
        "lecturer_id": world.lecturer_ids[0],
        "starts_at": world_day(api, world, 20),
        "ends_at": world_day(api, world, 21),
    }
    return [
        # (method, path, body, statuses for ROLES in order)
        ("GET", "/projects?year=2023", None, [401, 403, 403, 200, 200, 200]),
        (
            "POST",
            "/classes",
            {
                "project_id": project_id,
                "location": "武汉",
                "start_date": "2023-09-04",
                "end_date": "2023-09-07",
            },
            [401, 403, 403, 201, 403, 201],
        ),
        ("GET", f"/classes/{c}", None, [401, 200, 200, 200, 404, 200]),
        (
            "PATCH",
            f"/classes/{c}",
            {"capacity": 41, "reason": "扩招"},
            [401, 403, 403, 200, 404, 200],
        ),
        ("GET", f"/classes/{c}/changes", None, [401, 403, 403, 200, 404, 200]),
        ("POST", f"/classes/{c}/opening-plan", {"summary": "x"}, [401, 403, 403, 409, 404, 403]),
        ("POST", f"/classes/{c}/opening-plan/approve", None, [401, 403, 403, 403, 403, 409]),
        ("POST", "/lecturers", {"name": "新专家"}, [401, 403, 403, 201, 201, 201]),
        ("POST", f"/classes/{c}/sessions", session_body, [401, 403, 403, 201, 404, 201]),
        ("GET", f"/classes/{c}/schedule", None, [401, 200, 200, 200, 404, 200]),
        (
            "POST",
            f"/classes/{c}/trainees",
            [{"name": "新学员", "phone": "13600000001"}],
            [401, 403, 403, 201, 404, 403],
        ),
        ("GET", f"/classes/{c}/trainees", None, [401, 403, 403, 200, 404, 200]),
        ("GET", f"/classes/{c}/trainees/template.xlsx", None, [401, 403, 403, 200, 404, 200]),
        (
            "POST",
            "/me/enrollments",
            {"class_id": c, "name": "无此人", "phone": "13600000002"},
            [401, 404, 403, 403, 403, 403],
        ),
        ("GET", "/me/classes", None, [401, 200, 403, 403, 403, 403]),
        (
            "POST",
            "/users",
            {
                "username": "wang-account",
                "password": "password-1",
                "role": "lecturer",
                "lecturer_id": world.lecturer_ids[0],
            },
            # another unit's lecturer reads as not existing (#12 item 3)
            [401, 403, 403, 201, 422, 201],
        ),
        ("GET", "/me", None, [401, 200, 200, 200, 200, 200]),
        ("GET", "/labels", None, [200, 200, 200, 200, 200, 200]),
        # 请假 and 补签 (a request of no one: only the role and unit checks answer)
        (
            "POST",
            "/me/leave-requests",
            {"class_id": c, "session_ids": [world.session_ids[3]], "reason": "出差"},
            [401, 201, 403, 403, 403, 403],
        ),
        ("GET", "/me/leave-requests", None, [401, 200, 403, 403, 403, 403]),
        ("GET", f"/classes/{c}/leave-requests", None, [401, 403, 403, 200, 404, 200]),
        (
            "POST",
            "/leave-requests/999999/decision",
            {"decision": "approve"},
            [401, 403, 403, 404, 404, 403],
        ),
        (
            "POST",
            "/me/checkin-requests",
            {"session_id": world.session_ids[0], "reason": "手机没电"},
            [401, 201, 403, 403, 403, 403],
        ),
        ("GET", "/me/checkin-requests", None, [401, 200, 403, 403, 403, 403]),
        ("GET", f"/classes/{c}/checkin-requests", None, [401, 403, 403, 200, 404, 200]),
        (
            "POST",
            "/checkin-requests/999999/decision",
            {"decision": "reject"},
            [401, 403, 403, 404, 404, 403],
        ),
        # 签退
        ("GET", f"/classes/{c}/checkout", None, [401, 403, 403, 200, 404, 200]),
        ("PUT", f"/classes/{c}/checkout", {"enabled": True}, [401, 403, 403, 200, 404, 403]),
        (
            "GET",
            f"/sessions/{world.session_ids[0]}/checkout-code",
            None,
            [401, 403, 403, 409, 404, 409],
        ),
        ("POST", "/checkouts", {"token": "YXCO1:forged"}, [401, 400, 403, 403, 403, 403]),
        # Reminders (微信订阅消息)
        (
            "POST",
            "/me/subscriptions",
            {"accepted": {"session_start": 1}},
            [401, 200, 403, 403, 403, 403],
        ),
        ("GET", "/me/subscriptions", None, [401, 200, 403, 403, 403, 403]),
        ("GET", f"/classes/{c}/reminders", None, [401, 403, 403, 200, 404, 200]),
    ]


def world_day(api, world, hour):
    """An ISO time on the class's last day."""
    end = api.get(f"/classes/{world.class_id}", world.admin).json["end_date"]
    return f"{end}T{hour:02d}:00:00"


@pytest.mark.parametrize("role", ROLES)
def test_every_endpoint_answers_the_role_its_status(api, world, role):
    token = None if role == "anonymous" else getattr(world, role)
    project_id = next(
        p["id"]
        for p in api.get("/projects?year=2023", world.admin).json
        if p["name"] == "区块链技术数字化工程师高级研修班"
    )
    index = ROLES.index(role)
    check_role_matrix(api, token, _cases(api, world, project_id), index)


def _recruitment_cases(world, closes_at):
    c = world.class_id
    from tests.recruitment.helpers import applicant

    return [
        (
            "POST",
            f"/classes/{c}/recruitment",
            {"closes_at": closes_at},
            [401, 403, 403, 200, 404, 403],
        ),
        ("GET", f"/classes/{c}/recruitment", None, [401, 200, 403, 200, 404, 200]),
        ("POST", f"/classes/{c}/applications", applicant(1), [401, 201, 403, 403, 403, 403]),
        ("GET", "/me/applications", None, [401, 200, 403, 403, 403, 403]),
        ("DELETE", "/me/applications/999999", None, [401, 404, 403, 403, 403, 403]),
        ("GET", f"/classes/{c}/applications", None, [401, 403, 403, 200, 404, 200]),
        (
            "POST",
            "/applications/999999/decision",
            {"decision": "admit"},
            [401, 403, 403, 404, 404, 403],
        ),
        ("GET", f"/classes/{c}/composition", None, [401, 403, 403, 200, 404, 200]),
        ("GET", f"/classes/{c}/recruitment/entry.png", None, [401, 403, 403, 200, 404, 200]),
        ("GET", f"/classes/{c}/recruitment/poster.pdf", None, [401, 403, 403, 200, 404, 200]),
        ("DELETE", f"/classes/{c}/recruitment", None, [401, 403, 403, 200, 404, 403]),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_recruitment_endpoints_answer_each_role_its_status(api, world, role):
    """API.md "Recruitment": the class recruits before each caller tries every endpoint."""
    from datetime import timedelta

    from backend.core.timeutil import today_in_china

    closes_at = f"{(today_in_china() + timedelta(days=1)).isoformat()}T18:00:00"
    opened = api.post(
        f"/classes/{world.class_id}/recruitment", world.organizer, json={"closes_at": closes_at}
    )
    assert opened.status_code == 200, opened.json
    token = None if role == "anonymous" else getattr(world, role)
    check_role_matrix(api, token, _recruitment_cases(world, closes_at), ROLES.index(role))
