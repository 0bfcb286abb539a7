"""Every write on organisations, terms, bodies and positions. Each is atomic and leaves an audit record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dongthuan.audit.services import audit_record, diff, snapshot
from dongthuan.core.errors import DomainError
from dongthuan.core.services import apply_fields, normalize_text_fields, validate
from dongthuan.core.text import fold
from dongthuan.core.types import Actor
from dongthuan.organizations.models import (
    PARTY_KINDS,
    PATH_SEGMENT_WIDTH,
    Body,
    BodyKind,
    Level,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    ParentLink,
    PartyStatus,
    PersonRecord,
    Position,
    PositionTitle,
    Term,
)
from dongthuan.rules import organization as org_rules

ORGANIZATION_FIELDS = (
    "name",
    "short_name",
    "kind",
    "level",
    "doc_code",
    "parent",
    "status",
    "valid_from",
    "valid_to",
    "address",
    "notes",
)
ORGANIZATION_EDITABLE = ("name", "short_name", "doc_code", "valid_from", "valid_to", "address", "notes")
PARTY_POST_TITLES = (
    PositionTitle.SECRETARY,
    PositionTitle.DEPUTY_SECRETARY,
    PositionTitle.STANDING_MEMBER,
    PositionTitle.MEMBER,
)


def _today() -> dt.date:
    return timezone.localdate()


def _check_level_placement(org: Organization) -> None:
    """R-ORG-4: the organisation's level must exist on its date and sit directly under its parent's level."""
    if org.level is None:
        return
    on = org.valid_from or _today()
    parent_level = org.parent.level if org.parent is not None else None
    problem = org_rules.level_placement_problem(
        org.level.span(),
        parent_level.span() if parent_level is not None else None,
        on,
        [lv.span() for lv in Level.objects.all()],
    )
    if problem:
        raise DomainError({"level": [problem]}, rule=org_rules.R_ORG_4.id)


def _set_path(org: Organization) -> None:
    segment = f"{org.pk:0{PATH_SEGMENT_WIDTH}d}."
    org.path = (org.parent.path if org.parent is not None else "") + segment
    org.depth = org.parent.depth + 1 if org.parent is not None else 0


@transaction.atomic
def organization_create(
    *,
    actor: Actor,
    name: str,
    kind: str,
    parent: Organization | None = None,
    level: Level | None = None,
    short_name: str = "",
    doc_code: str = "",
    valid_from: dt.date | None = None,
    status: str | None = None,
    address: str = "",
    notes: str = "",
) -> Organization:
    """Create an organisation under ``parent``. A new cell starts as "forming" until it has 3 full members."""
    if status is None:
        status = OrganizationStatus.FORMING if kind == OrganizationKind.CELL else OrganizationStatus.ACTIVE
    org = Organization(
        name=name,
        kind=kind,
        parent=parent,
        level=level,
        short_name=short_name,
        doc_code=doc_code,
        valid_from=valid_from,
        status=status,
        address=address,
        notes=notes,
    )
    normalize_text_fields(org)
    org.search_name = fold(f"{org.name} {org.short_name}")
    validate(org, exclude=["path", "depth", "search_name"])
    _check_level_placement(org)
    if parent is not None and parent.status == OrganizationStatus.DISSOLVED:
        raise DomainError({"parent": [_("Không thể thêm tổ chức trực thuộc một tổ chức đã giải thể.")]})
    if kind == OrganizationKind.CELL and status == OrganizationStatus.ACTIVE:
        raise DomainError(org_rules.cell_minimum_message(0), code="cell_below_minimum", rule=org_rules.R_ORG_1.id)
    org.save()
    _set_path(org)
    org.save(update_fields=["path", "depth"])
    ParentLink.objects.create(organization=org, parent=parent, valid_from=valid_from)
    audit_record(actor=actor, action="create", obj=org, changes=diff({}, snapshot(org, ORGANIZATION_FIELDS)))
    return org


@transaction.atomic
def organization_update(*, actor: Actor, organization: Organization, **fields: Any) -> Organization:
    """Change an organisation's descriptive fields (moves, merges and splits are restructuring operations)."""
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    before = snapshot(org, ORGANIZATION_FIELDS)
    apply_fields(org, fields, ORGANIZATION_EDITABLE)
    normalize_text_fields(org)
    org.search_name = fold(f"{org.name} {org.short_name}")
    validate(org, exclude=["path", "depth", "search_name"])
    _check_level_placement(org)
    changes = diff(before, snapshot(org, ORGANIZATION_FIELDS))
    if changes:
        org.save()
        audit_record(actor=actor, action="update", obj=org, changes=changes)
    return org


