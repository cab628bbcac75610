"""附件5 研修人员名单: the roster with each trainee's attendance, as .xlsx and .csv."""

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from backend.checkin.models import CheckIn, CheckInSource
from backend.checkout.queries import checkout_mark, checkout_state
from backend.classes.logic import sessions_of
from backend.classes.models import TrainingClass
from backend.core.timeutil import to_china, utcnow
from backend.enrollment.models import AttendanceMode
from backend.enrollment.queries import mask_phone, roster_of
from backend.exports.facts import ClassFacts, composition_phrase, facts_of
from backend.exports.sheets import (
    CELL,
    HEAD,
    NOTE,
    SMALL,
    SMALL_HEAD,
    TEXT,
    add_sheet,
    block,
    freeze,
    new_sheet,
    printable,
    put,
    title,
    to_bytes,
    widths,
)
from backend.extensions import db
from backend.leave.queries import excused_of
from backend.recruitment.logic import roster_composition

TITLE = "专业技术人员知识更新工程高级研修项目研修人员名单"
ATTENDANCE_TITLE = "研修人员出勤记录"
FIXED_HEADERS = ["序号", "姓名", "性别", "工作单位", "职务", "职称", "地区", "联系电话", "参训方式"]
FIXED_WIDTHS = [5, 13, 5, 36, 11, 13, 12, 13, 9]
#: The mark of each attendance state (the attendance cell's `state`, with late online apart).
MARKS = {
    "present": "✓",
    "late": "迟",
    "online": "线",
    "late_online": "线迟",
    "excused": "假",
    "absent": "×",
    "no_checkout": "未退",
}
#: Added to the mark of a check-in an organizer made or changed.
CORRECTED = "*"
LEGEND = (
    "图例：✓ 按时签到（扫码）　迟 迟到　线 线上参训　线迟 线上迟到　假 请假　× 缺勤　"
    "* 组织方更正（补签）　空白 课程尚未结束"
)
#: With 签退 on: added to the mark of a check-in without a check-out (left early or never
#: checked out); when the class requires 签退, the cell is 未退 instead, not attended.
NO_CHECKOUT = "·未退"
CHECKOUT_LEGEND = "　·未退 签到后未签退（早退或未签退）"
REQUIRED_LEGEND = "　未退 签到后未签退，不计出勤"
NOT_ATTENDED = {MARKS["absent"], MARKS["excused"], MARKS["no_checkout"], ""}
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
        return sum(mark.rstrip(CORRECTED) not in NOT_ATTENDED for mark in self.marks)


@dataclass(frozen=True)
class Roster:
    facts: ClassFacts
    sessions: list[RosterSession]
    lines: list[RosterLine]
    #: 生源构成 in one sentence (recruitment's composition of the roster).
    composition: str = ""
    #: What the marks mean (with the 签退 marks when the class uses it).
    legend: str = LEGEND


@dataclass(frozen=True)
class Attendance:
    """What the roster needs of one check-in."""

    late: bool
    mode: AttendanceMode
    manual: bool


def state_of(attendance: Attendance | None, held: bool, excused: bool = False) -> str:
    """The cell's state: present, late, online, late_online, excused (an approved leave,
    请假, shown even before the session) or absent; "" while not held."""
    if attendance is None:
        if excused:
            return "excused"
        return "absent" if held else ""
    online = attendance.mode == AttendanceMode.ONLINE
    if attendance.late:
        return "late_online" if online else "late"
    return "online" if online else "present"


def mark_of(state: str, manual: bool = False) -> str:
    if not state:
        return ""
    return MARKS[state] + (CORRECTED if manual else "")


def _attendance(class_id: int) -> dict[tuple[int, int], Attendance]:
    rows = db.session.execute(
        db.select(
            CheckIn.enrollment_id,
            CheckIn.session_id,
            CheckIn.late,
            CheckIn.mode,
            CheckIn.source,
            CheckIn.corrected_by_id,
        ).where(CheckIn.class_id == class_id)
    )
    return {
        (enrollment_id, session_id): Attendance(
            late, mode, source == CheckInSource.MANUAL or corrected_by is not None
        )
        for enrollment_id, session_id, late, mode, source, corrected_by in rows
    }


def _mark(
    attendance: Attendance | None, excused: bool, checkout: str | None, required: bool,
    session: RosterSession, now: datetime,
) -> str:  # fmt: skip
    state = state_of(attendance, session.ends_at <= now, excused)
    manual = attendance is not None and attendance.manual
    if checkout != "missing":
        return mark_of(state, manual)
    return mark_of("no_checkout", manual) if required else mark_of(state, manual) + NO_CHECKOUT


def gather(training_class: TrainingClass, full_phones: bool, now: datetime | None = None) -> Roster:
    """The roster and its marks. Phones in full only for the class's organizers (PIPL)."""
    now = now or utcnow()
    sessions = [
        RosterSession(s.id, s.starts_at, s.ends_at, s.topic, s.lecturer.name)
        for s in sessions_of(training_class.id)
    ]
    entries = roster_of(training_class.id)
    attendance = _attendance(training_class.id)
    excused = excused_of(training_class.id)
    checkout = checkout_state(training_class.id)
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
                e.attendance_mode.label,
            ],
            marks=[
                _mark(
                    attendance.get((e.id, s.id)),
                    (e.id, s.id) in excused,
                    checkout_mark(checkout, e.id, s.id, s.ends_at, now)
                    if (e.id, s.id) in attendance
                    else None,
                    checkout.required,
                    s,
                    now,
                )
                for s in sessions
            ],
        )
        for e in entries
    ]
    legend = LEGEND
    if checkout.on:
        legend += REQUIRED_LEGEND if checkout.required else CHECKOUT_LEGEND
    return Roster(
        facts_of(training_class), sessions, lines, composition_sentence(training_class.id), legend
    )


