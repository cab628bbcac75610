"""附件6: the budget's rules (exact money, the subsidy's limits) and its spreadsheet."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from backend.core.timeutil import today_in_china
from backend.exports.models import Budget, BudgetItem
from backend.extensions import db

pytestmark = pytest.mark.usefixtures("plan_open")

KINDS = ["lodging", "meals", "venue", "lecture_fees", "materials", "transport", "other"]


def body(subsidy="100000.00", **amounts):
    values = {
        "lodging": "38000.50",
        "meals": "24000.25",
        "venue": "15000.00",
        "lecture_fees": "32000.00",
        "materials": "4200.10",
        "transport": "6000.00",
        "other": "1000.05",
        **amounts,
    }
    return {
        "items": {kind: {"amount": values[kind], "note": f"{kind}说明"} for kind in KINDS},
        "staff_count": 4,
        "subsidy": subsidy,
        "handler": "赵敏",
    }


TOTAL = "120200.90"  # 38000.50 + 24000.25 + 15000 + 32000 + 4200.10 + 6000 + 1000.05


def stored_nothing(app) -> bool:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(Budget)) == 0 and (
            db.session.scalar(db.select(db.func.count()).select_from(BudgetItem)) == 0
        )


def test_put_budget_computes_the_exact_total(app, api, world):
    response = api.put(f"/classes/{world.class_id}/budget", world.organizer, json=body())
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert answer["total"] == TOTAL
    assert answer["subsidy"] == "100000.00"
    assert answer["items"]["materials"] == {"amount": "4200.10", "note": "materials说明"}
    assert answer["staff_count"] == 4 and answer["handler"] == "赵敏"
    assert api.get(f"/classes/{world.class_id}/budget", world.admin).get_json() == answer
    with app.app_context():
        stored = db.session.get(Budget, world.class_id)
    assert stored.subsidy == Decimal("100000.00") and isinstance(stored.subsidy, Decimal)


def test_a_second_put_replaces_the_budget(app, api, world):
    api.put(f"/classes/{world.class_id}/budget", world.organizer, json=body())
    again = api.put(
        f"/classes/{world.class_id}/budget",
        world.organizer,
        json=body(subsidy="0.00", other="0.00"),
    )
    assert again.status_code == 200
    assert again.get_json()["total"] == "119200.85"
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(BudgetItem)) == 7


def test_the_total_is_never_taken_from_the_client(api, world):
    response = api.put(
        f"/classes/{world.class_id}/budget", world.organizer, json={**body(), "total": "1.00"}
    )
    assert response.status_code == 422
    assert "total" in response.get_json()["fields"]


def test_missing_items_count_as_zero(api, world):
    partial = body()
    partial["items"] = {"venue": {"amount": "500"}}
    response = api.put(
        f"/classes/{world.class_id}/budget", world.organizer, json={**partial, "subsidy": "0"}
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["total"] == "500.00"
    assert response.get_json()["items"]["lodging"] == {"amount": "0.00", "note": ""}


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"subsidy": "125000.01", "lodging": "90000.00"}, "subsidy", "125,000.00"),
        ({"subsidy": "120200.91"}, "subsidy", "不能超过合计"),
        ({"lodging": "100.123"}, "items.lodging.amount", "两位小数"),
        ({"lodging": "-1.00"}, "items.lodging.amount", "负数"),
        ({"lodging": "一万"}, "items.lodging.amount", "应为数字"),
        ({"lodging": 12000.5}, "items.lodging.amount", "文本"),
        ({"subsidy": "1e5"}, "subsidy", "应为数字"),
        ({"subsidy": "123456789012.00"}, "subsidy", "过大"),
    ],
)
def test_bad_budgets_are_refused_and_nothing_is_stored(app, api, world, change, field, words):
    subsidy = change.pop("subsidy", "100000.00")
    response = api.put(
        f"/classes/{world.class_id}/budget", world.organizer, json=body(subsidy=subsidy, **change)
    )
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["error"] == "validation_failed"
    assert any(words in message for message in problem["fields"][field]), problem
    assert stored_nothing(app)


def test_the_fiscal_cap_itself_is_allowed(api, world):
    response = api.put(
        f"/classes/{world.class_id}/budget",
        world.organizer,
        json=body(subsidy="125000.00", lodging="90000.00"),
    )
    assert response.status_code == 200, response.get_json()


def _self_funded_class(api, world) -> int:
    projects = api.get("/projects?year=2023", world.other_organizer).get_json()
    project = next(p for p in projects if p["host_unit"]["name"] == "武汉大学")
    assert project["funding"] == "self"
    today = today_in_china()
    created = api.post(
        "/classes",
        world.other_organizer,
        json={
            "project_id": project["id"],
            "location": "武汉大学",
            "mode": "offline",
            "start_date": (today - timedelta(days=3)).isoformat(),
            "end_date": today.isoformat(),
        },
    )
    assert created.status_code == 201, created.get_json()
    return created.get_json()["id"]


def test_a_self_funded_class_asks_no_subsidy(app, api, world):
    class_id = _self_funded_class(api, world)
    refused = api.put(f"/classes/{class_id}/budget", world.other_organizer, json=body())
    assert refused.status_code == 422
    assert "自筹经费" in refused.get_json()["message"]
    assert stored_nothing(app)
    accepted = api.put(f"/classes/{class_id}/budget", world.other_organizer, json=body("0.00"))
    assert accepted.status_code == 200


def test_budget_xlsx_is_laid_out_like_the_form(api, world):
    api.put(f"/classes/{world.class_id}/budget", world.organizer, json=body())
    response = api.get(f"/classes/{world.class_id}/exports/budget.xlsx", world.organizer)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet["A1"].value == "湖北省专业技术人员知识更新工程2023年高级研修项目经费决算表"
    assert sheet["A2"].value == "填报单位：华中科技大学"
    assert sheet["D2"].value.startswith("填报时间：")
    assert (sheet["A3"].value, sheet["B3"].value, sheet["D3"].value, sheet["E3"].value) == (
        "名称",
        "区块链技术数字化工程师高级研修班",
        "地点",
        "华中科技大学",
    )
    assert sheet["A4"].value == "办班时间" and "（4天）" in sheet["B4"].value
    assert [c.value for c in sheet[5]] == ["研修人数", 5, "工作人员", 4, "总计", 9]
    assert sheet["A6"].value == "项目资金决算"
    assert (sheet["A7"].value, sheet["C7"].value, sheet["E7"].value) == (
        "项目",
        "金额（元）",
        "备注",
    )
    labels = [sheet.cell(r, 1).value for r in range(8, 15)]
    assert labels == ["住宿费", "伙食费", "场地费", "讲课费", "资料费", "交通费", "其他"]
    amounts = [sheet.cell(r, 3) for r in range(8, 17)]
    assert [Decimal(str(c.value)) for c in amounts] == [
        Decimal(v)
        for v in (
            "38000.5",
            "24000.25",
            "15000",
            "32000",
            "4200.1",
            "6000",
            "1000.05",
            TOTAL,
            "100000",
        )
    ]
    assert all(c.number_format == "#,##0.00" and c.data_type == "n" for c in amounts)
    assert sheet["A15"].value == "合计" and sheet["A16"].value == "人社部门资助金额"
    # The unit's own share: 合计 − the subsidy.
    assert sheet["A17"].value == "承办单位配套金额"
    assert Decimal(str(sheet["C17"].value)) == Decimal(TOTAL) - 100000
    assert sheet["E8"].value == "lodging说明"
    assert [sheet.cell(r, 1).value for r in range(18, 22)] == [
        "会议组织",
        "申报单位",
        "承办单位",
        "审批情况",
    ]
    assert sheet["C20"].value == "华中科技大学" and "审核通过" in sheet["C21"].value
    assert [sheet.cell(22, c).value for c in (1, 3, 5)] == [
        "经办人：赵敏",
        "承办单位财务部门签章",
        "申报单位签章",
    ]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:F1", "A6:F6", "C8:D8", "A15:B15", "C22:D22"} <= merged
    assert sheet["C8"].alignment.indent == 1  # amounts padded from the border


def test_budget_xlsx_before_any_budget_is_a_blank_form(api, world):
    response = api.get(f"/classes/{world.class_id}/exports/budget.xlsx", world.admin)
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet["A8"].value == "住宿费" and sheet["C8"].value is None
    assert api.get(f"/classes/{world.class_id}/budget", world.admin).status_code == 404


def _deadline(app, day) -> None:
    with app.app_context():
        from backend.plans.models import PlanYear

        db.session.get(PlanYear, 2023).deadline = day
        db.session.commit()


def test_a_fiscal_class_held_after_its_plans_deadline_takes_no_subsidy(app, api, world):
    _deadline(app, date(2023, 10, 10))  # the notice's own date; world's class is held today
    path = f"/classes/{world.class_id}/budget"
    response = api.put(path, world.organizer, json=body())
    assert response.status_code == 422
    [message] = response.get_json()["fields"]["subsidy"]
    assert "晚于2023年计划完成期限2023年10月10日" in message and "不再予以资助" in message
    assert stored_nothing(app)
    # The same budget without a subsidy is accepted: the unit pays all of it.
    assert api.put(path, world.organizer, json=body(subsidy="0.00")).status_code == 200


def test_the_cap_is_the_plan_years_own(app, api, world):
    from backend.plans.models import PlanYear

    with app.app_context():
        db.session.get(PlanYear, 2023).subsidy_cap = Decimal("80000.00")
        db.session.commit()
    path = f"/classes/{world.class_id}/budget"
    response = api.put(path, world.organizer, json=body(subsidy="80000.01"))
    assert response.status_code == 422
    assert "上限为 80,000.00 元" in response.get_json()["fields"]["subsidy"][0]
    assert api.put(path, world.organizer, json=body(subsidy="80000.00")).status_code == 200
