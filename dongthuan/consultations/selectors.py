"""Reads for a consultation: who is asked, the synthesis by section with near-duplicate opinions grouped, counts per
audience, citizens' opinions waiting for moderation, what the public page shows, and the response register (bản
tổng hợp, tiếp thu, giải trình ý kiến) as rows, Word and Excel."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from dongthuan.consultations.models import Audience, AudienceKind, Decision, Opinion, OpinionStatus, Round
from dongthuan.core.models import AccessGrant
from dongthuan.core.text import fold, formula_safe
from dongthuan.organizations.models import BodyKind, Organization, Position
from dongthuan.people.models import PartyStatus, Person
from dongthuan.rules.documents import place_date
from dongthuan.writer.official import OfficialDocument, Paragraph, Table, locality

RECEIVED = OpinionStatus.RECEIVED

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


def similar_group(consultation_id: int, section_key: str, text: str) -> int | None:
    """The group a new opinion joins: the first group (in order of arrival) of the same section whose first opinion
    it resembles, or None for a new group."""
    shingles = _shingles(text)
    if not shingles:
        return None
    roots = (
        Opinion.objects.filter(round_id=consultation_id, section_key=section_key, group=F("id"))
        .order_by("id")
        .values_list("id", "text")
    )
    for pk, root_text in roots.iterator(chunk_size=500):
        other = _shingles(root_text)
        union = shingles | other
        if union and len(shingles & other) / len(union) >= SIMILAR:
            return int(pk)
    return None


SYNTHESIS_PAGE_SIZE = 25  # each opinion comes with its answer form


def _asked(audience: Audience, on: dt.date) -> Q:
    """Who an audience is, as a condition on people, on ``on``: the committee's members; cadres of the chosen
    subtree; its party members; the heads of a Front or mass organisation asked for a written opinion. The public
    is nobody in particular."""
    posts = Position.objects.current(on)
    org = audience.organization
    if audience.kind == AudienceKind.COMMITTEE:
        chosen = posts.filter(organization=org, body__kind__in=[BodyKind.COMMITTEE, BodyKind.STANDING_COMMITTEE])
        return Q(pk__in=chosen.values("person"))
    if audience.kind == AudienceKind.CADRES:
        return Q(pk__in=posts.filter(organization__path__startswith=org.path).values("person"))
    if audience.kind == AudienceKind.MEMBERS:
        return Q(cell__path__startswith=org.path, party_status__in=[PartyStatus.PROBATIONARY, PartyStatus.FULL])
    if audience.kind == AudienceKind.ORGANISATIONS:
        return Q(pk__in=posts.filter(organization=org).values("person"))
    return Q(pk__in=[])


def audience_people(consultation: Round, on: dt.date) -> QuerySet[Person]:
    """Everyone the round asks on ``on``. A classified draft asks only those of its audiences named on it: nobody
    else may open the round, and an invitation or a reminder would tell them its title."""
    wanted = Q(pk__in=[])
    for audience in consultation.audiences.select_related("organization"):
        wanted |= _asked(audience, on)
    people = Person.objects.filter(wanted)
    document = consultation.document
    if document.is_classified:
        named = AccessGrant.objects.filter(
            content_type=ContentType.objects.get_for_model(document), object_id=str(document.pk)
        ).values("user_id")
        people = people.filter(account_id__in=named)
    return people


def audience_of(
    consultation: Round, person: Person, on: dt.date | None = None
) -> tuple[str, Organization | None] | None:
    """Which of the round's audiences ``person`` belongs to (and, for an organisation's written opinion, which
    organisation they answer for), or None."""
    on = on or timezone.localdate()
    for audience in consultation.audiences.select_related("organization").order_by("id"):
        if audience.kind != AudienceKind.PUBLIC and Person.objects.filter(_asked(audience, on), pk=person.pk).exists():
            organization = audience.organization if audience.kind == AudienceKind.ORGANISATIONS else None
            return audience.kind, organization
    return None


def is_public(consultation: Round) -> bool:
    """Whether the round asks the public (never for a classified draft)."""
    return not consultation.document.is_classified and any(
        a.kind == AudienceKind.PUBLIC for a in consultation.audiences.all()
    )


def public_rounds() -> QuerySet[Round]:
    """Rounds put to the public on unclassified drafts, newest first."""
    return (
        Round.objects.filter(audiences__kind=AudienceKind.PUBLIC, document__classification="")
        .select_related("document__organization", "document__doc_type")
        .distinct()
        .order_by("-opens_on", "-id")
    )


def rounds_with_pages() -> QuerySet[Round]:
    """Rounds with what their pages show of the draft (its issuer and its type) and the version asked about."""
    return Round.objects.select_related("document__organization__parent", "document__doc_type", "version")


def opinions_of(consultation: Round, *, public: bool = False) -> QuerySet[Opinion]:
    """A round's opinions (only the public's with ``public``)."""
    found = Opinion.objects.filter(round=consultation)
    return found.filter(audience=AudienceKind.PUBLIC) if public else found


def opinions_given(consultation: Round, person: Person | None) -> list[Opinion]:
    """What ``person`` has said in a round, with the answers, in the order given."""
    return list(Opinion.objects.filter(round=consultation, person=person).select_related("answer").order_by("id"))


def round_organizations(organization: Organization) -> QuerySet[Organization]:
    """What a round on ``organization``'s draft may ask: the organisation and those right below it, not dissolved."""
    subtree = Organization.objects.filter(path__startswith=organization.path, depth__lte=organization.depth + 1)
    return subtree.exclude(status="dissolved").order_by("depth", "name")