def composition_sentence(class_id: int) -> str:
    """其中… : the notice's audience and its tilt, counted on the roster."""
    phrase = composition_phrase(roster_composition([class_id]))
    return f"其中{phrase}。" if phrase else ""


def session_header(session: RosterSession, separator: str) -> str:
    """Time, topic and lecturer of a session's column."""
    start = to_china(session.starts_at)
    when = f"{start.month}月{start.day}日 {start:%H:%M}"
    return separator.join((when, session.topic, session.lecturer))


def _short_header(number: int, session: RosterSession) -> str:
    """A narrow column's header: the session's number, day and time."""
    start = to_china(session.starts_at)
    return f"{number}\n{start.month}/{start.day}\n{start:%H:%M}"


def total_header(roster: Roster) -> str:
    return f"出勤合计（共{len(roster.sessions)}次）"


def _caption(roster: Roster) -> str:
    facts = roster.facts
    return (
        f"项目名称：{facts.title}　　承办单位：{facts.host_unit}　　"
        f"举办时间：{facts.dates_text}　　地点：{facts.location}"
    )


def _people_sheet(sheet, roster: Roster) -> None:
    """附件5 itself: who took part, one row each, and how often they attended."""
    headers = [*FIXED_HEADERS, f"出勤次数（共{len(roster.sessions)}次）"]
    columns = len(headers)
    title(sheet, 1, columns, TITLE)
    block(sheet, 2, 1, 2, columns, _caption(roster), NOTE)
    for column, text in enumerate(headers, start=1):
        put(sheet, 3, column, text, HEAD)
    for number, line in enumerate(roster.lines, start=1):
        values = [number, *line.fields, line.attended]
        for column, value in enumerate(values, start=1):
            put(sheet, number + 3, column, value, TEXT if column == 4 else CELL)
    footer = len(roster.lines) + 5
    block(
        sheet,
        footer,
        1,
        footer,
        columns,
        f"共 {len(roster.lines)} 人。{roster.composition}"
        f"每次课程的出勤情况见“{ATTENDANCE_TITLE}”表。",
        NOTE,
    )
    widths(sheet, *FIXED_WIDTHS, 10)
    freeze(sheet, 3, 2)
    printable(sheet, (1, 3), landscape=True)


def _attendance_sheet(sheet, roster: Roster) -> None:
    """One narrow column per session, a mark per trainee, the legend and the session key."""
    count = len(roster.sessions)
    columns = 2 + count + 1
    title(sheet, 1, columns, f"{TITLE}（出勤记录）")
    block(sheet, 2, 1, 2, columns, _caption(roster), NOTE)
    block(sheet, 3, 1, 3, columns, roster.legend, NOTE)
    put(sheet, 4, 1, "序号", HEAD)
    put(sheet, 4, 2, "姓名", HEAD)
    for index, session in enumerate(roster.sessions, start=1):
        put(sheet, 4, 2 + index, _short_header(index, session), SMALL_HEAD)
    put(sheet, 4, columns, "合计", HEAD)
    for number, line in enumerate(roster.lines, start=1):
        row = number + 4
        put(sheet, row, 1, number)
        put(sheet, row, 2, line.fields[0])
        for index, mark in enumerate(line.marks, start=1):
            put(sheet, row, 2 + index, mark, SMALL)
        put(sheet, row, columns, line.attended)
    footer = len(roster.lines) + 5
    block(sheet, footer, 1, footer, 2, "出勤人数", HEAD)
    for index in range(count):
        present = sum(
            line.marks[index].rstrip(CORRECTED) not in NOT_ATTENDED for line in roster.lines
        )
        put(sheet, footer, 3 + index, present, SMALL_HEAD)
    put(sheet, footer, columns, sum(line.attended for line in roster.lines), HEAD)
    row = footer + 2
    block(sheet, row, 1, row, columns, "课程对照：", NOTE)
    for index, session in enumerate(roster.sessions, start=1):
        block(
            sheet,
            row + index,
            1,
            row + index,
            columns,
            f"{index}. {session_header(session, '　')}",
            NOTE,
        )
    mark_width = 4.5 if count > 12 else 6
    widths(sheet, 5, 13, *([mark_width] * count), 6)
    freeze(sheet, 4, 2)
    printable(sheet, (1, 4), landscape=count > 8)


def roster_xlsx(roster: Roster) -> bytes:
    """附件5 as two sheets: the people (the form) and their attendance per session."""
    workbook = new_sheet("研修人员名单")
    _people_sheet(workbook, roster)
    add_sheet(workbook, ATTENDANCE_TITLE)
    _attendance_sheet(workbook, roster)
    return to_bytes(workbook)


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
