"""附件4 总结报告: the organizer's sections and pictures, and the report as .docx.

Sections 一 (basic facts) and 五 (the lecturers and their ratings) come from data; the
organizer writes 二 三 四 六 七, and may add pictures to 三 (项目主要做法（可附图片）).
"""

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.image import Image as DocxImage
from docx.oxml import OxmlElement
from docx.shared import Cm
from PIL import Image

from backend.auth.models import User
from backend.checkin.queries import attendee_count, checked_in_per_session
from backend.classes.logic import sessions_of
from backend.classes.models import TrainingClass
from backend.core.errors import ApiError, validation_failed
from backend.core.timeutil import to_china, today_in_china, utcnow
from backend.exports.facts import (
    ClassFacts,
    composition_phrase,
    facts_of,
    percent,
    satisfied_of,
)
from backend.exports.models import (
    WRITTEN_SECTIONS,
    PictureColumns,
    ReportPicture,
    ReportSection,
)
from backend.exports.word import (
    centered,
    new_document,
    paragraphs,
    picture,
    set_font,
    to_bytes,
)
from backend.extensions import db
from backend.recruitment.logic import roster_composition
from backend.surveys.stats import ROUNDING_NOTE, class_stats, lecturer_rates

TITLE = "专业技术人员知识更新工程高级研修项目总结报告"
HEADINGS = {
    1: "一、项目实施基本情况",
    2: "二、项目主要特点",
    3: "三、项目主要做法（可附图片）",
    4: "四、项目主要成效",
    5: "五、项目邀请专家授课情况",
    6: "六、项目存在的问题",
    7: "七、对该项目的意见和建议等",
}
PICTURE_SECTION = 3
PICTURE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
MAX_PICTURE_BYTES = 4 * 1024 * 1024
MAX_PICTURE_PIXELS = 40_000_000
MAX_PICTURES = 20


# --- the organizer's part -------------------------------------------------------------


def sections_of(class_id: int) -> dict[int, str]:
    """The written sections by number; missing ones are empty."""
    rows = db.session.scalars(db.select(ReportSection).where(ReportSection.class_id == class_id))
    texts = {row.number: row.text for row in rows}
    return {number: texts.get(number, "") for number in WRITTEN_SECTIONS}


def pictures_of(class_id: int) -> list[ReportPicture]:
    return db.session.scalars(
        db.select(ReportPicture)
        .where(ReportPicture.class_id == class_id)
        .order_by(ReportPicture.id)
    ).all()


def report_view(class_id: int) -> dict:
    """The body of GET/PUT /classes/{id}/report."""
    return {
        "class_id": class_id,
        "sections": {str(n): text for n, text in sections_of(class_id).items()},
        "pictures": pictures_of(class_id),
    }


def save_sections(training_class: TrainingClass, texts: dict[str, str], by: User) -> None:
    """Replace the written sections: every section not given becomes empty."""
    stored = {
        row.number: row
        for row in db.session.scalars(
            db.select(ReportSection).where(ReportSection.class_id == training_class.id)
        )
    }
    for number in WRITTEN_SECTIONS:
        row = stored.get(number) or ReportSection(class_id=training_class.id, number=number)
        row.text = texts.get(str(number), "")
        row.updated_by_id = by.id
        row.updated_at = utcnow()
        db.session.add(row)
    db.session.flush()


def picture_facts(data: bytes) -> tuple[str, int, int]:
    """(content type, width, height) of a PNG or JPEG; 422 for anything else.

    Pillow decodes the header and checks the file's structure; python-docx must also be able
    to read it, since it is embedded in the report as is.
    """
    if len(data) > MAX_PICTURE_BYTES:
        raise ApiError(413, "payload_too_large", "图片不能超过 4 MB")
    invalid = validation_failed({"file": ["不是有效的 PNG 或 JPEG 图片"]})
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
            image.verify()
        DocxImage.from_blob(data)
    except Exception as error:  # Pillow and python-docx raise many kinds for a broken file
        raise invalid from error
    if kind not in PICTURE_TYPES:
        raise invalid
    if width * height > MAX_PICTURE_PIXELS:
        raise validation_failed({"file": ["图片像素过多，请缩小后再上传"]})
    return PICTURE_TYPES[kind], width, height