def moderation_queue(consultation: Round) -> list[Opinion]:
    """Citizens' opinions confirmed by email and waiting for the drafting team, oldest first (at most 200 at a time),
    then the refused ones, which may be reconsidered."""
    waiting = Opinion.objects.filter(round=consultation, status__in=[OpinionStatus.PENDING, OpinionStatus.REJECTED])
    return list(waiting.order_by("-status", "id")[:200])


def published(consultation: Round, page: int = 1) -> Page[Opinion]:
    """What the public page shows of the opinions: citizens' opinions taken in (never their email), newest first,
    with the answer once the round is synthesised."""
    opinions = Opinion.objects.filter(round=consultation, audience=AudienceKind.PUBLIC, status=RECEIVED)
    return Paginator(opinions.select_related("answer").order_by("-id"), SYNTHESIS_PAGE_SIZE).get_page(page)


@dataclass
class SectionCount:
    key: str
    heading: str
    count: int
    groups: int


def sections_of(consultation: Round) -> list[SectionCount]:
    """Every section of the consulted version (the whole draft first) with its opinions and groups counted."""
    rows = (
        Opinion.objects.filter(round=consultation, status=RECEIVED)
        .order_by()
        .values("section_key")
        .annotate(n=Count("id"), g=Count("group", distinct=True))
        .values_list("section_key", "n", "g")
    )
    found = {key: (n, g) for key, n, g in rows}
    heads = [(WHOLE, "")] + [(sec["key"], sec["heading"] or sec["text"][:60]) for sec in consultation.version.sections]
    return [SectionCount(key, heading, *found.get(key, (0, 0))) for key, heading in heads]


def synthesis(
    consultation: Round, section_key: str | None = None, page: int = 1
) -> tuple[list[SectionCount], SectionSynthesis, Page[Opinion]]:
    """The sections with their counts, and one section's opinions (by default the first with any), a page at a
    time, near-duplicates together."""
    counts = sections_of(consultation)
    if section_key is None:
        section_key = next((c.key for c in counts if c.count), WHOLE)
    heading = next((c.heading for c in counts if c.key == section_key), "")
    opinions = (
        Opinion.objects.filter(round=consultation, section_key=section_key, status=RECEIVED)
        .select_related("person", "organization", "answer")
        .order_by("group", "id")
    )
    paged = Paginator(opinions, SYNTHESIS_PAGE_SIZE).get_page(page)
    section = SectionSynthesis(section_key, heading)
    for opinion in paged.object_list:
        if section.groups and section.groups[-1].opinions[0].group == opinion.group:
            section.groups[-1].opinions.append(opinion)
        else:
            section.groups.append(Group([opinion]))
    return counts, section, paged


@dataclass
class Counts:
    per_audience: dict[str, int]
    total: int
    answered: int
    pending: int = 0


def counts(consultation: Round) -> Counts:
    """Opinions per audience, in all, and how many are answered."""
    per = dict(
        Opinion.objects.filter(round=consultation, status=RECEIVED)
        .order_by()
        .values_list("audience")
        .annotate(n=Count("id"))
        .values_list("audience", "n")
    )
    answered = Opinion.objects.filter(round=consultation, status=RECEIVED, answer__isnull=False).count()
    pending = Opinion.objects.filter(round=consultation, status=OpinionStatus.PENDING).count()
    return Counts(
        {str(label): per.get(kind, 0) for kind, label in AudienceKind.choices}, sum(per.values()), answered, pending
    )


REGISTER_HEADER = [
    "STT",
    "Phần",
    "Nội dung góp ý",
    "Người, cơ quan góp ý",
    "Tiếp thu, giải trình",
    "Nội dung tiếp thu, lý do",
]


def register_rows(consultation: Round, public: bool = False) -> list[list[str]]:
    """The register: every opinion taken in, in the order of the draft, near-duplicates together, with its answer
    (R-PUB-5). The register published for a public round names organisations but no person: an individual opinion
    is shown with its audience ("Nhân dân", "Đảng viên của tổ chức")."""
    order = {WHOLE: 0} | {sec["key"]: i for i, sec in enumerate(consultation.version.sections, start=1)}
    heads = {WHOLE: "Toàn văn dự thảo"} | {
        sec["key"]: sec["heading"] or sec["text"][:60] for sec in consultation.version.sections
    }
    decisions = dict(Decision.choices)
    audiences = dict(AudienceKind.choices)
    rows = list(
        Opinion.objects.filter(round=consultation, status=RECEIVED).values_list(
            "section_key",
            "group",
            "id",
            "text",
            "organization__name",
            "person__full_name",
            "author_name",
            "audience",
            "answer__decision",
            "answer__reasoning",
        )
    )
    rows.sort(key=lambda r: (order.get(r[0], len(order)), r[1] or 0, r[2]))
    return [
        [
            str(n),
            heads.get(key, ""),
            text,
            org_name or (str(audiences[audience]) if public else person_name or f"{author} (nhân dân)"),
            str(decisions[decision]) if decision else "Chưa trả lời",
            reasoning or "",
        ]
        for n, (key, _group, _pk, text, org_name, person_name, author, audience, decision, reasoning) in enumerate(
            rows, start=1
        )
    ]


def register_document(consultation: Round, public: bool = False) -> OfficialDocument:
    document = consultation.document
    org = document.organization
    rows = register_rows(consultation, public)
    tally = Counter(row[4] for row in rows)
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


def register_xlsx(consultation: Round, public: bool = False) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Tiếp thu, giải trình"
    sheet.append(REGISTER_HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in register_rows(consultation, public):
        sheet.append([formula_safe(v) for v in row])  # never a formula; an empty cell stays empty
    for column, width in zip("ABCDEF", (6, 22, 60, 24, 18, 60), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
