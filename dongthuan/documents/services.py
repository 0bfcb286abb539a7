"""Every write of a party document: drafting in versions, issuing with its number and symbol, and relations.

A draft's text is a list of sections; each save makes a new version and refuses to overwrite a version someone else
saved meanwhile. Issuing takes the next number of the issuer's sequence for the type and the term (R-DOC-2) under a
row lock — gapless, and two documents issued at the same instant get consecutive numbers — writes the symbol
(R-DOC-3) and freezes the document (R-DOC-5).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dongthuan.audit.services import audit_record, diff, snapshot
from dongthuan.core.access import access_name_author
from dongthuan.core.errors import (
    AccessError,
    ConflictError,
    ErrorCode,
    InputError,
    NumberingError,
    StateError,
)
from dongthuan.core.services import normalize_text_fields, validate
from dongthuan.core.text import nfc
from dongthuan.core.types import Actor, JSONValue
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


def _user(actor: Actor) -> User | None:
    """Who is recorded as having written a record: a signed-in user, or nobody (the system, a visitor)."""
    return actor if isinstance(actor, User) and actor.pk else None


def clean_sections(sections: Sequence[Mapping[str, JSONValue]]) -> list[dict[str, str]]:
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
            raise InputError(
                {
                    "sections": [
                        _("Mỗi phần dài tối đa %(n)s ký tự.") % {"n": f"{MAX_SECTION_CHARS:,}".replace(",", ".")}
                    ]
                },
                code=ErrorCode.DOCUMENT_SECTION_TOO_LONG,
                data={"max_chars": MAX_SECTION_CHARS},
            )
        key = str(section.get("key") or "")
        if not key:
            while f"s{n}" in used:
                n += 1
            key = f"s{n}"
            used.add(key)
        cleaned.append({"key": key, "heading": heading, "text": text})
    if not cleaned:
        raise InputError({"sections": [_("Văn bản chưa có nội dung.")]}, code=ErrorCode.DOCUMENT_EMPTY)
    if len({s["key"] for s in cleaned}) != len(cleaned):
        raise ConflictError(
            {"sections": [_("Hai phần trùng mã; hãy tải lại trang.")]}, code=ErrorCode.DOCUMENT_SECTION_KEYS_CLASH
        )
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
    actor: Actor,
    organization: Organization,
    doc_type: DocumentType,
    title: str,
    sections: Sequence[Mapping[str, JSONValue]],
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
        created_by=_user(actor),
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
        raise StateError(
            _("Văn bản đã ban hành không được sửa; hãy soạn văn bản sửa đổi, bổ sung hoặc thay thế (R-DOC-5)."),
            code=ErrorCode.DOCUMENT_ISSUED,
            rule=rules.R_DOC_5.id,
        )
    return locked


@transaction.atomic
def version_save(
    *, actor: Actor, document: Document, sections: Sequence[Mapping[str, JSONValue]], based_on: int, note: str = ""
) -> Version:
    """Save an edit as a new version. ``based_on`` is the version the editor opened: if another has been saved
    since, nothing is written and the editor is told (optimistic locking)."""
    document = _lock_draft(document)
    latest = document.versions.order_by("-number").first()
    assert latest is not None
    if based_on != latest.number:
        raise ConflictError(
            _(
                "Dự thảo vừa được %(who)s lưu thành phiên bản %(n)s trong khi đồng chí đang sửa. Hãy mở phiên bản mới "
                "nhất rồi sửa lại; nội dung đồng chí vừa nhập chưa được lưu."
            )
            % {"who": latest.created_by or _("người khác"), "n": latest.number},
            code=ErrorCode.STALE,
            data={"latest": latest.number, "based_on": based_on},
        )
    cleaned = clean_sections(sections)
    if cleaned == latest.sections:
        return latest
    version = Version.objects.create(
        document=document,
        number=latest.number + 1,
        sections=cleaned,
        note=nfc(note).strip()[:255],
        created_by=_user(actor),
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
    actor: Actor,
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
        raise NumberingError(
            _("%(org)s chưa có ký hiệu văn bản (TU, HU, ĐU…); hãy khai báo trong thông tin tổ chức.")
            % {"org": organization.name},
            code=ErrorCode.DOCUMENT_NO_CODE,
            rule=rules.R_DOC_3.id,
        )
    term = term_on(organization, issued_on)
    if term is None:
        raise NumberingError(
            _("%(org)s chưa có nhiệm kỳ gồm ngày %(day)s; số văn bản đánh theo nhiệm kỳ (R-DOC-2).")
            % {"org": organization.name, "day": issued_on.strftime("%d/%m/%Y")},
            code=ErrorCode.DOCUMENT_NO_TERM,
            rule=rules.R_DOC_2.id,
        )
    if not signer_title.strip():
        raise InputError({"signer_title": [_("Ghi chức vụ người ký.")]}, code=ErrorCode.DOCUMENT_SIGNER_TITLE_MISSING)
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
def relation_add(*, actor: Actor, source: Document, target: Document, kind: str) -> Relation:
    """``source`` implements, amends, replaces or guides ``target`` (an issued document); shown both ways."""
    if kind not in RelationKind.values:
        raise InputError({"kind": [_("Hãy chọn quan hệ.")]}, code=ErrorCode.DOCUMENT_RELATION_KIND)
    if source.pk == target.pk:
        raise InputError(_("Văn bản không thể liên kết với chính nó."), code=ErrorCode.DOCUMENT_RELATION_TO_ITSELF)
    if target.status != DocumentStatus.ISSUED:
        raise StateError(_("Chỉ liên kết tới văn bản đã ban hành."), code=ErrorCode.DOCUMENT_NOT_ISSUED)
    relation, created = Relation.objects.get_or_create(source=source, target=target, kind=kind)
    if not created:
        raise ConflictError(_("Liên kết này đã có."), code=ErrorCode.DOCUMENT_RELATION_EXISTS)
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
    *, actor: Actor, document: Document, organization: Organization, deadline: dt.date | None = None
) -> Dissemination:
    """Ask the members of ``organization`` to study an issued document."""
    if document.status != DocumentStatus.ISSUED:
        raise StateError(_("Chỉ quán triệt văn bản đã ban hành."), code=ErrorCode.DOCUMENT_NOT_ISSUED)
    if Dissemination.objects.filter(document=document, organization=organization).exists():
        raise ConflictError(
            _("%(org)s đã được giao quán triệt văn bản này.") % {"org": organization.name},
            code=ErrorCode.DISSEMINATION_EXISTS,
        )
    dissemination = Dissemination.objects.create(
        document=document,
        organization=organization,
        deadline=deadline,
        created_by=_user(actor),
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
    actor: Actor,
    dissemination: Dissemination,
    organization: Organization,
    held_on: dt.date,
    attendees: list[Person],
    place: str = "",
) -> StudySession:
    """A study session held by ``organization`` (within the scope): its attendees count as having studied."""
    if not organization.path.startswith(dissemination.organization.path):
        raise InputError(_("Tổ chức này không thuộc phạm vi quán triệt."), code=ErrorCode.DISSEMINATION_OUTSIDE_SCOPE)
    in_scope = set(
        members_in_scope(dissemination).filter(pk__in=[p.pk for p in attendees]).values_list("pk", flat=True)
    )
    outside = [p.full_name for p in attendees if p.pk not in in_scope]
    if outside:
        raise InputError(
            _("Không thuộc diện quán triệt: %(names)s.") % {"names": ", ".join(outside)},
            code=ErrorCode.DISSEMINATION_OUTSIDE_SCOPE,
        )
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
def acknowledge(*, actor: Actor, dissemination: Dissemination, person: Person) -> Acknowledgement:
    """A member confirms they have studied the document. Confirming twice changes nothing."""
    if not members_in_scope(dissemination).filter(pk=person.pk).exists():
        raise AccessError(
            _("Đồng chí không thuộc diện quán triệt văn bản này."), code=ErrorCode.DISSEMINATION_OUTSIDE_SCOPE
        )
    found, _created = Acknowledgement.objects.get_or_create(dissemination=dissemination, person=person)
    return found
