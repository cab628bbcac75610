"""The class page's 请假与补签 section: pending requests counted, approved or rejected with a
reason in one click (form posts, then headless Chromium at 1366 and 390 px wide)."""

import os
from pathlib import Path

import pytest

from tests.conftest import csrf_of, page_log_in
from tests.live.conftest import live_server  # noqa: F401  (fixture)

SHOTS = Path(os.environ.get("YANXIU_SHOTS", "/tmp/yanxiu-shots")) / "leave"


def ask_both(api, world):
    """学员1 asks for leave for sessions 3 and 4, 学员2 for a 补签 of session 1."""
    tokens = list(world.trainees.values())
    leave = api.post(
        "/me/leave-requests",
        tokens[0],
        json={
            "class_id": world.class_id,
            "session_ids": world.session_ids[2:],
            "reason": "单位临时安排出差两天",
        },
    )
    checkin = api.post(
        "/me/checkin-requests",
        tokens[1],
        json={"session_id": world.session_ids[0], "reason": "到场时手机没电，未能扫码"},
    )
    assert leave.status_code == checkin.status_code == 201
    return leave.json["id"], checkin.json["id"]


def class_page(client, world) -> str:
    return client.get(f"/classes/{world.class_id}").get_data(as_text=True)


def test_the_organizer_settles_requests_on_the_class_page(client, api, world):
    leave_id, checkin_id = ask_both(api, world)
    page_log_in(client, "org-hust")
    page = class_page(client, world)
    assert "请假与补签（2 待审批）" in page and "2 件待审批" in page
    assert "单位临时安排出差两天" in page and "到场时手机没电，未能扫码" in page
    csrf = csrf_of(page)
    approved = client.post(
        f"/classes/{world.class_id}/leave-requests/{leave_id}/decision",
        data={"csrf": csrf, "decision": "approve", "reason": "已核实出差通知"},
    )
    assert approved.status_code == 302
    page = client.get(approved.headers["Location"]).get_data(as_text=True)
    assert "请假申请已批准" in page and "请假与补签（1 待审批）" in page
    assert "批准了学员1的请假申请" in page and "意见：已核实出差通知" in page
    assert "（请假 2）" in page  # the roster's 出勤次数
    rejected = client.post(
        f"/classes/{world.class_id}/checkin-requests/{checkin_id}/decision",
        data={"csrf": csrf, "decision": "reject", "reason": "现场签到表上没有该学员"},
    )
    assert rejected.status_code == 302
    page = class_page(client, world)
    assert "补签申请已驳回" in page and "待审批）" not in page
    assert "没有待审批的请假申请。" in page and "没有待审批的补签申请。" in page
    again = client.post(
        f"/classes/{world.class_id}/checkin-requests/{checkin_id}/decision",
        data={"csrf": csrf, "decision": "approve"},
    )
    assert again.status_code == 422
    assert "该申请已处理，不能再次审批" in again.get_data(as_text=True)
    states = api.get(f"/classes/{world.class_id}/checkin-requests", world.organizer).json
    assert [s["status"] for s in states] == ["rejected"]


def test_only_the_classes_organizers_post_decisions(client, api, world):
    leave_id, _ = ask_both(api, world)
    path = f"/classes/{world.class_id}/leave-requests/{leave_id}/decision"
    for username, status in (("org-whu", 404), ("admin", 403), ("lect-wang", 403)):
        page_log_in(client, username)
        csrf = csrf_of(client.get("/", follow_redirects=True).get_data(as_text=True))
        assert client.post(path, data={"csrf": csrf, "decision": "approve"}).status_code == status
        client.post("/logout", data={"csrf": csrf})
    page_log_in(client, "admin")  # the admin sees the requests but cannot decide
    page = class_page(client, world)
    assert "单位临时安排出差两天" in page and "待组织方审批" in page
    assert api.get("/me/leave-requests", world.trainee).json[0]["status"] == "pending"


@pytest.mark.slow
@pytest.mark.parametrize("width, height", [(1366, 768), (390, 844)])
def test_one_click_in_the_browser(api, world, live_server, browser, width, height):  # noqa: F811
    ask_both(api, world)
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("用户名").fill("org-hust")
    page.get_by_label("密码").fill("org-hust-password")
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server}/classes/{world.class_id}#requests")
    assert page.get_by_role("link", name="请假与补签（2 待审批）").is_visible()
    section = page.locator("#requests")
    SHOTS.mkdir(parents=True, exist_ok=True)
    section.screenshot(path=SHOTS / f"requests-{width}-pending.png")
    leave_row = section.get_by_role("row").filter(has_text="单位临时安排出差两天")
    leave_row.get_by_label("审批意见（可不填）").fill("同意")
    leave_row.get_by_role("button", name="批准").click()
    assert page.get_by_role("status").inner_text() == "请假申请已批准"
    assert page.get_by_role("link", name="请假与补签（1 待审批）").is_visible()
    grid = page.locator("#attendance tbody tr").filter(has_text="学员1")
    assert grid.locator(".mark").all_inner_texts() == ["缺勤", "未开始", "请假", "请假"]
    box = page.locator("#requests").bounding_box()
    assert box["x"] + box["width"] <= width  # the section fits a phone's screen
    page.locator("#requests").screenshot(path=SHOTS / f"requests-{width}-decided.png")
    page.locator("#attendance").screenshot(path=SHOTS / f"attendance-{width}.png")
    context.close()
