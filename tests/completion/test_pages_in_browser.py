"""结业与证书 and the province's certificate search in headless Chromium, at desk and phone
width: what the organizer and the office see, nothing running off the screen."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.completion.conftest import mark

pytestmark = pytest.mark.slow
SHOTS = Path(os.environ.get("YANXIU_SHOTS", "/tmp/yanxiu-shots")) / "completion"
VIEWPORTS = [(1366, 768), (390, 844)]


def _log_in(browser, base: str, username: str, width: int, height: int):
    page = browser.new_page(viewport={"width": width, "height": height}, locale="zh-CN")
    page.goto(f"{base}/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(f"{username}-password")
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    assert "/login" not in page.url
    return page


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _shoot(page, name: str, width: int) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}-{width}.png", full_page=True)


@pytest.mark.parametrize("width, height", VIEWPORTS)
def test_the_organizer_issues_and_the_office_finds_the_certificates(
    api, ended, live_server, browser, width, height
):
    world = ended
    first, second, *_ = list(world.trainees)
    for index in range(4):
        mark(api, world, index, first)
    for index in range(3):
        mark(api, world, index, second)
    page = _log_in(browser, live_server, "org-hust", width, height)
    page.goto(f"{live_server}/classes/{world.class_id}/completion")
    page.get_by_label("最低出勤率").select_option(label="60%")
    page.get_by_label("须提交满意度测评表").select_option(label="否")
    page.get_by_role("button", name="保存结业要求").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="颁发结业证书").click()
    page.wait_for_load_state()
    assert "新颁发结业证书 2 份，本班共 2 份" in page.get_by_role("status").inner_text()
    rows = page.locator("table tbody tr")
    assert "未达到" in rows.nth(2).inner_text() and "低于结业要求" in rows.nth(2).inner_text()
    _fits(page, width)
    _shoot(page, "completion", width)

    office = _log_in(browser, live_server, "admin", width, height)
    office.goto(f"{live_server}/certificates")
    office.get_by_label("证书编号或姓名").fill("学员")
    office.get_by_role("button", name="查询").click()
    office.wait_for_load_state()
    found = office.locator("table tbody tr")
    expect(found).to_have_count(2)
    assert "区块链技术数字化工程师高级研修班" in found.first.inner_text()
    _fits(office, width)
    _shoot(office, "certificates", width)
