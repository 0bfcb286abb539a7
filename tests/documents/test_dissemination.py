"""Quán triệt: the members of an organisation study an issued document; sessions and confirmations give the coverage
per organisation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dongthuan.core.errors import DomainError
from dongthuan.documents import selectors, services
from dongthuan.documents.models import Acknowledgement, DocumentType
from dongthuan.organizations import services as org_services
from dongthuan.people.models import Person


def _issued(world):
    org_services.term_create(actor=None, organization=world.trung_my, name="2025 - 2030", start=dt.date(2025, 7, 1))
    draft = services.document_create(
        actor=None,
        organization=world.trung_my,
        doc_type=DocumentType.objects.get(name="Nghị quyết"),
        title="về đổi mới phương thức lãnh đạo",
        sections=[{"text": "Nội dung"}],
    )
    return services.document_issue(
        actor=None, document=draft, issued_on=dt.date(2026, 12, 5), place="Trung Mỹ", signer=None, signer_title="Bí thư"
    )


def _members(org):
    return list(Person.objects.filter(party_status__in=["full", "probationary"], cell__path__startswith=org.path))


@pytest.mark.django_db
def test_coverage_per_organisation_from_sessions_and_confirmations(world):
    document = _issued(world)
    with pytest.raises(DomainError):  # a draft is not studied
        services.dissemination_create(
            actor=None,
            document=services.document_create(
                actor=None, organization=world.trung_my, doc_type=document.doc_type, title="x", sections=[{"text": "y"}]
            ),
            organization=world.trung_my,
        )
    dissemination = services.dissemination_create(actor=None, document=document, organization=world.trung_my)
    with pytest.raises(DomainError):
        services.dissemination_create(actor=None, document=document, organization=world.trung_my)
    in_cell, in_other = _members(world.cell), _members(world.cell_two)
    services.session_record(
        actor=None,
        dissemination=dissemination,
        organization=world.cell,
        held_on=dt.date(2026, 12, 10),
        attendees=in_cell[:-1],
    )
    services.acknowledge(actor=None, dissemination=dissemination, person=in_cell[-1])
    services.acknowledge(actor=None, dissemination=dissemination, person=in_cell[-1])  # twice: nothing more
    with pytest.raises(DomainError) as outside:
        services.acknowledge(actor=None, dissemination=dissemination, person=world.people["other_secretary"])
    assert outside.value.messages == ["Đồng chí không thuộc diện quán triệt văn bản này."]
    rows = {r.organization.pk: (r.members, r.acknowledged, r.percent) for r in selectors.coverage(dissemination)}
    everyone = len(_members(world.trung_my))
    assert rows[world.trung_my.pk] == (everyone, len(in_cell), round(100 * len(in_cell) / everyone))
    assert rows[world.cell.pk] == (len(in_cell), len(in_cell), 100)
    assert rows[world.cell_two.pk] == (len(in_other), 0, 0)
    assert Acknowledgement.objects.filter(dissemination=dissemination).count() == len(in_cell)


@pytest.mark.django_db
def test_dissemination_through_the_pages(client, world):
    document = _issued(world)
    client.force_login(world.users["office_staff"])
    response = client.post(
        reverse("documents:dissemination_create", args=[document.pk]),
        {"organization": world.trung_my.pk, "deadline": "31/12/2026"},
    )
    dissemination = document.disseminations.get()
    assert response["Location"] == dissemination.get_absolute_url() and dissemination.deadline == dt.date(2026, 12, 31)
    page = client.get(dissemination.get_absolute_url() + f"?unit={world.cell.pk}").content.decode()
    assert 'data-testid="session-form"' in page
    members = _members(world.cell)
    client.post(
        dissemination.get_absolute_url(),
        {"action": "session", "unit": world.cell.pk, "held_on": "10/12/2026", "attendees": [p.pk for p in members]},
    )
    assert dissemination.acknowledgements.count() == len(members)
    client.force_login(world.users["member"])
    page = client.get(dissemination.get_absolute_url()).content.decode()
    assert "Đồng chí đã nghiên cứu, quán triệt văn bản này." in page  # the member attended the cell's session
    client.force_login(world.users["other_secretary"])
    assert client.get(dissemination.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_who_must_study_is_fixed_when_the_document_is_given(world):
    """A member who moves to another commune afterwards still counts where they were (coverage survives moves and
    reorganisations)."""
    dissemination = services.dissemination_create(actor=None, document=_issued(world), organization=world.trung_my)
    in_cell = _members(world.cell)
    mover = in_cell[0]
    Person.objects.filter(pk=mover.pk).update(cell=world.other_cell)
    services.acknowledge(actor=None, dissemination=dissemination, person=mover)
    rows = {r.organization.pk: (r.members, r.acknowledged) for r in selectors.coverage(dissemination)}
    assert rows[world.cell.pk] == (len(in_cell), 1)
    newcomer = _members(world.other_cell)[0]
    with pytest.raises(DomainError):  # not in scope when the document was given
        services.acknowledge(
            actor=None,
            dissemination=dissemination,
            person=newcomer if newcomer.pk != mover.pk else _members(world.other_cell)[1],
        )


@pytest.mark.django_db
def test_a_study_page_posts_through_forms(client, world):
    """Giving a document to study and recording a session go through documents.forms: a bad date is said and
    nothing is written; an organisation that is not an id, or a button that is not on the page, is a 404."""
    document = _issued(world)
    client.force_login(world.users["office_staff"])
    create_url = reverse("documents:dissemination_create", args=[document.pk])
    response = client.post(create_url, {"organization": "abc", "deadline": "31/12/2026"})
    assert response.status_code == 404
    response = client.post(create_url, {"organization": world.trung_my.pk, "deadline": "32/13/2026"}, follow=True)
    assert "Nhập ngày theo dạng dd/mm/yyyy" in response.content.decode() and document.disseminations.count() == 0
    client.post(create_url, {"organization": world.trung_my.pk})
    dissemination = document.disseminations.get()
    url = dissemination.get_absolute_url()
    members = [p.pk for p in _members(world.cell)]
    response = client.post(url, {"action": "session", "unit": world.cell.pk, "held_on": "x", "attendees": members})
    assert response.status_code == 302 and dissemination.acknowledgements.count() == 0
    assert client.post(url, {"action": "session", "unit": "abc", "held_on": "10/12/2026"}).status_code == 404
    assert client.post(url, {"action": "other"}).status_code == 404
    response = client.post(
        url, {"action": "session", "unit": world.cell.pk, "held_on": "10/12/2026", "attendees": [*members, "x", ""]}
    )
    assert response.status_code == 302 and dissemination.acknowledgements.count() == len(members)
