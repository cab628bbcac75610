"""Every year's plan: the province sets up a year, fills its projects (one by one, an 附件1
upload, a copy of last year), flagged unit names; a class reads its year's numbers."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from backend.extensions import db
from backend.plans.models import Project, Unit

YEAR = 2025
NEW_PLAN = {"year": YEAR, "notice": "鄂人社函〔2025〕12号", "deadline": "2025-06-30"}
GOOD_ROWS = [
    ("武汉市", "武汉现代农业教育中心", "智慧农业装备应用高级研修班", "财政资助"),
    ("华中科技大学", "华中科技大学", "人工智能大模型工程化高级研修班", "财政资助"),
    ("宜昌市", "三峡大学", "水电站智能运维高级研修班", "财政资助"),
    ("襄阳市", "湖北文理学院", "新能源汽车检测技术高级研修班", "自筹经费"),
    ("十堰市", "湖北汽车工业学院", "汽车轻量化材料高级研修班", "财政资助"),
    ("武汉大学", "武汉大学", "遥感影像智能解译高级研修班", "自筹经费"),
    ("荆州市", "长江大学", "油气田数字化开发高级研修班", "财政资助"),
    ("黄石市", "湖北理工学院", "冶金过程低碳技术高级研修班", "财政资助"),
    (
        "武汉烽火技术服务有 限公司（烽火通信）",
        "武汉烽火技术服务有 限公司（烽火通信）",
        "5G 专网建设与运维高级研修班",
        "财政资助",
    ),
]


def xlsx_of(rows: list[tuple], title: bool = True) -> io.BytesIO:
    """附件1 as the notice prints it: a title line, the header, the projects."""
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append(["附件1"])
    sheet.append(["序号", "申报单位", "承办单位", "项目名称", "经费类型"])
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def upload(api, token, rows, year=YEAR):
    return api.post(
        f"/plans/{year}/projects",
        token,
        data={"file": (xlsx_of(rows), "附件1.xlsx")},
        content_type="multipart/form-data",
    )


def projects_in(app, year: int) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).where(Project.year == year))


@pytest.fixture
def plan(api, world):
    response = api.post("/plans", world.admin, json=NEW_PLAN)
    assert response.status_code == 201, response.json
    return response.json


def test_a_new_year_takes_the_2023_numbers_unless_told(api, world, plan):
    assert plan["deadline"] == "2025-06-30"
    assert plan["subsidy_cap"] == "125000.00"
    assert (plan["report_days"], plan["expense_days"]) == (15, 30)
    assert (plan["class_size"], plan["class_days"]) == (40, 4)
    assert plan["projects"] == 0
    again = api.post("/plans", world.admin, json=NEW_PLAN)
    assert again.status_code == 409 and again.json["error"] == "plan_exists"
    years = api.get("/plans", world.organizer).json
    assert [p["year"] for p in years] == [2025, 2023]
    assert years[1]["projects"] == 10 and years[1]["classes"] == 1


def test_only_the_admin_sets_up_a_year_and_bad_numbers_name_their_field(api, world):
    assert api.post("/plans", world.organizer, json=NEW_PLAN).status_code == 403
    bad = api.post(
        "/plans", world.admin, json={**NEW_PLAN, "deadline": "6月30日", "report_days": 0}
    )
    assert bad.status_code == 422
    assert set(bad.json["fields"]) == {"deadline", "report_days"}
    assert api.get("/plans", world.admin).json[0]["year"] == 2023


def test_patch_changes_the_numbers(api, world, plan):
    response = api.patch(
        f"/plans/{YEAR}", world.admin, json={"subsidy_cap": "80000", "report_days": 20}
    )
    assert response.status_code == 200
    assert response.json["subsidy_cap"] == "80000.00" and response.json["report_days"] == 20
    assert api.patch(f"/plans/{YEAR}", world.organizer, json={"report_days": 9}).status_code == 403
    assert api.patch("/plans/2031", world.admin, json={"report_days": 9}).status_code == 404


def test_an_upload_with_a_bad_first_row_imports_nothing(app, api, world, plan):
    rows = [("武汉市", "", "没有承办单位的项目", "财政资助"), *GOOD_ROWS]
    assert len(rows) == 10
    response = upload(api, world.admin, rows)
    assert response.status_code == 422
    # Row 1 is the title, row 2 the header: the bad row is row 3 as Excel shows it.
    assert response.json["fields"] == {"3": ["承办单位：不能为空"]}
    assert projects_in(app, YEAR) == 0

    bad_funding = [(*GOOD_ROWS[0][:3], "省级资助"), *GOOD_ROWS[1:]]
    response = upload(api, world.admin, bad_funding)
    assert list(response.json["fields"]) == ["3"]
    assert "经费类型" in response.json["fields"]["3"][0]
    assert projects_in(app, YEAR) == 0


def _units(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(Unit))


def test_an_upload_of_ten_projects_and_the_flagged_unit_name(app, api, world, plan):
    rows = [("孝感市", "湖北工程学院", "数字乡村治理高级研修班", "财政资助"), *GOOD_ROWS]
    units_before = _units(app)
    response = upload(api, world.admin, rows)
    assert response.status_code == 201, response.json
    assert response.json["created"] == 10
    # 武汉现代农业教育中心, 华中科技大学 and 武汉大学 exist already (2023).
    assert response.json["units_created"] == 7
    assert response.json["units_flagged"] == ["武汉烽火技术服务有 限公司（烽火通信）"]
    assert _units(app) == units_before + 7
    assert projects_in(app, YEAR) == 10
    again = upload(api, world.admin, rows[:1])
    assert again.status_code == 422 and "已有" in again.json["fields"]["3"][0]

    flagged = api.get("/units?flagged=true", world.admin).json
    assert [u["name"] for u in flagged] == ["武汉烽火技术服务有 限公司（烽火通信）"]
    assert flagged[0]["similar_to"]["name"] == "武汉烽火技术服务有限公司（烽火通信）"
    merged = api.post(
        f"/units/{flagged[0]['id']}/merge",
        world.admin,
        json={"into": flagged[0]["similar_to"]["id"]},
    )
    assert (
        merged.status_code == 200 and merged.json["name"] == "武汉烽火技术服务有限公司（烽火通信）"
    )
    projects = api.get(f"/projects?year={YEAR}", world.admin).json
    fiber = next(p for p in projects if p["name"] == "5G 专网建设与运维高级研修班")
    assert fiber["host_unit"]["id"] == flagged[0]["similar_to"]["id"]
    assert api.get("/units?flagged=true", world.admin).json == []


def test_a_flagged_name_confirmed_as_its_own_unit(api, world, plan):
    response = api.post(
        f"/plans/{YEAR}/projects",
        world.admin,
        json={
            "name": "作物育种高级研修班",
            "applicant_unit": "华中农业大学",
            "host_unit": "华中农业大学 ",
            "funding": "self",
        },
    )
    # The outer space is trimmed: the same unit, not flagged.
    assert response.status_code == 201 and response.json["host_unit"]["flagged"] is False
    response = api.post(
        f"/plans/{YEAR}/projects",
        world.admin,
        json={
            "name": "地质灾害防治高级研修班",
            "applicant_unit": "中国地质大学(武汉)",
            "host_unit": "中国地质大学(武汉)",
            "funding": "fiscal",
        },
    )
    unit = response.json["host_unit"]
    assert unit["flagged"] is True and unit["similar_to"]["name"] == "中国地质大学（武汉）"
    confirmed = api.post(f"/units/{unit['id']}/confirm", world.admin)
    assert confirmed.status_code == 200 and confirmed.json["flagged"] is False
    assert api.post(f"/units/{unit['id']}/confirm", world.admin).status_code == 409


def test_a_project_one_by_one_names_its_bad_fields(app, api, world, plan):
    response = api.post(
        f"/plans/{YEAR}/projects", world.admin, json={"name": "", "funding": "grant"}
    )
    assert response.status_code == 422
    assert set(response.json["fields"]) == {"name", "applicant_unit", "host_unit", "funding"}
    assert projects_in(app, YEAR) == 0


def test_copying_last_year_then_editing(api, world, plan):
    response = api.post(f"/plans/{YEAR}/copy", world.admin, json={"from_year": 2023})
    assert response.status_code == 201 and response.json["created"] == 10
    assert (
        api.post(f"/plans/{YEAR}/copy", world.admin, json={"from_year": 2023}).json["created"] == 0
    )
    projects = api.get(f"/projects?year={YEAR}", world.admin).json
    assert len(projects) == 10
    first = projects[0]
    edited = api.patch(
        f"/projects/{first['id']}", world.admin, json={"name": "数字技术驱动行业数字化转型（二期）"}
    )
    assert edited.status_code == 200 and edited.json["year"] == YEAR
    assert len(api.get("/projects?year=2023", world.admin).json) == 10


def test_the_template_has_the_columns_of_the_notice(api, world):
    response = api.get("/plans/projects-template.xlsx", world.admin)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [c.value for c in sheet[1]] == ["申报单位", "承办单位", "项目名称", "经费类型"]


def _fiscal_project(api, world) -> dict:
    response = api.post(
        f"/plans/{YEAR}/projects",
        world.admin,
        json={
            "name": "人工智能大模型工程化高级研修班",
            "applicant_unit": "华中科技大学",
            "host_unit": "华中科技大学",
            "funding": "fiscal",
        },
    )
    assert response.status_code == 201
    return response.json


def _class(api, world, project_id, start, end, **more):
    body = {"project_id": project_id, "location": "武汉", "start_date": start, "end_date": end}
    response = api.post("/classes", world.organizer, json={**body, **more})
    assert response.status_code == 201, response.json
    return response.json


def test_a_class_of_the_new_year_reads_its_deadline_norms_and_cap(api, world, plan):
    api.patch(
        f"/plans/{YEAR}",
        world.admin,
        json={"subsidy_cap": "80000.00", "class_size": 60, "report_days": 20},
    )
    project = _fiscal_project(api, world)
    late = _class(api, world, project["id"], "2025-06-29", "2025-07-02")
    assert late["capacity"] == 60
    assert late["warnings"] == [
        "结束日期 2025-07-02 晚于年度计划完成期限 2025-06-30，按规定不予资助"
    ]
    state = api.get(f"/classes/{late['id']}/submission", world.organizer).json
    assert "after_deadline" in [f["code"] for f in state["flags"]]
    assert state["paperwork_due"] == "2025-07-22"
    in_time = _class(api, world, project["id"], "2025-06-01", "2025-06-04", capacity=80)
    assert in_time["warnings"] == []  # 80 is near the year's 60, far from 2023's 40
    state = api.get(f"/classes/{in_time['id']}/submission", world.organizer).json
    assert "after_deadline" not in [f["code"] for f in state["flags"]]

    budget = {
        "items": {
            kind: {"amount": "15000.00", "note": ""}
            for kind in ("lodging", "meals", "venue", "lecture_fees", "materials", "transport")
        }
        | {"other": {"amount": "0.00", "note": ""}},
        "staff_count": 3,
        "subsidy": "85000.00",
        "handler": "赵敏",
    }
    over = api.put(f"/classes/{in_time['id']}/budget", world.organizer, json=budget)
    assert over.status_code == 422
    assert over.json["fields"]["subsidy"] == ["财政资助项目每期资助上限为 80,000.00 元"]
    within = api.put(
        f"/classes/{in_time['id']}/budget", world.organizer, json={**budget, "subsidy": "80000.00"}
    )
    assert within.status_code == 200


def test_the_2023_class_keeps_the_2023_rules(api, world, plan):
    api.patch(f"/plans/{YEAR}", world.admin, json={"class_size": 60, "subsidy_cap": "80000"})
    project = next(
        p
        for p in api.get("/projects?year=2023", world.organizer).json
        if p["name"] == "区块链技术数字化工程师高级研修班"
    )
    old = _class(api, world, project["id"], "2023-10-09", "2023-10-11", capacity=80)
    assert old["warnings"] == [
        "结束日期 2023-10-11 晚于年度计划完成期限 2023-10-10，按规定不予资助",
        "计划招收 80 人，与“学员40人左右”的要求相差较大",
    ]


def test_an_organizer_sees_the_units_projects_of_every_year(api, world, plan):
    _fiscal_project(api, world)
    mine = [
        (p["year"], p["name"])
        for p in api.get("/projects", world.organizer).json
        if p["host_unit"]["name"] == "华中科技大学"
    ]
    assert mine == [
        (2023, "区块链技术数字化工程师高级研修班"),
        (2025, "人工智能大模型工程化高级研修班"),
    ]


def test_a_project_with_classes_cannot_be_deleted(app, api, world, plan):
    project = _fiscal_project(api, world)
    assert api.delete(f"/projects/{project['id']}", world.organizer).status_code == 403
    _class(api, world, project["id"], "2025-06-01", "2025-06-04")
    refused = api.delete(f"/projects/{project['id']}", world.admin)
    assert refused.status_code == 409 and refused.json["error"] == "project_has_classes"
    assert projects_in(app, YEAR) == 1
    empty = api.post(
        f"/plans/{YEAR}/projects",
        world.admin,
        json={
            "name": "空项目",
            "applicant_unit": "武汉市",
            "host_unit": "武汉大学",
            "funding": "self",
        },
    ).json
    assert api.delete(f"/projects/{empty['id']}", world.admin).status_code == 204
    assert api.delete(f"/projects/{empty['id']}", world.admin).status_code == 404
