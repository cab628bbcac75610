"""附件5 研修人员名单: the roster with each trainee's attendance, as .xlsx and .csv."""

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from backend.checkin.queries import attendance_marks
from backend.classes.logic import sessions_of
from backend.classes.models import TrainingClass
from backend.core.timeutil import to_china, utcnow
from backend.enrollment.models import AttendanceMode
from backend.enrollment.queries import mask_phone, roster_of
from backend.exports.facts import ClassFacts, facts_of
from backend.exports.sheets import (
    HEAD,
    NOTE,
    block,
    freeze,
    new_sheet,
    printable,
    put,
    row_height,
    title,
    to_bytes,
    widths,
)

TITLE = "专业技术人员知识更新工程高级研修项目研修人员名单"
FIXED_HEADERS = ["序号", "姓名", "性别", "工作单位", "职务", "职称", "地区", "联系电话", "参训方式"]
MODE_WORDS = {AttendanceMode.ONSITE: "线下", AttendanceMode.ONLINE: "线上"}
PRESENT, LATE, ABSENT, ONLINE = "✓", "迟到", "缺席", "线上"
#: A CSV cell starting with one of these would be run as a formula by a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "|", "\t", "\r")


@dataclass(frozen=True)
class RosterSession:
    id: int
    starts_at: datetime
    ends_at: datetime
    topic: str
    lecturer: str


@dataclass(frozen=True)
class RosterLine:
    """One trainee: the fixed columns, then one mark per session."""

    fields: list[str]
    marks: list[str]

    @property
    def attended(self) -> int:
        return sum(mark not in (ABSENT, "") for mark in self.marks)


@dataclass(frozen=True)
class Roster:
    facts: ClassFacts
    sessions: list[RosterSession]
    lines: list[RosterLine]


def _mark(checkin: tuple[bool, str] | None, session: RosterSession, now: datetime) -> str:
    """✓ on time, 迟到 late, 线上 online, 缺席 absent; blank while the session is not over."""
    if checkin is None:
        return ABSENT if session.ends_at <= now else ""
    late, mode = checkin
    if mode == AttendanceMode.ONLINE:
        return ONLINE
    return LATE if late else PRESENT


def gather(training_class: TrainingClass, full_phones: bool, now: datetime | None = None) -> Roster:
    """The roster and its marks. Phones in full only for the class's organizers (PIPL)."""
    now = now or utcnow()
    sessions = [
        RosterSession(s.id, s.starts_at, s.ends_at, s.topic, s.lecturer.name)
        for s in sessions_of(training_class.id)
    ]
    entries = roster_of(training_class.id)
    checkins = {
        (enrollment_id, session_id): (late, mode)
        for enrollment_id, session_id, late, mode in attendance_marks(training_class.id)
    }
    lines = [
        RosterLine(
            fields=[
                e.name,
                e.gender,
                e.employer,
                e.post,
                e.professional_title,
                e.region,
                e.phone if full_phones else mask_phone(e.phone),
                MODE_WORDS[e.attendance_mode],
            ],
            marks=[_mark(checkins.get((e.id, s.id)), s, now) for s in sessions],
        )
        for e in entries
    ]
    return Roster(facts_of(training_class), sessions, lines)


def session_header(session: RosterSession, separator: str) -> str:
    """Time, topic and lecturer of a session's column."""
    start = to_china(session.starts_at)
    when = f"{start.month}月{start.day}日 {start:%H:%M}"
    return separator.join((when, session.topic, session.lecturer))


def total_header(roster: Roster) -> str:
    return f"出勤合计（共{len(roster.sessions)}次）"


def _caption(roster: Roster) -> str:
    facts = roster.facts
    return (
        f"项目名称：{facts.title}　　承办单位：{facts.host_unit}　　"
        f"举办时间：{facts.dates_text}　　地点：{facts.location}"
    )


def roster_xlsx(roster: Roster) -> bytes:
    """The roster laid out like the form: title, class line, header, one row per trainee."""
    sheet = new_sheet("研修人员名单")
    columns = len(FIXED_HEADERS) + len(roster.sessions) + 1
    title(sheet, 1, columns, TITLE)
    block(sheet, 2, 1, 2, columns, _caption(roster), NOTE)
    headers = [
        *FIXED_HEADERS,
        *(session_header(s, "\n") for s in roster.sessions),
        total_header(roster),
    ]
    for column, text in enumerate(headers, start=1):
        put(sheet, 3, column, text, HEAD)
    row_height(sheet, 3, 60)
    for number, line in enumerate(roster.lines, start=1):
        row = number + 3
        for column, value in enumerate([number, *line.fields, *line.marks, line.attended], 1):
            put(sheet, row, column, value)
    footer = len(roster.lines) + 4
    block(sheet, footer, 1, footer, len(FIXED_HEADERS), "出勤人数", HEAD)
    for index in range(len(roster.sessions)):
        present = sum(line.marks[index] not in (ABSENT, "") for line in roster.lines)
        put(sheet, footer, len(FIXED_HEADERS) + 1 + index, present, HEAD)
    put(sheet, footer, columns, sum(line.attended for line in roster.lines), HEAD)
    widths(sheet, 6, 10, 6, 28, 12, 14, 10, 14, 9, *([14] * len(roster.sessions)), 12)
    freeze(sheet, 3, 2)
    printable(sheet, (1, 3), landscape=True)
    return to_bytes(sheet)


def _csv_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def roster_csv(roster: Roster) -> bytes:
    """The same table as plain CSV: UTF-8 with a BOM, so Excel shows the Chinese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        [*FIXED_HEADERS, *(session_header(s, " ") for s in roster.sessions), total_header(roster)]
    )
    for number, line in enumerate(roster.lines, start=1):
        writer.writerow([number, *map(_csv_cell, line.fields), *line.marks, line.attended])
    return buffer.getvalue().encode("utf-8-sig")
