"""Reorganisations: build a plan, show it, apply it in one transaction, revert it while nothing newer depends on it.

Every operation (merge, split, move, rename, dissolve, change of level) is a ``Plan`` made of a few primitive
steps: create the successor organisations, move organisations under a new parent (the dated ``ParentLink`` history
keeps the old place), move party members between cells, rename, end the posts and terms of organisations that
stop, end those organisations, and record who succeeds whom. Applying records each step's effect on the
``Restructuring`` event so that ``restructuring_revert`` can undo exactly what was done.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import router, transaction
from django.db.models import F, Value
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.db.models.functions import Concat, Substr
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dongthuan.audit.services import audit_record, audit_record_many
from dongthuan.core.errors import ConflictError, ErrorCode, InputError, RuleError, StateError
from dongthuan.core.text import nfc
from dongthuan.core.types import Actor, JSONValue
from dongthuan.organizations import services as org_services
from dongthuan.organizations.models import (
    PATH_SEGMENT_WIDTH,
    POSITION_ORDER,
    Body,
    BodyKind,
    Level,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    ParentLink,
    Position,
    Term,
    rank_of,
)
from dongthuan.people.models import PartyStatus, Person
from dongthuan.restructuring import hooks
from dongthuan.restructuring.models import Restructuring, RestructuringKind, RestructuringStatus, Succession
from dongthuan.rules import organization as org_rules

MEMBER_STATUSES = (PartyStatus.FULL, PartyStatus.PROBATIONARY)
# Kept with the data in Vietnamese, whatever the language of the person applying the event.
END_REASON = "Sắp xếp tổ chức: %(basis)s"


@dataclass
class NewOrg:
    """An organisation the event creates (the new commune of a merge, the parts of a split)."""

    name: str
    kind: str
    level: Level | None
    parent: Organization | None
    short_name: str = ""
    doc_code: str = ""


# A reference to an organisation: an existing one, or the index of one in ``Plan.new_orgs``.
Ref = Organization | int


@dataclass
class Plan:
    kind: str
    on: dt.date
    title: str
    new_orgs: list[NewOrg] = field(default_factory=list)
    moves: list[tuple[Organization, Ref, Level | None]] = field(default_factory=list)
    people_moves: list[tuple[Organization, Ref, list[int] | None]] = field(default_factory=list)
    renames: list[tuple[Organization, str, str]] = field(default_factory=list)
    ends: list[Organization] = field(default_factory=list)
    successions: list[tuple[Organization, Ref]] = field(default_factory=list)
    # Posts of the organisations that end are carried over to their successor from the effective date (in a
    # body of the same kind, created if the successor has none); otherwise they end with the organisation.
    carry_posts: bool = False

    def involved(self) -> list[Organization]:
        orgs: dict[int, Organization] = {}
        for org, parent, _level in self.moves:
            orgs[org.pk] = org
            if isinstance(parent, Organization):
                orgs[parent.pk] = parent
        for org, target, _ids in self.people_moves:
            orgs[org.pk] = org
            if isinstance(target, Organization):
                orgs[target.pk] = target
        for org, _n, _s in self.renames:
            orgs[org.pk] = org
        for org in self.ends:
            orgs[org.pk] = org
        for org, succ in self.successions:
            orgs[org.pk] = org
            if isinstance(succ, Organization):
                orgs[succ.pk] = succ
        return list(orgs.values())


# --- reading the current tree -------------------------------------------------------------------------------


def _current_children(org: Organization, on: dt.date) -> list[Organization]:
    return list(
        Organization.objects.filter(parent=org)
        .exclude(status=OrganizationStatus.DISSOLVED)
        .exclude(valid_to__lt=on)
        .order_by("kind", "search_name")
    )


def _members(cell: Organization) -> list[Person]:
    return list(Person.objects.filter(cell=cell, party_status__in=MEMBER_STATUSES).order_by("sort_key"))


def _check_date(org: Organization, on: dt.date) -> None:
    if org.status == OrganizationStatus.DISSOLVED:
        raise StateError(
            _("%(name)s đã kết thúc hoạt động.") % {"name": org.name},
            code=ErrorCode.RESTRUCTURING_ORG_ENDED,
            data={"organization": org.pk},
        )
    if org.valid_from is not None and on <= org.valid_from:
        raise InputError(
            {
                "effective_on": [
                    _("Ngày hiệu lực phải sau ngày thành lập của %(name)s (%(date)s).")
                    % {"name": org.name, "date": org.valid_from.strftime("%d/%m/%Y")}
                ]
            },
            code=ErrorCode.RESTRUCTURING_TOO_EARLY,
            data={"organization": org.pk, "valid_from": org.valid_from.isoformat()},
        )


def _absorb(plan: Plan, source: Organization, successor: Ref, successor_kind: str) -> None:
    """``source`` stops; its children, its members (cell into cell) and its open work go to ``successor``."""
    for child in _current_children(source, plan.on):
        plan.moves.append((child, successor, None))
    if source.kind == OrganizationKind.CELL:
        if successor_kind != OrganizationKind.CELL:
            raise InputError(
                _("Đảng viên của chi bộ chỉ có thể chuyển sang một chi bộ."),
                code=ErrorCode.RESTRUCTURING_MEMBERS_NEED_CELL,
            )
        plan.people_moves.append((source, successor, None))
    plan.ends.append(source)
    plan.successions.append((source, successor))


# --- plans -------------------------------------------------------------------------------------------------


def plan_merge(
    *, sources: list[Organization], on: dt.date, target: Organization | None = None, new: NewOrg | None = None
) -> Plan:
    """Merge ``sources`` into ``target`` (an existing organisation, which continues) or into a ``new`` one."""
    if (target is None) == (new is None):
        raise InputError(
            _("Chọn một tổ chức nhận sáp nhập, hoặc đặt tên cho tổ chức mới."),
            code=ErrorCode.RESTRUCTURING_TARGET_OR_NEW,
        )
    sources = [s for s in sources if target is None or s.pk != target.pk]
    if len(sources) + (1 if target is not None else 0) < 2:
        raise InputError({"sources": [_("Cần ít nhất hai tổ chức để sáp nhập.")]}, code=ErrorCode.RESTRUCTURING_TOO_FEW)
    kind = target.kind if target is not None else new.kind if new is not None else ""  # one of them, checked above
    for s in sources:
        _check_date(s, on)
        if s.kind != kind:
            raise InputError(
                {"sources": [_("%(name)s khác loại với tổ chức nhận sáp nhập.") % {"name": s.name}]},
                code=ErrorCode.RESTRUCTURING_KIND_MISMATCH,
                data={"organization": s.pk},
            )
        for other in [*sources, *([target] if target else [])]:
            if other.pk != s.pk and other.path.startswith(s.path):
                raise InputError(
                    {"sources": [_("%(a)s trực thuộc %(b)s; không thể sáp nhập.") % {"a": other.name, "b": s.name}]},
                    code=ErrorCode.RESTRUCTURING_NESTED,
                    data={"organization": other.pk, "parent": s.pk},
                )
    successor: Ref
    if target is not None:
        _check_date(target, on)
        successor, name = target, target.name
    else:
        plan_new = new  # for the type checker
        assert plan_new is not None
        successor, name = 0, plan_new.name
    plan = Plan(
        RestructuringKind.MERGE,
        on,
        _("Sáp nhập %(sources)s vào %(target)s") % {"sources": ", ".join(s.name for s in sources), "target": name},
    )
    if new is not None:
        plan.new_orgs.append(new)
    for s in sources:
        _absorb(plan, s, successor, kind)
    return plan


def plan_split(
    *,
    source: Organization,
    on: dt.date,
    parts: list[NewOrg],
    child_parts: dict[int, int],
    member_parts: dict[int, int] | None = None,
) -> Plan:
    """Split ``source`` into ``parts``. Every child (and, for a cell, every member) must be given a part."""
    _check_date(source, on)
    if len(parts) < 2:
        raise InputError({"parts": [_("Chia tách cần ít nhất hai tổ chức mới.")]}, code=ErrorCode.RESTRUCTURING_TOO_FEW)
    plan = Plan(
        RestructuringKind.SPLIT,
        on,
        _("Chia tách %(source)s thành %(parts)s") % {"source": source.name, "parts": ", ".join(p.name for p in parts)},
    )
    plan.new_orgs.extend(parts)
    missing = []
    for child in _current_children(source, on):
        index = child_parts.get(child.pk)
        if index is None or not 0 <= index < len(parts):
            missing.append(child.name)
        else:
            plan.moves.append((child, index, None))
    if source.kind == OrganizationKind.CELL:
        member_parts = member_parts or {}
        by_part: dict[int, list[int]] = {}
        for person in _members(source):
            index = member_parts.get(person.pk)
            if index is None or not 0 <= index < len(parts) or parts[index].kind != OrganizationKind.CELL:
                missing.append(person.full_name)
            else:
                by_part.setdefault(index, []).append(person.pk)
        for index, ids in sorted(by_part.items()):
            plan.people_moves.append((source, index, ids))
    if missing:
        raise InputError(
            {"parts": [_("Chưa chọn tổ chức mới cho: %(names)s.") % {"names": ", ".join(missing[:20])}]},
            code=ErrorCode.RESTRUCTURING_UNASSIGNED,
        )
    plan.ends.append(source)
    plan.successions.extend((source, i) for i in range(len(parts)))
    return plan


def plan_move(*, org: Organization, new_parent: Organization, on: dt.date, level: Level | None = None) -> Plan:
    """Place ``org`` (with its whole subtree) under ``new_parent`` from ``on``; optionally at another level."""
    _check_date(org, on)
    if new_parent.path.startswith(org.path):
        raise InputError(
            {"new_parent": [_("Không thể chuyển một tổ chức vào chính đơn vị trực thuộc của nó.")]},
            code=ErrorCode.RESTRUCTURING_INTO_OWN_UNIT,
        )
    if new_parent.pk == org.parent_id and (level is None or level.pk == org.level_id):
        raise InputError(
            {"new_parent": [_("Tổ chức đã trực thuộc %(name)s.") % {"name": new_parent.name}]},
            code=ErrorCode.RESTRUCTURING_NO_CHANGE,
        )
    kind = RestructuringKind.CHANGE_LEVEL if level is not None and level.pk != org.level_id else RestructuringKind.MOVE
    title = _("Chuyển %(org)s về trực thuộc %(parent)s") % {"org": org.name, "parent": new_parent.name}
    if kind == RestructuringKind.CHANGE_LEVEL and level is not None:
        title = _("%(org)s chuyển sang %(level)s, trực thuộc %(parent)s") % {
            "org": org.name,
            "level": level.name,
            "parent": new_parent.name,
        }
    plan = Plan(kind, on, title)
    plan.moves.append((org, new_parent, level))
    return plan


def plan_rename(*, org: Organization, name: str, short_name: str, on: dt.date) -> Plan:
    name, short_name = nfc(name), nfc(short_name)
    if not name:
        raise InputError({"name": [_("Nhập tên mới.")]}, code=ErrorCode.RESTRUCTURING_NAME_MISSING)
    if name == org.name and short_name == org.short_name:
        raise InputError({"name": [_("Tên mới trùng tên hiện tại.")]}, code=ErrorCode.RESTRUCTURING_NO_CHANGE)
    plan = Plan(RestructuringKind.RENAME, on, _("Đổi tên %(old)s thành %(new)s") % {"old": org.name, "new": name})
    plan.renames.append((org, name, short_name))
    return plan


def plan_dissolve(
    *, org: Organization, on: dt.date, successor: Organization | None = None, with_units: bool = False
) -> Plan:
    """End ``org``. Whatever still belongs to it (units, members) goes to ``successor``; without one, nothing may
    be left in it, so that no one is lost. ``with_units`` ends its whole subtree too (a district and its agencies),
    provided no party member is left in any of its cells."""
    _check_date(org, on)
    plan = Plan(RestructuringKind.DISSOLVE, on, _("Giải thể %(org)s") % {"org": org.name})
    if with_units and successor is None:
        units = list(
            Organization.objects.filter(path__startswith=org.path)
            .exclude(pk=org.pk)
            .exclude(status=OrganizationStatus.DISSOLVED)
            .order_by("-depth", "search_name")
        )
        members = list(
            Person.objects.filter(
                cell__in=[u for u in units if u.kind == OrganizationKind.CELL], party_status__in=MEMBER_STATUSES
            ).values_list("full_name", flat=True)[:10]
        )
        if members:
            raise StateError(
                {
                    "successor": [
                        _("Các chi bộ trực thuộc còn đảng viên (%(names)s…); hãy chuyển sinh hoạt trước khi giải thể.")
                        % {"names": ", ".join(members)}
                    ]
                },
                code=ErrorCode.RESTRUCTURING_NOT_EMPTY,
            )
        plan.ends.extend(units)
        plan.ends.append(org)
        return plan
    if successor is not None:
        if successor.path.startswith(org.path):
            raise InputError(
                {"successor": [_("Tổ chức kế thừa không thể là đơn vị trực thuộc của tổ chức giải thể.")]},
                code=ErrorCode.RESTRUCTURING_INTO_OWN_UNIT,
            )
        _check_date(successor, on)
        _absorb(plan, org, successor, successor.kind)
        return plan
    left = [c.name for c in _current_children(org, on)]
    if org.kind == OrganizationKind.CELL:
        left += [p.full_name for p in _members(org)]
    if left:
        raise StateError(
            {
                "successor": [
                    _("Còn %(count)d đơn vị, đảng viên trực thuộc (%(names)s); hãy chọn tổ chức kế thừa.")
                    % {"count": len(left), "names": ", ".join(left[:10])}
                ]
            },
            code=ErrorCode.RESTRUCTURING_NOT_EMPTY,
            data={"left": len(left)},
        )
    plan.ends.append(org)
    return plan


# --- preview -------------------------------------------------------------------------------------------------


@dataclass
class PreviewSection:
    title: str
    items: list[str]
    count: int


def preview(plan: Plan, limit: int = 50) -> list[PreviewSection]:
    """Exactly what the plan will do, in counts and lists, before anything is written."""
    names = [n.name for n in plan.new_orgs]

    def ref_name(ref: Ref) -> str:
        return names[ref] if isinstance(ref, int) else ref.name

    sections: list[PreviewSection] = []
    day_before = (plan.on - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    if plan.new_orgs:
        sections.append(
            PreviewSection(_("Tổ chức mới (từ %(date)s)") % {"date": plan.on.strftime("%d/%m/%Y")}, names, len(names))
        )
    if plan.moves:
        items = [
            _("%(org)s → trực thuộc %(parent)s") % {"org": o.name, "parent": ref_name(p)}
            + (f" ({lv.name})" if lv else "")
            for o, p, lv in plan.moves
        ]
        sections.append(PreviewSection(_("Chuyển trực thuộc"), items[:limit], len(items)))
    if plan.people_moves:
        items, total = [], 0
        for cell, target, ids in plan.people_moves:
            n = (
                len(ids)
                if ids is not None
                else Person.objects.filter(cell=cell, party_status__in=MEMBER_STATUSES).count()
            )
            total += n
            items.append(
                _("%(count)d đảng viên: %(from)s → %(to)s") % {"count": n, "from": cell.name, "to": ref_name(target)}
            )
        sections.append(PreviewSection(_("Chuyển sinh hoạt đảng"), items[:limit], total))
    if plan.renames:
        items = [f"{o.name} → {n}" for o, n, _s in plan.renames]
        sections.append(PreviewSection(_("Đổi tên"), items, len(items)))
    if plan.ends:
        posts = list(
            Position.objects.current()
            .filter(organization__in=plan.ends)
            .select_related("person", "organization")
            .order_by("organization__search_name", "person__sort_key")
        )
        if posts:
            sections.append(
                PreviewSection(
                    _("Chức vụ kết thúc ngày %(date)s") % {"date": day_before},
                    [f"{p.person.full_name}: {p.get_title_display()} – {p.organization.name}" for p in posts[:limit]],
                    len(posts),
                )
            )
        successor_of = {p.pk: ref for p, ref in reversed(plan.successions)}
        carried = [p for p in posts if p.organization_id in successor_of] if plan.carry_posts else []
        if carried:
            sections.append(
                PreviewSection(
                    _("Chức vụ chuyển sang tổ chức kế thừa từ ngày %(date)s") % {"date": plan.on.strftime("%d/%m/%Y")},
                    [
                        f"{p.person.full_name}: {p.get_title_display()} → {ref_name(successor_of[p.organization_id])}"
                        for p in carried[:limit]
                    ],
                    len(carried),
                )
            )
        sections.append(
            PreviewSection(
                _("Kết thúc hoạt động ngày %(date)s") % {"date": day_before},
                [o.name for o in plan.ends],
                len(plan.ends),
            )
        )
    if plan.successions:
        items = [f"{p.name} → {ref_name(s)}" for p, s in plan.successions]
        sections.append(PreviewSection(_("Kế thừa"), items[:limit], len(items)))
    return sections


# --- applying ------------------------------------------------------------------------------------------------


def _resolve(ref: Ref, created: list[Organization]) -> Organization:
    return created[ref] if isinstance(ref, int) else ref


def _open_link(org: Organization) -> ParentLink | None:
    return ParentLink.objects.filter(organization=org, valid_to__isnull=True).first()


def _rewrite_paths(old_path: str, new_path: str, depth_delta: int) -> None:
    Organization.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)), depth=F("depth") + depth_delta
    )


def _move(
    actor: Actor, org: Organization, parent: Organization, level: Level | None, on: dt.date
) -> dict[str, JSONValue]:
    org = Organization.objects.select_related("level").get(pk=org.pk)
    parent = Organization.objects.select_related("level").get(pk=parent.pk)
    new_level = level or org.level
    if new_level is not None:
        problem = org_rules.level_placement_problem(
            new_level.span(),
            parent.level.span() if parent.level else None,
            on,
            [lv.span() for lv in Level.objects.all()],
        )
        if problem:
            raise RuleError(
                {"new_parent": [f"{org.name}: {problem}"]},
                code=ErrorCode.RESTRUCTURING_LEVEL_PLACEMENT,
                rule=org_rules.R_ORG_4.id,
                data={"organization": org.pk, "parent": parent.pk},
            )
    effect: dict[str, JSONValue] = {
        "op": "move",
        "org": org.pk,
        "old_parent": org.parent_id,
        "old_level": org.level_id,
        "new_parent": parent.pk,
        "new_level": new_level.pk if new_level else None,
    }
    link = _open_link(org)
    if link is not None and link.valid_from is not None and link.valid_from >= on:
        effect["changed_link"] = [link.pk, link.parent_id]  # a same-day correction of the place
        link.parent = parent
        link.save(update_fields=["parent"])
    else:
        if link is not None:
            link.valid_to = on - dt.timedelta(days=1)
            link.save(update_fields=["valid_to"])
            effect["closed_link"] = link.pk
        effect["new_link"] = ParentLink.objects.create(organization=org, parent=parent, valid_from=on).pk
    old_path = org.path
    new_path = f"{parent.path}{org.pk:0{PATH_SEGMENT_WIDTH}d}."
    _rewrite_paths(old_path, new_path, parent.depth + 1 - org.depth)
    Organization.objects.filter(pk=org.pk).update(parent=parent, level=new_level)
    audit_record(
        actor=actor,
        action="move",
        obj=org,
        changes={
            "parent": [str(org.parent) if org.parent_id else None, parent.name],
            **({"level": [str(org.level), str(new_level)]} if new_level != org.level else {}),
        },
    )
    return effect


def _move_people(actor: Actor, cell: Organization, target: Organization, ids: list[int] | None) -> dict[str, JSONValue]:
    qs = Person.objects.filter(cell=cell, party_status__in=MEMBER_STATUSES)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    rows = list(qs.values_list("pk", "full_name"))
    Person.objects.filter(pk__in=[pk for pk, _n in rows]).update(cell=target, updated_at=timezone.now())
    audit_record_many(
        actor=actor,
        action="transfer",
        model=Person,
        rows=[(pk, name, {"cell": [cell.name, target.name]}) for pk, name in rows],
    )
    return {"op": "people", "from": cell.pk, "to": target.pk, "ids": [pk for pk, _n in rows]}


def _end_posts(actor: Actor, org: Organization, on: dt.date, basis: str) -> dict[str, JSONValue]:
    last_day = on - dt.timedelta(days=1)
    reason = END_REASON % {"basis": basis}
    posts = list(Position.objects.current().filter(organization=org).select_related("person"))
    early = [p for p in posts if p.start > last_day]
    if early:
        raise StateError(
            _("Chức vụ của %(name)s bắt đầu sau ngày hiệu lực; hãy điều chỉnh trước.")
            % {"name": early[0].person.full_name},
            code=ErrorCode.RESTRUCTURING_POST_STARTS_LATER,
            data={"position": early[0].pk},
        )
    Position.objects.filter(pk__in=[p.pk for p in posts]).update(end=last_day, end_reason=reason)
    audit_record_many(
        actor=actor,
        action="end",
        model=Position,
        rows=[(p.pk, str(p), {"end": [None, last_day.isoformat()], "end_reason": ["", reason]}) for p in posts],
    )
    terms = list(Term.objects.filter(organization=org, end__isnull=True).exclude(start__gt=last_day))
    Term.objects.filter(pk__in=[t.pk for t in terms]).update(end=last_day)
    return {"op": "end_posts", "org": org.pk, "positions": [p.pk for p in posts], "terms": [t.pk for t in terms]}


def _carry_posts(actor: Actor, posts: list[Position], successor: Organization, on: dt.date) -> dict[str, JSONValue]:
    """Give each post again in ``successor`` from ``on``, in its body of the same kind (created when missing).
    The posts go through ``position_assign``, so R-ORG-2 and "one secretary" hold: a second secretary stops the
    whole event with that message."""
    bodies: dict[int, Body] = {}
    created_bodies: list[JSONValue] = []
    created_posts: list[JSONValue] = []
    for post in posts:
        body = None
        if post.body is not None:
            if post.body.pk not in bodies:
                found = Body.objects.filter(organization=successor, kind=post.body.kind).order_by("pk").first()
                if found is None:
                    with translation.override("vi"):
                        name = f"{BodyKind(post.body.kind).label} {successor.name}"
                    found = org_services.body_create(
                        actor=actor, organization=successor, kind=post.body.kind, name=name
                    )
                    created_bodies.append(found.pk)
                bodies[post.body.pk] = found
            body = bodies[post.body.pk]
        new = org_services.position_assign(
            actor=actor, person=post.person, organization=successor, title=post.title, start=on, body=body
        )
        created_posts.append(new.pk)
    return {"op": "carry_posts", "to": successor.pk, "positions": created_posts, "bodies": created_bodies}


def _end_org(actor: Actor, org: Organization, on: dt.date) -> dict[str, JSONValue]:
    org = Organization.objects.get(pk=org.pk)
    last_day = on - dt.timedelta(days=1)
    effect: dict[str, JSONValue] = {
        "op": "end_org",
        "org": org.pk,
        "valid_to": org.valid_to.isoformat() if org.valid_to else None,
        "status": org.status,
    }
    link = _open_link(org)
    if link is not None:
        link.valid_to = last_day
        link.save(update_fields=["valid_to"])
        effect["link"] = link.pk
    Organization.objects.filter(pk=org.pk).update(valid_to=last_day, status=OrganizationStatus.DISSOLVED)
    audit_record(
        actor=actor,
        action="dissolve",
        obj=org,
        changes={
            "status": [org.status, OrganizationStatus.DISSOLVED.value],
            "valid_to": [effect["valid_to"], last_day.isoformat()],
        },
    )
    return effect


def _rename(actor: Actor, org: Organization, name: str, short_name: str) -> dict[str, JSONValue]:
    org = Organization.objects.get(pk=org.pk)
    effect: dict[str, JSONValue] = {"op": "rename", "org": org.pk, "name": org.name, "short_name": org.short_name}
    org_services.organization_update(actor=actor, organization=org, name=name, short_name=short_name)
    return effect


@transaction.atomic
def restructuring_apply(*, actor: Actor, plan: Plan, reason: str, legal_basis: str) -> Restructuring:
    """Apply ``plan`` as one dated event, in one transaction: all of it, or nothing."""
    reason, legal_basis = nfc(reason), nfc(legal_basis)
    errors = {}
    if not reason:
        errors["reason"] = [_("Nhập lý do sắp xếp.")]
    if not legal_basis:
        errors["legal_basis"] = [_("Nhập căn cứ (số, ký hiệu quyết định).")]
    if errors:
        raise InputError(errors, code=ErrorCode.RESTRUCTURING_REASON_MISSING)
    involved = plan.involved()
    list(
        Organization.objects.select_for_update().filter(pk__in=[o.pk for o in involved]).values_list("pk")
    )  # lock them for the event
    event = Restructuring.objects.create(
        kind=plan.kind,
        effective_on=plan.on,
        reason=reason,
        legal_basis=legal_basis,
        title=plan.title[:500],
        created_by=actor if isinstance(actor, User) and actor.pk else None,
    )
    effects: list[dict[str, JSONValue]] = []
    created: list[Organization] = []
    for spec in plan.new_orgs:
        org = org_services.organization_create(
            actor=actor,
            name=spec.name,
            kind=spec.kind,
            parent=spec.parent,
            level=spec.level,
            short_name=spec.short_name,
            doc_code=spec.doc_code,
            valid_from=plan.on,
        )
        created.append(org)
        effects.append({"op": "create", "org": org.pk})
    for org, parent, level in plan.moves:
        effects.append(_move(actor, org, _resolve(parent, created), level, plan.on))
    for cell, target, ids in plan.people_moves:
        effects.append(_move_people(actor, cell, _resolve(target, created), ids))
    for org in created:
        if org.kind == OrganizationKind.CELL and org_rules.cell_has_minimum_members(
            org_services.cell_full_member_count(org)
        ):
            org_services.organization_activate(actor=actor, organization=org)
            effects.append({"op": "activate", "org": org.pk})
    for org, name, short_name in plan.renames:
        effects.append(_rename(actor, org, name, short_name))
    first_successor: dict[int, Ref] = {}
    for predecessor, ref in plan.successions:
        first_successor.setdefault(predecessor.pk, ref)
    for org in plan.ends:
        carried = list(
            Position.objects.current()
            .filter(organization=org)
            .select_related("person", "body")
            .order_by(rank_of("title", POSITION_ORDER), "start", "pk")
        )
        effects.append(_end_posts(actor, org, plan.on, legal_basis))
        if plan.carry_posts and org.pk in first_successor and carried:
            effects.append(_carry_posts(actor, carried, _resolve(first_successor[org.pk], created), plan.on))
        effects.append(_end_org(actor, org, plan.on))
    successors: dict[int, int] = {}
    for predecessor, ref in plan.successions:
        successor = _resolve(ref, created)
        Succession.objects.create(event=event, predecessor=predecessor, successor=successor)
        successors.setdefault(predecessor.pk, successor.pk)
    for predecessor_id, successor_id in successors.items():
        residents = list(Person.objects.filter(home_organization_id=predecessor_id).values_list("pk", flat=True))
        if residents:
            Person.objects.filter(pk__in=residents).update(home_organization_id=successor_id)
            effects.append(
                {"op": "homes", "from": predecessor_id, "to": successor_id, "ids": list[JSONValue](residents)}
            )
    for hook in hooks.registered():
        effects.append({"op": "hook", "name": hook.name, "data": hook.forward(event, successors, plan.on)})
    event.effects = effects
    event.summary = {s.title: s.count for s in preview_after(plan, created)}
    event.save(update_fields=["effects", "summary"])
    event.organizations.set([*involved, *created])
    audit_record(
        actor=actor,
        action="restructure",
        obj=event,
        changes={"title": [None, event.title]},
        note=f"{legal_basis}: {reason}",
    )
    return event


def preview_after(plan: Plan, created: list[Organization]) -> list[PreviewSection]:
    """The counts of what was done, for the event's summary (the plan's preview without the lists)."""
    counts = [
        (_("Tổ chức mới"), len(created)),
        (_("Chuyển trực thuộc"), len(plan.moves)),
        (_("Kết thúc hoạt động"), len(plan.ends)),
    ]
    return [PreviewSection(title, [], n) for title, n in counts if n]


# --- reverting -----------------------------------------------------------------------------------------------


def can_revert(event: Restructuring) -> str | None:
    """Why ``event`` cannot be reverted now, or None. A later event on the same organisations blocks it."""
    if event.status != RestructuringStatus.APPLIED:
        return _("Đợt sắp xếp này đã được hoàn tác.")
    later = (
        Restructuring.objects.filter(
            status=RestructuringStatus.APPLIED, pk__gt=event.pk, organizations__in=event.organizations.all()
        )
        .distinct()
        .first()
    )
    if later is not None:
        return _("Đã có đợt sắp xếp sau liên quan (%(title)s); hãy hoàn tác đợt đó trước.") % {"title": later.title}
    return None


def _conflict(message: str) -> ConflictError:
    return ConflictError(_("Không thể hoàn tác: %(why)s") % {"why": message}, code=ErrorCode.REVERT_CONFLICT)


@transaction.atomic
def restructuring_revert(*, actor: Actor, event: Restructuring) -> Restructuring:
    """Undo ``event`` step by step in reverse order. Anything changed since (a post given in a new organisation,
    a member moved again) stops the revert, and nothing is changed."""
    event = Restructuring.objects.select_for_update().get(pk=event.pk)
    why = can_revert(event)
    if why:
        raise StateError(why, code=ErrorCode.REVERT_BLOCKED, data={"event": event.pk})
    last_day = event.effective_on - dt.timedelta(days=1)
    Succession.objects.filter(event=event).delete()
    for effect in reversed(event.effects):
        op = effect["op"]
        if op == "hook":
            for hook in hooks.registered():
                if hook.name == effect["name"]:
                    hook.backward(event, effect["data"])
        elif op == "end_org":
            Organization.objects.filter(pk=effect["org"]).update(
                valid_to=dt.date.fromisoformat(effect["valid_to"]) if effect["valid_to"] else None,
                status=effect["status"],
            )
            if "link" in effect:
                ParentLink.objects.filter(pk=effect["link"]).update(valid_to=None)
        elif op == "carry_posts":
            changed = Position.objects.filter(pk__in=effect["positions"]).exclude(end__isnull=True).count()
            if changed:
                raise _conflict(_("%(count)d chức vụ đã được sửa sau đợt sắp xếp.") % {"count": changed})
            Position.objects.filter(pk__in=effect["positions"]).delete()
            for body in Body.objects.filter(pk__in=effect["bodies"]):
                if body.positions.exists():
                    raise _conflict(_("%(name)s đã có dữ liệu mới.") % {"name": body.name})
                body.delete()
        elif op == "end_posts":
            changed = Position.objects.filter(pk__in=effect["positions"]).exclude(end=last_day).count()
            if changed:
                raise _conflict(_("%(count)d chức vụ đã được sửa sau đợt sắp xếp.") % {"count": changed})
            Position.objects.filter(pk__in=effect["positions"]).update(end=None, end_reason="")
            Term.objects.filter(pk__in=effect["terms"]).update(end=None)
        elif op == "rename":
            org = Organization.objects.get(pk=effect["org"])
            org_services.organization_update(
                actor=actor, organization=org, name=effect["name"], short_name=effect["short_name"]
            )
        elif op == "activate":
            Organization.objects.filter(pk=effect["org"]).update(status=OrganizationStatus.FORMING)
        elif op == "people":
            moved_again = Person.objects.filter(pk__in=effect["ids"]).exclude(cell_id=effect["to"]).count()
            if moved_again:
                raise _conflict(_("%(count)d đảng viên đã chuyển sinh hoạt sau đợt sắp xếp.") % {"count": moved_again})
            Person.objects.filter(pk__in=effect["ids"]).update(cell_id=effect["from"], updated_at=timezone.now())
        elif op == "homes":
            Person.objects.filter(pk__in=effect["ids"], home_organization_id=effect["to"]).update(
                home_organization_id=effect["from"]
            )
        elif op == "move":
            _unmove(
                org_id=effect["org"],
                old_parent_id=effect["old_parent"],
                old_level_id=effect["old_level"],
                changed_link=effect.get("changed_link"),
                new_link_id=effect.get("new_link"),
                closed_link_id=effect.get("closed_link"),
            )
        elif op == "create":
            _uncreate(effect["org"])
    event.status = RestructuringStatus.REVERTED
    event.reverted_at = timezone.now()
    event.save(update_fields=["status", "reverted_at"])
    audit_record(actor=actor, action="revert", obj=event, changes={"status": ["applied", "reverted"]})
    return event


def _unmove(
    *,
    org_id: int,
    old_parent_id: int | None,
    old_level_id: int | None,
    changed_link: tuple[int, int | None] | None,
    new_link_id: int | None,
    closed_link_id: int | None,
) -> None:
    """Undo a move effect: ``changed_link`` ([link, old parent]) for a same-day correction of the place, else the
    ``new_link`` made and the ``closed_link`` it closed (if any)."""
    org = Organization.objects.get(pk=org_id)
    if changed_link is not None:
        link_id, link_old_parent = changed_link
        ParentLink.objects.filter(pk=link_id).update(parent_id=link_old_parent)
    else:
        if new_link_id is not None:
            ParentLink.objects.filter(pk=new_link_id).delete()
        if closed_link_id is not None:
            ParentLink.objects.filter(pk=closed_link_id).update(valid_to=None)
    old_parent = Organization.objects.filter(pk=old_parent_id).first() if old_parent_id is not None else None
    prefix = old_parent.path if old_parent is not None else ""
    depth = old_parent.depth + 1 if old_parent is not None else 0
    _rewrite_paths(org.path, f"{prefix}{org.pk:0{PATH_SEGMENT_WIDTH}d}.", depth - org.depth)
    Organization.objects.filter(pk=org.pk).update(parent=old_parent, level_id=old_level_id)


def _uncreate(org_id: int) -> None:
    org = Organization.objects.get(pk=org_id)
    uses = [
        (_("đơn vị trực thuộc"), Organization.objects.filter(parent=org).count()),
        (
            _("đảng viên"),
            Person.objects.filter(cell=org).count() + Person.objects.filter(home_organization=org).count(),
        ),
        (_("chức vụ"), Position.objects.filter(organization=org).count()),
        (_("cơ quan lãnh đạo"), org.bodies.count()),
        (_("nhiệm kỳ"), org.terms.count()),
    ]
    used = [f"{n} {label}" for label, n in uses if n]
    if used:
        raise _conflict(_("%(name)s đã có dữ liệu mới (%(what)s).") % {"name": org.name, "what": ", ".join(used)})
    org.restructurings.clear()
    ParentLink.objects.filter(organization=org).delete()
    # Anything else that would go with it (rows of capabilities added later) means newer data depends on it.
    collector = Collector(using=router.db_for_write(Organization))
    try:
        collector.collect([org])
    except (ProtectedError, RestrictedError):
        raise _conflict(_("%(name)s đã có dữ liệu mới.") % {"name": org.name}) from None
    others = [m._meta.verbose_name for m, objs in collector.data.items() if m is not Organization and objs]
    others += [qs.model._meta.verbose_name for qs in collector.fast_deletes if qs.exists()]
    if others:
        raise _conflict(
            _("%(name)s đã có dữ liệu mới (%(what)s).") % {"name": org.name, "what": ", ".join(str(o) for o in others)}
        )
    org.delete()


def normalise_new(spec: NewOrg) -> NewOrg:
    """NFC text for a new organisation typed in a form."""
    spec.name, spec.short_name, spec.doc_code = nfc(spec.name), nfc(spec.short_name), nfc(spec.doc_code)
    if not spec.name:
        raise InputError({"name": [_("Nhập tên tổ chức mới.")]}, code=ErrorCode.RESTRUCTURING_NAME_MISSING)
    return spec
