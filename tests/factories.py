"""Factories for tests. Organisations and people are created through the services, so paths, search keys and
audit rows are exactly what the product writes."""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from django.contrib.auth import get_user_model

from dongthuan.organizations import services as org_services
from dongthuan.organizations.models import Level, Organization, OrganizationKind
from dongthuan.people import services as people_services
from dongthuan.people.models import PartyStatus, Person

_card = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw")


def level(code: str) -> Level:
    return Level.objects.get(code=code)


def make_org(
    name: str, kind: str, parent: Organization | None = None, level_code: str | None = None, **kw
) -> Organization:
    if level_code is None and parent is not None:
        lv = parent.level
    else:
        lv = level(level_code) if level_code else None
    kw.setdefault("valid_from", dt.date(2025, 7, 1))
    return org_services.organization_create(actor=None, name=name, kind=kind, parent=parent, level=lv, **kw)


def make_cell(parent: Organization, name: str = "Chi bộ thôn Một", **kw) -> Organization:
    return make_org(name, OrganizationKind.CELL, parent, **kw)


def make_member(cell: Organization, name: str = "Nguyễn Văn An", status: str = PartyStatus.FULL, **kw) -> Person:
    fields = {
        "party_status": status,
        "cell": cell,
        "joined_on": dt.date(2010, 5, 19),
        "full_on": dt.date(2011, 5, 19) if status == PartyStatus.FULL else None,
        "party_card_number": f"T{next(_card):07d}",
    }
    fields.update(kw)
    return people_services.person_create(actor=None, full_name=name, **fields)


def make_citizen(name: str = "Lê Thị Hoa", home: Organization | None = None) -> Person:
    return people_services.person_create(actor=None, full_name=name, home_organization=home)
