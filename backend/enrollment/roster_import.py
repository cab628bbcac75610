"""Reading a roster (JSON rows or an .xlsx upload) all or nothing.

Every bad row is reported under its number, in Chinese, sorted by it, and nothing is added
unless every row is good. JSON rows are numbered from 1 (the first item); .xlsx rows by
Excel's own row number, as the organizer sees it on screen. In an .xlsx, a phone already on
this class's roster is skipped and reported (re-uploading a corrected file adds only the
new people); in JSON it stays a bad row.
"""

import io
from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from backend.core.errors import validation_failed
from backend.core.files import check_xlsx
from backend.enrollment.models import AttendanceMode, TitleLevel
from backend.enrollment.schemas import RosterRowSchema

#: Column header of the template → field. 联系电话 is accepted for 手机.
HEADERS = {
    "姓名": "name",
    "性别": "gender",
    "手机": "phone",
    "联系电话": "phone",
    "工作单位": "employer",
    "职务": "post",
    "职称": "professional_title",
    "地区": "region",
    "参训方式": "attendance_mode",
    "职称级别": "title_level",
    "管理岗位": "management_post",
    "县（市、区）": "county",
    "县市区": "county",
    "基层一线": "grassroots",
    "原贫困地区": "poor_area",
}
TEMPLATE_HEADERS = [
    "姓名",
    "性别",
    "手机",
    "工作单位",
    "职务",
    "职称",
    "地区",
    "参训方式",
    "职称级别",
    "管理岗位",
    "县（市、区）",
    "基层一线",
    "原贫困地区",
]
TEMPLATE_WIDTHS = (10, 6, 14, 28, 12, 14, 12, 10, 10, 10, 14, 10, 12)
FIELD_LABELS = {
    "name": "姓名",
    "phone": "手机",
    "gender": "性别",
    "employer": "工作单位",
    "post": "职务",
    "professional_title": "职称",
    "region": "地区",
    "attendance_mode": "参训方式",
    "title_level": "职称级别",
    "management_post": "管理岗位",
    "county": "县（市、区）",
    "grassroots": "基层一线",
    "poor_area": "原贫困地区",
}
#: The template's fixed choices (data-validation dropdowns).
CHOICES = {
    "性别": ["男", "女"],
    "参训方式": [mode.label for mode in AttendanceMode],
    "职称级别": ["正高", "副高", TitleLevel.INTERMEDIATE.label, TitleLevel.JUNIOR.label, "无"],
    "管理岗位": ["是", "否"],
    "基层一线": ["是", "否"],
    "原贫困地区": ["是", "否"],
}
INSTRUCTIONS = [
    "填写说明",
    "1. 在“研修人员名单”表中从第 2 行起每行填写一名学员，不要修改第 1 行的列名。",
    "2. 姓名、手机为必填；手机为 11 位中国大陆手机号码。",
    "3. 性别选填“男”或“女”；参训方式选填“线下”或“线上”（不填视为线下；线下班不能选线上）。",
    "4. 地区填写湖北省 17 个市州之一，如“武汉市”“恩施州”“神农架林区”，可不填。",
    "5. 职称级别选填 正高、副高、中级、初级、无；管理岗位、基层一线、原贫困地区选填“是”或“否”（不填视为否）。",
    "6. 有错误时不会导入任何学员，错误信息按 Excel 行号列出，改正后重新上传即可。",
    "7. 重新上传时，手机号已在本班名单中的学员会被跳过并列出，只添加新学员。",
    "8. 本表（填写说明）不会被导入。",
]
#: An .xlsx that inflates beyond this is refused (a zip bomb in disguise).
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 10_000

_row_schema = RosterRowSchema()


def _row_messages(messages: dict[str, Any]) -> list[str]:
    return [
        f"{FIELD_LABELS.get(name, name)}：{'；'.join(map(str, problems))}"
        for name, problems in messages.items()
    ]


