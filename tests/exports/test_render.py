"""Every export printed through LibreOffice to PDF and read back: A4 pages, nothing printed
over anything else, no table row cut by a page break, and the form's words and this class's
figures on the page. For a class of 40 and one of 200 trainees, each with 20 sessions.

Set YANXIU_SHOTS=/some/folder to keep PNGs of every page for a look.
"""

import io
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from backend.core.timeutil import CHINA, today_in_china
from backend.extensions import db
from tests.exports.conftest import PROJECT, approve, ok
from tests.exports.pictures import image_bytes, upload
from tests.exports.rendering import (
    convert,
    is_a4,
    overlaps,
    pages_with,
    pages_with_row,
    read_pdf,
    shots_folder,
    to_png,
)

# the layout is the same on either database; the PostgreSQL pass checks the exports' figures
# through the API (tests/exports/)
pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]

LOCATION = "武汉市东湖新技术开发区光谷大道77号光谷金融港B1栋三楼学术报告厅（线上同步直播）"
LECTURERS = [
    ("王建国", "教授"),
    ("陈静", "研究员"),
    ("欧阳明月", "正高级工程师"),
    ("李华", "副教授"),
    ("张志强", "教授级高级工程师"),
]
TOPICS = [
    "区块链技术概论",
    "智能合约开发与安全审计实践",
    "区块链在政务数据共享与供应链金融中的应用",
    "数字身份与隐私计算",
    "联盟链架构设计",
]
EMPLOYERS = [
    "恩施土家族苗族自治州中心医院信息中心",
    "黄冈市农业科学院",
    "十堰市大数据局",
    "宜昌市人力资源和社会保障局专业技术人员管理科",
    "武汉理工大学",
]
REGIONS = ["恩施州", "黄冈市", "十堰市", "宜昌市", "武汉市"]
#: Marks of trainee i at session j by (i + j) % 10: P on time, L late, O online, N late
#: online, C corrected by the organizer, - absent.
PATTERN = "PPPPLOPNC-"
#: What 附件5 prints for each of them.
MARKS = {"P": "✓", "L": "迟", "O": "线", "N": "线迟", "C": "✓*", "-": "×"}


@dataclass
class Printed:
    class_id: int
    trainees: int
    sessions: int
    names: list[str]
    people: list[dict]
    returned: int
    budget_total: str


def _sessions(start: date) -> list[tuple[datetime, datetime]]:
    """Twenty sessions of 90 minutes, five a day over four days."""
    times = [(8, 30), (10, 20), (14, 0), (15, 50), (19, 0)]
    return [
        (
            datetime(day.year, day.month, day.day, h, m, tzinfo=CHINA),
            datetime(day.year, day.month, day.day, h, m, tzinfo=CHINA) + timedelta(minutes=90),
        )
        for day in (start + timedelta(days=d) for d in range(4))
        for h, m in times
    ]


def _trainees(count: int) -> list[dict]:
    return [
        {
            "name": ["张伟", "李娜", "欧阳明月", "王芳", "刘洋"][i % 5] + f"{i + 1:03d}",
            "phone": f"139{i + 1:08d}",
            "gender": "男" if i % 2 else "女",
            "employer": EMPLOYERS[i % 5],
            "post": ["科长", "", "副主任", "主任医师", "处长"][i % 5],
            "professional_title": ["高级工程师", "研究员", "副教授", "主任医师", "工程师"][i % 5],
            "region": REGIONS[i % 5],
            "attendance_mode": "online" if i % 7 == 3 else "onsite",
        }
        for i in range(count)
    ]


