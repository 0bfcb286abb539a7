"""Who may reorganise an organisation, see a reorganisation and revert it.

Reorganising is decided one level up: by those who manage the organisation's parent (administrators for a root),
and every other organisation an operation touches must be managed by the same account. A reorganisation is seen
by the officers of any organisation it touched. Decided with the roles of ``organizations.roles``.

Views load what a browser names with ``<entity>_for_user(user, id)``: a missing object and a forbidden one both
raise ``Http404``.
"""

from __future__ import annotations

from django.http import Http404

from dongthuan.core.http import get_or_404
from dongthuan.organizations.models import Organization
from dongthuan.organizations.permissions import can_manage_organization, organization_for_user
from dongthuan.organizations.roles import OFFICER_ROLES, Account, access_for
from dongthuan.restructuring.models import Restructuring


def can_restructure(user: Account, org: Organization) -> bool:
    """Reorganising an organisation is decided one level up: by those who manage its parent (administrators for
    a root). Every other organisation an operation touches must be managed by the same account."""
    if org.parent_id is None:
        return access_for(user).is_admin
    parent = org.parent
    assert parent is not None
    return can_manage_organization(user, parent)


def can_involve(user: Account, org: Organization) -> bool:
    """Another organisation an operation touches (the other communes of a merger, the new parent of a move): one
    ``user`` manages, or one they may reorganise themselves."""
    return can_manage_organization(user, org) or can_restructure(user, org)


def can_list_restructurings(user: Account) -> bool:
    """The list of reorganisations: administrators and whoever holds an officer's post (it shows those that
    touched their subtrees)."""
    access = access_for(user)
    return access.is_admin or bool(access.officer_paths())


def organization_for_restructuring(user: Account, organization_id: int | str) -> Organization:
    org = organization_for_user(user, organization_id)
    if not can_restructure(user, org):
        raise Http404
    return org


def can_view_restructuring(user: Account, event: Restructuring) -> bool:
    access = access_for(user)
    return access.is_admin or any(access.reaches(o, OFFICER_ROLES) for o in event.organizations.all())


def restructuring_for_user(user: Account, event_id: int | str) -> Restructuring:
    event = get_or_404(Restructuring.objects.all(), event_id)
    if not can_view_restructuring(user, event):
        raise Http404
    return event


def can_revert_restructuring(user: Account, event: Restructuring) -> bool:
    return all(can_restructure(user, o) for o in event.organizations.all())
