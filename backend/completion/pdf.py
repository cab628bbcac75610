"""The certificate (结业证书) as an A4 landscape PDF, made with fpdf2.

The font is Noto Serif SC from the pinned `pylopdf-fonts-zh-cn` package (SIL Open Font
Licence), embedded as a subset: the PDF shows the same on every viewer and printer, whatever
fonts the reader's machine has.

The font file is 11 MB (65,535 glyphs); fpdf2 subsets whatever font it is given with fontTools,
which on the whole font takes 0.3 s of CPU per certificate. So HarfBuzz's subsetter (C, about
2 ms) first cuts the font down to the characters of this one certificate, and fpdf2 subsets
and embeds that small font (`bench/certificates.py` measures both).
"""

import io
import tempfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import qrcode
import uharfbuzz as hb
from fpdf import FPDF
from pylopdf_fonts_zh_cn import serif_path

PAGE_W, PAGE_H = 297, 210  # mm, A4 landscape
INK = (40, 40, 40)
RED = (170, 30, 30)


@dataclass(frozen=True)
class CertificateFacts:
    """What a certificate prints."""

    name: str
    class_title: str
    host_unit: str
    start_date: date
    end_date: date
    credit_hours: Decimal
    number: str
    issued_on: date
    verify_url: str
    revoked: bool = False


def _day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _qr_png(text: str) -> io.BytesIO:
    image = qrcode.make(text, border=1, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


def _frame(pdf: FPDF) -> None:
    pdf.set_draw_color(*RED)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, PAGE_W - 20, PAGE_H - 20)
    pdf.set_line_width(0.4)
    pdf.rect(14, 14, PAGE_W - 28, PAGE_H - 28)


def _quoted(text: str) -> str:
    """“text”, its own double quotes turned single as quotes inside quotes are in Chinese."""
    return "“" + text.replace("“", "‘").replace("”", "’") + "”"


def _body(facts: CertificateFacts) -> str:
    return (
        f"{facts.name}同志于{_day(facts.start_date)}至{_day(facts.end_date)}参加由"
        f"{facts.host_unit}承办的专业技术人员知识更新工程高级研修项目{_quoted(facts.class_title)}，"
        f"完成规定的研修课程，计继续教育{_hours(facts.credit_hours)}学时，准予结业。"
    )


#: Characters that may not begin a line (Chinese line-breaking rules, 避头点): they hang
#: at the end of the line before instead.
NO_LINE_START = set("，。、；：？！）》」』”’%")
#: Characters that may not end a line (避尾点): they move to the next one.
NO_LINE_END = set("（《「『“‘")


def _tokens(text: str) -> list[str]:
    """Characters, with runs of Latin letters and digits kept whole (2026, 22.5, VTE)."""
    tokens: list[str] = []
    for char in text:
        if tokens and char.isascii() and char not in " " and tokens[-1][-1:].isascii():
            tokens[-1] += char
        else:
            tokens.append(char)
    return tokens


def wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """Lines of at most `width` mm in the current font; closing punctuation hangs, opening
    brackets move down."""
    lines, line = [], ""
    for token in _tokens(text):
        fits = pdf.get_string_width(line + token) <= width
        if fits or not line or token in NO_LINE_START:
            line += token
        elif line[-1] in NO_LINE_END:
            lines.append(line[:-1])
            line = line[-1] + token
        else:
            lines.append(line)
            line = token
    return [*lines, line] if line else lines


@cache
def _serif_face() -> hb.Face:
    """The whole font, read once per process (HarfBuzz maps the file)."""
    return hb.Face(hb.Blob.from_file_path(str(serif_path())))


def subset_font(text: str, folder: Path) -> Path:
    """A font file in `folder` holding only the glyphs of `text` (and .notdef)."""
    wanted = hb.SubsetInput()
    wanted.unicode_set.update(ord(char) for char in set(text))
    wanted.flags = hb.SubsetFlags.DESUBROUTINIZE
    path = folder / "NotoSerifSC-Regular.otf"
    path.write_bytes(hb.subset(_serif_face(), wanted).blob.data)
    return path


TITLE = "结 业 证 书"
CLOSING = "　　特发此证。"
SCAN_HINT = "扫描二维码核验证书真伪"
REVOKED = "本证书已撤销"


def _justify(pdf: FPDF, line: str, width: float) -> None:
    """Spread what `line` lacks of `width` between its characters, so the lines of a paragraph
    end flush at the right margin as Chinese text is set; an empty line resets the spacing."""
    if len(line) < 2:
        pdf.set_char_spacing(0)
        return
    pdf.set_char_spacing(0)
    gap = width - pdf.get_string_width(line)
    pdf.set_char_spacing(gap * pdf.k / (len(line) - 1))  # fpdf2 takes points here


def certificate_pdf(facts: CertificateFacts) -> bytes:
    """One certificate: title, the sentence of completion, issuer and date at the bottom
    right, the QR code of the verification address and the number at the bottom left."""
    body = "　　" + _body(facts)
    number = f"证书编号：{facts.number}"
    issued_on = _day(facts.issued_on)
    printed = TITLE + body + CLOSING + facts.host_unit + issued_on + number + SCAN_HINT + REVOKED
    with tempfile.TemporaryDirectory() as folder:
        pdf = FPDF(orientation="L", unit="mm", format="A4")
        pdf.set_lang("zh-CN")
        pdf.set_title(f"结业证书 {facts.number}")
        pdf.set_auto_page_break(False)
        pdf.add_font("serif", fname=subset_font(printed, Path(folder)))
        _draw(pdf, facts, body, number, issued_on)
        return bytes(pdf.output())


def _draw(pdf: FPDF, facts: CertificateFacts, body: str, number: str, issued_on: str) -> None:
    pdf.add_page()
    _frame(pdf)
    pdf.set_text_color(*RED)
    pdf.set_font("serif", size=40)
    pdf.set_xy(20, 32)
    pdf.cell(PAGE_W - 40, 20, TITLE, align="C")
    pdf.set_text_color(*INK)
    pdf.set_font("serif", size=18)
    lines = wrap(pdf, body, PAGE_W - 80)
    for index, line in enumerate(lines):
        last = index == len(lines) - 1
        _justify(pdf, "" if last else line, PAGE_W - 80)
        pdf.set_xy(40, 64 + 11 * index)
        pdf.cell(PAGE_W - 80, 11, line)
    _justify(pdf, "", 0)
    pdf.set_xy(40, 64 + 11 * len(lines))
    pdf.cell(PAGE_W - 80, 11, CLOSING)
    below_text = 64 + 11 * (len(lines) + 1)
    pdf.set_font("serif", size=16)
    pdf.set_xy(PAGE_W - 150, 152)
    pdf.cell(110, 10, facts.host_unit, align="R")
    pdf.set_xy(PAGE_W - 150, 163)
    pdf.cell(110, 10, issued_on, align="R")
    pdf.image(_qr_png(facts.verify_url), x=30, y=146, w=28, h=28)
    pdf.set_font("serif", size=11)
    pdf.set_xy(62, 155)
    pdf.cell(90, 7, number)
    pdf.set_xy(62, 163)
    pdf.cell(90, 7, SCAN_HINT)
    if facts.revoked:
        pdf.set_text_color(*RED)
        pdf.set_font("serif", size=30)
        pdf.set_xy(20, max(120, below_text + 2))
        pdf.cell(PAGE_W - 40, 16, REVOKED, align="C")
