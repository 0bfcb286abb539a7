"""Who may do what with organisations, their bodies, terms and posts.

Officers see their subtree and the organisations above it; members their cell and the organisations above it;
the managers (secretary, deputies, office) change an organisation, its bodies, its terms, the posts held in it
and the people registered in it. Decided with the roles of ``organizations.roles``.

Views load what a browser names with ``<entity>_for_user(user, id)`` (or ``_for_manager``): a missing object and a
forbidden one both raise ``Http404``.
"""

from __future__ import annotations

from django.http import Http404

from dongthuan.core.http import get_or_404
from dongthuan.organizations import succession
from dongthuan.organizations.models import Body, Organization, Position
from dongthuan.organizations.roles import MANAGER_ROLES, OFFICER_ROLES, Account, access_for


def can_view_organization(user: Account, org: Organization) -> bool:
    """Officers see their subtree and the organisations above it; members their cell and above it."""
    access = access_for(user)
    if access.is_admin:
        return True
    for g in access.grants:
        if g.reaches(org) and g.role in OFFICER_ROLES:
            return True
        if g.path.startswith(org.path):  # an ancestor of (or the same as) an organisation the account belongs to
            return True
    if org.status != "dissolved":
        return False
    # The history of a dissolved organisation is read by the officers of what took it over — or, for one that
    # ended with its level (the districts in 2025), of what took over the organisation above it.
    chain: Organization | None = org
    step = 0
    while chain is not None and chain.status == "dissolved" and step < 6:
        if _succeeded_into_reach(user, chain):
            return True
        chain, step = chain.parent, step + 1
    return False


def _succeeded_into_reach(user: Account, org: Organization) -> bool:
    """Officers of an organisation may read the pages of the organisations it took over (their history)."""
    frontier = {org.pk}
    seen: set[int] = set()
    for _step in range(6):
        successors = list(Organization.objects.filter(pk__in=succession.successor_ids(frontier)))
        if not successors:
            return False
        if any(access_for(user).reaches(s, OFFICER_ROLES) for s in successors):
            return True
        seen |= frontier
        frontier = {s.pk for s in successors} - seen
    return False


def can_view_members(user: Account, org: Organization) -> bool:
    access = access_for(user)
    if access.reaches(org, OFFICER_ROLES):
        return True
    return access.cell_id is not None and access.cell_id == org.pk


def can_manage_organization(user: Account, org: Organization) -> bool:
    """Change an organisation, its bodies, the posts held in it and the people registered in it."""
    return access_for(user).reaches(org, MANAGER_ROLES)


def can_view_history(user: Account, org: Organization) -> bool:
    return access_for(user).reaches(org, OFFICER_ROLES)


def can_use_tree(user: Account) -> bool:
    access = access_for(user)
    return access.is_admin or bool(access.grants)


def organization_for_user(user: Account, organization_id: int | str) -> Organization:
    org = get_or_404(Organization.objects.select_related("level", "parent"), organization_id)
    if not can_view_organization(user, org):
        raise Http404
    return org


def organization_for_manager(user: Account, organization_id: int | str) -> Organization:
    org = organization_for_user(user, organization_id)
    if not can_manage_organization(user, org):
        raise Http404
    return org


def body_for_user(user: Account, body_id: int | str) -> Body:
    body = get_or_404(Body.objects.select_related("organization", "term"), body_id)
    if not can_view_organization(user, body.organization):
        raise Http404
    return body


def term_body_for_manager(user: Account, body_id: int | str) -> Body:
    """A body whose organisation's terms ``user`` may close and open: its secretary, deputies and office."""
    body = body_for_user(user, body_id)
    if not can_manage_organization(user, body.organization):
        raise Http404
    return body


def position_for_manager(user: Account, position_id: int | str) -> Position:
    position = get_or_404(Position.objects.select_related("organization", "body", "person"), position_id)
    if not can_manage_organization(user, position.organization):
        raise Http404
    return position
