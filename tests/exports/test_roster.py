"""附件5: roster.xlsx and roster.csv opened and read cell by cell."""

import csv
import io

from openpyxl import load_workbook

from tests.exports.conftest import TRAINEES


def _xlsx(response):
    assert response.status_code == 200, response.get_json()
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return load_workbook(io.BytesIO(response.data)).active


def test_roster_xlsx_has_the_forms_title_header_and_attendance(api, world, paper):
    sheet = _xlsx(api.get(f"/classes/{paper.class_id}/exports/roster.xlsx", world.organizer))
    assert sheet["A1"].value == "专业技术人员知识更新工程高级研修项目研修人员名单"
    assert "A1:M1" in {str(r) for r in sheet.merged_cells.ranges}
    assert "区块链技术数字化工程师高级研修班" in sheet["A2"].value
    assert "承办单位：华中科技大学" in sheet["A2"].value
    header = [c.value for c in sheet[3]]
    assert header[:9] == [
        "序号",
        "姓名",
        "性别",
        "工作单位",
        "职务",
        "职称",
        "地区",
        "联系电话",
        "参训方式",
    ]
    first = paper.start
    assert header[9] == f"{first.month}月{first.day}日 09:00\n区块链技术概论\n王建国"
    assert header[10].endswith("\n智能合约开发实践\n陈静")
    assert header[12] == "出勤合计（共3次）"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4, max_row=8)]
    assert rows[0] == [
        1,
        "张伟",
        "男",
        "恩施州中心医院",
        "科长",
        "高级工程师",
        "恩施州",
        "13900000001",
        "线下",
        "✓",
        "✓",
        "✓",
        3,
    ]
    assert rows[1][1] == "李娜" and rows[1][9:] == ["迟到", "缺席", "✓", 2]
    assert rows[2][8:] == ["线上", "线上", "线上", "缺席", 2]
    assert rows[3][9:] == ["缺席", "缺席", "缺席", 0]
    # A name that looks like a formula stays text.
    assert rows[4][1] == "=1+1" and sheet["B8"].data_type == "s"
    assert rows[4][3] == "@SUM(A1)"
    footer = [c.value for c in sheet[9]]
    assert footer[0] == "出勤人数" and footer[9:] == [4, 2, 2, 8]
    assert sheet.print_title_rows == "$1:$3"


def test_roster_xlsx_leaves_a_session_not_yet_over_blank(api, world):
    sheet = _xlsx(api.get(f"/classes/{world.class_id}/exports/roster.xlsx", world.organizer))
    marks = [c.value for c in sheet[4]][9:13]
    # world's first session is running now, the others are later: none is 缺席 yet.
    assert marks == [None, None, None, None]


def test_roster_phones_in_full_for_the_organizer_masked_for_the_admin(api, world, paper):
    sheet = _xlsx(api.get(f"/classes/{paper.class_id}/exports/roster.xlsx", world.admin))
    assert sheet["H4"].value == "139****0001"


def test_roster_csv_is_utf8_with_bom_and_the_same_table(api, world, paper):
    response = api.get(f"/classes/{paper.class_id}/exports/roster.csv", world.organizer)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:9] == [
        "序号",
        "姓名",
        "性别",
        "工作单位",
        "职务",
        "职称",
        "地区",
        "联系电话",
        "参训方式",
    ]
    assert rows[0][10].endswith("智能合约开发实践 陈静")
    assert len(rows) == 1 + len(TRAINEES)
    assert rows[1] == [
        "1",
        "张伟",
        "男",
        "恩施州中心医院",
        "科长",
        "高级工程师",
        "恩施州",
        "13900000001",
        "线下",
        "✓",
        "✓",
        "✓",
        "3",
    ]
    assert rows[2][9:] == ["迟到", "缺席", "✓", "2"]
    # Formula-like text is defused for spreadsheets.
    assert rows[5][1] == "'=1+1" and rows[5][3] == "'@SUM(A1)"
