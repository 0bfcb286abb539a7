"""Roles and their reach: what the posts a person holds let their account do, read once per request.

A role comes from a post a person holds (``Position``) and reaches down the subtree of the organisation where it
is held: the secretary of Trung Mỹ commune's party committee acts on Trung Mỹ and every cell under it, and on
nothing in another commune. Party members reach their own cell; citizens only their own record. Administrators
(``is_superuser``) reach everything except classified records, which only the people named on them may see
(``core.access``).

This is the machinery every app's ``permissions.py`` decides with — ``access_for(user)`` and the role sets — and
it decides nothing about any app's records itself. It lives in the organisations app because roles are made of
posts and reach is made of the organisation tree. It reads the account's own person record through the key a post
holds to it (``Position.person``), without importing the people app, which sits above organisations (see
docs/architecture.md); ``people.selectors.person_of_account`` gives that record its own type to those above.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TypeAlias, cast

from django.db import models
from django.utils.translation import gettext_lazy as _

from dongthuan.core.types import Actor
from dongthuan.organizations.models import Organization, PersonRecord, Position, PositionTitle

# Whom a check is about: a request's user (signed in or not), or nobody (the system).
Account: TypeAlias = Actor


def _account_record(user_id: int) -> PersonRecord | None:
    """The person record linked to an account, with its cell, in one query. The model is the one a post's holder
    is (``Position.person``), so this module names no model of the app above it."""
    holder = Position._meta.get_field("person").related_model
    assert isinstance(holder, type) and issubclass(holder, models.Model)
    record = holder._default_manager.filter(account_id=user_id).select_related("cell").first()
    return cast("PersonRecord | None", record)


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị hệ thống")
    SECRETARY = "secretary", _("Bí thư / người đứng đầu")
    DEPUTY = "deputy", _("Phó Bí thư / cấp phó")
    COMMITTEE_MEMBER = "committee_member", _("Cấp ủy viên")
    OFFICE_STAFF = "office_staff", _("Cán bộ văn phòng")
    MEMBER = "member", _("Đảng viên")
    CITIZEN = "citizen", _("Công dân")
    ANONYMOUS = "anonymous", _("Khách")


ROLE_BY_TITLE: dict[str, Role] = {
    PositionTitle.SECRETARY: Role.SECRETARY,
    PositionTitle.CHAIR: Role.SECRETARY,
    PositionTitle.HEAD: Role.SECRETARY,
    PositionTitle.DEPUTY_SECRETARY: Role.DEPUTY,
    PositionTitle.DEPUTY_CHAIR: Role.DEPUTY,
    PositionTitle.DEPUTY_HEAD: Role.DEPUTY,
    PositionTitle.STANDING_MEMBER: Role.COMMITTEE_MEMBER,
    PositionTitle.MEMBER: Role.COMMITTEE_MEMBER,
    PositionTitle.STAFF: Role.COMMITTEE_MEMBER,
    PositionTitle.OFFICE_STAFF: Role.OFFICE_STAFF,
}

# Roles that may read everything in their subtree.
OFFICER_ROLES = frozenset({Role.SECRETARY, Role.DEPUTY, Role.COMMITTEE_MEMBER, Role.OFFICE_STAFF})
# Roles that may change organisations, people and positions in their subtree.
MANAGER_ROLES = frozenset({Role.SECRETARY, Role.DEPUTY, Role.OFFICE_STAFF})


@dataclass(frozen=True)
class Grant:
    role: Role
    organization_id: int
    path: str

    def reaches(self, org: Organization) -> bool:
        return org.path.startswith(self.path)


@dataclass
class Access:
    """Everything about one account that permission checks need, read once per request."""

    user_id: int | None
    is_admin: bool = False
    person: PersonRecord | None = None
    positions: list[Position] = field(default_factory=list)
    person_id: int | None = None
    cell_id: int | None = None
    cell_path: str = ""
    grants: list[Grant] = field(default_factory=list)

    @property
    def roles(self) -> set[Role]:
        roles = {g.role for g in self.grants}
        if self.is_admin:
            roles.add(Role.ADMIN)
        if self.user_id is None:
            roles.add(Role.ANONYMOUS)
        elif not roles:
            roles.add(Role.CITIZEN)
        return roles

    @property
    def primary_role(self) -> Role:
        order = [Role.ADMIN, Role.SECRETARY, Role.DEPUTY, Role.OFFICE_STAFF, Role.COMMITTEE_MEMBER, Role.MEMBER]
        roles = self.roles
        for role in order:
            if role in roles:
                return role
        return Role.ANONYMOUS if self.user_id is None else Role.CITIZEN

    def reaches(self, org: Organization, roles: frozenset[Role]) -> bool:
        return self.is_admin or any(g.role in roles and g.reaches(org) for g in self.grants)

    def officer_paths(self) -> list[str]:
        """Roots of the subtrees this account may read as an officer (shortest first, none nested)."""
        paths = sorted({g.path for g in self.grants if g.role in OFFICER_ROLES}, key=len)
        roots: list[str] = []
        for p in paths:
            if not any(p.startswith(r) for r in roots):
                roots.append(p)
        return roots

    def paths_above(self) -> set[str]:
        """The paths of every organisation at or above one this account holds a role in (its cell included)."""
        above: set[str] = set()
        for g in self.grants:
            segments = g.path.split(".")[:-1]
            above |= {".".join(segments[: i + 1]) + "." for i in range(len(segments))}
        return above


def access_for(user: Account, on: dt.date | None = None) -> Access:
    """The account's roles and scopes, computed once per request and kept on the user object."""
    cached = getattr(user, "_dongthuan_access", None)
    if isinstance(cached, Access) and on is None:
        return cached
    if user is None or not user.is_authenticated:
        return Access(user_id=None)
    access = Access(user_id=user.pk, is_admin=bool(user.is_superuser and user.is_active))
    person = _account_record(user.pk)
    if person is not None:
        access.person = person
        access.person_id = person.pk
        if person.is_party_member and person.cell is not None:
            access.cell_id = person.cell_id
            access.cell_path = person.cell.path
            access.grants.append(Grant(Role.MEMBER, person.cell.pk, person.cell.path))
        positions = Position.objects.current(on).filter(person_id=person.pk).select_related("organization", "body")
        access.positions = list(positions.order_by("-start", "id"))
        for pos in access.positions:
            role = ROLE_BY_TITLE.get(pos.title)
            if role is not None:
                access.grants.append(Grant(role, pos.organization_id, pos.organization.path))
    if on is None:
        user._dongthuan_access = access  # type: ignore[attr-defined]  # the request's cache, dropped with it
    return access


def organization_reach(user: Account) -> models.Q | None:
    """The organisations whose pages ``user`` opens, as a condition on Organization (None: every one): the subtree
    of each organisation they are an officer of, and every organisation above or at any they belong to."""
    access = access_for(user)
    if access.is_admin:
        return None
    reach = models.Q(pk__in=[])
    for path in access.officer_paths():
        reach |= models.Q(path__startswith=path)
    above = access.paths_above()
    if above:
        reach |= models.Q(path__in=sorted(above))
    return reach
