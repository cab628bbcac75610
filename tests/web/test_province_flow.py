"""The province office sets up a new year end to end in headless Chromium: the year, its
附件1 upload (a bad file first), a flagged unit name merged, an organizer account for a new
unit; that organizer logs in and sees the unit's project. Screenshots of every admin page go
to $YANXIU_SHOTS/province (default /tmp/yanxiu-shots/province), outside git."""

import os
import re
from pathlib import Path

import pytest

from backend.auth.models import User
from backend.core.timeutil import today_in_china
from backend.extensions import db
from tests.browser import browser  # noqa: F401  (fixture)
from tests.live.conftest import live_server  # noqa: F401  (fixture)
from tests.plans.test_plans import GOOD_ROWS, xlsx_of

pytestmark = pytest.mark.slow
SHOTS = Path(os.environ.get("YANXIU_SHOTS", "/tmp/yanxiu-shots")) / "province"
VIEWPORTS = {"desktop": (1366, 768), "phone": (390, 844)}
NEW_PROJECT = ("孝感市", "湖北工程学院", "数字乡村治理高级研修班", "财政资助")


def _log_in(chromium, base: str, username: str, password: str, size: tuple[int, int]):
    context = chromium.new_context(viewport={"width": size[0], "height": size[1]}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base}/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    assert "/login" not in page.url
    return page


