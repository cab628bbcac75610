"""Spreadsheet helpers shared by the forms: bordered cells, merged blocks, titles and print
setup, laid out like the printed forms. Rows and columns are counted from 1, as the forms
and spreadsheet programs count them.

Written with XlsxWriter, about twice as fast as openpyxl at writing: a 2,000-trainee roster
has 60,000 cells (openpyxl stays the reader, for imports and tests).

Every text is written as text: a name such as "=1+1" or "@SUM(A1)" stays a string and is
never stored as a formula.
"""

import io
from decimal import Decimal
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format

MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"
_FONT = {"font_name": "宋体", "font_size": 11, "valign": "vcenter", "text_wrap": True}
_BOX = {**_FONT, "border": 1}

# The cell styles.
TITLE, NOTE, NOTE_RIGHT = "title", "note", "note_right"
CELL, HEAD, TEXT, MONEY, PERCENT = "cell", "head", "text", "money", "percent"
_STYLES = {
    TITLE: {**_FONT, "font_size": 16, "bold": True, "align": "center"},
    NOTE: {**_FONT, "align": "left"},
    NOTE_RIGHT: {**_FONT, "align": "right", "text_wrap": False},
    CELL: {**_BOX, "align": "center"},
    HEAD: {**_BOX, "align": "center", "bold": True},
    TEXT: {**_BOX, "align": "left"},
    MONEY: {**_BOX, "align": "right", "num_format": MONEY_FORMAT},
    PERCENT: {**_BOX, "align": "center", "num_format": PERCENT_FORMAT},
}


class FormSheet:
    """A one-sheet workbook in memory and its cell formats."""

    def __init__(self, title: str) -> None:
        self.buffer = io.BytesIO()
        self.workbook = xlsxwriter.Workbook(self.buffer, {"in_memory": True})
        self.sheet = self.workbook.add_worksheet(title)
        self.formats: dict[str, Format] = {
            name: self.workbook.add_format(parts) for name, parts in _STYLES.items()
        }


def new_sheet(title: str) -> FormSheet:
    return FormSheet(title)


def put(form: FormSheet, row: int, column: int, value: Any, style: str = CELL) -> None:
    """Write one cell; text stays text, numbers (Decimal included) stay numbers."""
    cell_format = form.formats[style]
    row, column = row - 1, column - 1
    if value is None or value == "":
        form.sheet.write_blank(row, column, None, cell_format)
    elif isinstance(value, str):
        form.sheet.write_string(row, column, value, cell_format)
    elif isinstance(value, int | Decimal):
        form.sheet.write_number(row, column, value, cell_format)
    else:
        raise TypeError(f"no cell for {type(value).__name__}")


def block(
    form: FormSheet,
    first_row: int,
    first_column: int,
    last_row: int,
    last_column: int,
    value: Any,
    style: str = CELL,
) -> None:
    """A merged block holding one value, bordered all round like the form's boxes."""
    if (first_row, first_column) == (last_row, last_column):
        put(form, first_row, first_column, value, style)
        return
    form.sheet.merge_range(
        first_row - 1, first_column - 1, last_row - 1, last_column - 1, "", form.formats[style]
    )
    put(form, first_row, first_column, value, style)


def title(form: FormSheet, row: int, columns: int, text: str, height: float = 30) -> None:
    block(form, row, 1, row, columns, text, TITLE)
    row_height(form, row, height)


def row_height(form: FormSheet, row: int, height: float) -> None:
    form.sheet.set_row(row - 1, height)


def widths(form: FormSheet, *values: float) -> None:
    for index, width in enumerate(values):
        form.sheet.set_column(index, index, width)


def freeze(form: FormSheet, rows: int, columns: int) -> None:
    """Keep the first `rows` rows and `columns` columns in view when scrolling."""
    form.sheet.freeze_panes(rows, columns)


def printable(
    form: FormSheet, title_rows: tuple[int, int] | None = None, landscape: bool = False
) -> None:
    """A4, fit to the page's width, header rows repeated on every printed page."""
    sheet = form.sheet
    sheet.set_paper(9)
    if landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.fit_to_pages(1, 0)
    sheet.center_horizontally()
    sheet.set_margins(left=0.5, right=0.5)
    if title_rows:
        sheet.repeat_rows(title_rows[0] - 1, title_rows[1] - 1)


def to_bytes(form: FormSheet) -> bytes:
    form.workbook.close()
    return form.buffer.getvalue()