def add_picture(training_class: TrainingClass, data: bytes, caption: str, by: User):
    count = db.session.scalar(
        db.select(db.func.count())
        .select_from(ReportPicture)
        .where(ReportPicture.class_id == training_class.id)
    )
    if count >= MAX_PICTURES:
        raise validation_failed({"file": [f"每份报告最多 {MAX_PICTURES} 张图片"]})
    return store_picture(ReportPicture(class_id=training_class.id), data, caption, by)


def store_picture(picture: PictureColumns, data: bytes, caption: str, by: User):
    """Check the upload (picture_facts) and store it in the given picture row."""
    picture.content_type, picture.width, picture.height = picture_facts(data)
    picture.data, picture.size = data, len(data)
    picture.caption, picture.uploaded_by_id = caption, by.id
    db.session.add(picture)
    db.session.flush()
    return picture


def picture_of(class_id: int, picture_id: int) -> ReportPicture:
    picture = db.session.get(ReportPicture, picture_id)
    if picture is None or picture.class_id != class_id:
        raise ApiError(404, "not_found", "找不到该图片")
    return picture


# --- the document ---------------------------------------------------------------------


@dataclass(frozen=True)
class LectureLine:
    """One session of section 五."""

    when: str
    topic: str
    lecturer: str
    lecturer_title: str
    returned: int
    excellent_rate: Decimal
    satisfied_rate: Decimal


@dataclass(frozen=True)
class ReportData:
    title: str
    host_unit: str
    #: Section 一, as (label, text) lines.
    basics: list[tuple[str, str]]
    #: Section 五: an opening sentence and one line per session.
    lectures_summary: str
    lectures: list[LectureLine]
    #: Sections 二 三 四 六 七.
    sections: dict[int, str]
    #: Pictures of section 三: (bytes, caption).
    pictures: list[tuple[bytes, str]]
    written_on: date


#: Section 五's table: headers and widths (cm) that add up to the text width (15.6 cm).
LECTURE_COLUMNS = [
    ("序号", 1.2),
    ("授课时间", 2.6),
    ("授课项目", 4.4),
    ("授课人", 2.8),
    ("收回份数", 1.4),
    ("优秀率", 1.6),
    ("满意率", 1.6),
]


