"""The class page's 招生报名 section in headless Chromium: the organizer opens recruitment,
people apply through the API (as the mini-program does), the organizer filters, reads the
eligibility notes and the composition, and admits one by one and several at once. Screenshots
go to $YANXIU_SHOTS (default /tmp/yanxiu-shots)."""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from backend.core.timeutil import today_in_china
from tests.conftest import csrf_of, page_log_in
from tests.recruitment.helpers import apply, new_class, open_recruitment, recruiting_class

pytestmark = pytest.mark.slow
SHOTS = Path(os.environ.get("YANXIU_SHOTS", "/tmp/yanxiu-shots"))
VIEWPORTS = {"desktop": (1366, 768), "phone": (390, 844)}


def _section(page):
    return page.locator("section#recruitment")


def _log_in(browser, base: str, size: tuple[int, int]):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base}/login")
    page.get_by_label("用户名").fill("org-hust")
    page.get_by_label("密码").fill("org-hust-password")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")
    return page


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_recruitment_through_the_class_page(app, api, world, live_server, browser, viewport):
    SHOTS.mkdir(parents=True, exist_ok=True)
    class_id = new_class(api, world.organizer, capacity=3)
    page = _log_in(browser, live_server, VIEWPORTS[viewport])
    page.goto(f"{live_server}/classes/{class_id}#recruitment")
    section = _section(page)
    assert "本班尚未开始招生" in section.inner_text()
    closes = today_in_china() + timedelta(days=4)
    section.get_by_label("报名截止时间").fill(f"{closes.isoformat()}T17:30")
    section.get_by_label("招生通知").fill("面向全省招收具有中高级职称的专业技术人员，食宿免费。")
    section.get_by_role("button", name="开始招生").click()
    assert "招生设置已保存" in page.get_by_role("status").inner_text()
    assert "招收名额3 人，已录取 0 人" in _section(page).inner_text().replace("\n", "")

    # five people apply in the mini-program; one has neither title nor post
    for number, fields in enumerate(
        [
            {},
            {"region": "神农架", "county": "松柏镇"},
            {"title_level": "none", "management_post": False, "grassroots": False},
            {"region": "武汉市", "poor_area": False, "grassroots": False},
            {"region": "黄冈市", "county": "红安县"},
        ],
        start=1,
    ):
        assert apply(api, class_id, number, **fields)[1].status_code == 201
    page.reload()
    section = _section(page)
    table = section.locator("table").nth(1)
    assert table.locator("tbody tr").count() == 5
    ineligible = table.locator("tr", has_text="报名人3")
    assert "不符合" in ineligible.inner_text() and "中高级职称" in ineligible.inner_text()
    composition = section.locator("table").first.inner_text()
    assert re.search(r"符合条件（中高级职称或管理岗位）\s+4（80.0%）\s+0", composition)
    assert re.search(r"覆盖市州\s+4 / 17\s+0 / 17", composition)
    page.screenshot(path=str(SHOTS / f"{viewport}-recruitment-applications.png"), full_page=True)

    # filters: only the ineligible, then only 黄冈市
    section.get_by_label("是否符合条件").select_option("no")
    section.get_by_role("button", name="筛选").click()
    rows = _section(page).locator("table").nth(1).locator("tbody tr")
    expect(rows).to_have_count(1)  # the filtered page has replaced the whole list
    assert "报名人3" in rows.inner_text()
    _section(page).get_by_label("是否符合条件").select_option("")
    _section(page).get_by_label("地区").select_option("黄冈市")
    _section(page).get_by_role("button", name="筛选").click()
    rows = _section(page).locator("table").nth(1).locator("tbody tr")
    expect(rows).to_have_count(1)
    assert "红安县" in rows.inner_text()
    page.goto(f"{live_server}/classes/{class_id}#recruitment")

    # one by one: 报名人1 admitted with the row's button
    _section(page).get_by_role("button", name="录取 报名人1", exact=True).click()
    assert "已将 1 份报名处理为“录取”" in page.get_by_role("status").inner_text()
    # several at once: three more ticked for two seats → class_full, nothing changes
    section = _section(page)
    for name in ("报名人2", "报名人4", "报名人5"):
        section.get_by_label(f"选择 {name}").check()
    section.get_by_label("处理为").select_option("admit")
    section.get_by_label("理由").fill("基层一线优先")
    section.get_by_role("button", name="处理所选").click()
    assert "录取人数已达招收名额" in _section(page).get_by_role("alert").inner_text()
    page.screenshot(path=str(SHOTS / f"{viewport}-recruitment-class-full.png"), full_page=True)
    section = _section(page)
    for name in ("报名人2", "报名人5"):
        section.get_by_label(f"选择 {name}").check()
    section.get_by_label("理由").fill("基层一线优先")
    section.get_by_role("button", name="处理所选").click()
    assert "已将 2 份报名处理为“录取”" in page.get_by_role("status").inner_text()
    section = _section(page)
    section.get_by_label("选择 报名人4").check()
    section.get_by_label("处理为").select_option("waitlist")
    section.get_by_label("理由").fill("名额已满，列入候补")
    section.get_by_role("button", name="处理所选").click()
    text = _section(page).inner_text()
    assert "已录取 3 人，剩余 0 个名额" in text.replace("\n", "")
    assert "理由：名额已满，列入候补" in text
    roster = page.locator("section#roster").inner_text()
    assert all(name in roster for name in ("报名人1", "报名人2", "报名人5"))
    assert "报名人4" not in roster and roster.count("已绑定") == 3
    page.screenshot(path=str(SHOTS / f"{viewport}-recruitment-decided.png"), full_page=True)


def test_the_section_refuses_what_the_api_refuses(app, client, api, world):
    class_id = recruiting_class(api, world, quota=1)
    page_log_in(client, "org-hust")
    html = client.get(f"/classes/{class_id}").get_data(as_text=True)
    bad = client.post(
        f"/classes/{class_id}/recruitment",
        data={"closes_at": "2020-01-01T09:00", "quota": "5", "csrf": csrf_of(html)},
    )
    assert bad.status_code == 422
    assert "报名截止时间应晚于现在" in bad.get_data(as_text=True)
    assert api.get(f"/classes/{class_id}/recruitment", world.organizer).json["quota"] == 1
    none_ticked = client.post(
        f"/classes/{class_id}/applications/decisions",
        data={"decision": "admit", "csrf": csrf_of(html)},
    )
    assert none_ticked.status_code == 422
    assert "请先勾选要处理的报名" in none_ticked.get_data(as_text=True)


def test_another_units_application_cannot_be_decided_from_this_page(app, client, api, world):
    ours = recruiting_class(api, world)
    from tests.recruitment.helpers import OTHER_PROJECT

    theirs = new_class(api, world.other_organizer, project=OTHER_PROJECT)
    open_recruitment(api, world.other_organizer, theirs)
    _, answer = apply(api, theirs, 1)
    page_log_in(client, "org-hust")
    html = client.get(f"/classes/{ours}").get_data(as_text=True)
    answer = client.post(
        f"/classes/{ours}/applications/decisions",
        data={"single": f"{answer.json['id']}:admit", "csrf": csrf_of(html)},
    )
    assert answer.status_code == 404
    assert (
        api.get(f"/classes/{theirs}/applications", world.other_organizer).json[0]["status"]
        == "pending"
    )
