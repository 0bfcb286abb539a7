"""Every write of a party document: drafting in versions, issuing with its number and symbol, and relations.

A draft's text is a list of sections; each save makes a new version and refuses to overwrite a version someone else
saved meanwhile. Issuing takes the next number of the issuer's sequence for the type and the term (R-DOC-2) under a
row lock — gapless, and two documents issued at the same instant get consecutive numbers — writes the symbol
(R-DOC-3) and freezes the document (R-DOC-5).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dongthuan.audit.services import audit_record, diff, snapshot
from dongthuan.core.access import access_name_author
from dongthuan.core.errors import DomainError
from dongthuan.core.services import normalize_text_fields, validate
from dongthuan.core.text import nfc
from dongthuan.documents import search
from dongthuan.documents.models import (
    Acknowledgement,
    Dissemination,
    DisseminationMember,
    Document,
    DocumentStatus,
    DocumentType,
    NumberSequence,
    Relation,
    RelationKind,
    StudySession,
    Version,
)
from dongthuan.documents.selectors import members_in_scope
from dongthuan.organizations.models import Organization, Term
from dongthuan.people.models import Person
from dongthuan.rules import documents as rules

DOCUMENT_FIELDS = ("organization", "doc_type", "title", "field", "classification", "by_congress", "status")
ISSUE_FIELDS = ("number", "symbol", "issued_on", "place", "signer", "signer_authority", "signer_title", "term")
MAX_SECTION_CHARS = 50_000


def clean_sections(sections: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Sections as stored: NFC text, a heading or a text in each, a key that follows the section across versions
    (new sections get the next free key)."""
    cleaned: list[dict[str, str]] = []
    used = {str(s.get("key")) for s in sections if s.get("key")}
    n = 0
    for section in sections:
        heading = nfc(str(section.get("heading") or "")).strip()
        text = nfc(str(section.get("text") or "")).replace("\r\n", "\n").strip()
        if not heading and not text:
            continue
        if len(text) > MAX_SECTION_CHARS:
            raise DomainError(
                {
                    "sections": [
                        _("Mỗi phần dài tối đa %(n)s ký tự.") % {"n": f"{MAX_SECTION_CHARS:,}".replace(",", ".")}
                    ]
                }
            )
        key = str(section.get("key") or "")
        if not key:
            while f"s{n}" in used:
                n += 1
            key = f"s{n}"
            used.add(key)
        cleaned.append({"key": key, "heading": heading, "text": text})
    if not cleaned:
        raise DomainError({"sections": [_("Văn bản chưa có nội dung.")]})
    if len({s["key"] for s in cleaned}) != len(cleaned):
        raise DomainError({"sections": [_("Hai phần trùng mã; hãy tải lại trang.")]})
    return cleaned


def _index(document: Document, sections: list[dict[str, str]]) -> None:
    """What the library's search finds a document by (documents/search.py)."""
    document.search_title, document.search_text = search.document_texts(
        symbol=document.symbol,
        type_name=document.doc_type.name,
        title=document.title,
        field=document.field,
        sections=sections,
        organization_id=document.organization_id,
        doc_type_id=document.doc_type_id,
        year=document.issued_on.year if document.issued_on else None,
    )


