"""附件3: the tally spreadsheet holds the stats endpoint's numbers, laid out like the form.
Answers are given through the API by trainees who bound their WeChat account."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.conftest import start_all_sessions, trainee_token
from tests.exports.conftest import TRAINEES

#: Per respondent: session 1, 2, 3, faculty overall, teaching (content, level, mode,
#: overall), service (organization, logistics, service, overall), satisfaction, suggestion.
E, G, F, P = "excellent", "good", "fair", "poor"
ANSWERS = [
    ([E, E, E], E, [E, E, G, E], [E, G, E, E], E, "多安排现场教学"),
    ([E, G, G], G, [G, E, G, G], [E, F, G, G], E, ""),
    ([G, F, E], E, [E, F, G, E], [G, P, G, G], G, "希望提供课件\n下载"),
    ([F, G, P], G, [G, G, F, G], [E, G, F, G], F, "  "),
]
#: Trainees (roster order) who attended and answer: 张伟, 李娜, 王芳, "=1+1".
RESPONDENTS = [0, 1, 2, 4]


def body(session_ids, answer) -> dict:
    lectures, overall, teaching, service, satisfaction, suggestion = answer
    return {
        "lectures": {str(s): level for s, level in zip(session_ids, lectures, strict=True)},
        "faculty_overall": overall,
        "teaching": dict(zip(("content", "level", "mode", "overall"), teaching, strict=True)),
        "service": dict(
            zip(("organization", "logistics", "service", "overall"), service, strict=True)
        ),
        "satisfaction": satisfaction,
        "suggestions": suggestion,
    }


@pytest.fixture
def answered(app, api, world, paper):
    start_all_sessions(app, paper.class_id)
    response = api.post(f"/classes/{paper.class_id}/survey/open", world.organizer)
    assert response.status_code == 200, response.get_json()
    for index, answer in zip(RESPONDENTS, ANSWERS, strict=True):
        trainee = TRAINEES[index]
        token = trainee_token(api, f"paper{index}")
        bound = api.post(
            "/me/enrollments",
            token,
            json={"class_id": paper.class_id, "name": trainee["name"], "phone": trainee["phone"]},
        )
        assert bound.status_code == 200, bound.get_json()
        sent = api.post(
            f"/classes/{paper.class_id}/survey/responses",
            token,
            json=body(paper.session_ids, answer),
        )
        assert sent.status_code == 201, sent.get_json()
    closed = api.post(f"/classes/{paper.class_id}/survey/close", world.organizer)
    assert closed.status_code == 200  # every form shown (fewer than 2 batches: all at closing)
    return paper


def rate_cells(sheet, row: int) -> list[Decimal]:
    """The four rate cells of a row, back in percent (0.555 → 55.5)."""
    cells = [sheet.cell(row, column) for column in range(4, 8)]
    assert all(c.number_format == "0.0%" and c.data_type == "n" for c in cells)
    return [(Decimal(str(c.value)) * 100).quantize(Decimal("0.1")) for c in cells]


def json_rates(row: dict) -> list[Decimal]:
    return [Decimal(str(row["rates"][level])) for level in (E, G, F, P)]


def test_tally_xlsx_has_the_stats_numbers_in_the_forms_layout(api, world, answered):
    stats = api.get(f"/classes/{answered.class_id}/survey/stats", world.organizer).get_json()
    assert (stats["enrolled"], stats["issued"], stats["returned"]) == (5, 4, 4)
    response = api.get(f"/classes/{answered.class_id}/exports/tally.xlsx", world.organizer)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    merged = {str(r) for r in sheet.merged_cells.ranges}

    assert sheet["A1"].value == "专业技术人员知识更新工程高级研修项目学员满意度测评统计表"
    assert sheet["A3"].value == "本期研修学员 5 人，实际发放 4 份，收回 4 份。"
    assert sheet["E3"].value == "承办单位（印章）：华中科技大学"
    assert {"A1:G1", "A4:A5", "B4:C4", "D4:G4"} <= merged
    assert sheet["D4"].value == "统计结果"
    assert [sheet.cell(5, c).value for c in range(2, 8)] == [
        "授课项目",
        "授课人",
        "优秀率",
        "良好率",
        "一般率",
        "较差率",
    ]

    rows = {row["key"]: row for row in stats["rows"]}
    # 师资评价: one row per session, the block merged down column A, no 综合评价 row.
    assert sheet["A6"].value == "师资评价" and "A6:A8" in merged
    for offset, session_id in enumerate(answered.session_ids):
        row = rows[f"session:{session_id}"]
        assert (sheet.cell(6 + offset, 2).value, sheet.cell(6 + offset, 3).value) == (
            row["topic"],
            row["lecturer"],
        )
        assert rate_cells(sheet, 6 + offset) == json_rates(row)
    assert sheet["B6"].value == "区块链技术概论" and sheet["C7"].value == "陈静"
    assert rate_cells(sheet, 6) == [
        Decimal("50.0"),
        Decimal("25.0"),
        Decimal("25.0"),
        Decimal("0.0"),
    ]
    # 教学评价 and 服务管理评价: three items each, merged over 授课项目 and 授课人.
    layout = {
        9: ("教学评价", "教学内容", "content"),
        10: (None, "教学水平", "level"),
        11: (None, "教学模式", "mode"),
        12: ("服务管理评价", "组织管理", "organization"),
        13: (None, "后勤保障", "logistics"),
        14: (None, "服务水平", "service"),
    }
    for row_number, (section, label, key) in layout.items():
        assert sheet.cell(row_number, 1).value == section
        assert sheet.cell(row_number, 2).value == label and f"B{row_number}:C{row_number}" in merged
        assert rate_cells(sheet, row_number) == json_rates(rows[key])
    assert {"A9:A11", "A12:A14", "A15:C15"} <= merged
    assert rate_cells(sheet, 13) == [
        Decimal("0.0"),
        Decimal("50.0"),
        Decimal("25.0"),
        Decimal("25.0"),
    ]
    assert sheet["A15"].value == "学员满意度评价"
    assert rate_cells(sheet, 15) == json_rates(rows["satisfaction"])
    # 意见与建议: the non-empty suggestions, one per row, then the date filled.
    assert sheet["A16"].value == "意见与建议（共 2 条）" and "A16:G16" in merged
    # In the stats' order (random ids: no time order, so no one can match a form to a time).
    listed = [sheet["A17"].value, sheet["A18"].value]
    assert listed == [f"{i}. {text}" for i, text in enumerate(stats["suggestions"], start=1)]
    assert sorted(stats["suggestions"]) == sorted(["多安排现场教学", "希望提供课件\n下载"])
    assert (
        sheet["A19"].value
        == "注：各项比率为该等级份数占收回份数的比率。因四舍五入，各项比率之和可能不等于100%。"
    )
    assert sheet["A21"].value.startswith("填报时间：")
    assert sheet.print_title_rows == "$4:$5"


def test_tally_of_a_class_without_answers_is_all_zero(api, world, paper):
    response = api.get(f"/classes/{paper.class_id}/exports/tally.xlsx", world.admin)
    sheet = load_workbook(io.BytesIO(response.data)).active
    # the survey was never opened: no form issued yet
    assert sheet["A3"].value == "本期研修学员 5 人，实际发放 0 份，收回 0 份。"
    assert rate_cells(sheet, 6) == [Decimal("0.0")] * 4
    assert sheet["A16"].value == "意见与建议" and sheet["A17"].value == "无"
