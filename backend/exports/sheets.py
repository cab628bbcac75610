"""openpyxl helpers shared by the spreadsheet forms: thin-bordered cells, merged blocks,
titles and print setup, laid out like the printed forms.

Every text is written as text: a name such as "=1+1" or "@SUM(A1)" stays a string and is
never turned into a formula (openpyxl would otherwise store it as one).
"""

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

SIDE = Side(style="thin")
BORDER = Border(left=SIDE, right=SIDE, top=SIDE, bottom=SIDE)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
TITLE_FONT = Font(name="宋体", size=16, bold=True)
BOLD = Font(name="宋体", size=11, bold=True)
PLAIN = Font(name="宋体", size=11)
MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"


def new_sheet(title: str) -> tuple[Workbook, Worksheet]:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    return workbook, sheet


def put(
    sheet: Worksheet,
    row: int,
    column: int,
    value: Any,
    *,
    font: Font = PLAIN,
    align: Alignment = CENTER,
    border: bool = True,
    number_format: str | None = None,
):
    """Write one cell; text stays text."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    cell.font = font
    cell.alignment = align
    if border:
        cell.border = BORDER
    if number_format:
        cell.number_format = number_format
    return cell


def block(
    sheet: Worksheet,
    first_row: int,
    first_column: int,
    last_row: int,
    last_column: int,
    value: Any,
    *,
    font: Font = PLAIN,
    align: Alignment = CENTER,
    border: bool = True,
) -> None:
    """A merged block holding one value, bordered all round like the form's boxes."""
    for row in range(first_row, last_row + 1):
        for column in range(first_column, last_column + 1):
            cell = sheet.cell(row=row, column=column)
            if border:
                cell.border = BORDER
    put(sheet, first_row, first_column, value, font=font, align=align, border=border)
    if (first_row, first_column) != (last_row, last_column):
        sheet.merge_cells(
            start_row=first_row,
            start_column=first_column,
            end_row=last_row,
            end_column=last_column,
        )


def title(sheet: Worksheet, row: int, columns: int, text: str, height: float = 30) -> None:
    block(sheet, row, 1, row, columns, text, font=TITLE_FONT, border=False)
    sheet.row_dimensions[row].height = height


def widths(sheet: Worksheet, *values: float) -> None:
    for index, width in enumerate(values, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def printable(
    sheet: Worksheet, title_rows: str | None = None, landscape: bool = False
) -> None:
    """A4, fit to the page's width, header rows repeated on every printed page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    if title_rows:
        sheet.print_title_rows = title_rows


def to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
