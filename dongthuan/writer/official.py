"""Party documents in the official layout (R-DOC-4, Hướng dẫn 36-HD/VPTW), as Word (.docx) and PDF.

A document is described once (``OfficialDocument``: header, number, place and date, type and subject, body blocks,
signatures, recipients) and rendered by either writer, so minutes, resolutions, response registers and reports
all come out in the same form:

    ĐẢNG BỘ TỈNH …                         ĐẢNG CỘNG SẢN VIỆT NAM
    HUYỆN ỦY …                             ──────────────────────
          *                             Bình Xuyên, ngày 24 tháng 4 năm 2017
    Số 05-NQ/HU
                          NGHỊ QUYẾT
                      về … (subject)
    body …
    Nơi nhận:                                  T/M BAN THƯỜNG VỤ
    - …                                             BÍ THƯ
                                                  (name)

Word files use Times New Roman 14 (the official font on every office PC); PDFs embed a Vietnamese TrueType font
(``dongthuan.writer.fonts``). A4, margins 20 mm top and bottom, 30 mm left, 15 mm right.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html import escape
from typing import Any

from dongthuan.rules.documents import DRAFT_MARK, PARTY_HEADER, RECIPIENTS_LABEL


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False
    italic: bool = False
    indent: bool = True  # first-line indent, as body text has


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]
    widths: list[float] | None = None  # fractions of the text width


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class Signature:
    title: str  # "BÍ THƯ", "THƯ KÝ HỘI NGHỊ"
    name: str
    authority: str = ""  # "T/M BAN THƯỜNG VỤ", "CHỦ TRÌ HỘI NGHỊ"


@dataclass
class OfficialDocument:
    superior: str  # the issuer's superior, e.g. "ĐẢNG BỘ TỈNH VĨNH PHÚC" ("" for the top)
    issuer: str  # e.g. "HUYỆN ỦY BÌNH XUYÊN"
    number: str  # "Số 05-NQ/HU"; "" when the document has no number
    place_date: str  # dongthuan.rules.documents.place_date("Bình Xuyên", date)
    kind: str  # "NGHỊ QUYẾT", "BIÊN BẢN"
    subject: str = ""
    blocks: list[Block] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)  # one (right) or two (left, right)
    recipients: list[str] = field(default_factory=list)
    draft: bool = False
    secrecy: str = ""  # "MẬT", "TỐI MẬT"…


LOCALITY = re.compile(
    r"^(đảng bộ|chi bộ|đảng ủy|huyện ủy|tỉnh ủy|thành ủy)\s+(xã|phường|thị trấn|huyện|tỉnh|thành phố)?\s*", re.I
)


def locality(name: str) -> str:
    """The place for the date line, from an organisation's name: "Đảng bộ xã Bình Tuyền" → "Bình Tuyền"."""
    return LOCALITY.sub("", name).strip() or name


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


# --- Word ---------------------------------------------------------------------------------------------------------