def _row_properties(row, header: bool = False) -> None:
    """A row never split by a page break; the header row repeated on every page."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def _cell(cell, text: str, width, bold: bool = False, center: bool = True) -> None:
    cell.width = width
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.first_line_indent = None
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(paragraph.add_run(text), "黑体" if bold else "宋体", 10.5)


def _lectures_table(document, lectures: list[LectureLine]) -> None:
    table = document.add_table(rows=1, cols=len(LECTURE_COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    cm = [Cm(width) for _header, width in LECTURE_COLUMNS]
    for column, width in zip(table.columns, cm, strict=True):
        column.width = width
    _row_properties(table.rows[0], header=True)
    for cell, (text, _width), width in zip(table.rows[0].cells, LECTURE_COLUMNS, cm, strict=True):
        _cell(cell, text, width, bold=True)
    for number, line in enumerate(lectures, start=1):
        lecturer = (
            f"{line.lecturer}\n（{line.lecturer_title}）" if line.lecturer_title else line.lecturer
        )
        values = [
            str(number),
            line.when,
            line.topic,
            lecturer,
            str(line.returned),
            f"{line.excellent_rate:.1f}%",
            f"{line.satisfied_rate:.1f}%",
        ]
        row = table.add_row()
        _row_properties(row)
        for index, (cell, text, width) in enumerate(zip(row.cells, values, cm, strict=True)):
            _cell(cell, text, width, center=index != 2)
    note = document.add_paragraph(f"注：满意率为优秀与良好之和占收回份数的比率。{ROUNDING_NOTE}")
    set_font(note.runs[0], "宋体", 10.5)


def report_docx(report: ReportData) -> bytes:
    document = new_document()
    centered(document, TITLE, "黑体", 18, bold=True)
    centered(document, report.title, "楷体", 14)
    centered(document, f"承办单位：{report.host_unit}", "楷体", 12)
    for number, heading_text in HEADINGS.items():
        document.add_heading(heading_text, level=1)
        if number == 1:
            for label, text in report.basics:
                document.add_paragraph(f"{label}：{text}")
        elif number == 5:
            paragraphs(document, report.lectures_summary)
            _lectures_table(document, report.lectures)
        else:
            paragraphs(document, report.sections[number])
        if number == PICTURE_SECTION:
            for data, caption in report.pictures:
                picture(document, data, caption)
    signature = document.add_paragraph(
        f"{report.host_unit}\n{report.written_on.year}年"
        f"{report.written_on.month}月{report.written_on.day}日"
    )
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return to_bytes(document)


def _basics(facts: ClassFacts, stats: dict, sessions: list, checkins: int) -> list[tuple[str, str]]:
    enrolled, attended = stats["enrolled"], attendee_count(facts.class_id)
    composition = composition_phrase(roster_composition([facts.class_id]), shares=True)
    issued, returned = stats["issued"], stats["returned"]
    lecturers = len({s.lecturer_id for s in sessions})
    satisfaction = next(r for r in stats["rows"] if r["section"] == "satisfaction")
    return [
        ("项目名称", facts.title),
        ("申报单位", facts.applicant_unit),
        ("承办单位", facts.host_unit),
        ("经费来源", f"{facts.funding.label}项目"),
        ("举办时间", f"{facts.dates_text}，共{facts.days}天"),
        ("举办地点", facts.location),
        ("办班方式", facts.mode.label),
        ("课程安排", f"共安排授课{len(sessions)}次，邀请专家{lecturers}位"),
        (
            "研修学员",
            f"名单{enrolled}人，实际参训{attended}人，参训率{percent(attended, enrolled)}%；"
            f"各次课程平均出勤率{percent(checkins, enrolled * len(sessions))}%",
        ),
        *([("生源构成", composition)] if composition else []),
        (
            "满意度测评",
            f"发放测评表{issued}份，收回{returned}份，收回率{percent(returned, issued)}%；"
            f"学员满意度评价满意率（优秀与良好）{satisfied_of(satisfaction)}%",
        ),
    ]


def _when(session) -> str:
    start, end = to_china(session.starts_at), to_china(session.ends_at)
    return f"{start.month}月{start.day}日\n{start:%H:%M}–{end:%H:%M}"


def gather(training_class: TrainingClass, stats: dict | None = None) -> ReportData:
    """Sections 一 and 五 from the roster, attendance and survey; the rest as written
    (`stats`: the class's class_stats, when the caller has them already)."""
    facts = facts_of(training_class)
    stats = class_stats(training_class.id) if stats is None else stats
    sessions = sessions_of(training_class.id)
    by_id = {s.id: s for s in sessions}
    checkins = sum(checked_in_per_session(training_class.id).values())
    overall = next(r for r in stats["rows"] if r["key"] == "faculty_overall")
    lectures = [
        LectureLine(
            when=_when(by_id[rated["session_id"]]),
            topic=rated["topic"],
            lecturer=rated["lecturer"],
            lecturer_title=by_id[rated["session_id"]].lecturer.title,
            returned=rated["returned"],
            excellent_rate=Decimal(str(rated["excellent_rate"])),
            satisfied_rate=Decimal(str(rated["satisfied_rate"])),
        )
        for rated in lecturer_rates(training_class.id)
    ]
    summary = (
        f"本期共安排授课{len(sessions)}次，邀请专家{len({s.lecturer_id for s in sessions})}位。"
        f"收回测评表{stats['returned']}份，师资综合评价优秀率{Decimal(str(overall['rates']['excellent'])):.1f}%，"
        f"满意率{satisfied_of(overall)}%。各次授课的评价如下表。"
    )
    return ReportData(
        title=facts.title,
        host_unit=facts.host_unit,
        basics=_basics(facts, stats, sessions, checkins),
        lectures_summary=summary,
        lectures=lectures,
        sections=sections_of(training_class.id),
        pictures=[(p.data, p.caption) for p in pictures_of(training_class.id)],
        written_on=today_in_china(),
    )
