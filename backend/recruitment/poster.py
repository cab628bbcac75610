"""招生海报: an A4 portrait PDF to print and pin up, made with fpdf2 and the packaged font
(as the certificates): title, dates, place, audience, quota, closing time, the notice and
the entry code."""

import io
from dataclasses import dataclass
from datetime import date, datetime

from fpdf import FPDF
from pylopdf_fonts_zh_cn import serif_path

from backend.completion.pdf import wrap
from backend.core.timeutil import to_china

PAGE_W, PAGE_H = 210, 297  # mm, A4 portrait
MARGIN = 20
INK = (40, 40, 40)
RED = (170, 30, 30)
#: The notice's audience (鄂人社函〔2023〕68号), printed on every poster.
AUDIENCE = (
    "面向全省招收，一般应是具有中高级职称（职业资格）的专业技术人员或在企事业单位有关管理岗位"
    "工作的人员，向基层一线和原贫困地区人才倾斜。"
)
NOTICE_LINES = 9


@dataclass(frozen=True)
class PosterFacts:
    title: str
    host_unit: str
    location: str
    start_date: date
    end_date: date
    mode: str
    quota: int
    closes_at: datetime
    notice: str
    code_png: bytes
    wxacode: bool
    link: str


def _day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _lines(pdf: FPDF, label: str, text: str, y: float, size: int = 13) -> float:
    """A labelled paragraph from y; returns the y below it."""
    pdf.set_font("serif", size=size)
    width = PAGE_W - 2 * MARGIN - 28
    pdf.set_text_color(*RED)
    pdf.set_xy(MARGIN, y)
    pdf.cell(28, 8, label)
    pdf.set_text_color(*INK)
    for line in wrap(pdf, text, width):
        pdf.set_xy(MARGIN + 28, y)
        pdf.cell(width, 8, line)
        y += 8
    return y + 2


def poster_pdf(facts: PosterFacts) -> bytes:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_lang("zh-CN")
    pdf.set_title(f"招生海报 {facts.title}")
    pdf.set_auto_page_break(False)
    pdf.add_font("serif", fname=str(serif_path()))
    pdf.add_page()
    pdf.set_fill_color(*RED)
    pdf.rect(0, 0, PAGE_W, 14, style="F")
    pdf.set_text_color(*RED)
    pdf.set_font("serif", size=16)
    pdf.set_xy(MARGIN, 22)
    pdf.cell(PAGE_W - 2 * MARGIN, 10, "专业技术人才知识更新工程 · 高级研修班招生", align="C")
    pdf.set_font("serif", size=24)
    y = 38.0
    for line in wrap(pdf, facts.title, PAGE_W - 2 * MARGIN):
        pdf.set_xy(MARGIN, y)
        pdf.cell(PAGE_W - 2 * MARGIN, 12, line, align="C")
        y += 12
    y += 6
    closes = to_china(facts.closes_at)
    mode = "当地线下 + 异地线上" if facts.mode == "hybrid" else "线下集中面授"
    y = _lines(pdf, "承办单位", facts.host_unit, y)
    y = _lines(pdf, "研修时间", f"{_day(facts.start_date)}至{_day(facts.end_date)}", y)
    y = _lines(pdf, "研修地点", f"{facts.location}（{mode}）", y)
    y = _lines(pdf, "招收对象", AUDIENCE, y)
    y = _lines(pdf, "招收名额", f"{facts.quota} 人，额满为止；学员不交费用，往返交通自理", y)
    y = _lines(pdf, "报名截止", f"{_day(closes.date())} {closes:%H:%M}", y)
    if facts.notice:
        pdf.set_font("serif", size=13)
        notice = wrap(pdf, facts.notice.replace("\n", " "), PAGE_W - 2 * MARGIN - 28)
        shown = notice[:NOTICE_LINES]
        if len(notice) > NOTICE_LINES:
            shown[-1] = shown[-1][:-1] + "…"
        y = _lines(pdf, "招生说明", "".join(shown), y)
    size = 62
    top = min(y + 14, PAGE_H - size - 40)
    pdf.image(io.BytesIO(facts.code_png), x=(PAGE_W - size) / 2, y=top, w=size, h=size)
    pdf.set_font("serif", size=14)
    pdf.set_xy(MARGIN, top + size + 3)
    caption = "微信扫一扫，进入小程序报名" if facts.wxacode else "扫码查看报名方式"
    pdf.cell(PAGE_W - 2 * MARGIN, 8, caption, align="C")
    if not facts.wxacode:
        pdf.set_font("serif", size=10)
        pdf.set_xy(MARGIN, top + size + 11)
        pdf.cell(PAGE_W - 2 * MARGIN, 6, facts.link, align="C")
    return bytes(pdf.output())
