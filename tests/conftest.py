from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, field

import pytest
from django.utils import translation

from dongthuan.organizations import services as org_services
from dongthuan.organizations.models import Body, BodyKind, Organization, OrganizationKind, PositionTitle
from dongthuan.people import services as people_services
from dongthuan.people.models import Person
from tests.factories import UserFactory, make_cell, make_citizen, make_member, make_org

START = dt.date(2025, 7, 1)


@pytest.fixture(autouse=True)
def vietnamese():
    """Each test starts in Vietnamese, the default language (a request in English must not leak into the next)."""
    with translation.override("vi"):
        yield


@dataclass
class World:
    """A small two-level political system: a province, two communes (Trung Mỹ, Bá Hiến) with cells, and one
    login per role. ``users[role]`` is the account; ``people[role]`` the person."""

    province: Organization
    trung_my: Organization
    ba_hien: Organization
    cell: Organization
    cell_two: Organization
    other_cell: Organization
    committee: Body
    users: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)


def _login(world: World, role: str, person: Person | None) -> None:
    user = UserFactory(username=role)
    if person is not None:
        people_services.person_link_account(actor=None, person=person, account=user)
    world.users[role] = user
    world.people[role] = person


@pytest.fixture
def world(db) -> World:
    province = make_org("Đảng bộ tỉnh Phú Thọ", OrganizationKind.PARTY, None, "province", doc_code="TU")
    trung_my = make_org("Đảng bộ xã Trung Mỹ", OrganizationKind.GRASSROOTS, province, "commune", doc_code="ĐU")
    ba_hien = make_org("Đảng bộ xã Bá Hiến", OrganizationKind.GRASSROOTS, province, "commune", doc_code="ĐU")
    cell = make_cell(trung_my, "Chi bộ thôn Thanh Lanh")
    cell_two = make_cell(trung_my, "Chi bộ thôn Đồng Giang")
    other_cell = make_cell(ba_hien, "Chi bộ thôn Bá Cầu")
    committee = org_services.body_create(
        actor=None, organization=trung_my, kind=BodyKind.COMMITTEE, name="Ban Chấp hành Đảng bộ xã Trung Mỹ"
    )
    other_committee = org_services.body_create(
        actor=None, organization=ba_hien, kind=BodyKind.COMMITTEE, name="Ban Chấp hành Đảng bộ xã Bá Hiến"
    )
    w = World(province, trung_my, ba_hien, cell, cell_two, other_cell, committee)

    names = {
        "secretary": "Phạm Văn Bình",
        "deputy": "Hoàng Thị Lan",
        "committee_member": "Vũ Đức Cường",
        "office_staff": "Đỗ Thu Hà",
        "member": "Bùi Văn Nam",
    }
    posts = {
        "secretary": PositionTitle.SECRETARY,
        "deputy": PositionTitle.DEPUTY_SECRETARY,
        "committee_member": PositionTitle.MEMBER,
        "office_staff": PositionTitle.OFFICE_STAFF,
    }
    for role, name in names.items():
        person = make_member(cell if role != "office_staff" else cell_two, name)
        if role in posts:
            org_services.position_assign(
                actor=None,
                person=person,
                organization=trung_my,
                body=committee if role != "office_staff" else None,
                title=posts[role],
                start=START,
            )
        _login(w, role, person)
    other = make_member(other_cell, "Lý Văn Tâm")
    org_services.position_assign(
        actor=None, person=other, organization=ba_hien, body=other_committee, title=PositionTitle.SECRETARY, start=START
    )
    _login(w, "other_secretary", other)
    _login(w, "citizen", make_citizen("Lê Thị Hoa", home=trung_my))
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    w.users["admin"] = admin
    w.people["admin"] = None
    return w


def restore_migration_data() -> None:
    """Put back the rows the data migrations wrote (the levels of the political system, R-ORG-4; the document
    types, R-DOC-1; the fields of action programs).

    A transactional test ends with a flush, which empties every table. ``serialized_rollback`` is not used to
    restore them: Django keeps the serialized copy on the connection object, which asgiref stores per context,
    and Playwright's sync API runs the test in another context, so whether the copy is found depends on whether
    the test database was created before or after the browser started (it was not found when other tests ran
    first). Running the migration's own function again is order-independent."""
    from django.apps import apps

    migration = importlib.import_module("dongthuan.organizations.migrations.0003_levels_2017_and_2025")
    migration.create_levels(apps, None)
    types = importlib.import_module("dongthuan.documents.migrations.0002_document_types")  # R-DOC-1
    types.add_types(apps, None)
    fields = importlib.import_module("dongthuan.programs.migrations.0002_fields")
    fields.add_fields(apps, None)
    portal = importlib.import_module("dongthuan.portal.migrations.0002_sections_and_topics")
    portal.add(apps, None)


@pytest.fixture(autouse=True)
def fresh_page_cache():
    """Each test starts with no cached public page: test databases reuse ids and the portal's generation number,
    which a real site never does."""
    from django.core.cache import cache

    from dongthuan.portal import cache as page_cache

    cache.clear()
    page_cache.forget()
    yield


@pytest.fixture(autouse=True)
def force_login_gives_the_second_factor(monkeypatch):
    """``client.force_login`` stands for a completed sign-in, second factor included: tests of pages need not
    enrol an authenticator app. The real sign-in (the login page) asks for it; tests/accounts test that path."""
    from django.test import Client

    from dongthuan.accounts.middleware import DONE, SECOND_FACTOR_KEY

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        session[SECOND_FACTOR_KEY] = DONE
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)
