"""附件5: roster.xlsx and roster.csv opened and read cell by cell."""

import csv
import io

from openpyxl import load_workbook

from tests.exports.conftest import TRAINEES


def _sheets(response):
    assert response.status_code == 200, response.get_json()
    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["研修人员名单", "研修人员出勤记录"]
    return workbook.worksheets


def test_roster_xlsx_has_the_forms_title_header_and_attendance(api, world, paper):
    people, attendance = _sheets(
        api.get(f"/classes/{paper.class_id}/exports/roster.xlsx", world.organizer)
    )
    assert people["A1"].value == "专业技术人员知识更新工程高级研修项目研修人员名单"
    assert "A1:J1" in {str(r) for r in people.merged_cells.ranges}
    assert "区块链技术数字化工程师高级研修班" in people["A2"].value
    assert "承办单位：华中科技大学" in people["A2"].value
    header = [c.value for c in people[3]]
    assert header == [
        "序号",
        "姓名",
        "性别",
        "工作单位",
        "职务",
        "职称",
        "地区",
        "联系电话",
        "参训方式",
        "出勤次数（共3次）",
    ]
    rows = [[c.value for c in row] for row in people.iter_rows(min_row=4, max_row=8)]
    assert rows[0] == [
        1,
        "张伟",
        "男",
        "恩施州中心医院",
        "科长",
        "高级工程师",
        "恩施土家族苗族自治州",  # imported as 恩施州
        "13900000001",
        "线下",
        3,
    ]
    assert [r[9] for r in rows] == [3, 2, 2, 0, 1]
    # A name that looks like a formula stays text.
    assert rows[4][1] == "=1+1" and people["B8"].data_type == "s"
    assert rows[4][3] == "@SUM(A1)"
    assert people.print_title_rows == "$1:$3"
    assert people.page_setup.paperSize == 9 and people.page_setup.orientation == "landscape"
    # The attendance sheet: the legend, a short header per session, a mark per trainee.
    assert attendance["A3"].value.startswith("图例：✓ 按时签到（扫码）　迟 迟到　线 线上参训")
    assert "线迟 线上迟到" in attendance["A3"].value and "假 请假" in attendance["A3"].value
    assert "* 组织方更正（补签）" in attendance["A3"].value
    first = paper.start
    assert attendance["C4"].value == f"1\n{first.month}/{first.day}\n09:00"
    assert attendance["F4"].value == "合计"
    marks = [[c.value for c in row] for row in attendance.iter_rows(min_row=5, max_row=9)]
    assert marks == [
        [1, "张伟", "✓", "✓", "✓", 3],
        [2, "李娜", "迟", "×", "✓", 2],
        [3, "王芳", "线", "线", "×", 2],
        [4, "刘洋", "×", "×", "×", 0],
        [5, "=1+1", "✓", "×", "×", 1],
    ]
    footer = [c.value for c in attendance[10]]
    assert footer[0] == "出勤人数" and footer[2:] == [4, 2, 2, 8]
    assert attendance["A12"].value == "课程对照："
    assert attendance["A13"].value.startswith("1. ") and "区块链技术概论" in attendance["A13"].value
    assert attendance.print_title_rows == "$1:$4"


def test_late_online_excused_and_corrected_marks():
    from backend.enrollment.models import AttendanceMode
    from backend.exports.roster import Attendance, mark_of, state_of

    online, onsite = AttendanceMode.ONLINE, AttendanceMode.ONSITE
    assert state_of(Attendance(True, online, False), held=True) == "late_online"
    assert mark_of(state_of(Attendance(True, online, False), True)) == "线迟"
    assert mark_of(state_of(Attendance(True, onsite, True), True), manual=True) == "迟*"
    assert mark_of(state_of(None, held=True)) == "×"
    assert mark_of(state_of(None, held=False)) == ""
    assert mark_of("excused") == "假"


def test_roster_xlsx_leaves_a_session_not_yet_over_blank(api, world):
    _people, attendance = _sheets(
        api.get(f"/classes/{world.class_id}/exports/roster.xlsx", world.organizer)
    )
    marks = [c.value for c in attendance[5]][2:6]
    # world's first session is running now, the others are later: none is × yet.
    assert marks == [None, None, None, None]


def test_roster_phones_in_full_for_the_organizer_masked_for_the_admin(api, world, paper):
    sheet = _sheets(api.get(f"/classes/{paper.class_id}/exports/roster.xlsx", world.admin))[0]
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
        "恩施土家族苗族自治州",  # imported as 恩施州
        "13900000001",
        "线下",
        "✓",
        "✓",
        "✓",
        "3",
    ]
    assert rows[2][9:] == ["迟", "×", "✓", "2"]
    # Formula-like text is defused for spreadsheets.
    assert rows[5][1] == "'=1+1" and rows[5][3] == "'@SUM(A1)"
