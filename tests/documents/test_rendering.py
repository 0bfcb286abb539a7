"""The official layout (R-DOC-4) in real Word and PDF files, opened and read back."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pypdf
import pytest

from dongthuan.core.errors import DomainError
from dongthuan.rules.documents import place_date
from dongthuan.writer import fonts
from dongthuan.writer.official import Heading, OfficialDocument, Paragraph, Signature, Table, to_docx, to_pdf


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2017, 4, 24), "Bình Xuyên, ngày 24 tháng 4 năm 2017"),
        (dt.date(2026, 2, 5), "Bình Xuyên, ngày 05 tháng 02 năm 2026"),
        (dt.date(2026, 3, 9), "Bình Xuyên, ngày 09 tháng 3 năm 2026"),
        (dt.date(2026, 1, 10), "Bình Xuyên, ngày 10 tháng 01 năm 2026"),
        (dt.date(2026, 12, 31), "Bình Xuyên, ngày 31 tháng 12 năm 2026"),
    ],
)
def test_r_doc_4_place_and_date_line(day, text):
    """R-DOC-4: days below 10 and months below 3 take a leading zero."""
    assert place_date("Bình Xuyên", day) == text


def _document(**kw) -> OfficialDocument:
    fields = {
        "superior": "Đảng bộ tỉnh Phú Thọ",
        "issuer": "Đảng ủy xã Bình Tuyền",
        "number": "Số 05-BB/ĐU",
        "place_date": place_date("Bình Tuyền", dt.date(2026, 12, 5)),
        "kind": "Biên bản",
        "subject": "Hội nghị Ban Chấp hành tháng 12",
        "blocks": [
            Heading("I. THÀNH PHẦN"),
            Paragraph("Có mặt 9/11 đồng chí.\nVắng có lý do: đồng chí Nguyễn Thị Ước (ốm)."),
            Table(["Họ và tên", "Số phiếu"], [["Trần Quốc Toản", "7"], ["Lê Thị Ánh", "4"]], [0.7, 0.3]),
        ],
        "signatures": [
            Signature("Thư ký hội nghị", "Đỗ Thu Hà"),
            Signature("Chủ trì hội nghị", "Phạm Văn Bình", authority="T/M Ban Chấp hành"),
        ],
        "recipients": ["Ban Thường vụ Tỉnh ủy", "Lưu Văn phòng"],
    }
    fields.update(kw)
    return OfficialDocument(**fields)


def test_r_doc_4_word_file_has_every_part_of_the_layout():
    word = docx.Document(io.BytesIO(to_docx(_document(draft=True))))
    header = [c.text for c in word.tables[0].rows[0].cells]
    assert header == [
        "ĐẢNG BỘ TỈNH PHÚ THỌ\nĐẢNG ỦY XÃ BÌNH TUYỀN\n*\nSố 05-BB/ĐU",
        "ĐẢNG CỘNG SẢN VIỆT NAM\nBình Tuyền, ngày 05 tháng 12 năm 2026\nDỰ THẢO",
    ]
    body = [p.text for p in word.paragraphs if p.text]
    assert body[:6] == [
        "BIÊN BẢN",
        "Hội nghị Ban Chấp hành tháng 12",
        "-----",
        "I. THÀNH PHẦN",
        "Có mặt 9/11 đồng chí.",
        "Vắng có lý do: đồng chí Nguyễn Thị Ước (ốm).",
    ]
    assert [[c.text for c in row.cells] for row in word.tables[1].rows] == [
        ["Họ và tên", "Số phiếu"],
        ["Trần Quốc Toản", "7"],
        ["Lê Thị Ánh", "4"],
    ]
    left, right = (c.text.split("\n") for c in word.tables[2].rows[0].cells)
    assert [t for t in left if t] == [
        "THƯ KÝ HỘI NGHỊ",
        "Đỗ Thu Hà",
        "Nơi nhận:",
        "- Ban Thường vụ Tỉnh ủy",
        "- Lưu Văn phòng",
    ]
    assert [t for t in right if t] == ["T/M BAN CHẤP HÀNH", "CHỦ TRÌ HỘI NGHỊ", "Phạm Văn Bình"]
    assert word.styles["Normal"].font.name == "Times New Roman"
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm), round(section.left_margin.mm)) == (
        210,
        297,
        30,
    )


def test_r_doc_4_pdf_keeps_every_vietnamese_letter_and_embeds_its_font():
    pdf = pypdf.PdfReader(io.BytesIO(to_pdf(_document())))
    text = " ".join(pdf.pages[0].extract_text().split())
    for expected in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "ĐẢNG ỦY XÃ BÌNH TUYỀN",
        "Số 05-BB/ĐU",
        "BIÊN BẢN",
        "Vắng có lý do: đồng chí Nguyễn Thị Ước (ốm).",
        "Trần Quốc Toản",
        "T/M BAN CHẤP HÀNH",
        "Phạm Văn Bình",
        "Nơi nhận:",
    ):
        assert expected in text
    assert "DỰ THẢO" not in text
    fonts_used = {f["/BaseFont"] for f in pdf.pages[0]["/Resources"]["/Font"].values()}
    assert all("+" in name for name in fonts_used)  # subset-embedded TrueType, no base-14 font
    assert pdf.metadata.title == "Biên bản Hội nghị Ban Chấp hành tháng 12"


def test_long_documents_break_into_numbered_pages():
    many = [Paragraph(f"Đoạn thứ {i}: nội dung thảo luận về xây dựng Đảng và hệ thống chính trị.") for i in range(120)]
    pdf = pypdf.PdfReader(io.BytesIO(to_pdf(_document(blocks=many))))
    assert len(pdf.pages) > 2
    assert pdf.pages[1].extract_text().split()[0] == "2"


def test_no_vietnamese_font_on_the_server_is_a_clear_message(monkeypatch, settings, tmp_path):
    monkeypatch.setattr(fonts, "DEFAULT_DIRS", [])
    settings.DOCUMENT_FONT_DIRS = [str(tmp_path)]
    fonts.document_fonts.cache_clear()
    try:
        with pytest.raises(DomainError) as refused:
            fonts.document_fonts()
        assert refused.value.messages == [
            "Máy chủ chưa có phông chữ tiếng Việt để in PDF. Hãy cài gói fonts-dejavu-core "
            "(apt-get install fonts-dejavu-core) hoặc khai báo DOCUMENT_FONT_DIRS."
        ]
    finally:
        fonts.document_fonts.cache_clear()


def test_the_pdf_font_has_every_vietnamese_letter():
    chosen = fonts.document_fonts()
    for face in (chosen.regular, chosen.bold, chosen.italic, chosen.bold_italic):
        assert fonts.covers_vietnamese(face), face


def test_a_font_without_vietnamese_letters_is_not_used(monkeypatch, settings, tmp_path):
    """Debian's older Liberation fonts lack ạ, ề, ữ…: a PDF in them prints boxes. Such a family is skipped."""
    import shutil
    from pathlib import Path

    import reportlab

    vera = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"  # Latin-1 only
    for name in ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"):
        shutil.copy(vera, tmp_path / name)
    assert not fonts.covers_vietnamese(tmp_path / "LiberationSerif-Regular.ttf")
    monkeypatch.setattr(fonts, "DEFAULT_DIRS", [])
    settings.DOCUMENT_FONT_DIRS = [str(tmp_path)]
    fonts.document_fonts.cache_clear()
    try:
        with pytest.raises(DomainError):
            fonts.document_fonts()
    finally:
        fonts.document_fonts.cache_clear()
