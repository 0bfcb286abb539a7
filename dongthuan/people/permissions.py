"""Who may see, search and change people's records, and who sees their private details.

A person is seen by themselves, by the officers of the organisations they belong to (their cell, their home
organisation, where they hold a post) and, for a party member, by the members of their own cell; changed by the
managers of those organisations. A classified record reaches only the people named on it, administrators
included (``core.access``). Decided with the roles of ``organizations.roles``.

Views load a person with ``person_for_user(user, id)`` (or ``person_for_editor``): a missing person and a
forbidden one both raise ``Http404``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models
from django.http import Http404

from dongthuan.core.access import can_see_classified
from dongthuan.core.http import get_or_404
from dongthuan.core.models import Classification
from dongthuan.organizations.models import Organization, OrganizationStatus
from dongthuan.organizations.permissions import (
    can_manage_organization,
    can_view_members,
    organization_for_manager,
    organization_for_user,
)
from dongthuan.organizations.roles import MANAGER_ROLES, OFFICER_ROLES, Account, access_for
from dongthuan.people.models import Person


def _person_orgs(person: Person) -> list[Organization]:
    orgs = [o for o in (person.cell, person.home_organization) if o is not None]
    orgs.extend(p.organization for p in person.positions.current().select_related("organization"))
    return orgs


def can_view_person(user: Account, person: Person) -> bool:
    access = access_for(user)
    if not can_see_classified(user, person):
        return False
    if access.person_id is not None and access.person_id == person.pk:
        return True
    if access.is_admin:
        return True
    orgs = _person_orgs(person)
    if any(access.reaches(o, OFFICER_ROLES) for o in orgs):
        return True
    return access.cell_id is not None and person.cell_id == access.cell_id and person.is_party_member


def can_edit_person(user: Account, person: Person) -> bool:
    if not can_see_classified(user, person):
        return False
    access = access_for(user)
    if access.is_admin:
        return True
    return any(access.reaches(o, MANAGER_ROLES) for o in _person_orgs(person))


def can_search_people(user: Account) -> bool:
    """The people search: administrators and whoever holds an officer's post (it finds those of their subtrees)."""
    access = access_for(user)
    return access.is_admin or bool(access.officer_paths())


# A person's private details — birth date, phone, email, home address, account — are shown (on the person's page
# and in every export) to the person and to those who may edit the record, not to everyone who may see it.
PRIVATE_PERSON_FIELDS = ("birth_date", "phone", "email", "address")


def can_see_private_details(user: Account, person: Person) -> bool:
    access = access_for(user)
    if access.person_id is not None and access.person_id == person.pk:
        return True
    return can_edit_person(user, person)


def private_details_reader(user: Account) -> Callable[[Person], bool]:
    """``can_see_private_details`` for the rows of a list (people with their cell and home organisation loaded),
    decided in memory: the reader themselves, administrators, and the managers of the person's cell or home."""
    access = access_for(user)

    def sees(person: Person) -> bool:
        if access.is_admin or (access.person_id is not None and access.person_id == person.pk):
            return True
        orgs = [o for o in (person.cell, person.home_organization) if o is not None]
        return any(access.reaches(o, MANAGER_ROLES) for o in orgs)

    return sees


def person_for_user(user: Account, person_id: int | str) -> Person:
    person = get_or_404(Person.objects.select_related("cell", "home_organization", "account"), person_id)
    if not can_view_person(user, person):
        raise Http404
    return person


def person_for_editor(user: Account, person_id: int | str) -> Person:
    person = person_for_user(user, person_id)
    if not can_edit_person(user, person):
        raise Http404
    return person


def organization_for_registrar(user: Account, organization_id: int | str) -> Organization:
    """An organisation ``user`` may register a new person in (a member of one of its cells, or a resident): one
    they manage (``organizations.permissions.can_manage_organization``)."""
    return organization_for_manager(user, organization_id)


def organization_for_member_list(user: Account, organization_id: int | str) -> Organization:
    """An organisation whose member list ``user`` may read (``organizations.permissions.can_view_members``)."""
    org = organization_for_user(user, organization_id)
    if not can_view_members(user, org):
        raise Http404
    return org


def can_manage_members(user: Account, organization: Organization) -> bool:
    """Whether ``user`` may register people in ``organization`` and give them posts there (its managers)."""
    return can_manage_organization(user, organization)


def organization_for_post_giver(user: Account, organization_id: int | str) -> Organization:
    """An organisation ``user`` may give someone a post in: one they manage, not dissolved."""
    org = organization_for_manager(user, organization_id)
    if org.status == OrganizationStatus.DISSOLVED:
        raise Http404
    return org


def visible_people(user: Account) -> models.QuerySet[Person]:
    """People an account may list and search: those registered in a subtree it reads as an officer."""
    access = access_for(user)
    qs = Person.objects.filter(classification=Classification.NONE)
    if access.is_admin:
        return qs
    paths = access.officer_paths()
    if not paths:
        return qs.none()
    # Scoped through the organisations' paths (joined per row) rather than a list of thousands of ids, so that
    # a search reads the people table once, filtered by name first.
    scope = models.Q(pk__in=[])
    for p in paths:
        scope |= models.Q(cell__path__startswith=p) | models.Q(home_organization__path__startswith=p)
    return qs.filter(scope)
