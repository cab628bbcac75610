"""The province's view of recruitment's reach: each class's roster composition and the
year's, in the year overview (API and page)."""

from tests.conftest import page_log_in
from tests.recruitment.helpers import apply, recruiting_class


def test_the_year_overview_carries_each_rosters_composition_and_the_years(api, client, world):
    class_id = recruiting_class(api, world)
    for number in (1, 2):
        _, answer = apply(api, class_id, number, region="恩施州" if number == 1 else "神农架")
        decided = api.post(
            f"/applications/{answer.json['id']}/decision",
            world.organizer,
            json={"decision": "admit"},
        )
        assert decided.status_code == 200
    overview = api.get("/plans/2023/overview", world.admin).json
    lines = {c["id"]: c["composition"] for c in overview["classes"]}
    assert lines[class_id]["regions"] == {"恩施土家族苗族自治州": 1, "神农架林区": 1}
    assert lines[class_id]["grassroots"] == 2
    assert lines[world.class_id]["regions"] == {"武汉市": 5}  # the imported roster
    year = overview["composition"]
    assert (year["total"], year["regions_covered"], year["grassroots"]) == (7, 3, 2)

    page_log_in(client, "admin")
    page = client.get("/plans/2023").get_data(as_text=True)
    assert "3</span> / 17 个市州有学员（名单 7 人，基层一线 28.6%" in page
    assert "1 个市州 · 基层 0.0%" in page  # the approved class; the new one is a draft


def test_the_roster_export_says_how_the_roster_meets_the_notice(api, world):
    import io

    from openpyxl import load_workbook

    class_id = recruiting_class(api, world)
    for number, fields in ((1, {}), (2, {"title_level": "junior", "grassroots": False})):
        _, answer = apply(api, class_id, number, **fields)
        api.post(
            f"/applications/{answer.json['id']}/decision",
            world.organizer,
            json={"decision": "admit"},
        )
    answer = api.get(f"/classes/{class_id}/exports/roster.xlsx", world.organizer)
    sheet = load_workbook(io.BytesIO(answer.data)).worksheets[0]
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert (
        "共 2 人。其中中高级职称或管理岗位 1 人，基层一线 1 人，原贫困地区 2 人，来自 1 个市州。"
        in text
    )


def _admitted_roster(api, world) -> int:
    """A class of three admitted applicants: two eligible, two at the grassroots, one in a
    formerly poor area, from two divisions."""
    class_id = recruiting_class(api, world)
    people = (
        (1, {}),
        (2, {"title_level": "junior", "poor_area": False, "region": "黄冈市"}),
        (3, {"grassroots": False, "poor_area": False, "region": "黄冈市"}),
    )
    for number, fields in people:
        _, answer = apply(api, class_id, number, **fields)
        decided = api.post(
            f"/applications/{answer.json['id']}/decision",
            world.organizer,
            json={"decision": "admit"},
        )
        assert decided.status_code == 200, decided.json
    return class_id


def test_the_summary_report_says_how_the_roster_meets_the_notice(api, world):
    import io

    from docx import Document

    class_id = _admitted_roster(api, world)
    answer = api.get(f"/classes/{class_id}/exports/report.docx", world.organizer)
    assert answer.status_code == 200
    texts = [p.text for p in Document(io.BytesIO(answer.data)).paragraphs]
    basics = texts[texts.index("一、项目实施基本情况") + 1 : texts.index("二、项目主要特点")]
    at = next(i for i, text in enumerate(basics) if text.startswith("生源构成："))
    assert basics[at - 1].startswith("研修学员：名单3人")  # right under the roster's line
    assert basics[at] == (
        "生源构成：中高级职称或管理岗位 2 人（66.7%），基层一线 2 人（66.7%），"
        "原贫困地区 1 人（33.3%），来自全省 17 个市州中的 2 个"
    )


def test_a_roster_imported_without_title_levels_reports_only_its_divisions(api, world):
    import io

    from docx import Document

    answer = api.get(f"/classes/{world.class_id}/exports/report.docx", world.organizer)
    texts = [p.text for p in Document(io.BytesIO(answer.data)).paragraphs]
    assert "生源构成：来自全省 17 个市州中的 1 个" in texts  # 5 from 武汉市, no title levels


def test_the_year_overview_xlsx_has_each_rosters_composition_and_the_years(api, world):
    import io

    from openpyxl import load_workbook

    class_id = _admitted_roster(api, world)
    answer = api.get("/plans/2023/overview.xlsx", world.admin)
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.data)).active
    header = [c.value for c in sheet[2]]
    columns = ["名单人数", "中高级职称或管理岗位", "基层一线", "原贫困地区", "来自市州数"]
    at = [header.index(name) for name in columns]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    place = header.index("地点")
    by_place = {row[place]: row for row in rows}  # both classes run the same project

    def line(class_id: int) -> list:
        row = by_place[api.get(f"/classes/{class_id}", world.organizer).json["location"]]
        return [row[i] for i in at]

    assert line(class_id) == [3, 2, 2, 1, 2]
    assert line(world.class_id) == [5, None, None, None, 1]  # imported without title levels
    total = next(row for row in rows if row[0] == "全年合计")
    assert [total[i] for i in at] == [8, 2, 2, 1, 3]  # 武汉市, 恩施州, 黄冈市
    assert rows[-1][0] == (
        "全年 2 个研修班，名单共 8 人，其中中高级职称或管理岗位 2 人（25.0%），"
        "基层一线 2 人（25.0%），原贫困地区 1 人（12.5%），来自全省 17 个市州中的 3 个。"
    )
