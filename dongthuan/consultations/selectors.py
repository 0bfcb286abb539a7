"""Reads for a consultation: the synthesis by section with near-duplicate opinions grouped, counts per audience, and
the response register (bản tổng hợp, tiếp thu, giải trình ý kiến) as rows, Word and Excel."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count

from dongthuan.consultations.models import AudienceKind, Opinion, Round
from dongthuan.core.text import fold
from dongthuan.documents.rendering import OfficialDocument, Paragraph, Table, locality
from dongthuan.rules.documents import place_date

# Two opinions are near-duplicates when their sets of word pairs overlap this much (Jaccard).
SIMILAR = 0.5
WHOLE = ""  # the section key of opinions on the whole draft


def _shingles(text: str) -> frozenset[str]:
    words = fold(text).split()
    if len(words) < 2:
        return frozenset(words)
    return frozenset(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))


def similarity(a: str, b: str) -> float:
    """How alike two opinions are, 0 to 1: the Jaccard overlap of their word pairs, ignoring diacritics and case."""
    x, y = _shingles(a), _shingles(b)
    if not x or not y:
        return 0.0
    return len(x & y) / len(x | y)


@dataclass
class Group:
    """Opinions saying (nearly) the same thing: the first, and the others like it."""

    opinions: list[Opinion]


@dataclass
class SectionSynthesis:
    key: str
    heading: str
    groups: list[Group] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(g.opinions) for g in self.groups)


def group_similar(opinions: list[Opinion]) -> list[Group]:
    """Greedy grouping: each opinion joins the first group whose first opinion it resembles."""
    groups: list[tuple[frozenset[str], Group]] = []
    for opinion in opinions:
        shingles = _shingles(opinion.text)
        for first, group in groups:
            union = first | shingles
            if union and len(first & shingles) / len(union) >= SIMILAR:
                group.opinions.append(opinion)
                break
        else:
            groups.append((shingles, Group([opinion])))
    return [g for _s, g in groups]


def synthesis(consultation: Round) -> list[SectionSynthesis]:
    """Opinions by section of the consulted version (the whole draft first), near-duplicates grouped."""
    opinions = list(
        Opinion.objects.filter(round=consultation)
        .select_related("person", "organization", "answer")
        .order_by("section_key", "id")
    )
    sections = [SectionSynthesis(WHOLE, "")] + [
        SectionSynthesis(s["key"], s["heading"] or s["text"][:60]) for s in consultation.version.sections
    ]
    by_key: dict[str, list[Opinion]] = {}
    for opinion in opinions:
        by_key.setdefault(opinion.section_key, []).append(opinion)
    for section in sections:
        section.groups = group_similar(by_key.get(section.key, []))
    return [s for s in sections if s.groups]


@dataclass
class Counts:
    per_audience: dict[str, int]
    total: int
    answered: int


def counts(consultation: Round) -> Counts:
    """Opinions per audience, in all, and how many are answered."""
    per = dict(
        Opinion.objects.filter(round=consultation)
        .values_list("audience")
        .annotate(n=Count("id"))
        .values_list("audience", "n")
    )
    answered = Opinion.objects.filter(round=consultation, answer__isnull=False).count()
    return Counts({str(label): per.get(kind, 0) for kind, label in AudienceKind.choices}, sum(per.values()), answered)


def _who(opinion: Opinion) -> str:
    if opinion.organization is not None:
        return opinion.organization.name
    return opinion.person.full_name if opinion.person else ""


REGISTER_HEADER = [
    "STT",
    "Phần",
    "Nội dung góp ý",
    "Người, cơ quan góp ý",
    "Tiếp thu, giải trình",
    "Nội dung tiếp thu, lý do",
]


def register_rows(consultation: Round) -> list[list[str]]:
    """The register: every opinion, in the order of the draft, with its answer (R-PUB-5)."""
    rows = []
    n = 0
    for section in synthesis(consultation):
        for group in section.groups:
            for opinion in group.opinions:
                n += 1
                answer = getattr(opinion, "answer", None)
                rows.append(
                    [
                        str(n),
                        section.heading or "Toàn văn dự thảo",
                        opinion.text,
                        _who(opinion),
                        answer.get_decision_display() if answer else "Chưa trả lời",
                        answer.reasoning if answer else "",
                    ]
                )
    return rows


def register_document(consultation: Round) -> OfficialDocument:
    document = consultation.document
    org = document.organization
    tally = Counter(row[4] for row in register_rows(consultation))
    rows = register_rows(consultation)
    summary = (
        f"Đợt lấy ý kiến từ {consultation.opens_on:%d/%m/%Y} đến {consultation.closes_on:%d/%m/%Y} vào dự thảo "
        f"{document.doc_type.name.lower()} {document.title} (phiên bản {consultation.version.number}) nhận được "
        f"{len(rows)} ý kiến; " + "; ".join(f"{label.lower()}: {n}" for label, n in sorted(tally.items())) + "."
    )
    return OfficialDocument(
        superior=org.parent.name if org.parent else "",
        issuer=org.short_name or org.name,
        number="",
        place_date=place_date(locality(org.name), consultation.closes_on),
        kind="BẢN TỔNG HỢP, TIẾP THU, GIẢI TRÌNH Ý KIẾN",
        subject=f"đối với dự thảo {document.doc_type.name.lower()} {document.title}",
        blocks=[Paragraph(summary), Table(REGISTER_HEADER, rows, [0.06, 0.14, 0.28, 0.14, 0.12, 0.26])],
    )


def register_xlsx(consultation: Round) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Tiếp thu, giải trình"
    sheet.append(REGISTER_HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in register_rows(consultation):
        sheet.append([("'" + v) if v[:1] in "=+-@" else v for v in row])  # never a formula
    for column, width in zip("ABCDEF", (6, 22, 60, 24, 18, 60), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
