"""附件2 学员满意度测评表: the blank form for trainees who answer on paper, printable on A4
and pre-filled with this class's sessions and lecturers."""

from dataclasses import dataclass

from backend.classes.logic import sessions_of
from backend.classes.models import TrainingClass
from backend.exports.facts import ClassFacts, facts_of
from backend.exports.sheets import (
    HEAD,
    NOTE,
    NOTE_RIGHT,
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

TITLE = "专业技术人员知识更新工程高级研修项目学员满意度测评表"
HEADER_ROWS = (4, 5)
SUGGESTION_ROWS = 5


@dataclass(frozen=True)
class BlankForm:
    facts: ClassFacts
    #: (topic, lecturer) per session, in schedule order.
    lectures: list[tuple[str, str]]


def gather(training_class: TrainingClass) -> BlankForm:
    lectures = [(s.topic, s.lecturer.name) for s in sessions_of(training_class.id)]
    return BlankForm(facts_of(training_class), lectures)


def _header(sheet, heading: str) -> None:
    first, second = HEADER_ROWS
    block(sheet, first, 1, second, 1, "评价项目", HEAD)
    block(sheet, first, 2, first, 3, "评价内容", HEAD)
    block(sheet, first, 4, first, 7, heading, HEAD)
    put(sheet, second, 2, LECTURE_LABELS["topic"], HEAD)
    put(sheet, second, 3, LECTURE_LABELS["lecturer"], HEAD)
    for column, level in enumerate(Level, start=4):
        put(sheet, second, column, level.label, HEAD)


def _empty_ratings(sheet, row: int) -> None:
    for column in range(4, 8):
        put(sheet, row, column, None)


def _item_block(sheet, row: int, section: str) -> int:
    """A section's rows (each item over 授课项目 and 授课人), its name merged down column A."""
    items = [item.label for item in section_items(section)]
    block(sheet, row, 1, row + len(items) - 1, 1, SECTION_TITLES[section], HEAD)
    for offset, label in enumerate(items):
        block(sheet, row + offset, 2, row + offset, 3, label)
        _empty_ratings(sheet, row + offset)
    return row + len(items)


def survey_form_xlsx(form: BlankForm) -> bytes:
    sheet = new_sheet("学员满意度测评表")
    facts = form.facts
    title(sheet, 1, 7, TITLE)
    block(
        sheet,
        2,
        1,
        2,
        7,
        f"项目名称：{facts.title}　　承办单位：{facts.host_unit}　　举办时间：{facts.dates_text}",
        NOTE,
    )
    block(sheet, 3, 1, 3, 7, "请在相应的评价结果栏内打“✓”，每项只选一个等级。", NOTE)
    _header(sheet, "评价结果")
    row = HEADER_ROWS[1] + 1
    faculty_rows = len(form.lectures) + 1
    block(sheet, row, 1, row + faculty_rows - 1, 1, SECTION_TITLES["faculty"], HEAD)
    for topic, lecturer in form.lectures:
        put(sheet, row, 2, topic)
        put(sheet, row, 3, lecturer)
        _empty_ratings(sheet, row)
        row += 1
    block(sheet, row, 2, row, 3, section_items("faculty")[0].label)
    _empty_ratings(sheet, row)
    row += 1
    row = _item_block(sheet, row, "teaching")
    row = _item_block(sheet, row, "service")
    block(sheet, row, 1, row, 3, SECTION_TITLES["satisfaction"], HEAD)
    _empty_ratings(sheet, row)
    row += 1
    block(sheet, row, 1, row + SUGGESTION_ROWS - 1, 1, SUGGESTIONS_LABEL, HEAD)
    block(sheet, row, 2, row + SUGGESTION_ROWS - 1, 7, None, TEXT)
    row += SUGGESTION_ROWS
    block(
        sheet,
        row + 1,
        1,
        row + 1,
        7,
        "填报时间：　　　　年　　月　　日",
        NOTE_RIGHT,
    )
    widths(sheet, 14, 30, 12, 8, 8, 8, 8)
    printable(sheet, HEADER_ROWS, one_page=True)
    return to_bytes(sheet)
