"""The province office's pages: a year set up in the browser's forms (the same schemas and
logic as the API), the year overview, the approval queue, accounts, audit and purge."""

from datetime import timedelta

from backend.auth.models import User
from backend.classes.models import ClassMode, ClassStatus, TrainingClass
from backend.core.timeutil import today_in_china
from backend.extensions import db
from backend.plans.models import Project
from tests.conftest import csrf_of, page_log_in
from tests.plans.test_plans import GOOD_ROWS, xlsx_of


def post(client, path: str, data: dict, **kwargs):
    token = csrf_of(client.get("/plans").get_data(as_text=True))
    return client.post(path, data={**data, "csrf": token}, **kwargs)


def text(response) -> str:
    return response.get_data(as_text=True)


def scalar(app, statement):
    """One value read from the database, in a context of its own."""
    with app.app_context():
        return db.session.scalar(statement)


def status_of(app, class_id: int) -> ClassStatus:
    return scalar(app, db.select(TrainingClass.status).where(TrainingClass.id == class_id))


def test_only_the_admin_opens_the_province_pages(client, world):
    page_log_in(client, "org-hust")
    for path in ("/plans", "/plans/2023", "/plans/2023/setup", "/approvals", "/accounts"):
        assert client.get(path).status_code == 403, path
    for path in ("/audit", "/purge"):
        assert client.get(path).status_code == 403, path


def test_a_new_year_in_the_console(app, client, world):
    page_log_in(client, "admin")
    bad = post(client, "/plans", {"year": "2026", "notice": "", "deadline": "明年"})
    assert bad.status_code == 422
    assert "必填" in text(bad) and "应为日期" in text(bad)
    made = post(
        client,
        "/plans",
        {"year": "2026", "notice": "鄂人社函〔2026〕9号", "deadline": "2026-11-30"},
    )
    assert made.status_code == 302 and made.headers["Location"].endswith("/plans/2026/setup")
    setup = text(client.get("/plans/2026/setup"))
    assert "本年度还没有项目" in setup and "125000.00" in setup

    rows = [("武汉市", "", "没有承办单位的项目", "财政资助"), *GOOD_ROWS]
    upload = lambda rows: post(  # noqa: E731
        client,
        "/plans/2026/projects/upload",
        {"file": (xlsx_of(rows), "附件1.xlsx")},
        content_type="multipart/form-data",
    )
    refused = upload(rows)
    assert refused.status_code == 422
    assert "第 3 行：承办单位：不能为空" in text(refused)
    assert scalar(app, db.select(db.func.count()).where(Project.year == 2026)) == 0
    done = upload(rows[1:])
    assert done.status_code == 302
    page = text(client.get("/plans/2026/setup"))
    assert "已导入 9 个项目" in page and "待核对的单位名称" in page
    assert "“武汉烽火技术服务有 限公司（烽火通信）”" in page

    one = post(
        client,
        "/plans/2026/projects",
        {
            "name": "数字乡村治理高级研修班",
            "applicant_unit": "孝感市",
            "host_unit": "",
            "funding": "fiscal",
        },
    )
    assert one.status_code == 422 and "必填" in text(one)
    numbers = post(client, "/plans/2026/numbers", {"subsidy_cap": "90000", "report_days": "0"})
    assert numbers.status_code == 422 and "应在 1 与 365 之间" in text(numbers)
    numbers = post(client, "/plans/2026/numbers", {"subsidy_cap": "90000"})
    assert numbers.status_code == 302
    assert "90000.00" in text(client.get("/plans/2026/setup"))


def test_copy_a_year_and_a_project_with_classes_is_not_deleted(app, client, world):
    page_log_in(client, "admin")
    post(
        client,
        "/plans",
        {"year": "2026", "notice": "鄂人社函〔2026〕9号", "deadline": "2026-11-30"},
    )
    copied = post(client, "/plans/2026/copy", {"from_year": "2023"})
    assert copied.status_code == 302
    assert "已复制 10 个项目" in text(client.get("/plans/2026/setup"))
    used = scalar(
        app, db.select(TrainingClass.project_id).where(TrainingClass.id == world.class_id)
    )
    refused = post(client, f"/projects/{used}/delete", {})
    assert refused.status_code == 422 and "该项目已有研修班，不能删除" in text(refused)
    assert scalar(app, db.select(Project.id).where(Project.id == used)) == used


def test_the_year_overview_shows_every_project_drafts_apart_and_flags_in_words(app, client, world):
    with app.app_context():
        class_ = db.session.get(TrainingClass, world.class_id)
        late = TrainingClass(
            project=class_.project,
            location="武汉",
            start_date=class_.project.plan.deadline,
            end_date=class_.project.plan.deadline + timedelta(days=2),
            capacity=40,
            mode=ClassMode.OFFLINE,
        )
        db.session.add(late)
        db.session.commit()
        late_id = late.id
    page_log_in(client, "admin")
    home = text(client.get("/"))  # no plan of this year: the newest year's overview, saying so
    assert "年度计划尚未建立，下面是 2023 年度的总览" in home
    assert f'href="/classes/{world.class_id}"' in home
    page = text(client.get("/plans/2023"))
    live, drafts = page.split('id="drafts-h"')
    assert f'href="/classes/{world.class_id}"' in live
    assert f'href="/classes/{late_id}"' in drafts
    assert "晚于计划完成期限2023年10月10日，按规定不予资助" in drafts
    none_yet = drafts.split('id="none-h"')[1]
    assert "武汉大学" in none_yet and "北斗定位与多源导航新技术高级研修班" in none_yet
    download = client.get("/plans/2023/overview.xlsx")
    assert download.status_code == 200 and download.data[:2] == b"PK"
    assert client.get("/plans/2023?year=2026").headers["Location"].endswith("/plans/2026")