def cell_full_member_count(cell: Organization) -> int:
    return cell.party_members.filter(party_status=PartyStatus.FULL).count()


@transaction.atomic
def organization_activate(*, actor: Actor, organization: Organization) -> Organization:
    """Mark an organisation active. R-ORG-1: a cell below 3 full members cannot be marked active."""
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    if org.status == OrganizationStatus.ACTIVE:
        return org
    if org.status == OrganizationStatus.DISSOLVED:
        raise DomainError(_("Tổ chức đã giải thể không thể hoạt động trở lại."), code="dissolved")
    if org.kind == OrganizationKind.CELL:
        full = cell_full_member_count(org)
        if not org_rules.cell_has_minimum_members(full):
            raise DomainError(
                org_rules.cell_minimum_message(full), code="cell_below_minimum", rule=org_rules.R_ORG_1.id
            )
    before = snapshot(org, ["status"])
    org.status = OrganizationStatus.ACTIVE
    org.save(update_fields=["status"])
    audit_record(actor=actor, action="activate", obj=org, changes=diff(before, snapshot(org, ["status"])))
    return org


TERM_FIELDS = ["organization", "name", "congress_closed_on", "start", "end"]


def term_check(
    *,
    organization: Organization,
    start: dt.date | None,
    end: dt.date | None,
    congress_closed_on: dt.date | None,
    term: Term | None = None,
) -> dt.date:
    """R-ORG-3 for a term being written (``term``: the one being changed): it starts the day after its congress
    closes, does not end before it starts and overlaps no other term of the organisation — so that every day
    falls in at most one term and a document's number (R-DOC-2) is taken from one sequence. Returns the start."""
    if start is None:
        if congress_closed_on is None:
            raise DomainError({"start": [_("Cần ngày bắt đầu hoặc ngày bế mạc đại hội.")]})
        start = org_rules.term_start(congress_closed_on)
    problem = org_rules.term_problem(start, end, congress_closed_on)
    if problem:
        raise DomainError({"start": [problem]}, rule=org_rules.R_ORG_3.id)
    overlapping = Term.objects.filter(organization=organization, start__lte=end or dt.date.max).exclude(end__lt=start)
    if term is not None and term.pk is not None:
        overlapping = overlapping.exclude(pk=term.pk)
    if overlapping.exists():
        raise DomainError(
            {"start": [_("Nhiệm kỳ này trùng thời gian với một nhiệm kỳ khác của tổ chức.")]}, rule=org_rules.R_ORG_3.id
        )
    return start


def _numbered_in(term: Term) -> Any:
    """The documents issued with a number of ``term``'s sequences (R-DOC-2). Documents sit above organisations,
    so the model is looked up by name rather than imported."""
    from django.apps import apps

    return apps.get_model("documents", "Document").objects.filter(term=term, status="issued")


def _lock_terms(organization: Organization) -> None:
    """Terms of one organisation are written one at a time (the overlap check reads the others)."""
    Organization.objects.select_for_update().filter(pk=organization.pk).first()


