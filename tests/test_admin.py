"""The admin: a page for every model, and its writes audited like any other write."""

from __future__ import annotations

import unicodedata

import pytest
from django.apps import apps
from django.contrib import admin

from dongthuan.audit.models import AuditEvent
from dongthuan.organizations.models import Body, Position
from dongthuan.people.models import Person


@pytest.mark.django_db
def test_every_model_of_ours_has_an_admin_page(client, world):
    client.force_login(world.users["admin"])
    ours = [m for m in apps.get_models() if m.__module__.startswith("dongthuan.")]
    assert {m.__name__ for m in ours} >= {
        "AccessGrant",
        "AuditEvent",
        "Level",
        "Organization",
        "ParentLink",
        "Term",
        "Body",
        "Position",
        "Person",
        "Restructuring",
        "Succession",
    }
    # Secret ballots, who voted in a secret poll and the seals are kept out of the admin on purpose.
    secret = {"Ballot", "VoterMark", "PollSeal", "SealShare"}
    for model in ours:
        if model.__name__ in secret:
            assert model not in admin.site._registry, model
            continue
        assert model in admin.site._registry, model
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_admin_person_save_goes_through_the_service(client, world):
    client.force_login(world.users["admin"])
    nfd = unicodedata.normalize("NFD", "Đinh Thị Thủy")
    response = client.post(
        "/admin/people/person/add/",
        {"full_name": nfd, "gender": "female", "party_status": "", "classification": ""},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    person = Person.objects.get(search_name="dinh thi thuy")
    assert person.full_name == "Đinh Thị Thủy"
    event = AuditEvent.objects.for_object(person).get()
    assert (event.action, event.actor) == ("create", world.users["admin"])


@pytest.mark.django_db
def test_admin_body_change_is_audited(client, world):
    client.force_login(world.users["admin"])
    body = world.committee
    response = client.post(
        f"/admin/organizations/body/{body.pk}/change/",
        {"organization": world.trung_my.pk, "kind": "committee", "name": "BCH Đảng bộ xã Trung Mỹ", "settings": "{}"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.for_object(body).first()
    assert event.changes == {"name": ["Ban Chấp hành Đảng bộ xã Trung Mỹ", "BCH Đảng bộ xã Trung Mỹ"]}
    assert Body.objects.get(pk=body.pk).name == "BCH Đảng bộ xã Trung Mỹ"


@pytest.mark.django_db
def test_admin_cannot_edit_positions_around_the_rules(client, world):
    client.force_login(world.users["admin"])
    position = Position.objects.first()
    assert client.get("/admin/organizations/position/add/").status_code == 403
    assert client.post(f"/admin/organizations/position/{position.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Position.objects.filter(pk=position.pk).exists()
