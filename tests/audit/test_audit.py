"""The audit trail records approvals, change notices and accounts; only the admin reads it."""


def _new_draft(api, world):
    project = next(
        p["id"]
        for p in api.get("/projects?year=2023", world.organizer).json
        if p["host_unit"]["name"] == "华中科技大学"
    )
    return api.post(
        "/classes",
        world.organizer,
        json={
            "project_id": project,
            "location": "武汉",
            "start_date": "2023-09-04",
            "end_date": "2023-09-07",
        },
    ).json["id"]


def test_approval_and_changes_are_recorded_with_who_and_when(api, world):
    class_id = _new_draft(api, world)
    api.post(f"/classes/{class_id}/opening-plan", world.organizer, json={"summary": "方案"})
    api.post(f"/classes/{class_id}/opening-plan/approve", world.admin)
    api.patch(
        f"/classes/{class_id}", world.organizer, json={"location": "宜昌", "reason": "场地调整"}
    )
    trail = api.get(f"/audit?class_id={class_id}", world.admin).json
    assert [(e["action"], e["username"]) for e in trail] == [
        ("class.change", "org-hust"),
        ("class.approve", "admin"),
        ("class.submit", "org-hust"),
    ]
    assert trail[0]["detail"] == {
        "field": "location",
        "old": "武汉",
        "new": "宜昌",
        "reason": "场地调整",
    }
    assert trail[0]["at"].endswith("+08:00")


def test_a_refused_change_leaves_no_entry(api, world):
    api.patch(f"/classes/{world.class_id}", world.organizer, json={"location": "襄阳"})  # no reason
    assert api.get(f"/audit?class_id={world.class_id}", world.admin).json == []


def test_filter_by_user_and_action(api, world):
    api.post(
        "/users",
        world.admin,
        json={
            "username": "li-account",
            "password": "password-1",
            "role": "lecturer",
            "lecturer_id": world.lecturer_ids[1],
        },
    )
    by_admin = api.get(f"/audit?user_id={world.user_ids['admin']}", world.admin).json
    assert [e["action"] for e in by_admin] == ["user.create"]
    assert by_admin[0]["detail"] == {"username": "li-account", "role": "lecturer"}
    assert api.get("/audit?action=class.", world.admin).json == []


def test_only_the_admin_reads_the_trail(api, world):
    assert api.get("/audit", world.organizer).status_code == 403
    assert api.get("/audit", world.lecturer).status_code == 403
    assert api.get("/audit").status_code == 401


def test_exports_are_recorded(api, world):
    assert (
        api.get(f"/classes/{world.class_id}/exports/roster.xlsx", world.organizer).status_code
        == 200
    )
    assert api.get(f"/classes/{world.class_id}/exports/tally.xlsx", world.admin).status_code == 200
    assert api.get("/plans/2023/overview.xlsx", world.admin).status_code == 200
    trail = api.get("/audit?action=export.", world.admin).json
    assert [(e["action"], e["username"], e["class_id"]) for e in trail] == [
        ("export.overview.xlsx", "admin", None),
        ("export.tally.xlsx", "admin", world.class_id),
        ("export.roster.xlsx", "org-hust", world.class_id),
    ]
    assert trail[2]["detail"]["bytes"] > 1000


def test_a_refused_export_is_not_recorded(api, world):
    assert (
        api.get(f"/classes/{world.class_id}/exports/roster.xlsx", world.other_organizer).status_code
        == 404
    )
    assert api.get("/audit?action=export.", world.admin).json == []
