"""Reading a year's 附件1 (an .xlsx with the notice's columns) and its template.

The header row is the first row that names 项目名称 (the notice's table may have a title above
it); every bad row is reported under the row number Excel shows, and nothing is imported
unless every row is good.
"""

import io
from typing import Any

from flask import request
from marshmallow import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.datavalidation import DataValidation

from backend.core.errors import validation_failed
from backend.core.files import check_xlsx
from backend.enrollment.roster_import import MAX_UNPACKED_BYTES, _cell_text
from backend.plans.schemas import FUNDING_WORDS, ProjectInputSchema

#: Column header of 附件1 → field.
HEADERS = {
    "申报单位": "applicant_unit",
    "承办单位": "host_unit",
    "项目名称": "name",
    "经费类型": "funding",
}
FIELD_LABELS = {field: header for header, field in HEADERS.items()}
#: Rows above the header that may hold the sheet's title.
HEADER_SEARCH_ROWS = 10
MAX_ROWS = 1000

_row_schema = ProjectInputSchema()


def _header_row(lines: list[tuple]) -> tuple[int, dict[int, str]]:
    """The index of the header row and its columns; 422 when a column is missing."""
    for index, line in enumerate(lines[:HEADER_SEARCH_ROWS]):
        header = ["".join(str(h).split()) if h is not None else "" for h in line]
        if "项目名称" in header:
            columns = {i: HEADERS[h] for i, h in enumerate(header) if h in HEADERS}
            missing = [h for h, f in HEADERS.items() if f not in columns.values()]
            if missing:
                break
            return index, columns
    raise validation_failed(
        {"file": [f"缺少列：{'、'.join(HEADERS)} 中的某些列（请使用导入模板）"]}
    )


def _row_messages(messages: dict[str, Any]) -> list[str]:
    return [
        f"{FIELD_LABELS.get(name, name)}：{'；'.join(map(str, problems))}"
        for name, problems in messages.items()
    ]


def rows_from_xlsx(data: bytes) -> dict[int, dict[str, Any]]:
    """The validated data rows of the first sheet keyed by Excel's row number, or 422 naming
    every bad row (blank rows are skipped)."""
    check_xlsx(data, MAX_UNPACKED_BYTES)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        lines = list(workbook.worksheets[0].iter_rows(values_only=True))
        workbook.close()
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise validation_failed({"file": ["无法读取该 .xlsx 文件"]}) from error
    start, columns = _header_row(lines)
    rows: dict[int, dict[str, Any]] = {}
    problems: dict[str, list[str]] = {}
    for number, line in enumerate(lines[start + 1 :], start=start + 2):
        if all(v is None or str(v).strip() == "" for v in line):
            continue
        raw = {field: _cell_text(line[i]) for i, field in columns.items() if i < len(line)}
        raw["funding"] = FUNDING_WORDS.get(str(raw.get("funding", "")).strip(), raw.get("funding"))
        try:
            rows[number] = _row_schema.load(raw)
        except ValidationError as error:
            problems[str(number)] = _row_messages(error.messages)
        if len(rows) + len(problems) > MAX_ROWS:
            raise validation_failed({"file": [f"一次最多导入 {MAX_ROWS} 个项目"]})
    if problems:
        raise validation_failed(problems, f"有 {len(problems)} 行数据有误，未导入任何项目")
    if not rows:
        raise validation_failed({"file": ["表格中没有项目"]})
    return rows


def template_xlsx() -> bytes:
    """The 附件1 import template: the four columns, 经费类型 as a choice."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "附件1 项目计划"
    sheet.append(list(HEADERS))
    words = list(FUNDING_WORDS)
    choice = DataValidation(type="list", formula1=f'"{",".join(words)}"', allow_blank=False)
    choice.error, choice.errorTitle = f"请选择 {' 或 '.join(words)}", "经费类型"
    sheet.add_data_validation(choice)
    choice.add("D2:D1000")
    for column, width in zip("ABCD", (34, 34, 46, 12), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def uploaded_rows() -> dict[int, dict[str, Any]]:
    """The rows of the uploaded 附件1 .xlsx (multipart field `file`), by Excel row number."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise validation_failed({"file": ["请选择要上传的附件1 .xlsx 文件"]})
    if not upload.filename.lower().endswith(".xlsx"):
        raise validation_failed({"file": ["只接受 .xlsx 文件（请使用导入模板）"]})
    return rows_from_xlsx(upload.read())