def _section(page, heading: str):
    return page.locator("section", has=page.get_by_role("heading", name=heading))


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_new_year_set_up_in_the_console(app, world, live_server, browser, viewport, tmp_path):  # noqa: F811
    size = VIEWPORTS[viewport]
    SHOTS.mkdir(parents=True, exist_ok=True)
    count = iter(range(1, 100))

    def shoot(page, what: str) -> None:
        page.screenshot(
            path=str(SHOTS / f"{viewport}-{next(count):02d}-{what}.png"), full_page=True
        )

    with app.app_context():
        admin_user = db.session.scalar(db.select(User).where(User.username == "admin"))
        admin_user.full_name = "李建华"
        db.session.commit()
    year = today_in_china().year + 1  # a year that surely has no plan yet
    bad_file, good_file = tmp_path / "附件1-有误.xlsx", tmp_path / "附件1.xlsx"
    bad_file.write_bytes(
        xlsx_of([("武汉市", "", "没有承办单位的项目", "财政资助"), *GOOD_ROWS]).read()
    )
    good_file.write_bytes(xlsx_of([NEW_PROJECT, *GOOD_ROWS]).read())

    admin = _log_in(browser, live_server, "admin", "admin-password", size)
    assert "李建华" in admin.locator("header").inner_text()
    admin.get_by_role("link", name="年度计划").first.click()
    shoot(admin, "plans-index")

    # the year
    new = _section(admin, "新建年度计划")
    new.get_by_label("年度").fill(str(year))
    new.get_by_label("通知文号").fill(f"鄂人社函〔{year}〕9号")
    new.get_by_label("计划完成期限").fill(f"{year}-11-30")
    new.get_by_role("button", name="建立年度计划").click()
    admin.wait_for_url(re.compile(rf"/plans/{year}/setup"))
    assert f"已建立 {year} 年度计划" in admin.get_by_role("status").inner_text()
    assert "本年度还没有项目" in _section(admin, "项目计划").inner_text()
    shoot(admin, "setup-empty")

    # 附件1: a bad first row, nothing imported; then the good file
    upload = _section(admin, "上传附件1")
    upload.get_by_label("附件1 表格（.xlsx）").set_input_files(str(bad_file))
    upload.get_by_role("button", name="导入项目").click()
    admin.wait_for_load_state()
    errors = _section(admin, "上传附件1").get_by_role("alert").inner_text()
    assert "第 3 行：承办单位：不能为空" in errors and "未导入任何项目" in errors
    assert "本年度还没有项目" in _section(admin, "项目计划").inner_text()
    shoot(admin, "upload-error")
    upload = _section(admin, "上传附件1")
    upload.get_by_label("附件1 表格（.xlsx）").set_input_files(str(good_file))
    upload.get_by_role("button", name="导入项目").click()
    admin.wait_for_load_state()
    assert "已导入 10 个项目" in admin.get_by_role("status").inner_text()
    assert "共 10 项" in _section(admin, "项目计划").inner_text()
    flagged = _section(admin, "待核对的单位名称")
    assert "武汉烽火技术服务有 限公司（烽火通信）" in flagged.inner_text()
    shoot(admin, "setup-imported")
    flagged.get_by_role("button", name=re.compile("^合并到")).click()
    admin.wait_for_load_state()
    assert (
        "已将“武汉烽火技术服务有 限公司（烽火通信）”合并到"
        in admin.get_by_role("status").inner_text()
    )
    assert admin.get_by_role("heading", name="待核对的单位名称").count() == 0

    # the organizer account of the new unit
    admin.get_by_role("link", name="账号管理").click()
    create = _section(admin, "新建账号")
    create.get_by_label("账号类型").select_option("organizer")
    create.get_by_label("承办单位").select_option(label="湖北工程学院")
    create.get_by_label("姓名").fill("王磊")
    create.get_by_label("用户名").fill("hbeu-wang")
    create.get_by_label("初始密码").fill("hbeu-wang-pass")
    create.get_by_role("button", name="建立账号").click()
    admin.wait_for_load_state()
    assert "已建立账号 hbeu-wang" in admin.get_by_role("status").inner_text()
    row = _section(admin, "承办单位的工作人员").locator("tr", has_text="hbeu-wang")
    assert "湖北工程学院" in row.inner_text() and "可登录" in row.inner_text()
    shoot(admin, "accounts")

    # the organizer logs in and sees the unit's project of the new year
    org = _log_in(browser, live_server, "hbeu-wang", "hbeu-wang-pass", size)
    header = org.locator("header").inner_text()
    assert "王磊" in header and "湖北工程学院" in header
    org.get_by_role("link", name="新建研修班").click()
    options = org.get_by_label("项目").locator("option").all_inner_texts()
    assert f"数字乡村治理高级研修班（{year} 年度）" in options
    assert all("区块链" not in o for o in options)  # another unit's project is not offered
    shoot(org, "organizer-new-class")

    # the other admin pages, for the screenshots
    admin.goto(f"{live_server}/plans/{year}")
    none_yet = _section(admin, "尚未开班的项目").inner_text()
    assert "数字乡村治理高级研修班" in none_yet and "湖北工程学院" in none_yet
    shoot(admin, "overview-new-year")
    admin.get_by_label("年度", exact=True).select_option(str(2023))
    admin.get_by_role("button", name="查看").click()
    admin.wait_for_url(re.compile(r"/plans/2023$"))
    assert "区块链技术数字化工程师高级研修班" in _section(admin, "已提交的研修班").inner_text()
    shoot(admin, "overview-2023")
    _submitted_class(app, year)
    admin.goto(f"{live_server}/approvals")
    queue = _section(admin, "数字乡村治理高级研修班")
    assert "四天，八个专题" in queue.inner_text()
    shoot(admin, "approvals-waiting")
    queue.get_by_text("退回修改", exact=True).click()
    queue.get_by_label("退回原因").fill("请补充每个专题的授课人")
    queue.get_by_role("button", name="确认退回").click()
    admin.wait_for_load_state()
    assert "已将“数字乡村治理高级研修班”退回修改" in admin.get_by_role("status").inner_text()
    for path, what in (("/approvals", "approvals"), ("/audit", "audit"), ("/purge", "purge")):
        admin.goto(f"{live_server}{path}")
        shoot(admin, what)
    admin.goto(f"{live_server}/audit?action=user")
    assert "新建账号" in admin.locator("table").inner_text()


def _submitted_class(app, year: int) -> None:
    """The new unit's organizer has sent an opening plan (their pages are the console's test)."""
    from datetime import date

    from backend.classes.models import ClassMode, TrainingClass
    from backend.plans.models import Project

    with app.app_context():
        project = db.session.scalar(
            db.select(Project).where(Project.year == year, Project.name == NEW_PROJECT[2])
        )
        training_class = TrainingClass(
            project=project,
            location="孝感",
            start_date=date(year, 5, 12),
            end_date=date(year, 5, 15),
            capacity=40,
            mode=ClassMode.OFFLINE,
        )
        db.session.add(training_class)
        db.session.flush()
        training_class.submit_opening_plan("四天，八个专题，学员四十人，孝感市委党校。")
        db.session.commit()