@transaction.atomic
def term_create(
    *,
    actor: Actor,
    organization: Organization,
    name: str,
    congress_closed_on: dt.date | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Term:
    """Open a term (R-ORG-3). Given the congress's closing day, the term starts the day after."""
    _lock_terms(organization)
    start = term_check(organization=organization, start=start, end=end, congress_closed_on=congress_closed_on)
    term = Term(organization=organization, name=name, congress_closed_on=congress_closed_on, start=start, end=end)
    normalize_text_fields(term)
    validate(term)
    term.save()
    audit_record(actor=actor, action="create", obj=term, changes=diff({}, snapshot(term, TERM_FIELDS)))
    return term


@transaction.atomic
def term_update(
    *,
    actor: Actor,
    term: Term,
    name: str,
    congress_closed_on: dt.date | None,
    start: dt.date | None,
    end: dt.date | None,
) -> Term:
    """Correct a term (R-ORG-3, as ``term_create``). A term some issued document was numbered in keeps every such
    document's day inside it."""
    term = Term.objects.select_related("organization").get(pk=term.pk)
    _lock_terms(term.organization)
    before = snapshot(term, TERM_FIELDS)
    start = term_check(
        organization=term.organization, start=start, end=end, congress_closed_on=congress_closed_on, term=term
    )
    numbered = _numbered_in(term)
    outside = numbered.filter(issued_on__lt=start)
    if end is not None:
        outside = outside | numbered.filter(issued_on__gt=end)
    if outside.exists():
        raise DomainError(
            {"start": [_("Đã có văn bản đánh số trong nhiệm kỳ này ban hành ngoài khoảng thời gian mới.")]},
            rule=org_rules.R_ORG_3.id,
        )
    term.name, term.congress_closed_on, term.start, term.end = name, congress_closed_on, start, end
    normalize_text_fields(term)
    validate(term)
    changes = diff(before, snapshot(term, TERM_FIELDS))
    if changes:
        term.save()
        audit_record(actor=actor, action="update", obj=term, changes=changes)
    return term


@transaction.atomic
def term_close_and_open(*, actor: Actor, organization: Organization, congress_closed_on: dt.date, name: str) -> Term:
    """A congress closed on ``congress_closed_on``: the current term ends that day and the next one, ``name``,
    starts the day after (R-ORG-3). Documents issued from then on are numbered from 01 again (R-DOC-2)."""
    _lock_terms(organization)
    current = Term.objects.filter(organization=organization, end__isnull=True).order_by("-start").first()
    if current is None:
        raise DomainError(_("Tổ chức chưa có nhiệm kỳ đang diễn ra để kết thúc."), rule=org_rules.R_ORG_3.id)
    if congress_closed_on < current.start:
        raise DomainError(
            {
                "congress_closed_on": [
                    _("Ngày bế mạc đại hội không thể trước ngày bắt đầu nhiệm kỳ hiện tại (%(date)s).")
                    % {"date": current.start.strftime("%d/%m/%Y")}
                ]
            },
            rule=org_rules.R_ORG_3.id,
        )
    if _numbered_in(current).filter(issued_on__gt=congress_closed_on).exists():
        raise DomainError(
            {"congress_closed_on": [_("Đã có văn bản ban hành sau ngày này trong nhiệm kỳ hiện tại.")]},
            rule=org_rules.R_ORG_3.id,
        )
    before = snapshot(current, TERM_FIELDS)
    current.end = congress_closed_on
    current.save(update_fields=["end"])
    audit_record(actor=actor, action="update", obj=current, changes=diff(before, snapshot(current, TERM_FIELDS)))
    start = term_check(organization=organization, start=None, end=None, congress_closed_on=congress_closed_on)
    term = Term(organization=organization, name=name, congress_closed_on=congress_closed_on, start=start)
    normalize_text_fields(term)
    validate(term)
    term.save()
    audit_record(actor=actor, action="create", obj=term, changes=diff({}, snapshot(term, TERM_FIELDS)))
    return term


@transaction.atomic
def body_create(*, actor: Actor, organization: Organization, kind: str, name: str, term: Term | None = None) -> Body:
    body = Body(organization=organization, kind=kind, name=name, term=term)
    normalize_text_fields(body)
    validate(body)
    if term is not None and term.organization_id != organization.pk:
        raise DomainError({"term": [_("Nhiệm kỳ không thuộc tổ chức này.")]})
    if kind == BodyKind.CELL_COMMITTEE and organization.kind != OrganizationKind.CELL:
        raise DomainError({"kind": [_("Chi ủy chỉ có ở chi bộ.")]})
    body.save()
    audit_record(
        actor=actor,
        action="create",
        obj=body,
        changes=diff({}, snapshot(body, ["organization", "kind", "name", "term"])),
    )
    return body


def _cell_leadership_after(
    cell: Organization, body: Body | None, add_title: str | None, drop: Position | None
) -> org_rules.CellLeadership:
    current = Position.objects.current().filter(organization=cell, title__in=PARTY_POST_TITLES)
    if body is not None:
        current = current.filter(body=body)
    titles = [p.title for p in current if drop is None or p.pk != drop.pk]
    if add_title is not None:
        titles.append(add_title)
    return org_rules.CellLeadership(
        secretaries=titles.count(PositionTitle.SECRETARY),
        deputies=titles.count(PositionTitle.DEPUTY_SECRETARY),
        members=titles.count(PositionTitle.MEMBER) + titles.count(PositionTitle.STANDING_MEMBER),
    )


def _check_position(
    *,
    person: PersonRecord,
    organization: Organization,
    body: Body | None,
    title: str,
    replacing: Position | None = None,
) -> None:
    if body is not None and body.organization_id != organization.pk:
        raise DomainError({"body": [_("Cơ quan không thuộc tổ chức này.")]})
    if organization.kind in PARTY_KINDS and title in PARTY_POST_TITLES and not person.is_party_member:
        raise DomainError(
            {
                "person": [
                    _("%(name)s không phải đảng viên nên không thể giữ chức vụ trong cấp ủy.")
                    % {"name": person.full_name}
                ]
            }
        )
    if organization.status == OrganizationStatus.DISSOLVED:
        raise DomainError(_("Tổ chức đã giải thể."))
    if organization.kind == OrganizationKind.CELL and title in PARTY_POST_TITLES:
        full = cell_full_member_count(organization)
        problem = org_rules.cell_leadership_problem(full, _cell_leadership_after(organization, body, title, replacing))
        if problem:
            raise DomainError({"title": [problem]}, rule=org_rules.R_ORG_2.id)
    if title == PositionTitle.SECRETARY:
        taken = Position.objects.current().filter(organization=organization, body=body, title=title)
        if replacing is not None:
            taken = taken.exclude(pk=replacing.pk)
        if taken.exists():
            raise DomainError({"title": [_("Đã có bí thư đương nhiệm; hãy kết thúc chức vụ đó trước.")]})
    duplicate = Position.objects.current().filter(
        person_id=person.pk, organization=organization, body=body, title=title
    )
    if replacing is not None:
        duplicate = duplicate.exclude(pk=replacing.pk)
    if duplicate.exists():
        raise DomainError({"title": [_("Người này đang giữ chức vụ này.")]})


# Stored with the record (data are kept in Vietnamese whatever the language of the person who typed them).
POSITION_CHANGE_REASON = "Chuyển chức vụ"


def _lock_current(position: Position) -> Position:
    """Lock the post's row (only it: ``body`` is a nullable join PostgreSQL cannot lock) and check it is current."""
    locked = (
        Position.objects.select_for_update(of=("self",))
        .select_related("person", "organization", "body")
        .get(pk=position.pk)
    )
    if locked.end is not None:
        raise DomainError(_("Chức vụ này đã kết thúc."), code="already_ended")
    return locked


POSITION_FIELDS = ("person", "organization", "body", "title", "start", "end", "end_reason")


@transaction.atomic
def position_assign(
    *,
    actor: Actor,
    person: PersonRecord,
    organization: Organization,
    title: str,
    start: dt.date,
    body: Body | None = None,
) -> Position:
    """A person takes up a post. R-ORG-2 limits who may hold posts in a cell's leadership."""
    Organization.objects.select_for_update().filter(pk=organization.pk).first()  # serialise posts per organisation
    position = Position(person_id=person.pk, organization=organization, body=body, title=title, start=start)
    _check_position(person=person, organization=organization, body=body, title=title)
    validate(position)
    position.save()
    audit_record(actor=actor, action="assign", obj=position, changes=diff({}, snapshot(position, POSITION_FIELDS)))
    return position


@transaction.atomic
def position_end(*, actor: Actor, position: Position, end: dt.date, reason: str = "") -> Position:
    """A person leaves a post on ``end`` (inclusive)."""
    position = _lock_current(position)
    if end < position.start:
        raise DomainError(
            {
                "end": [
                    _("Ngày kết thúc không thể trước ngày bắt đầu (%(date)s).")
                    % {"date": position.start.strftime("%d/%m/%Y")}
                ]
            }
        )
    before = snapshot(position, POSITION_FIELDS)
    position.end = end
    position.end_reason = reason
    normalize_text_fields(position, ["end_reason"])
    position.save(update_fields=["end", "end_reason"])
    audit_record(actor=actor, action="end", obj=position, changes=diff(before, snapshot(position, POSITION_FIELDS)))
    return position


@transaction.atomic
def position_change(*, actor: Actor, position: Position, title: str, on: dt.date) -> Position:
    """Move a person to another post in the same body from ``on``: the old post ends the day before."""
    position = _lock_current(position)
    if title == position.title:
        raise DomainError({"title": [_("Chức vụ mới trùng chức vụ hiện tại.")]})
    if on <= position.start:
        raise DomainError(
            {
                "on": [
                    _("Ngày chuyển chức vụ phải sau ngày bắt đầu chức vụ cũ (%(date)s).")
                    % {"date": position.start.strftime("%d/%m/%Y")}
                ]
            }
        )
    _check_position(
        person=position.person, organization=position.organization, body=position.body, title=title, replacing=position
    )
    position_end(actor=actor, position=position, end=on - dt.timedelta(days=1), reason=POSITION_CHANGE_REASON)
    new = Position(
        person=position.person, organization=position.organization, body=position.body, title=title, start=on
    )
    validate(new)
    new.save()
    audit_record(actor=actor, action="assign", obj=new, changes=diff({}, snapshot(new, POSITION_FIELDS)))
    return new