@transaction.atomic
def document_create(
    *,
    actor: Any,
    organization: Organization,
    doc_type: DocumentType,
    title: str,
    sections: list[dict[str, Any]],
    field: str = "",
    classification: str = "",
    by_congress: bool = False,
) -> Document:
    """A new draft with its first version."""
    document = Document(
        organization=organization,
        doc_type=doc_type,
        title=title,
        field=field,
        classification=classification,
        by_congress=by_congress,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    normalize_text_fields(document)
    validate(document, exclude=["created_by", "search_text", "search_title"])
    cleaned = clean_sections(sections)
    _index(document, cleaned)
    document.save()
    Version.objects.create(document=document, number=1, sections=cleaned, created_by=document.created_by)
    audit_record(actor=actor, action="create", obj=document, changes=diff({}, snapshot(document, DOCUMENT_FIELDS)))
    access_name_author(actor=actor, target=document)  # a classified draft is its drafter's to share
    return document


def _lock_draft(document: Document) -> Document:
    locked = Document.objects.select_for_update().select_related("doc_type", "organization").get(pk=document.pk)
    if locked.status == DocumentStatus.ISSUED:
        raise DomainError(
            _("Văn bản đã ban hành không được sửa; hãy soạn văn bản sửa đổi, bổ sung hoặc thay thế (R-DOC-5)."),
            code="issued",
            rule=rules.R_DOC_5.id,
        )
    return locked


@transaction.atomic
def version_save(
    *, actor: Any, document: Document, sections: list[dict[str, Any]], based_on: int, note: str = ""
) -> Version:
    """Save an edit as a new version. ``based_on`` is the version the editor opened: if another has been saved
    since, nothing is written and the editor is told (optimistic locking)."""
    document = _lock_draft(document)
    latest = document.versions.order_by("-number").first()
    assert latest is not None
    if based_on != latest.number:
        raise DomainError(
            _(
                "Dự thảo vừa được %(who)s lưu thành phiên bản %(n)s trong khi đồng chí đang sửa. Hãy mở phiên bản mới "
                "nhất rồi sửa lại; nội dung đồng chí vừa nhập chưa được lưu."
            )
            % {"who": latest.created_by or _("người khác"), "n": latest.number},
            code="stale",
        )
    cleaned = clean_sections(sections)
    if cleaned == latest.sections:
        return latest
    version = Version.objects.create(
        document=document,
        number=latest.number + 1,
        sections=cleaned,
        note=nfc(note).strip()[:255],
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _index(document, cleaned)
    document.save(update_fields=["search_text", "search_title"])
    audit_record(actor=actor, action="version", obj=document, changes={"version": [latest.number, version.number]})
    return version


def term_on(organization: Organization, day: dt.date) -> Term | None:
    """The organisation's term that includes ``day`` (R-ORG-3)."""
    return (
        Term.objects.filter(organization=organization, start__lte=day).exclude(end__lt=day).order_by("-start").first()
    )


def _next_number(key: str) -> int:
    """R-DOC-2: the next number of a sequence, under a row lock: gapless, never reused, consecutive under
    concurrency."""
    try:
        with transaction.atomic():
            NumberSequence.objects.get_or_create(key=key)
    except IntegrityError:  # created at the same instant by another issue: it exists now
        pass
    sequence = NumberSequence.objects.select_for_update().get(key=key)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


@transaction.atomic
def document_issue(
    *,
    actor: Any,
    document: Document,
    issued_on: dt.date,
    place: str,
    signer: Person | None,
    signer_title: str,
    signer_authority: str = "",
    recipients: str = "",
) -> Document:
    """Issue the latest version: the next number of the issuer's sequence for this type and term (R-DOC-2), the
    symbol (R-DOC-3); from now on the document never changes (R-DOC-5)."""
    document = _lock_draft(document)
    organization = document.organization
    if not organization.doc_code:
        raise DomainError(
            _("%(org)s chưa có ký hiệu văn bản (TU, HU, ĐU…); hãy khai báo trong thông tin tổ chức.")
            % {"org": organization.name},
            code="no_code",
            rule=rules.R_DOC_3.id,
        )
    term = term_on(organization, issued_on)
    if term is None:
        raise DomainError(
            _("%(org)s chưa có nhiệm kỳ gồm ngày %(day)s; số văn bản đánh theo nhiệm kỳ (R-DOC-2).")
            % {"org": organization.name, "day": issued_on.strftime("%d/%m/%Y")},
            code="no_term",
            rule=rules.R_DOC_2.id,
        )
    if not signer_title.strip():
        raise DomainError({"signer_title": [_("Ghi chức vụ người ký.")]})
    key = rules.sequence_key(organization.pk, term.pk, document.doc_type.abbreviation, document.by_congress)
    number = _next_number(key)
    latest = document.versions.order_by("-number").first()
    document.term, document.number, document.issued_on = term, number, issued_on
    document.symbol = rules.number_symbol(number, document.doc_type.abbreviation, organization.doc_code)
    document.place, document.signer = nfc(place).strip(), signer
    document.signer_title, document.signer_authority = nfc(signer_title).strip(), nfc(signer_authority).strip()
    document.recipients = "\n".join(line.strip() for line in nfc(recipients).splitlines() if line.strip())
    document.status, document.issued_version = DocumentStatus.ISSUED, latest
    _index(document, latest.sections if latest else [])
    document.save()
    audit_record(actor=actor, action="issue", obj=document, changes=diff({}, snapshot(document, ISSUE_FIELDS)))
    return document


@transaction.atomic
def relation_add(*, actor: Any, source: Document, target: Document, kind: str) -> Relation:
    """``source`` implements, amends, replaces or guides ``target`` (an issued document); shown both ways."""
    if kind not in RelationKind.values:
        raise DomainError({"kind": [_("Hãy chọn quan hệ.")]})
    if source.pk == target.pk:
        raise DomainError(_("Văn bản không thể liên kết với chính nó."))
    if target.status != DocumentStatus.ISSUED:
        raise DomainError(_("Chỉ liên kết tới văn bản đã ban hành."))
    relation, created = Relation.objects.get_or_create(source=source, target=target, kind=kind)
    if not created:
        raise DomainError(_("Liên kết này đã có."))
    # Recorded in the source's history, which those not named on a classified target read too: such a target is
    # named by its number alone (stored in Vietnamese, like every history row).
    named = f"{target.symbol} (văn bản mật)" if target.is_classified else str(target)
    audit_record(
        actor=actor,
        action="relation",
        obj=source,
        changes={"relation": [None, f"{relation.get_kind_display()} {named}"]},
    )
    return relation


# --- dissemination (quán triệt) -------------------------------------------------------------------------------------

MEMBER_STATUSES = ("full", "probationary")


@transaction.atomic
def dissemination_create(
    *, actor: Any, document: Document, organization: Organization, deadline: dt.date | None = None
) -> Dissemination:
    """Ask the members of ``organization`` to study an issued document."""
    if document.status != DocumentStatus.ISSUED:
        raise DomainError(_("Chỉ quán triệt văn bản đã ban hành."))
    if Dissemination.objects.filter(document=document, organization=organization).exists():
        raise DomainError(_("%(org)s đã được giao quán triệt văn bản này.") % {"org": organization.name})
    dissemination = Dissemination.objects.create(
        document=document,
        organization=organization,
        deadline=deadline,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    units = {path: pk for pk, path in Organization.objects.filter(parent=organization).values_list("pk", "path")}
    width = len(organization.path) + (len(next(iter(units))) - len(organization.path) if units else 0)
    members = Person.objects.filter(
        party_status__in=MEMBER_STATUSES, cell__path__startswith=organization.path
    ).values_list("pk", "cell__path")
    DisseminationMember.objects.bulk_create(
        [
            DisseminationMember(dissemination=dissemination, person_id=pk, unit_id=units.get(path[:width]))
            for pk, path in members
        ],
        batch_size=2000,
    )
    audit_record(actor=actor, action="dissemination", obj=document, changes={"organization": [None, organization.name]})
    return dissemination


@transaction.atomic
def session_record(
    *,
    actor: Any,
    dissemination: Dissemination,
    organization: Organization,
    held_on: dt.date,
    attendees: list[Person],
    place: str = "",
) -> StudySession:
    """A study session held by ``organization`` (within the scope): its attendees count as having studied."""
    if not organization.path.startswith(dissemination.organization.path):
        raise DomainError(_("Tổ chức này không thuộc phạm vi quán triệt."))
    in_scope = set(
        members_in_scope(dissemination).filter(pk__in=[p.pk for p in attendees]).values_list("pk", flat=True)
    )
    outside = [p.full_name for p in attendees if p.pk not in in_scope]
    if outside:
        raise DomainError(_("Không thuộc diện quán triệt: %(names)s.") % {"names": ", ".join(outside)})
    session = StudySession.objects.create(
        dissemination=dissemination, organization=organization, held_on=held_on, place=nfc(place).strip()
    )
    done = set(Acknowledgement.objects.filter(dissemination=dissemination).values_list("person_id", flat=True))
    Acknowledgement.objects.bulk_create(
        [Acknowledgement(dissemination=dissemination, person_id=pk, session=session) for pk in sorted(in_scope - done)]
    )
    audit_record(
        actor=actor,
        action="study_session",
        obj=dissemination.document,
        changes={"session": [None, f"{organization.name} {held_on:%d/%m/%Y}: {len(in_scope)}"]},
    )
    return session


@transaction.atomic
def acknowledge(*, actor: Any, dissemination: Dissemination, person: Person) -> Acknowledgement:
    """A member confirms they have studied the document. Confirming twice changes nothing."""
    if not members_in_scope(dissemination).filter(pk=person.pk).exists():
        raise DomainError(_("Đồng chí không thuộc diện quán triệt văn bản này."))
    found, _created = Acknowledgement.objects.get_or_create(dissemination=dissemination, person=person)
    return found