def to_docx(doc: OfficialDocument) -> bytes:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    word = Document()
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = word.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    word.core_properties.title = f"{doc.kind} {doc.subject}".strip()
    word.core_properties.language = "vi-VN"

    def line(cell_or_doc, text: str, *, bold=False, italic=False, underline=False, size=14, align="center"):
        fresh = getattr(cell_or_doc, "paragraphs", [])  # a new table cell starts with one empty paragraph: use it
        if hasattr(cell_or_doc, "_tc") and len(fresh) == 1 and not fresh[0].runs:
            p = fresh[0]
        else:
            p = cell_or_doc.add_paragraph()
        p.alignment = {
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "left": WD_ALIGN_PARAGRAPH.LEFT,
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
        }[align]
        run = p.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        run.font.size = Pt(size)
        return p

    def no_borders(table) -> None:
        borders = table._tbl.tblPr.first_child_found_in("w:tblBorders")
        if borders is not None:
            table._tbl.tblPr.remove(borders)

    header = word.add_table(rows=1, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    no_borders(header)
    left, right = header.rows[0].cells
    if doc.superior:
        line(left, doc.superior.upper(), size=14)
    line(left, doc.issuer.upper(), bold=True, size=14)
    line(left, "*", size=14)
    if doc.number:
        line(left, doc.number, size=14)
    line(right, PARTY_HEADER, bold=True, underline=True, size=15)
    line(right, doc.place_date, italic=True, size=14)
    if doc.draft or doc.secrecy:
        marks = " – ".join(m for m in (doc.secrecy, DRAFT_MARK if doc.draft else "") if m)
        line(right, marks, bold=True, size=13)

    word.add_paragraph()
    line(word, doc.kind.upper(), bold=True, size=16)
    if doc.subject:
        line(word, doc.subject, bold=True, size=14)
    line(word, "-----", size=14)
    for block in doc.blocks:
        if isinstance(block, Heading):
            p = line(word, block.text, bold=True, align="justify")
            p.paragraph_format.space_before = Pt(6)
        elif isinstance(block, Paragraph):
            for text in _paragraphs(block.text):
                p = line(word, text, bold=block.bold, italic=block.italic, align="justify")
                if block.indent:
                    p.paragraph_format.first_line_indent = Mm(10)
                p.paragraph_format.space_after = Pt(3)
        else:
            table = word.add_table(rows=0, cols=len(block.header))
            table.style = "Table Grid"
            # Rows are written as XML directly: python-docx's cell lookup walks the whole table for every cell, so
            # a register of 10,000 opinions would take minutes.
            table._tbl.append(_table_row(block.header, bold=True))
            for row in block.rows:
                table._tbl.append(_table_row(row, bold=False))
            word.add_paragraph()

    word.add_paragraph()
    signatures = list(doc.signatures)
    closing = word.add_table(rows=1, cols=2)
    no_borders(closing)
    left, right = closing.rows[0].cells
    cells = [right] if len(signatures) == 1 else [left, right]
    padded = any(s.authority for s in signatures)  # names on one line even when only one has an authority
    for cell, signature in zip(cells, signatures, strict=False):
        if padded:
            line(cell, signature.authority.upper(), bold=True)
        line(cell, signature.title.upper(), bold=True)
        for _i in range(3):
            line(cell, "")
        line(cell, signature.name, bold=True)
    if doc.recipients:  # under the left signature when there are two
        line(left, RECIPIENTS_LABEL, bold=True, italic=True, underline=True, size=12, align="left")
        for recipient in doc.recipients:
            line(left, f"- {recipient}", size=11, align="left")

    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _table_row(values: list[str], *, bold: bool) -> Any:
    """One table row (w:tr) in 12 pt; a line break in a value becomes a line break in the cell."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr = OxmlElement("w:tr")
    for value in values:
        tc, p, run, props = OxmlElement("w:tc"), OxmlElement("w:p"), OxmlElement("w:r"), OxmlElement("w:rPr")
        if bold:
            props.append(OxmlElement("w:b"))
        size = OxmlElement("w:sz")
        size.set(qn("w:val"), "24")  # half-points
        props.append(size)
        run.append(props)
        for n, line in enumerate(CONTROL.sub("", str(value)).split("\n")):
            if n:
                run.append(OxmlElement("w:br"))
            text = OxmlElement("w:t")
            text.set(qn("xml:space"), "preserve")
            text.text = line
            run.append(text)
        p.append(run)
        tc.append(p)
        tr.append(tc)
    return tr


# --- PDF ----------------------------------------------------------------------------------------------------------


def _register_pdf_fonts() -> str:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from dongthuan.writer.fonts import document_fonts

    files = document_fonts()
    name = f"DT-{files.family}"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(files.regular)))
        pdfmetrics.registerFont(TTFont(f"{name}-Bold", str(files.bold)))
        pdfmetrics.registerFont(TTFont(f"{name}-Italic", str(files.italic)))
        pdfmetrics.registerFont(TTFont(f"{name}-BoldItalic", str(files.bold_italic)))
        addMapping(name, 0, 0, name)
        addMapping(name, 1, 0, f"{name}-Bold")
        addMapping(name, 0, 1, f"{name}-Italic")
        addMapping(name, 1, 1, f"{name}-BoldItalic")
    return name


def pdf_styles() -> dict[str, object]:
    """The paragraph styles of our PDFs (also used by printed ballots)."""
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    font = _register_pdf_fonts()
    base = ParagraphStyle("base", fontName=font, fontSize=13, leading=17, alignment=TA_JUSTIFY)
    return {
        "font": font,
        "body": ParagraphStyle("body", parent=base, firstLineIndent=28, spaceAfter=4),
        "plain": ParagraphStyle("plain", parent=base, spaceAfter=2),
        "heading": ParagraphStyle("heading", parent=base, fontName=f"{font}-Bold", spaceBefore=6, spaceAfter=3),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "header": ParagraphStyle("header", parent=base, alignment=TA_CENTER, fontSize=11.5, leading=15),
        "title": ParagraphStyle("title", parent=base, alignment=TA_CENTER, fontName=f"{font}-Bold", fontSize=15),
        "cell": ParagraphStyle("cell", parent=base, fontSize=11, leading=14, alignment=TA_LEFT),
        "small": ParagraphStyle("small", parent=base, fontSize=10.5, leading=13, alignment=TA_LEFT),
    }


def markup(text: str, *, bold: bool = False, italic: bool = False, underline: bool = False) -> str:
    markup = escape(text)
    if underline:
        markup = f"<u>{markup}</u>"
    if italic:
        markup = f"<i>{markup}</i>"
    if bold:
        markup = f"<b>{markup}</b>"
    return markup


def to_pdf(doc: OfficialDocument) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Paragraph as P
    from reportlab.platypus import Table as T

    styles = pdf_styles()
    font = str(styles["font"])
    center, body, plain, head = styles["center"], styles["body"], styles["plain"], styles["header"]
    width = A4[0] - 45 * mm
    story: list[object] = []

    left = [P(markup(doc.superior.upper()), head)] if doc.superior else []
    left += [P(markup(doc.issuer.upper(), bold=True), head), P("*", head)]
    if doc.number:
        left.append(P(markup(doc.number), head))
    right = [P(markup(PARTY_HEADER, bold=True, underline=True), head), P(markup(doc.place_date, italic=True), head)]
    if doc.draft or doc.secrecy:
        right.append(
            P(markup(" – ".join(m for m in (doc.secrecy, DRAFT_MARK if doc.draft else "") if m), bold=True), head)
        )
    header = T([[left, right]], colWidths=[width * 0.45, width * 0.55])
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), font)]))
    story += [header, Spacer(1, 8 * mm), P(markup(doc.kind.upper()), styles["title"])]
    if doc.subject:
        story.append(P(markup(doc.subject, bold=True), center))
    story += [P("-----", center), Spacer(1, 4 * mm)]

    for block in doc.blocks:
        if isinstance(block, Heading):
            story.append(P(markup(block.text), styles["heading"]))
        elif isinstance(block, Paragraph):
            style = body if block.indent else plain
            story += [P(markup(t, bold=block.bold, italic=block.italic), style) for t in _paragraphs(block.text)]
        else:
            cell = styles["cell"]
            data = [[P(markup(h, bold=True), cell) for h in block.header]]
            data += [[P(markup(v), cell) for v in row] for row in block.rows]
            widths = [width * w for w in block.widths] if block.widths else None
            table = T(data, colWidths=widths, repeatRows=1)
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("FONTNAME", (0, 0), (-1, -1), font),
                    ]
                )
            )
            story += [table, Spacer(1, 3 * mm)]

    left_cell: list[object] = []
    if doc.recipients:
        left_cell.append(P(markup(RECIPIENTS_LABEL, bold=True, italic=True, underline=True), styles["small"]))
        left_cell += [P(markup(f"- {r}"), styles["small"]) for r in doc.recipients]

    padded = any(s.authority for s in doc.signatures)  # names on one line even when only one has an authority

    def signature(sig: Signature) -> list[object]:
        cell = [P(markup(sig.authority.upper(), bold=True) if sig.authority else "", center)] if padded else []
        return [
            *cell,
            P(markup(sig.title.upper(), bold=True), center),
            Spacer(1, 22 * mm),
            P(markup(sig.name, bold=True), center),
        ]

    signatures = list(doc.signatures)
    if len(signatures) >= 2:
        row = [
            signature(signatures[0]) + ([Spacer(1, 4 * mm), *left_cell] if left_cell else []),
            signature(signatures[1]),
        ]
    else:
        row = [left_cell, signature(signatures[0]) if signatures else []]
    closing = T([row], colWidths=[width * 0.5, width * 0.5])
    closing.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), font)]))
    story += [Spacer(1, 6 * mm), KeepTogether([closing])]

    def page_number(canvas, document) -> None:  # from page 2, centred at the top
        if document.page > 1:
            canvas.setFont(font, 11)
            canvas.drawCentredString(A4[0] / 2 + 7.5 * mm, A4[1] - 12 * mm, str(document.page))

    out = io.BytesIO()
    pdf = SimpleDocTemplate(
        out,
        pagesize=A4,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        leftMargin=30 * mm,
        rightMargin=15 * mm,
        title=f"{doc.kind} {doc.subject}".strip(),
        lang="vi-VN",
        initialFontName=font,
    )
    pdf.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return out.getvalue()
