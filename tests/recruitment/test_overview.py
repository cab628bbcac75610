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
