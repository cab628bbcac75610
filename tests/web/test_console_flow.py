"""One whole class through the console's pages in headless Chromium, as the organizer and
the province office do it; only the trainees' side (binding, check-in) goes through the API,
as the mini-program does. Screenshots of every page go to $YANXIU_SHOTS (default
/tmp/yanxiu-shots), outside git, to be looked at."""

import io
import os
import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image

from backend.auth.models import User
from backend.classes.models import Session
from backend.core.timeutil import to_china, today_in_china, utcnow
from backend.enrollment.roster_import import template_xlsx
from backend.extensions import db
from backend.plans.models import PlanYear
from tests.conftest import trainee_token

# the staff-console issue asks for this flow on SQLite and on PostgreSQL
pytestmark = [pytest.mark.slow, pytest.mark.both_databases]
SHOTS = Path(os.environ.get("YANXIU_SHOTS", "/tmp/yanxiu-shots"))
VIEWPORTS = {"desktop": (1366, 768), "phone": (390, 844)}
PROJECT = "区块链技术数字化工程师高级研修班"
#: The page's width beyond the window and the innermost elements that cause it: [] when the
#: page is no wider than the window.
WIDER_THAN_WINDOW = """() => document.documentElement.scrollWidth <= window.innerWidth ? [] :
  [document.documentElement.scrollWidth].concat([...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth
                 && ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth))
    .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + getComputedStyle(e).position))"""
TRAINEES = [("赵一", "13800000001"), ("钱二", "13800000002"), ("孙三", "13800000003")]


def _roster(rows: list[tuple[str, str]]) -> bytes:
    """The import template (as the page offers it) filled with these names and phones."""
    book = load_workbook(io.BytesIO(template_xlsx()))
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    sheet.delete_rows(2, sheet.max_row)  # the template's example row, as a user overwrites it
    for name, phone in rows:
        values = {"姓名": name, "手机": phone, "工作单位": "武汉市中心医院", "参训方式": "线下"}
        sheet.append([values.get(h, "") for h in header])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _picture() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (200, 60, 60)).save(buffer, "PNG")
    return buffer.getvalue()


class Shooter:
    """Screenshots named <viewport>-<nn>-<what>.png, full page."""

    def __init__(self, viewport: str) -> None:
        self.folder = SHOTS
        self.folder.mkdir(parents=True, exist_ok=True)
        self.viewport = viewport
        self.count = 0

    def __call__(self, page, what: str) -> None:
        self.count += 1
        name = f"{self.viewport}-{self.count:02d}-{what}.png"
        page.screenshot(path=str(self.folder / name), full_page=True)


def _log_in(browser, base: str, username: str, size: tuple[int, int], shoot=None):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base}/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    assert page.get_by_role("alert").inner_text() == "用户名或密码错误"
    assert page.get_by_label("用户名").input_value() == username  # kept
    if shoot:
        shoot(page, "login-error")
    page.get_by_label("密码").fill(f"{username}-password")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")
    return page


def _section(page, heading: str):
    return page.locator("section", has=page.get_by_role("heading", name=heading, exact=True))


def _check_in(api, world, session_id: int, name: str, phone: str) -> None:
    """A trainee binds by name and phone and scans the session's code, through the API."""
    token = trainee_token(api, f"flow-{phone}")
    bound = api.post("/me/enrollments", token, json={"name": name, "phone": phone})
    assert bound.status_code == 200, bound.json
    code = api.get(f"/sessions/{session_id}/checkin-code", world.organizer)
    assert code.status_code == 200, code.json
    done = api.post("/checkins", token, json={"token": code.json["token"]})
    assert done.status_code in (200, 201), done.json