def _check_ins(app, class_id: int, enrollment_ids: list[int], sessions: list, session_ids, by: int):
    with app.app_context():
        from backend.checkin.models import CheckIn, CheckInSource
        from backend.enrollment.models import AttendanceMode

        rows = []
        for i, enrollment_id in enumerate(enrollment_ids):
            for j, ((starts, _ends), session_id) in enumerate(
                zip(sessions, session_ids, strict=True)
            ):
                mark = PATTERN[(i + j) % len(PATTERN)]
                if mark == "-":
                    continue
                rows.append(
                    CheckIn(
                        class_id=class_id,
                        enrollment_id=enrollment_id,
                        session_id=session_id,
                        checked_in_at=starts + timedelta(minutes=30 if mark in "LN" else -5),
                        late=mark in "LN",
                        mode=AttendanceMode.ONLINE if mark in "ON" else AttendanceMode.ONSITE,
                        source=CheckInSource.MANUAL if mark == "C" else CheckInSource.QR,
                        corrected_by_id=by if mark == "C" else None,
                        reason="现场网络故障，补签" if mark == "C" else "",
                    )
                )
        db.session.add_all(rows)
        db.session.commit()


def _answers(api, world, class_id: int, session_ids: list[int], enrollment_ids: list[int]):
    """Most trainees return the form; a few write long suggestions."""
    from backend.classes.models import TrainingClass

    ok(api.post(f"/classes/{class_id}/survey/open", world.organizer))
    levels = ["excellent", "excellent", "good", "excellent", "fair", "good", "poor"]
    returned = enrollment_ids[: len(enrollment_ids) * 9 // 10]
    with api.client.application.app_context():
        training_class = db.session.get(TrainingClass, class_id)
        for i, enrollment_id in enumerate(returned):
            _submit_one(training_class, enrollment_id, i, levels, session_ids)
        db.session.commit()
    ok(api.post(f"/classes/{class_id}/survey/close", world.organizer))
    return len(returned)


def _submit_one(training_class, enrollment_id: int, i: int, levels: list, session_ids) -> None:
    """Trainee number `i` returns the form (stored as the survey module stores it)."""
    from backend.enrollment.models import Enrollment
    from backend.surveys.logic import submit

    level = levels[i % len(levels)]
    suggestion = ""
    if i % 9 == 0:
        suggestion = (
            f"第{i + 1}份建议：希望增加现场教学和案例研讨的时间，"
            "课程资料能提前发放，并在结业后继续开放线上回放，便于基层单位的同事共同学习。"
        )
    body = {
        "lectures": {str(s): levels[(i + k) % len(levels)] for k, s in enumerate(session_ids)},
        "faculty_overall": level,
        "teaching": dict.fromkeys(("content", "level", "mode", "overall"), level),
        "service": dict.fromkeys(("organization", "logistics", "service", "overall"), "good"),
        "satisfaction": level,
        "suggestions": suggestion,
    }
    submit(training_class, db.session.get(Enrollment, enrollment_id), body)


def _news(api, world, class_id: int, start: date, text: str) -> None:
    """One news item a day, each with a picture."""
    for day in range(4):
        item = {
            "title": f"第{day + 1}天：专家授课与分组研讨",
            "date": (start + timedelta(days=day)).isoformat(),
            "text": "\n".join([text] * 2),
        }
        created = ok(api.post(f"/classes/{class_id}/news", world.organizer, json=item), 201)
        picture = {
            "file": (io.BytesIO(image_bytes(size=(640, 400))), "a.png"),
            "caption": f"第{day + 1}天现场",
        }
        posted = api.post(
            f"/news/{created['id']}/pictures",
            world.organizer,
            data=picture,
            content_type="multipart/form-data",
        )
        ok(posted, 201)


def build_printed(api, world, trainees: int, sessions_count: int = 20) -> Printed:
    """A class held on the four days before yesterday, filled through the API; its plan
    year's deadline moved past it, so that it may ask for a subsidy."""
    from backend.plans.models import PlanYear

    start = today_in_china() - timedelta(days=5)
    end = start + timedelta(days=3)
    with api.client.application.app_context():
        db.session.get(PlanYear, 2023).deadline = end + timedelta(days=30)
        db.session.commit()
    projects = ok(api.get("/projects?year=2023", world.organizer))
    project_id = next(p["id"] for p in projects if p["name"] == PROJECT)
    class_body = {
        "project_id": project_id,
        "location": LOCATION,
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "mode": "hybrid",
    }
    class_id = ok(api.post("/classes", world.organizer, json=class_body), 201)["id"]
    lecturer_ids = [
        ok(api.post("/lecturers", world.organizer, json={"name": n, "title": t}), 201)["id"]
        for n, t in LECTURERS
    ]
    sessions = _sessions(start)[:sessions_count]
    session_ids = []
    for k, (starts, ends) in enumerate(sessions):
        body = {
            "topic": f"{TOPICS[k % 5]}（{k // 5 + 1}）",
            "lecturer_id": lecturer_ids[k % 5],
            "starts_at": starts.isoformat(),
            "ends_at": ends.isoformat(),
        }
        created = api.post(f"/classes/{class_id}/sessions", world.organizer, json=body)
        session_ids.append(ok(created, 201)["id"])
    people = _trainees(trainees)
    ok(api.post(f"/classes/{class_id}/trainees", world.organizer, json=people), 201)
    roster = ok(api.get(f"/classes/{class_id}/trainees", world.organizer))
    enrollment_ids = [t["enrollment_id"] for t in roster]
    approve(api, world, class_id)
    _check_ins(
        api.client.application,
        class_id,
        enrollment_ids,
        sessions,
        session_ids,
        world.user_ids["organizer"],
    )
    returned = _answers(api, world, class_id, session_ids, enrollment_ids)
    items = {
        kind: {"amount": amount, "note": note}
        for kind, amount, note in [
            ("lodging", "38400.00", f"{trainees}人×4晚，协议价"),
            ("meals", "19200.00", "工作餐"),
            ("venue", "12000.00", ""),
            ("lecture_fees", "30000.00", "专家5人"),
            ("materials", "4650.50", "讲义印刷"),
            ("transport", "3200.00", "现场教学用车"),
            ("other", "980.00", "线上直播平台服务费"),
        ]
    }
    budget = {"items": items, "staff_count": 6, "subsidy": "100000.00", "handler": "周敏"}
    total = ok(api.put(f"/classes/{class_id}/budget", world.organizer, json=budget))["total"]
    text = (
        "本期研修班围绕区块链关键技术与行业应用，采取主题报告、专题研讨、现场教学相结合的方式，"
        "组织学员深入企业一线，交流数字化转型经验。"
    )
    sections = {str(n): "\n".join([text] * 3) for n in (2, 3, 4, 6, 7)}
    ok(api.put(f"/classes/{class_id}/report", world.organizer, json={"sections": sections}))
    ok(
        upload(api, world.organizer, class_id, image_bytes(size=(800, 500)), caption="开班仪式"),
        201,
    )
    _news(api, world, class_id, start, text)
    return Printed(
        class_id, trainees, len(session_ids), [p["name"] for p in people], people, returned, total
    )


EXPORTS = {
    "survey_form.xlsx": "survey-form.xlsx",
    "tally.xlsx": "tally.xlsx",
    "report.docx": "report.docx",
    "roster.xlsx": "roster.xlsx",
    "budget.xlsx": "budget.xlsx",
    "news.docx": "news.docx",
}


def _files(api, world, printed: Printed) -> dict[str, bytes]:
    files = {}
    for name, path in EXPORTS.items():
        response = api.get(f"/classes/{printed.class_id}/exports/{path}", world.organizer)
        assert response.status_code == 200, (path, response.get_json())
        files[name] = response.data
    overview = api.get("/plans/2023/overview.xlsx", world.admin)
    assert overview.status_code == 200
    files["overview.xlsx"] = overview.data
    return files


def _check_pages(name: str, pages) -> None:
    assert pages, f"{name}: no page"
    for page in pages:
        assert is_a4(page), f"{name} p.{page.number}: {page.width}×{page.height} is not A4"
        assert not overlaps(page), f"{name} p.{page.number}: overlapping text {overlaps(page)[:5]}"


def _whole_row(pages, *cells: str) -> None:
    """A table row with these cells is printed whole on one page (no page break cut it)."""
    assert pages_with_row(pages, *cells), f"no whole table row {cells}"


@pytest.mark.parametrize(("trainees", "sessions"), [(40, 20), (200, 20), (40, 7)])
def test_every_export_prints_on_a4_with_nothing_overlapping(
    api, world, tmp_path, trainees, sessions
):
    printed = build_printed(api, world, trainees, sessions)
    pdfs = convert(_files(api, world, printed), tmp_path)
    shots = shots_folder()
    if shots:
        for pdf in pdfs.values():
            to_png(pdf, shots / f"class-{trainees}-{sessions}")
            shutil.copy(pdf, shots / f"class-{trainees}-{sessions}")
    pages = {name: read_pdf(pdf) for name, pdf in pdfs.items()}
    for name, its_pages in pages.items():
        _check_pages(name, its_pages)

    survey_form = pages["survey_form.xlsx"]
    for words in (
        "学员满意度测评表",
        "评价项目",
        "授课项目",
        "优秀",
        "较差",
        "意见与建议",
        "填报时间",
    ):
        assert pages_with(survey_form, words), f"附件2 lacks {words}"
    last = sessions - 1
    assert pages_with(survey_form, f"{TOPICS[last % 5]}（{last // 5 + 1}）")

    tally = pages["tally.xlsx"]
    counts = f"本期研修学员{trainees}人"
    assert pages_with(tally, counts) and pages_with(tally, f"收回{printed.returned}份")
    assert pages_with(tally, "因四舍五入，各项比率之和可能不等于100%")
    assert pages_with(tally, "光谷金融港")
    for words in ("优秀率", "较差率", "教学内容", "后勤保障", "学员满意度评价"):
        assert pages_with(tally, words), f"附件3 lacks {words}"

    report = pages["report.docx"]
    for words in ("一、项目实施基本情况", "五、项目邀请专家授课情况", "七、对该项目的意见和建议等"):
        assert pages_with(report, words)
    assert pages_with(report, f"名单{trainees}人")
    for k in range(printed.sessions):
        lecturer = f"{LECTURERS[k % 5][0]}（{LECTURERS[k % 5][1]}）"
        _whole_row(report, str(k + 1), f"{TOPICS[k % 5]}（{k // 5 + 1}）", lecturer)

    roster = pages["roster.xlsx"]
    assert pages_with(roster, "研修人员名单") and pages_with(roster, "图例")
    for number, (name, person) in enumerate(
        zip(printed.names, printed.people, strict=False), start=1
    ):
        _whole_row(roster, str(number), name, person["gender"], person["employer"])
        marks = [MARKS[PATTERN[(number - 1 + j) % len(PATTERN)]] for j in range(printed.sessions)]
        attended = sum(mark != "×" for mark in marks)
        _whole_row(roster, str(number), name, *marks, str(attended))
    assert len({p for name in printed.names for p in pages_with(roster, name)}) >= 2

    budget = pages["budget.xlsx"]
    for words in ("经费决算表", "住宿费", "人社部门资助金额", "100,000.00", "承办单位配套金额"):
        assert pages_with(budget, words), f"附件6 lacks {words}"
    assert pages_with(budget, f"{float(printed.budget_total):,.2f}")

    news = pages["news.docx"]
    for day in range(4):
        assert pages_with(news, f"{day + 1}.第{day + 1}天：专家授课与分组研讨")
        assert pages_with(news, f"第{day + 1}天现场")

    overview = pages["overview.xlsx"]
    assert pages_with(overview, "材料报送")
    _whole_row(overview, PROJECT, "华中科技大学", "财政资助", "已审核通过")


def _bad_sheet() -> bytes:
    """Wrapped text in rows too short for it, on US Letter: what the checks must catch."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    wrapped = workbook.add_format({"text_wrap": True, "valign": "vcenter"})
    sheet.set_column(0, 0, 12)
    for row in range(6):
        sheet.set_row(row, 15)
        sheet.write_string(row, 0, "地点：武汉市东湖新技术开发区光谷大道77号光谷金融港", wrapped)
    sheet.set_paper(1)
    workbook.close()
    return buffer.getvalue()


def test_the_checks_catch_a_bad_print(tmp_path):
    """The checks above can fail: text over text, and a page that is not A4."""
    pages = read_pdf(convert({"bad.xlsx": _bad_sheet()}, tmp_path)["bad.xlsx"])
    assert not is_a4(pages[0])
    assert overlaps(pages[0])
    assert not pages_with_row(pages, "地点：武汉市东湖新技术开发区光谷大道77号光谷金融港")
