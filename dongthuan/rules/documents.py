"""Rules of party documents (R-DOC-*): the official layout's fixed parts and its place-and-date line. The writers
of Word and PDF files (``dongthuan.documents.rendering``) lay documents out by these."""

from __future__ import annotations

import datetime as dt

from dongthuan.rules import Rule, register

R_DOC_4 = register(
    Rule(
        id="R-DOC-4",
        citation="Hướng dẫn 36-HD/VPTW về thể thức văn bản của Đảng",
        status="firm",
        summary="An issued party document has the header ĐẢNG CỘNG SẢN VIỆT NAM, the issuing body under its "
        "superior, number and symbol, place and date, type and subject, body, signer's authority, title and name, "
        "seal, and recipients; optionally secrecy and urgency marks, circulation scope and a draft marker.",
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