def _wait_past_midnight_in_china() -> None:
    """The class ends today with a session running now and its paperwork sent today: in the
    last minutes of a day in China that cannot all hold (and the day may turn mid-test), so
    a run that starts then waits for the next day."""
    now = to_china(utcnow())
    if now.hour == 23 and now.minute >= 57:
        midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        time.sleep((midnight - now).total_seconds() + 5)


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_one_class_through_the_pages(app, api, world, live_server, browser, viewport):
    size = VIEWPORTS[viewport]
    shoot = Shooter(viewport)
    with app.app_context():
        for username, full_name in (("org-hust", "张晓梅"), ("admin", "李建华")):
            user = db.session.scalar(db.select(User).where(User.username == username))
            user.full_name = full_name
        db.session.commit()
    _wait_past_midnight_in_china()
    today = today_in_china()
    start, end = today - timedelta(days=3), today
    now = to_china(utcnow())
    first_start = (now - timedelta(days=1)).replace(hour=9, minute=0)
    # running now for 90 minutes, and over by the end of the class's last day (today)
    live_start = min(now - timedelta(minutes=10), now.replace(hour=22, minute=29))

    # The organizer opens a class
    org = _log_in(browser, live_server, "org-hust", size, shoot)
    header = org.locator("header").inner_text()
    assert "张晓梅" in header and "华中科技大学" in header and "org-hust" not in header
    shoot(org, "home")
    org.get_by_role("link", name="新建研修班").click()
    org.get_by_role("button", name="保存").click()  # the browser's own required check first
    org.get_by_label("项目").select_option(label=f"{PROJECT}（2023 年度）")
    org.get_by_label("地点").fill("华中科技大学继续教育学院")
    org.get_by_label("开始日期").fill(end.isoformat())
    org.get_by_label("结束日期").fill(start.isoformat())
    org.get_by_label("计划人数").fill("40")
    org.get_by_label("办班方式").select_option("offline")
    org.get_by_role("button", name="保存").click()
    assert "结束日期不能早于开始日期" in org.locator(".has-error").inner_text()
    shoot(org, "new-class-error")
    org.get_by_label("开始日期").fill(start.isoformat())
    org.get_by_label("结束日期").fill(end.isoformat())
    org.get_by_role("button", name="保存").click()
    org.wait_for_url(re.compile(r"/classes/\d+$"))
    class_id = int(org.url.rsplit("/", 1)[1])
    assert "已保存" in org.get_by_role("status").inner_text()
    assert "按规定不予资助" in org.get_by_role("status").inner_text()  # 2023's deadline
    for heading in ("课程表", "学员名单", "签到情况", "满意度测评", "材料下载"):
        assert _section(org, heading).count() == 1

    # 课程表: a lecturer added, two sessions
    schedule = _section(org, "课程表")
    assert "还没有课程" in schedule.inner_text()
    org.get_by_text("添加授课人", exact=True).click()
    org.get_by_label("授课人姓名").fill("陈立新")
    org.get_by_label("职称").fill("教授")
    org.get_by_role("button", name="保存授课人").click()
    for topic, starts, minutes in (
        ("区块链原理与应用", first_start, 150),
        ("数字化工程实践", live_start, 90),
    ):
        org.get_by_label("课程主题").fill(topic)
        org.get_by_label("授课人", exact=True).select_option(label="陈立新 · 教授")
        org.get_by_label("开始时间").fill(starts.strftime("%Y-%m-%dT%H:%M"))
        org.get_by_label("结束时间").fill(
            (starts + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M")
        )
        org.get_by_role("button", name="添加课程").click()
        org.wait_for_load_state()
        assert "已添加课程" in org.get_by_role("status").inner_text()
    assert _section(org, "课程表").locator("tbody tr").count() == 2
    session_ids = [
        int(href.rsplit("/", 1)[1])
        for href in _section(org, "课程表")
        .get_by_role("link", name="投屏签到码")
        .evaluate_all("links => links.map(a => a.getAttribute('href'))")
    ]
    _section(org, "课程表").get_by_role("link", name="修改", exact=True).first.click()
    shoot(org, "session-edit")
    org.get_by_label("上课地点").fill("东九楼 A101")
    org.get_by_role("button", name="保存").click()
    org.wait_for_url(re.compile(rf"/classes/{class_id}#schedule$"))
    assert "东九楼 A101" in _section(org, "课程表").inner_text()

    # 学员名单: a bad row first (nothing imported), then the good file
    roster = _section(org, "学员名单")
    with org.expect_download() as template:
        roster.get_by_role("link", name=re.compile("下载名单导入模板")).click()
    assert template.value.path().read_bytes()[:2] == b"PK"
    bad = TRAINEES[:2] + [("周四", "1234")]
    org.get_by_label("上传名单").set_input_files(
        files=[
            {"name": "名单.xlsx", "mimeType": "application/octet-stream", "buffer": _roster(bad)}
        ]
    )
    org.get_by_role("button", name="导入").click()
    problem = _section(org, "学员名单").get_by_role("alert").inner_text()
    assert "Excel 第 4 行" in problem and "手机" in problem
    assert "名单为空" in _section(org, "学员名单").inner_text()
    shoot(org, "roster-error")
    org.get_by_label("上传名单").set_input_files(
        files=[
            {
                "name": "名单.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": _roster(TRAINEES),
            }
        ]
    )
    org.get_by_role("button", name="导入").click()
    assert "已导入 3 名学员" in org.get_by_role("status").inner_text()
    assert "13800000001" in _section(org, "学员名单").inner_text()  # in full, for the organizer

    # The opening plan: submitted, returned with a reason, fixed, resubmitted
    org.get_by_label("开班实施方案").fill("一、研修目标：……")
    org.get_by_role("button", name="提交开班实施方案").click()
    assert "等待省人社厅审核" in _section(org, "开班审核").inner_text()
    shoot(org, "class-submitted")

    admin = _log_in(browser, live_server, "admin", size)
    admin.locator(f'a[href="/classes/{class_id}"]').click()
    admin.wait_for_url(f"{live_server}/classes/{class_id}")
    assert admin.get_by_role("button", name="审核通过").is_visible()
    admin.get_by_text("退回修改", exact=True).click()
    admin.get_by_label("退回原因").fill("请补充师资安排和学员组织方式")
    admin.get_by_role("button", name="确认退回").click()
    assert "已退回修改" in admin.get_by_role("status").inner_text()
    shoot(admin, "admin-returned")

    org.reload()
    plan = _section(org, "开班审核")
    assert "请补充师资安排和学员组织方式" in plan.get_by_role("alert").inner_text()
    shoot(org, "class-returned")
    org.get_by_label("开班实施方案").fill(
        "一、研修目标：……\n二、师资安排：陈立新教授\n三、学员组织：……"
    )
    org.get_by_role("button", name="提交开班实施方案").click()
    admin.reload()
    admin.get_by_role("button", name="审核通过").click()
    assert "已审核通过" in admin.get_by_role("status").inner_text()
    assert "审核通过" in _section(admin, "开班审核").locator(".history").inner_text()

    # Trainees check in to the running session through the API
    for name, phone in TRAINEES[:2]:
        _check_in(api, world, session_ids[1], name, phone)

    # 签到情况: the organizer marks 孙三 present for the running session, with a reason
    org.reload()
    grid = _section(org, "签到情况")
    assert grid.locator("tbody tr").count() == 3
    row = grid.locator("tbody tr", has=org.get_by_role("rowheader", name="孙三"))
    assert row.locator(".mark").nth(1).inner_text() == "缺勤"
    row.get_by_role("checkbox").nth(1).check()
    org.get_by_label("改为").select_option("present")
    org.get_by_label("更正原因").fill("手机没电，现场核实到课")
    org.get_by_role("button", name="更正所选").click()
    assert "已更正 1 个签到格" in org.get_by_role("status").inner_text()
    row = _section(org, "签到情况").locator(
        "tbody tr", has=org.get_by_role("rowheader", name="孙三")
    )
    assert row.locator(".mark").nth(1).inner_text() == "出勤"
    assert "mark-manual" in row.locator(".mark").nth(1).get_attribute("class")
    shoot(org, "attendance-corrected")

    # 满意度测评
    survey = _section(org, "满意度测评")
    survey.get_by_role("button", name="开启测评").click()
    assert "测评已开启" in org.get_by_role("status").inner_text()
    assert "进行中" in _section(org, "满意度测评").inner_text()
    pending = _section(org, "满意度测评").inner_text()
    assert "赵一" in pending and "孙三" in pending
    _section(org, "满意度测评").get_by_role("button", name="关闭测评").click()
    assert "测评已关闭" in org.get_by_role("status").inner_text()

    # 经费决算: 合计 follows the typing (htmx), then saved
    with app.app_context():  # the plan's deadline after today: this class may take a subsidy
        db.session.get(PlanYear, 2023).deadline = today + timedelta(days=365)
        db.session.commit()  # (a late class's refusal: tests/exports/test_budget.py)
    budget = _section(org, "经费决算（附件6）")
    budget.get_by_label("住宿费金额").fill("12000.00")
    budget.get_by_label("伙食费金额").fill("8000.50")
    org.wait_for_function(
        "() => document.querySelector('#budget-total').textContent.includes('20,000.50')"
    )
    budget.get_by_label("讲课费金额").fill("abc")
    org.wait_for_function(
        "() => document.querySelector('#budget-total').textContent.includes('讲课费')"
    )
    budget.get_by_label("讲课费金额").fill("16000")
    budget.get_by_label("人社部门资助金额（元）").fill("200000.00")
    budget.get_by_label("工作人员数").fill("4")
    budget.get_by_label("经办人").fill("张晓梅")
    budget.get_by_role("button", name="保存经费决算").click()
    assert "资助金额不能超过合计" in _section(org, "经费决算（附件6）").inner_text()
    _section(org, "经费决算（附件6）").get_by_label("人社部门资助金额（元）").fill("30000.00")
    _section(org, "经费决算（附件6）").get_by_role("button", name="保存经费决算").click()
    assert "经费决算已保存" in org.get_by_role("status").inner_text()
    assert "36,000.50" in org.locator("#budget-total").inner_text()

    # 总结报告: sections, a picture; 一 shows the data
    report = _section(org, "总结报告（附件4）")
    assert "名单3人" in report.inner_text()
    for label in ("二、项目主要特点", "三、项目主要做法（可附图片）", "四、项目主要成效",
                  "六、项目存在的问题", "七、对该项目的意见和建议等"):  # fmt: skip
        report.get_by_label(label).fill(f"{label}：……")
    report.get_by_role("button", name="保存总结报告").click()
    assert "总结报告已保存" in org.get_by_role("status").inner_text()
    report = _section(org, "总结报告（附件4）")
    report.get_by_label("图片（PNG 或 JPEG，4 MB 以内）").set_input_files(
        files=[{"name": "现场.png", "mimeType": "image/png", "buffer": _picture()}]
    )
    report.get_by_label("图片说明").fill("开班仪式现场")
    report.get_by_role("button", name="上传图片").click()
    assert "图片已上传" in org.get_by_role("status").inner_text()
    assert _section(org, "总结报告（附件4）").get_by_role("img", name="开班仪式现场").is_visible()

    # 材料报送
    org.get_by_label("报送日期").fill(today.isoformat())
    org.get_by_role("button", name="标记为已报送").click()
    assert f"已于 {today.isoformat()} 报送" in _section(org, "材料报送").inner_text()
    shoot(org, "class-page")

    # 材料下载: 附件2–6, each a real file
    downloads = _section(org, "材料下载")
    for number, magic in (
        ("附件2", b"PK"),
        ("附件3", b"PK"),
        ("附件4", b"PK"),
        ("附件5", b"PK"),
        ("附件6", b"PK"),
    ):
        with org.expect_download() as download:
            downloads.get_by_role("link", name=re.compile(f"^{number}")).first.click()
        data = download.value.path().read_bytes()
        assert data[:2] == magic and len(data) > 2000, number
        assert number in download.value.suggested_filename

    # the pages around it, for the screenshots
    org.goto(f"{live_server}/")
    assert PROJECT in org.get_by_role("table").inner_text()
    shoot(org, "home-after")
    org.goto(f"{live_server}/classes/{class_id}/edit")
    assert org.get_by_label("变更原因（情况说明）").is_visible()  # approved: a reason is needed
    shoot(org, "class-edit")
    org.goto(f"{live_server}/display/sessions/{session_ids[1]}")
    shoot(org, "projector")
    org.goto(f"{live_server}/dashboard/classes/{class_id}")
    shoot(org, "dashboard")
    admin.goto(f"{live_server}/")
    shoot(admin, "admin-home")
    admin.goto(f"{live_server}/classes/{class_id}")
    shoot(admin, "admin-class-page")
    assert "13800000001" not in _section(admin, "学员名单").inner_text()  # masked for the admin

    # A grid wider than the window scrolls inside its box; the page stays the window's width
    with app.app_context():
        lecturer_id = db.session.get(Session, session_ids[0]).lecturer_id
        for day in range(4):
            starts = first_start - timedelta(days=2) + timedelta(hours=day)
            db.session.add(
                Session(class_id=class_id, topic=f"专题研讨{day + 1}", lecturer_id=lecturer_id,
                        starts_at=starts, ends_at=starts + timedelta(minutes=50))
            )  # fmt: skip
        db.session.commit()
    org.goto(f"{live_server}/classes/{class_id}#attendance")
    grid = _section(org, "签到情况").locator(".table-wrap").first
    assert grid.evaluate("box => box.scrollWidth > box.clientWidth") == (viewport == "phone")
    assert org.evaluate(WIDER_THAN_WINDOW) == [], org.evaluate(WIDER_THAN_WINDOW)
    shoot(org, "attendance-six-sessions")