def test_the_approval_queue_returns_with_a_reason_then_approves(app, client, world):
    with app.app_context():
        class_ = db.session.get(TrainingClass, world.class_id)
        draft = TrainingClass(
            project=class_.project,
            location="武汉",
            start_date=today_in_china() + timedelta(days=10),
            end_date=today_in_china() + timedelta(days=13),
            capacity=40,
            mode=ClassMode.OFFLINE,
        )
        db.session.add(draft)
        db.session.flush()
        draft.submit_opening_plan("四天八个专题，学员四十人。")
        db.session.commit()
        draft_id = draft.id
    page_log_in(client, "admin")
    queue = text(client.get("/approvals"))
    assert "四天八个专题，学员四十人。" in queue and "审核通过" in queue
    empty_reason = post(client, f"/approvals/{draft_id}/return", {"reason": " "})
    assert empty_reason.status_code == 422 and "必填" in text(empty_reason)
    assert status_of(app, draft_id) == ClassStatus.SUBMITTED
    back = post(client, f"/approvals/{draft_id}/return", {"reason": "请补充课程表"})
    assert back.status_code == 302
    assert status_of(app, draft_id) == ClassStatus.DRAFT
    assert "目前没有待审核的开班实施方案" in text(client.get("/approvals"))
    with app.app_context():
        db.session.get(TrainingClass, draft_id).submit_opening_plan("已补充课程表。")
        db.session.commit()
    assert post(client, f"/approvals/{draft_id}/approve", {}).status_code == 302
    assert status_of(app, draft_id) == ClassStatus.APPROVED
    twice = post(client, f"/approvals/{draft_id}/approve", {})
    assert twice.status_code == 422


def test_accounts_create_reset_and_disable(app, client, world):
    page_log_in(client, "admin")
    unit_id = scalar(app, db.select(User.unit_id).where(User.username == "org-whu"))
    missing = post(
        client,
        "/accounts",
        {"role": "organizer", "username": "whu-li", "password": "short", "full_name": "李文"},
    )
    assert missing.status_code == 422
    assert "密码长度应为 8 到 200 个字符" in text(missing)
    no_unit = post(
        client, "/accounts", {"role": "organizer", "username": "whu-li", "password": "whu-li-pw"}
    )
    assert no_unit.status_code == 422 and "组织者账号须指定承办单位" in text(no_unit)
    made = post(
        client,
        "/accounts",
        {
            "role": "organizer",
            "unit_id": str(unit_id),
            "username": "whu-li",
            "password": "whu-li-password",
            "full_name": "李文",
        },
    )
    assert made.status_code == 302
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == "whu-li"))
    assert user.unit_id == unit_id and user.full_name == "李文"
    assert (
        post(client, f"/accounts/{user.id}/password", {"password": "new-password-1"}).status_code
        == 302
    )
    assert post(client, f"/accounts/{user.id}/disable", {}).status_code == 302
    other = client.application.test_client()
    form = text(other.get("/login"))
    refused = other.post(
        "/login", data={"username": "whu-li", "password": "new-password-1", "csrf": csrf_of(form)}
    )
    assert refused.status_code == 401
    assert post(client, f"/accounts/{user.id}/enable", {}).status_code == 302
    form = text(other.get("/login"))
    allowed = other.post(
        "/login", data={"username": "whu-li", "password": "new-password-1", "csrf": csrf_of(form)}
    )
    assert allowed.status_code == 302
    audit = text(client.get("/audit?action=user"))
    assert "停用账号" in audit and "重置密码" in audit
    assert "角色：承办单位" in audit and "organizer" not in audit  # the role in words
    assert "new-password-1" not in audit


def test_purge_needs_the_typed_confirmation(client, world, app):
    with app.app_context():
        class_ = db.session.get(TrainingClass, world.class_id)
        class_.status = ClassStatus.CLOSED
        class_.end_date = today_in_china() - timedelta(days=app.config["RETENTION_DAYS"] + 1)
        class_.start_date = class_.end_date - timedelta(days=3)
        db.session.commit()
    page_log_in(client, "admin")
    assert "清除个人信息" in text(client.get("/purge"))
    refused = post(client, f"/purge/{world.class_id}", {"confirm": "好"})
    assert refused.status_code == 422 and "请输入“确认清除”以确认" in text(refused)
    done = post(client, f"/purge/{world.class_id}", {"confirm": "确认清除"})
    assert done.status_code == 302
    assert "名学员的个人信息" in text(client.get("/purge"))
