"""Reads for documents: a document's page (versions, relations both ways), the difference between two versions per
section, the library with filters and diacritic-insensitive search, and a document in the official layout."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dongthuan.core.text import unfolded_pattern
from dongthuan.documents import search
from dongthuan.documents.decisions import Decision, decisions_on
from dongthuan.documents.models import (
    INVERSE_LABELS,
    Acknowledgement,
    Dissemination,
    DisseminationMember,
    Document,
    DocumentStatus,
    DocumentType,
    Relation,
    RelationKind,
    Version,
)
from dongthuan.documents.permissions import DocumentScope
from dongthuan.organizations.models import Organization
from dongthuan.people.models import Person
from dongthuan.rules.documents import place_date
from dongthuan.writer.official import Block, Heading, OfficialDocument, Paragraph, Signature, locality

WORD = re.compile(r"\S+|\s+")


@dataclass
class SectionDiff:
    key: str
    heading: str
    status: str  # "same", "changed", "added", "removed"
    html: SafeString  # the text with insertions <ins> and deletions <del>
    heading_before: str = ""


def _word_diff(before: str, after: str) -> SafeString:
    old, new = WORD.findall(before), WORD.findall(after)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(new[j1:j2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(old[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(new[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


def version_diff(before: Version, after: Version) -> list[SectionDiff]:
    """Section by section (matched by key, which follows a section across versions): what changed, word by word."""
    old = {s["key"]: s for s in before.sections}
    seen = set()
    result = []
    for section in after.sections:
        key = section["key"]
        seen.add(key)
        previous = old.get(key)
        if previous is None:
            result.append(SectionDiff(key, section["heading"], "added", _word_diff("", section["text"])))
        elif previous["text"] == section["text"] and previous["heading"] == section["heading"]:
            result.append(SectionDiff(key, section["heading"], "same", mark_safe(escape(section["text"]))))  # noqa: S308
        else:
            result.append(
                SectionDiff(
                    key,
                    section["heading"],
                    "changed",
                    _word_diff(previous["text"], section["text"]),
                    previous["heading"],
                )
            )
    for section in before.sections:
        if section["key"] not in seen:
            result.append(SectionDiff(section["key"], section["heading"], "removed", _word_diff(section["text"], "")))
    return result


@dataclass
class RelationView:
    label: str
    document: Document


@dataclass
class DocumentPage:
    document: Document
    versions: list[Version]
    relations: list[RelationView] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)  # votes on it at meetings (R-DEC-1)


def document_page(document: Document, can_see: Callable[[Document], bool]) -> DocumentPage:
    """The document with its versions and its relations both ways (only to documents ``can_see`` admits)."""
    versions = list(Version.objects.filter(document=document).select_related("created_by").order_by("-number"))
    relations = []
    outgoing = Relation.objects.filter(source=document).select_related("target__doc_type", "target__organization")
    for r in outgoing:
        if can_see(r.target):
            relations.append(RelationView(str(RelationKind(r.kind).label), r.target))
    incoming = Relation.objects.filter(target=document).select_related("source__doc_type", "source__organization")
    for r in incoming:
        if can_see(r.source):
            relations.append(RelationView(str(INVERSE_LABELS[RelationKind(r.kind)]), r.source))
    return DocumentPage(document, versions, relations, decisions_on(document))


LIBRARY_PAGE_SIZE = 20
# What a page of search results shows (the list, and the snippet from the issued text).
RESULT_FIELDS = (
    "symbol",
    "title",
    "issued_on",
    "classification",
    "status",
    "doc_type__name",
    "organization__name",
    "issued_version__sections",
)


@dataclass(frozen=True)
class LibraryPage:
    """A page of the library: its documents, the page (its number and the count, for the navigation: a search pages
    through the ids it ranked), and whether there were more matches than the search ranks (the page then says so)."""

    documents: list[Document]
    page: Page[Document] | Page[int]
    capped: bool = False


def library(
    scope: DocumentScope,
    *,
    q: str = "",
    doc_type: int | None = None,
    organization: int | None = None,
    year: int | None = None,
    field: str = "",
    page: int = 1,
) -> tuple[LibraryPage, list[str]]:
    """Issued documents the reader may see (``scope``), filtered; newest first, or best match first when ``q`` is
    given (documents/search.py: diacritics and case ignored, neighbouring syllables matched as pairs)."""
    words = search.query_terms(q)
    found = scope.documents
    if doc_type:
        found = found.filter(doc_type_id=doc_type)
    if organization:
        found = found.filter(organization_id=organization)
    if year:
        found = found.filter(issued_on__year=year)
    if field:
        found = found.filter(field=field)
    if not words:
        found = found.select_related("doc_type", "organization").order_by("-issued_on", "-number", "-id")
        paged_documents = Paginator(found.defer("search_text"), LIBRARY_PAGE_SIZE).get_page(page)
        return LibraryPage(list(paged_documents.object_list), paged_documents), words
    filters = search.Filters(scope.issuers, organization, doc_type, year, field)
    for pairs, prefix in search.steps(words):  # pairs, then syllables anywhere; each whole, then the last a prefix
        granted: list[int] = []
        if scope.granted:  # classified documents named for the reader: few, matched apart
            named = found.filter(pk__in=scope.granted).exclude(classification="")
            for pattern in search.token_patterns(words, pairs, prefix):
                named = named.filter(search_text__regex=pattern)
            granted = list(named.order_by("-issued_on", "-id").values_list("pk", flat=True))
        matches = search.Matches(words, filters, granted, pairs, prefix)
        if matches.count():
            break
    paged = Paginator(matches, LIBRARY_PAGE_SIZE).get_page(page)
    rows = (
        Document.objects.filter(pk__in=list(paged.object_list))
        .select_related("doc_type", "organization", "issued_version")
        .only(*RESULT_FIELDS)
    )
    by_id = {d.pk: d for d in rows}
    documents = [by_id[pk] for pk in paged.object_list if pk in by_id]
    return LibraryPage(documents, paged, capped=matches.capped), words


def snippet(document: Document, words: list[str], width: int = 180) -> SafeString:
    """A piece of the issued text around the first word searched for, with the words marked."""
    version = document.issued_version
    text = " ".join(f"{s['heading']} {s['text']}" for s in (version.sections if version else []))
    pattern = unfolded_pattern(tuple(words))
    first = pattern.search(text)
    start = max(0, (first.start() if first else 0) - width // 3)
    piece = text[start : start + width]
    marks = [(m.start(), m.end()) for m in pattern.finditer(piece)]
    out: list[str] = []
    pos = 0
    for a, b in sorted(marks):
        if a < pos:
            continue
        out.append(escape(piece[pos:a]))
        out.append(f"<mark>{escape(piece[a:b])}</mark>")
        pos = b
    out.append(escape(piece[pos:]))
    prefix = "… " if start else ""
    suffix = " …" if start + width < len(text) else ""
    return mark_safe(prefix + "".join(out) + suffix)  # noqa: S308 - escaped above


def official_document(document: Document, version: Version | None = None) -> OfficialDocument:
    """The document in the official layout (R-DOC-4): an issued one with its number and signer; a draft marked
    "DỰ THẢO" with its number left blank."""
    org = document.organization
    issued = document.status == DocumentStatus.ISSUED
    version = version or (document.issued_version if issued else document.versions.order_by("-number").first())
    blocks: list[Block] = []
    for section in version.sections if version else []:
        if section["heading"]:
            blocks.append(Heading(section["heading"]))
        if section["text"]:
            blocks.append(Paragraph(section["text"]))
    number = f"Số {document.symbol}" if issued else f"Số     -{document.doc_type.abbreviation}/{org.doc_code}"
    day = document.issued_on
    date_line = (
        place_date(document.place or locality(org.name), day) if day else f"{locality(org.name)}, ngày … tháng … năm …"
    )
    return OfficialDocument(
        superior=org.parent.name if org.parent else "",
        issuer=org.short_name or org.name,
        number=number,
        place_date=date_line,
        kind=document.doc_type.name,
        subject=document.title,
        blocks=blocks,
        signatures=[
            Signature(
                document.signer_title or "",
                document.signer.full_name if document.signer else "",
                document.signer_authority,
            )
        ]
        if issued
        else [],
        recipients=document.recipients.splitlines() if document.recipients else [],
        draft=not issued,
        secrecy=document.get_classification_display().upper() if document.classification else "",
    )


def document_types() -> QuerySet[DocumentType]:
    """The kinds of document (the library's filter, a new draft's choice)."""
    return DocumentType.objects.all()


def organization_by_id(pk: int | None) -> Organization | None:
    """The organisation a study page names (the service checks that it is within the study's scope)."""
    return Organization.objects.filter(pk=pk or 0).first()


def dissemination_unit(dissemination: Dissemination, pk: int | None) -> Organization | None:
    """An organisation within a study's scope: the organisation it was given to or one below it."""
    return Organization.objects.filter(pk=pk or 0, path__startswith=dissemination.organization.path).first()


def members_in_scope(dissemination: Dissemination) -> QuerySet[Person]:
    """The party members who must study the document (fixed when it was given)."""
    return Person.objects.filter(
        pk__in=DisseminationMember.objects.filter(dissemination=dissemination).values("person_id")
    )


@dataclass
class Coverage:
    organization: Organization
    members: int
    acknowledged: int

    @property
    def percent(self) -> int:
        return round(100 * self.acknowledged / self.members) if self.members else 0


def coverage(dissemination: Dissemination) -> list[Coverage]:
    """How many of those who must study the document have (fixed when it was given): the whole organisation first,
    then each of its direct sub-organisations ("Trung Mỹ: 96% of 412 members")."""
    done = Acknowledgement.objects.filter(dissemination=dissemination, person=OuterRef("person"))
    rows = list(
        DisseminationMember.objects.filter(dissemination=dissemination)
        .annotate(ok=Exists(done))
        .values("unit")
        .annotate(n=Count("id"), acknowledged=Count("id", filter=Q(ok=True)))
        .values_list("unit", "n", "acknowledged")
    )
    per_unit = {unit: (n, ok) for unit, n, ok in rows}
    units = Organization.objects.filter(pk__in=[u for u in per_unit if u]).order_by("name")
    result = [
        Coverage(
            dissemination.organization, sum(n for n, _ok in per_unit.values()), sum(ok for _n, ok in per_unit.values())
        )
    ]
    result += [Coverage(u, *per_unit[u.pk]) for u in units]
    return result
