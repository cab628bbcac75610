"""附件3 学员满意度测评统计表: the tally laid out like the form, from the stats endpoint's
own numbers (backend.surveys.stats.class_stats), so the file and the JSON always agree."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from backend.classes.models import TrainingClass
from backend.core.timeutil import today_in_china
from backend.exports.facts import ClassFacts, cn_date, facts_of
from backend.exports.sheets import (
    HEAD,
    NOTE,
    NOTE_RIGHT,
    PERCENT,
    TEXT,
    block,
    new_sheet,
    printable,
    put,
    title,
    to_bytes,
    widths,
)
from backend.surveys.form import LECTURE_LABELS, SECTION_TITLES, SUGGESTIONS_LABEL, section_items
from backend.surveys.models import Level
from backend.surveys.stats import ROUNDING_NOTE, class_stats

TITLE = "专业技术人员知识更新工程高级研修项目学员满意度测评统计表"
HEADER_ROWS = (4, 5)


@dataclass(frozen=True)
class Tally:
    facts: ClassFacts
    #: The body of GET /classes/{id}/survey/stats.
    stats: dict[str, Any]
    filled_on: date


def gather(training_class: TrainingClass, today: date | None = None) -> Tally:
    return Tally(
        facts_of(training_class), class_stats(training_class.id), today or today_in_china()
    )


def counts_line(stats: dict[str, Any]) -> str:
    return (
        f"本期研修学员 {stats['enrolled']} 人，实际发放 {stats['issued']} 份，"
        f"收回 {stats['returned']} 份。"
    )


def _rates(sheet, row: int, stats_row: dict[str, Any]) -> None:
    """The four rates as percentage cells (0.555 shown as 55.5%)."""
    for column, level in enumerate(Level, start=4):
        value = Decimal(str(stats_row["rates"][level])) / 100
        put(sheet, row, column, value, PERCENT)


def _rows(stats: dict[str, Any], section: str) -> dict[str, dict[str, Any]]:
    return {r["key"]: r for r in stats["rows"] if r["section"] == section}


def _item_block(sheet, row: int, section: str, rows: dict[str, dict]) -> int:
    """A section's items; 附件3 prints no 综合评价 row."""
    items = [item for item in section_items(section) if item.key != "overall"]
    block(sheet, row, 1, row + len(items) - 1, 1, SECTION_TITLES[section], HEAD)
    for item in items:
        block(sheet, row, 2, row, 3, item.label)
        _rates(sheet, row, rows[item.key])
        row += 1
    return row


def _faculty_block(sheet, row: int, stats: dict[str, Any]) -> int:
    """One row per session (授课项目, 授课人); 附件3 prints no 综合评价 row."""
    lectures = [
        r for r in stats["rows"] if r["section"] == "faculty" and r["key"] != "faculty_overall"
    ]
    if not lectures:
        block(sheet, row, 1, row, 1, SECTION_TITLES["faculty"], HEAD)
        block(sheet, row, 2, row, 7, "（无课程）")
        return row + 1
    block(sheet, row, 1, row + len(lectures) - 1, 1, SECTION_TITLES["faculty"], HEAD)
    for lecture in lectures:
        put(sheet, row, 2, lecture.get("topic", ""))
        put(sheet, row, 3, lecture.get("lecturer", ""))
        _rates(sheet, row, lecture)
        row += 1
    return row


def _suggestions_block(sheet, row: int, suggestions: list[str]) -> int:
    """A heading row, then one full-width row per suggestion: rows that may run over several
    pages, so no block is merged across them (a page break would cut its label off)."""
    lines = [f"{i}. {text}" for i, text in enumerate(suggestions, start=1)] or ["无"]
    heading = SUGGESTIONS_LABEL + (f"（共 {len(suggestions)} 条）" if suggestions else "")
    block(sheet, row, 1, row, 7, heading, HEAD)
    for line in lines:
        row += 1
        block(sheet, row, 1, row, 7, line, TEXT)
    return row + 1


def tally_xlsx(tally: Tally) -> bytes:
    sheet = new_sheet("学员满意度测评统计表")
    stats, facts = tally.stats, tally.facts
    title(sheet, 1, 7, TITLE)
    block(
        sheet,
        2,
        1,
        2,
        7,
        f"项目名称：{facts.title}　　举办时间：{facts.dates_text}　　地点：{facts.location}",
        NOTE,
    )
    block(sheet, 3, 1, 3, 4, counts_line(stats), NOTE)
    block(sheet, 3, 5, 3, 7, f"承办单位（印章）：{facts.host_unit}", NOTE)
    first, second = HEADER_ROWS
    block(sheet, first, 1, second, 1, "评价项目", HEAD)
    block(sheet, first, 2, first, 3, "评价内容", HEAD)
    block(sheet, first, 4, first, 7, "统计结果", HEAD)
    put(sheet, second, 2, LECTURE_LABELS["topic"], HEAD)
    put(sheet, second, 3, LECTURE_LABELS["lecturer"], HEAD)
    for column, level in enumerate(Level, start=4):
        put(sheet, second, column, f"{level.label}率", HEAD)
    row = _faculty_block(sheet, second + 1, stats)
    row = _item_block(sheet, row, "teaching", _rows(stats, "teaching"))
    row = _item_block(sheet, row, "service", _rows(stats, "service"))
    block(sheet, row, 1, row, 3, SECTION_TITLES["satisfaction"], HEAD)
    _rates(sheet, row, _rows(stats, "satisfaction")["satisfaction"])
    row = _suggestions_block(sheet, row + 1, stats["suggestions"])
    block(sheet, row, 1, row, 7, f"注：各项比率为该等级份数占收回份数的比率。{ROUNDING_NOTE}", NOTE)
    block(
        sheet,
        row + 2,
        1,
        row + 2,
        7,
        f"填报时间：{cn_date(tally.filled_on)}",
        NOTE_RIGHT,
    )
    widths(sheet, 14, 30, 12, 10, 10, 10, 10)
    printable(sheet, HEADER_ROWS)
    return to_bytes(sheet)
