"""Spreadsheet helpers shared by the forms: bordered cells, merged blocks, titles and print
setup, laid out like the printed forms. Rows and columns are counted from 1, as the forms
and spreadsheet programs count them.

Written with XlsxWriter, about twice as fast as openpyxl at writing: a 2,000-trainee roster
has 60,000 cells (openpyxl stays the reader, for imports and tests).

Every text is written as text: a name such as "=1+1" or "@SUM(A1)" stays a string and is
never stored as a formula.

Spreadsheet programs do not grow a row to fit wrapped text that was written by a program,
so each sheet measures its texts against its column widths and sets every row's height
when the workbook is closed: a long text then takes more lines instead of printing over
the row below.
"""

import io
import math
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"
#: 宋体 with the GB2312 character set (134): the font and script a Chinese office expects.
FONT_NAME, CHINESE_CHARSET = "宋体", 134
_FONT = {
    "font_name": FONT_NAME,
    "font_charset": CHINESE_CHARSET,
    "font_size": 11,
    "valign": "vcenter",
    "text_wrap": True,
}
_BOX = {**_FONT, "border": 1}

# The cell styles.
TITLE, NOTE, NOTE_RIGHT = "title", "note", "note_right"
CELL, HEAD, TEXT, MONEY, PERCENT, SMALL, SMALL_HEAD = (
    "cell",
    "head",
    "text",
    "money",
    "percent",
    "small",
    "small_head",
)
_STYLES = {
    TITLE: {**_FONT, "font_size": 16, "bold": True, "align": "center"},
    NOTE: {**_FONT, "align": "left"},
    NOTE_RIGHT: {**_FONT, "align": "right"},
    CELL: {**_BOX, "align": "center"},
    HEAD: {**_BOX, "align": "center", "bold": True},
    TEXT: {**_BOX, "align": "left"},
    # Amounts right-aligned with a space's padding from the border.
    MONEY: {**_BOX, "align": "right", "indent": 1, "num_format": MONEY_FORMAT},
    PERCENT: {**_BOX, "align": "center", "num_format": PERCENT_FORMAT},
    SMALL: {**_BOX, "align": "center", "font_size": 9},
    SMALL_HEAD: {**_BOX, "align": "center", "font_size": 9, "bold": True},
}
#: Points per line of text of a 1-point font (CJK fonts' ascent + descent, with leading).
_LINE = 1.4
#: Room above and below the text of a cell, in points.
_PAD = 5.0
#: Default row height in points.
_ROW = 18.0


@dataclass
class _Text:
    first_row: int
    last_row: int
    first_column: int
    last_column: int
    text: str
    size: float


@dataclass
class _Layout:
    """What a sheet needs to size its rows: its column widths and its texts."""

    sheet: Worksheet
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    texts: list[_Text] = field(default_factory=list)


class FormSheet:
    """A workbook in memory, its cell formats, and the sheet being written (`sheet`)."""

    def __init__(self, title: str) -> None:
        self.buffer = io.BytesIO()
        self.workbook = xlsxwriter.Workbook(self.buffer, {"in_memory": True})
        self.workbook.set_properties({"title": title})
        self.formats: dict[str, Format] = {
            name: self.workbook.add_format(parts) for name, parts in _STYLES.items()
        }
        self.layouts: list[_Layout] = []
        add_sheet(self, title)

    @property
    def layout(self) -> _Layout:
        return self.layouts[-1]

    @property
    def sheet(self) -> Worksheet:
        return self.layout.sheet


def new_sheet(title: str) -> FormSheet:
    return FormSheet(title)


def add_sheet(form: FormSheet, title: str) -> None:
    """Start another sheet of the workbook; later calls write on it."""
    form.layouts.append(_Layout(form.workbook.add_worksheet(title)))


def _size_of(style: str) -> float:
    return _STYLES[style]["font_size"]


def put(form: FormSheet, row: int, column: int, value: Any, style: str = CELL) -> None:
    """Write one cell; text stays text, numbers (Decimal included) stay numbers."""
    cell_format = form.formats[style]
    sheet_row, sheet_column = row - 1, column - 1
    if value is None or value == "":
        form.sheet.write_blank(sheet_row, sheet_column, None, cell_format)
    elif isinstance(value, str):
        form.sheet.write_string(sheet_row, sheet_column, value, cell_format)
        form.layout.texts.append(_Text(row, row, column, column, value, _size_of(style)))
    elif isinstance(value, int | Decimal):
        form.sheet.write_number(sheet_row, sheet_column, value, cell_format)
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
    if isinstance(value, str) and value:
        text = form.layout.texts[-1]
        text.last_row, text.last_column = last_row, last_column


def title(form: FormSheet, row: int, columns: int, text: str, height: float = 30) -> None:
    block(form, row, 1, row, columns, text, TITLE)
    row_height(form, row, height)


def row_height(form: FormSheet, row: int, height: float) -> None:
    """At least this height (points); taller if the row's text needs it."""
    form.layout.heights[row] = height


def widths(form: FormSheet, *values: float) -> None:
    for index, width in enumerate(values):
        form.sheet.set_column(index, index, width)
        form.layout.widths[index + 1] = width


def freeze(form: FormSheet, rows: int, columns: int) -> None:
    """Keep the first `rows` rows and `columns` columns in view when scrolling."""
    form.sheet.freeze_panes(rows, columns)


def printable(
    form: FormSheet,
    title_rows: tuple[int, int] | None = None,
    landscape: bool = False,
    one_page: bool = False,
    footer: str = "第 &P 页，共 &N 页",
) -> None:
    """A4, fit to the page's width (a one-page form: to the whole page), header rows
    repeated on every printed page."""
    sheet = form.sheet
    sheet.set_paper(9)
    if landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.fit_to_pages(1, 1 if one_page else 0)
    sheet.center_horizontally()
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    sheet.set_footer(f"&C&9{footer}", {"margin": 0.3})
    if title_rows:
        sheet.repeat_rows(title_rows[0] - 1, title_rows[1] - 1)


def text_width(text: str, size: float) -> float:
    """The printed width of one line of text in points: wide (CJK) characters are one em."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else 0.6 * size for ch in text)


def column_points(width: float) -> float:
    """A column's width in points (Excel's width unit: one '0' of the default font)."""
    return (width * 7 + 5) * 0.75


def lines_needed(text: str, size: float, room: float) -> int:
    """How many lines the text wraps to in a cell `room` points wide."""
    usable = max(room - 6, size)
    return sum(
        max(1, math.ceil(text_width(line, size) * 1.05 / usable)) for line in text.split("\n")
    )


def _fit_rows(layout: _Layout) -> None:
    """Set every row tall enough for the wrapped texts it holds."""
    heights = dict(layout.heights)
    for text in sorted(layout.texts, key=lambda t: t.last_row - t.first_row):
        room = sum(
            column_points(layout.widths.get(c, 8.43))
            for c in range(text.first_column, text.last_column + 1)
        )
        needed = lines_needed(text.text, text.size, room) * text.size * _LINE + _PAD
        rows = range(text.first_row, text.last_row + 1)
        have = sum(heights.get(r, _ROW) for r in rows)
        if needed > have:
            extra = (needed - have) / len(rows)
            for r in rows:
                heights[r] = heights.get(r, _ROW) + extra
    for row, height in heights.items():
        layout.sheet.set_row(row - 1, round(height, 1))


def to_bytes(form: FormSheet) -> bytes:
    for layout in form.layouts:
        _fit_rows(layout)
    form.workbook.close()
    return form.buffer.getvalue()
