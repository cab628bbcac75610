"""Word documents in the province's form: A4, official margins, Chinese fonts and language,
pictures with captions. Shared by the summary report (附件4) and the news (图文动态信息)."""

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

#: Printed for a section nobody has written yet.
EMPTY = "（未填写）"
#: How wide a picture prints.
PICTURE_WIDTH = Cm(14)
#: A4, and margins close to an official document's (GB/T 9704).
PAGE = (Cm(21.0), Cm(29.7))
MARGINS = {"top": Cm(3.0), "bottom": Cm(2.5), "left": Cm(2.8), "right": Cm(2.6)}


def new_document():
    """An empty A4 document with the body and heading styles of the forms."""
    document = Document()
    page_setup(document)
    set_font(document.styles["Normal"], "宋体", 12)
    set_font(document.styles["Heading 1"], "黑体", 14, bold=True)
    return document


def page_setup(document) -> None:
    """A4 portrait with official margins; Chinese (zh-CN) as the document's East-Asian
    language, so that word processors pick Chinese glyphs and line-breaking rules."""
    for section in document.sections:
        section.page_width, section.page_height = PAGE
        section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
        section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = run_defaults.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_defaults.append(language)
    language.set(qn("w:val"), "zh-CN")
    language.set(qn("w:eastAsia"), "zh-CN")
    language.set(qn("w:bidi"), "ar-SA")
    fonts = run_defaults.find(qn("w:rFonts"))
    for attribute in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attribute), "宋体")
    for attribute in ("w:eastAsiaTheme", "w:asciiTheme", "w:hAnsiTheme"):
        fonts.attrib.pop(qn(attribute), None)
    # The template's theme fonts are Japanese; Word reads this as the East-Asian language.
    theme_language = document.settings.element.find(qn("w:themeFontLang"))
    if theme_language is not None:
        theme_language.set(qn("w:eastAsia"), "zh-CN")


def set_font(target, name: str, size: float, bold: bool = False) -> None:
    """Set a style's or a run's font, Chinese (east Asian) glyphs included."""
    target.font.name = name
    target.font.size = Pt(size)
    target.font.bold = bold
    target.font.color.rgb = RGBColor(0, 0, 0)
    properties = target.element.get_or_add_rPr()
    properties.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def centered(document, text: str, font: str, size: float, bold: bool = False) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(paragraph.add_run(text), font, size, bold)


def paragraphs(document, text: str) -> None:
    lines = [line.strip() for line in text.splitlines() if line.strip()] or [EMPTY]
    for line in lines:
        paragraph = document.add_paragraph(line)
        paragraph.paragraph_format.first_line_indent = Pt(24)


def picture(document, data: bytes, caption: str) -> None:
    """A picture centred on the text width, its caption under it."""
    document.add_picture(io.BytesIO(data), width=PICTURE_WIDTH)
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    if caption:
        centered(document, caption, "楷体", 10.5)


def to_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
