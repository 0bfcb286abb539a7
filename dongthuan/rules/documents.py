"""Rules of party documents (R-DOC-*): the types and their abbreviations, numbering per issuer, type and term, the
number and symbol, the official layout's fixed parts and its place-and-date line, and issued documents that never
change. The documents capability (``dongthuan.documents``) numbers, issues and lays documents out by these."""

from __future__ import annotations

import datetime as dt

from dongthuan.rules import Rule, register

R_DOC_1 = register(
    Rule(
        id="R-DOC-1",
        citation="Quy định 399-QĐ/TW",
        status="firm",
        wording=(
            "Document types include nghị quyết (NQ), quyết định (QĐ), chỉ thị (CT), kết luận (KL), quy chế (QC), quy "
            "định (QĐ), thông tri (TT), hướng dẫn (HD), thông báo (TB), báo cáo (BC), kế hoạch (KH), chương trình "
            "(CTr), đề án (ĐA), tờ trình (TTr), công văn (CV), biên bản (BB) and more. The type list and abbreviations "
            "are data."
        ),
        enforced=(
            "`documents/models.py` `DocumentType` rows (migration `documents/0002`; the list in `rules/documents.py` "
            "`DOCUMENT_TYPES`; more in the admin)"
        ),
    )
)
R_DOC_2 = register(
    Rule(
        id="R-DOC-2",
        citation="Hướng dẫn 36-HD/VPTW, mục II.1.3.1",
        status="firm",
        wording=(
            "Each issuing body numbers each document type from 01, and the sequence runs for the whole committee term, "
            "not per year. Secret documents share the sequence of the non-secret documents of the same type. Documents "
            "of a congress form one sequence across all types. Joint documents take the lead body's sequence. Numbers "
            "are gapless and never reused."
        ),
        enforced=(
            "`rules/documents.py` `sequence_key`; `documents/services.py` `document_issue` takes the next number of a "
            "`NumberSequence` under a row lock"
        ),
        note="Joint documents are not modelled yet: a document has one issuer, whose sequence it takes.",
    )
)
R_DOC_3 = register(
    Rule(
        id="R-DOC-3",
        citation="Thực tiễn văn bản của Đảng",
        status="firm",
        wording=(
            'The number and symbol read "Số 05-NQ/ĐU": number, type abbreviation, issuing body\'s code (TU province '
            "committee, HU district committee, ĐU commune/grassroots committee, CB cell…). Standing-committee "
            "documents carry the committee's code."
        ),
        enforced="`rules/documents.py` `number_symbol`; the issuer's code `Organization.doc_code`",
    )
)
R_DOC_5 = register(
    Rule(
        id="R-DOC-5",
        citation="Quy tắc của sản phẩm",
        status="product rule",
        wording=(
            "An issued document never changes; a correction is a new document that amends or replaces it, linked both "
            "ways."
        ),
        enforced="`documents/services.py` `_lock_draft` refuses every edit of an issued document",
    )
)

# R-DOC-1: the types the product starts with (name, abbreviation); the office adds more in the admin. Migration
# documents/0002 wrote them from its own frozen copy: a change here reaches existing databases only by a new migration.
DOCUMENT_TYPES = [
    ("Nghị quyết", "NQ"),
    ("Quyết định", "QĐ"),
    ("Chỉ thị", "CT"),
    ("Kết luận", "KL"),
    ("Quy chế", "QC"),
    ("Quy định", "QĐ"),
    ("Thông tri", "TT"),
    ("Hướng dẫn", "HD"),
    ("Thông báo", "TB"),
    ("Báo cáo", "BC"),
    ("Kế hoạch", "KH"),
    ("Chương trình", "CTr"),
    ("Đề án", "ĐA"),
    ("Tờ trình", "TTr"),
    ("Công văn", "CV"),
    ("Biên bản", "BB"),
]


def sequence_key(organization_id: int, term_id: int | None, abbreviation: str, by_congress: bool) -> str:
    """R-DOC-2: which numbering a document takes — its issuer's, for the term, per type; a congress's documents
    share one sequence across types. Secrecy does not enter: secret documents share the sequence. Types written
    with the same abbreviation (quyết định and quy định are both QĐ) share one, so that no symbol is given twice."""
    term = str(term_id) if term_id else "-"
    kind = "*congress*" if by_congress else abbreviation
    return f"{organization_id}:{term}:{kind}"


def number_symbol(number: int, abbreviation: str, issuer_code: str) -> str:
    """R-DOC-3: "05-NQ/ĐU" (numbers below 10 take a leading zero, as the sequence starts at 01)."""
    return f"{number:02d}-{abbreviation}/{issuer_code}"


R_DOC_4 = register(
    Rule(
        id="R-DOC-4",
        citation="Hướng dẫn 36-HD/VPTW về thể thức văn bản của Đảng",
        status="firm",
        wording=(
            'An issued party document has: the header "ĐẢNG CỘNG SẢN VIỆT NAM"; the issuing body (with its superior '
            'above it); number and symbol; place and date ("Bình Xuyên, ngày 24 tháng 4 năm 2017"); type and '
            'subject; body; signer\'s authority ("T/M BAN THƯỜNG VỤ"), title and name; seal; recipients ("Nơi '
            'nhận"). Optional: secrecy and urgency marks, circulation scope, draft marker.'
        ),
        enforced=(
            "`rules/documents.py` `PARTY_HEADER`, `place_date`; `writer/official.py` `to_docx`, `to_pdf`; "
            "`documents/selectors.py` `official_document`"
        ),
    )
)

# R-DOC-4: the fixed words of the layout.
PARTY_HEADER = "ĐẢNG CỘNG SẢN VIỆT NAM"
RECIPIENTS_LABEL = "Nơi nhận:"
DRAFT_MARK = "DỰ THẢO"


def place_date(place: str, date: dt.date) -> str:
    """R-DOC-4's place and date line. Days below 10 and months below 3 take a leading zero, so that no one can add
    a digit: "Bình Xuyên, ngày 05 tháng 02 năm 2026", "Bình Xuyên, ngày 24 tháng 4 năm 2017"."""
    day = f"{date.day:02d}"
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    prefix = f"{place}, " if place else ""
    return f"{prefix}ngày {day} tháng {month} năm {date.year}"
