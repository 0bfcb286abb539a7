"""Printed ballots for bodies that vote on paper: one A5 page per ballot, all alike — no number, no mark that could
tell one voter's ballot from another's. An election ballot lists the candidates and is marked by striking names
out, as paper ballots are; a decision ballot has the three choices; a nomination ballot asks for one name; a
confidence ballot has the three levels for each person."""

from __future__ import annotations

import io

from dongthuan.meetings.models import Poll, PollMethod
from dongthuan.rules.documents import PARTY_HEADER
from dongthuan.writer.official import markup, pdf_styles

TITLES = {
    PollMethod.CHOICE: "PHIẾU BIỂU QUYẾT",
    PollMethod.CANDIDATES: "PHIẾU BẦU CỬ",
    PollMethod.NOMINATION: "PHIẾU GIỚI THIỆU",
    PollMethod.CONFIDENCE: "PHIẾU LẤY PHIẾU TÍN NHIỆM",
}


def ballot_instructions(poll: Poll) -> str:
    if poll.method == PollMethod.CANDIDATES:
        return (
            f"Bầu {poll.seats} người. Gạch ngang họ tên người không bầu; giữ lại không quá {poll.seats} người. "
            "Phiếu giữ lại nhiều hơn số lượng cần bầu là phiếu không hợp lệ."
        )
    if poll.method == PollMethod.NOMINATION:
        return "Đánh dấu (X) vào ô của một người được giới thiệu. Phiếu đánh dấu nhiều hơn một người không hợp lệ."
    if poll.method == PollMethod.CONFIDENCE:
        return "Với mỗi người, đánh dấu (X) vào một trong ba ô."
    return "Đánh dấu (X) vào một ô."


def ballots_pdf(poll: Poll, copies: int) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Spacer, Table, TableStyle
    from reportlab.platypus import Paragraph as P

    styles = pdf_styles()
    center, cell, small, title = styles["center"], styles["cell"], styles["small"], styles["title"]
    header = styles["header"]
    meeting = poll.item.meeting
    org = meeting.body.organization
    width = A5[0] - 24 * mm
    candidates = list(poll.candidates.select_related("person").order_by("person__sort_key", "id"))

    def box() -> Table:  # an empty square to mark (drawn: not every font has ☐)
        square = Table([[""]], colWidths=[6 * mm], rowHeights=[6 * mm])
        square.setStyle(
            TableStyle(
                [("BOX", (0, 0), (-1, -1), 0.8, colors.black), ("FONTNAME", (0, 0), (-1, -1), str(styles["font"]))]
            )
        )
        square.hAlign = "CENTER"
        return square

    def one() -> list[object]:
        head = Table(
            [
                [
                    P(markup((org.short_name or org.name).upper(), bold=True), header),
                    P(markup(PARTY_HEADER, bold=True), header),
                ]
            ],
            colWidths=[width * 0.45, width * 0.55],
        )
        head.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), str(styles["font"]))]))
        story: list[object] = [head, Spacer(1, 5 * mm), P(markup(TITLES[PollMethod(poll.method)]), title)]
        story += [
            P(markup(meeting.title, italic=True), center),
            Spacer(1, 2 * mm),
            P(markup(poll.question, bold=True), center),
        ]
        story += [Spacer(1, 3 * mm), P(markup(ballot_instructions(poll), italic=True), small), Spacer(1, 3 * mm)]
        if poll.method == PollMethod.CANDIDATES:
            rows = [[P(markup("STT", bold=True), cell), P(markup("Họ và tên", bold=True), cell)]]
            rows += [[P(str(i), cell), P(markup(c.person.full_name), cell)] for i, c in enumerate(candidates, 1)]
            widths = [width * 0.15, width * 0.85]
        elif poll.method == PollMethod.NOMINATION:
            rows = [
                [
                    P(markup("STT", bold=True), cell),
                    P(markup("Họ và tên", bold=True), cell),
                    P(markup("Giới thiệu", bold=True), cell),
                ]
            ]
            rows += [[P(str(i), cell), P(markup(c.person.full_name), cell), box()] for i, c in enumerate(candidates, 1)]
            widths = [width * 0.12, width * 0.63, width * 0.25]
        elif poll.method == PollMethod.CONFIDENCE:
            rows = [
                [P(markup(h, bold=True), cell) for h in ("Họ và tên", "Tín nhiệm cao", "Tín nhiệm", "Tín nhiệm thấp")]
            ]
            rows += [[P(markup(c.person.full_name), cell), box(), box(), box()] for c in candidates]
            widths = [width * 0.43, width * 0.19, width * 0.19, width * 0.19]
        else:
            rows = [[P(markup(h, bold=True), center) for h in ("Tán thành", "Không tán thành", "Không biểu quyết")]]
            rows += [[box(), box(), box()]]
            widths = [width / 3] * 3
        table = Table(rows, colWidths=widths)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                    ("FONTNAME", (0, 0), (-1, -1), str(styles["font"])),
                ]
            )
        )
        return [*story, table]

    story: list[object] = []
    for n in range(copies):
        if n:
            story.append(PageBreak())
        story += one()
    out = io.BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=A5,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        title=TITLES[PollMethod(poll.method)],
        initialFontName=str(styles["font"]),
        lang="vi-VN",
    ).build(story)
    return out.getvalue()