@dataclass(frozen=True)
class Checked:
    """Rows to add, and rows skipped because their phone is already on the roster."""

    rows: list[dict[str, Any]]
    skipped: list[dict[str, Any]]


def validate_rows(
    rows: list[tuple[int, dict[str, Any]]],
    existing_phones: set[str],
    online_allowed: bool,
    skip_existing: bool = False,
) -> Checked:
    """The cleaned rows, or 422 naming every bad row by its number, in order."""
    if len(rows) > MAX_ROWS:
        raise validation_failed({"file": [f"一次最多导入 {MAX_ROWS} 人"]})
    cleaned, skipped, problems, seen = [], [], {}, {}
    for number, raw in sorted(rows, key=lambda numbered: numbered[0]):
        try:
            row = _row_schema.load(raw)
        except ValidationError as error:
            problems[str(number)] = _row_messages(error.messages)
            continue
        row_problems = []
        if row["phone"] in existing_phones and skip_existing:
            skipped.append(
                {
                    "row": number,
                    "name": row["name"],
                    "phone": row["phone"],
                    "reason": "已在本班名单中",
                }
            )
            continue
        if row["phone"] in existing_phones:
            row_problems.append(f"手机：{row['phone']} 已在本班名单中")
        elif row["phone"] in seen:
            row_problems.append(f"手机：与第 {seen[row['phone']]} 行重复")
        seen.setdefault(row["phone"], number)
        if row["attendance_mode"] == "online" and not online_allowed:
            row_problems.append("参训方式：本班为线下班，不能线上参训")
        if row_problems:
            problems[str(number)] = row_problems
        cleaned.append(row)
    if not rows:
        raise validation_failed({"_schema": ["名单为空"]})
    if problems:
        raise validation_failed(problems, f"有 {len(problems)} 行数据有误，未导入任何学员")
    return Checked(cleaned, skipped)


def _cell_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, int | str) else str(value)


def rows_from_xlsx(data: bytes) -> list[tuple[int, dict[str, Any]]]:
    """The data rows of the first sheet with Excel's row numbers; blank rows skipped."""
    check_xlsx(data, MAX_UNPACKED_BYTES)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise validation_failed({"file": ["无法读取该 .xlsx 文件"]}) from error
    sheet = workbook.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(lines, ())]
    columns = {i: HEADERS[h] for i, h in enumerate(header) if h in HEADERS}
    missing = [FIELD_LABELS[f] for f in ("name", "phone") if f not in columns.values()]
    if missing:
        raise validation_failed({"file": [f"缺少列：{'、'.join(missing)}（请使用导入模板）"]})
    rows = []
    for number, line in enumerate(lines, start=2):
        if line is None or all(v is None or str(v).strip() == "" for v in line):
            continue
        row = {field: _cell_text(line[i]) for i, field in columns.items() if i < len(line)}
        rows.append((number, row))
        if len(rows) > MAX_ROWS:
            break
    workbook.close()
    return rows


def template_xlsx() -> bytes:
    """The import template: an empty roster sheet with dropdowns, and the instructions on a
    sheet of their own (never imported: only the first sheet is read)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "研修人员名单"
    sheet.append(TEMPLATE_HEADERS)
    sheet.freeze_panes = "A2"
    for index, header in enumerate(TEMPLATE_HEADERS):
        letter = get_column_letter(index + 1)
        sheet.column_dimensions[letter].width = TEMPLATE_WIDTHS[index]
        if header == "手机":  # text, so that Excel keeps all 11 digits
            sheet.column_dimensions[letter].number_format = "@"
        if header in CHOICES:
            choice = DataValidation(
                type="list",
                formula1='"' + ",".join(CHOICES[header]) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=f"{header}有误",
                error=f"请选择：{'、'.join(CHOICES[header])}",
            )
            choice.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
            sheet.add_data_validation(choice)
    notes = workbook.create_sheet("填写说明")
    for line in INSTRUCTIONS:
        notes.append([line])
    notes.column_dimensions["A"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
