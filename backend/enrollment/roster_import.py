"""Reading a roster (JSON rows or an .xlsx upload) all or nothing.

Every bad row is reported under its row number (1 = the first data row), in Chinese,
and nothing is added unless every row is good.
"""

import io
from typing import Any

from marshmallow import ValidationError
from openpyxl import Workbook, load_workbook

from backend.core.errors import validation_failed
from backend.core.files import check_xlsx
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
}
TEMPLATE_HEADERS = ["姓名", "性别", "手机", "工作单位", "职务", "职称", "地区", "参训方式"]
FIELD_LABELS = {
    "name": "姓名",
    "phone": "手机",
    "gender": "性别",
    "employer": "工作单位",
    "post": "职务",
    "professional_title": "职称",
    "region": "地区",
    "attendance_mode": "参训方式",
}
MODE_WORDS = {"线下": "onsite", "现场": "onsite", "线上": "online", "": "onsite"}
#: An .xlsx that inflates beyond this is refused (a zip bomb in disguise).
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 10_000

_row_schema = RosterRowSchema()


def _row_messages(messages: dict[str, Any]) -> list[str]:
    return [
        f"{FIELD_LABELS.get(name, name)}：{'；'.join(map(str, problems))}"
        for name, problems in messages.items()
    ]


def validate_rows(
    rows: list[dict[str, Any]], existing_phones: set[str], online_allowed: bool
) -> list[dict[str, Any]]:
    """The cleaned rows, or 422 naming every bad row."""
    if len(rows) > MAX_ROWS:
        raise validation_failed({"file": [f"一次最多导入 {MAX_ROWS} 人"]})
    cleaned, problems, seen = [], {}, {}
    for number, raw in enumerate(rows, start=1):
        try:
            row = _row_schema.load(raw)
        except ValidationError as error:
            problems[str(number)] = _row_messages(error.messages)
            continue
        row_problems = []
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
    return cleaned


def _cell_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, int | str) else str(value)


def rows_from_xlsx(data: bytes) -> list[dict[str, Any]]:
    """The data rows of the first sheet, keyed by field; blank rows skipped."""
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
    for line in lines:
        if line is None or all(v is None or str(v).strip() == "" for v in line):
            continue
        row = {field: _cell_text(line[i]) for i, field in columns.items() if i < len(line)}
        if "attendance_mode" in row:
            mode = str(row["attendance_mode"]).strip()
            row["attendance_mode"] = MODE_WORDS.get(mode, mode)
        rows.append(row)
        if len(rows) > MAX_ROWS:
            break
    workbook.close()
    return rows


def template_xlsx() -> bytes:
    """The import template, with one example row."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "研修人员名单"
    sheet.append(TEMPLATE_HEADERS)
    sheet.append(["张三", "男", "13900000001", "某某单位", "科长", "高级工程师", "恩施州", "线下"])
    for column, width in zip("ABCDEFGH", (10, 6, 14, 28, 12, 14, 10, 10), strict=True):
        sheet.column_dimensions[column].width = width
    for cell in sheet["C"]:
        cell.number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
