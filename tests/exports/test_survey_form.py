"""附件2: the blank form, printable, with the class's sessions and lecturers."""

import io

from openpyxl import load_workbook


def test_blank_form_lists_the_sessions_and_every_item_of_the_form(api, world, paper):
    response = api.get(f"/classes/{paper.class_id}/exports/survey-form.xlsx", world.organizer)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet["A1"].value == "专业技术人员知识更新工程高级研修项目学员满意度测评表"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A4:A5", "B4:C4", "D4:G4"} <= merged
    assert [c.value for c in sheet[5]][1:] == ["授课项目", "授课人", "优秀", "良好", "一般", "较差"]
    lectures = [(sheet.cell(r, 2).value, sheet.cell(r, 3).value) for r in range(6, 9)]
    assert lectures == [
        ("区块链技术概论", "王建国"),
        ("智能合约开发实践", "陈静"),
        ("数字化转型案例", "王建国"),
    ]
    assert sheet["B9"].value == "综合评价" and "B9:C9" in merged
    assert sheet["A6"].value == "师资评价" and "A6:A9" in merged
    assert sheet["A10"].value == "教学评价" and "A10:A13" in merged
    assert [sheet.cell(r, 2).value for r in range(10, 14)] == [
        "教学内容",
        "教学水平",
        "教学模式",
        "综合评价",
    ]
    assert sheet["A14"].value == "服务管理评价" and "A14:A17" in merged
    assert [sheet.cell(r, 2).value for r in range(14, 18)] == [
        "组织管理",
        "后勤保障",
        "服务水平",
        "综合评价",
    ]
    assert sheet["A18"].value == "学员满意度评价" and "A18:C18" in merged
    assert sheet["A19"].value == "意见与建议" and "B19:G23" in merged
    assert sheet["A25"].value.startswith("填报时间：")
    # Every rating box is empty, for the trainee's tick.
    assert all(sheet.cell(r, c).value is None for r in range(6, 19) for c in range(4, 8))
    # Printable: A4, fit to one page wide, header rows repeated.
    assert sheet.page_setup.paperSize == 9  # A4
    # One page (fitToWidth and fitToHeight 1 are the file format's default, left out).
    assert sheet.page_setup.fitToWidth in (1, None) and sheet.page_setup.fitToHeight in (1, None)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$4:$5"
