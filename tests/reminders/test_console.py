"""The class page's 提醒 section: what was sent, skipped for lack of credit and failed, and a
clear word when reminders are off."""

import os
from pathlib import Path

import pytest

from tests.conftest import page_log_in
from tests.reminders.conftest import start_in, subscribe, tick

SHOTS = Path(os.environ.get("YANXIU_SHOTS", "/tmp/yanxiu-shots")) / "reminders"


def test_the_class_page_says_when_reminders_are_off(client, world):
    page_log_in(client, "org-hust")
    html = client.get(f"/classes/{world.class_id}").get_data(as_text=True)
    assert "提醒（微信订阅消息）" in html
    assert "微信订阅消息提醒未开启：未配置小程序的 WECHAT_APP_ID 和 WECHAT_APP_SECRET" in html
    assert "尚未发送任何提醒。" in html


@pytest.mark.slow
@pytest.mark.parametrize("width, height", [(1366, 768), (390, 844)])
def test_the_organizer_sees_sent_no_credit_and_failed(
    app, api, world, wechat, live_server, browser, width, height
):
    first, second, _ = world.trainees
    subscribe(api, world.trainees[first], session_start=1)
    subscribe(api, world.trainees[second], session_start=1)
    wechat.script(
        "cgi-bin/message/subscribe/send", {"errcode": 47003, "errmsg": "argument invalid"}
    )
    start_in(app, world.session_ids[1], 20)
    tick(app)

    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{live_server}/login")
    page.get_by_label("用户名").fill("org-hust")
    page.get_by_label("密码").fill("org-hust-password")
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server}/classes/{world.class_id}#reminders")
    section = page.locator("#reminders")
    row = section.get_by_role("row").nth(1)
    cells = row.get_by_role("cell").all_inner_texts()
    assert cells[0].startswith("开课提醒\n课程：专题2 · ")
    assert cells[1:] == ["1", "1", "1", "0"]  # sent, no credit, failed, waiting
    assert section.locator(".warnings").count() == 0  # every template configured
    box = section.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width  # the section fits the screen
    SHOTS.mkdir(parents=True, exist_ok=True)
    section.screenshot(path=SHOTS / f"class-reminders-{width}.png")
