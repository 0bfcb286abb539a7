"""Terms (nhiệm kỳ, R-ORG-3) written through one service everywhere — the admin included — and closed on a
body's page: a term starts the day after its congress closes and overlaps no other, so a document's number
(R-DOC-2) comes from exactly one sequence and restarts at 01 with the next term."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dongthuan.audit.models import AuditEvent
from dongthuan.core.errors import DomainError
from dongthuan.organizations import services
from dongthuan.organizations.models import Term
from tests.documents.test_documents import _draft, _issue

OVERLAP = "Nhiệm kỳ này trùng thời gian với một nhiệm kỳ khác của tổ chức."


def _first_term(world):
    return services.term_create(
        actor=None, organization=world.trung_my, name="2020 - 2025", congress_closed_on=dt.date(2020, 9, 30)
    )


def _admin_term(client, data):
    return client.post("/admin/organizations/term/add/", data)


@pytest.mark.django_db
def test_r_org_3_the_admin_refuses_an_overlapping_term_and_a_wrong_first_day(client, world):
    first = _first_term(world)
    client.force_login(world.users["admin"])
    base = {"organization": world.trung_my.pk, "name": "2025 - 2030", "congress_closed_on": "2025-06-30"}
    response = _admin_term(client, base | {"start": "2025-07-01"})  # the first term has no end: they overlap
    assert response.status_code == 200
    assert OVERLAP in response.content.decode()
    services.term_update(
        actor=None,
        term=first,
        name=first.name,
        congress_closed_on=first.congress_closed_on,
        start=first.start,
        end=dt.date(2025, 6, 30),
    )
    response = _admin_term(client, base | {"start": "2025-06-30"})  # the day the congress closed, not after
    assert "Nhiệm kỳ phải bắt đầu ngày 01/07/2025, tức ngày sau ngày bế mạc đại hội (R-ORG-3)." in (
        response.content.decode()
    )
    assert Term.objects.count() == 1
    response = _admin_term(client, base | {"start": "2025-07-01"})
    assert response.status_code == 302, response.content.decode()[:2000]
    second = Term.objects.get(name="2025 - 2030")
    assert AuditEvent.objects.for_object(second).get().actor == world.users["admin"]
    # Changing the first term so that it runs into the second is refused too.
    response = client.post(
        f"/admin/organizations/term/{first.pk}/change/",
        {"name": "2020 - 2025", "congress_closed_on": "2020-09-30", "start": "2020-10-01", "end": "2025-12-31"},
    )
    assert OVERLAP in response.content.decode()
    assert Term.objects.get(pk=first.pk).end == dt.date(2025, 6, 30)


@pytest.mark.django_db
def test_r_doc_2_closing_a_term_restarts_the_numbers_and_no_number_is_given_twice(world):
    first = _first_term(world)
    before = [_issue(_draft(world), dt.date(2025, 3, 1)).symbol, _issue(_draft(world), dt.date(2025, 6, 1)).symbol]
    assert before == ["01-NQ/ĐU", "02-NQ/ĐU"]
    with pytest.raises(DomainError) as error:  # a resolution was issued on 01/06: the term cannot end before it
        services.term_close_and_open(
            actor=world.users["secretary"],
            organization=world.trung_my,
            congress_closed_on=dt.date(2025, 5, 31),
            name="2025 - 2030",
        )
    assert error.value.messages == ["Đã có văn bản ban hành sau ngày này trong nhiệm kỳ hiện tại."]
    second = services.term_close_and_open(
        actor=world.users["secretary"],
        organization=world.trung_my,
        congress_closed_on=dt.date(2025, 6, 30),
        name="2025 - 2030",
    )
    assert (second.start, second.end, Term.objects.get(pk=first.pk).end) == (
        dt.date(2025, 7, 1),
        None,
        dt.date(2025, 6, 30),
    )
    after = [
        _issue(_draft(world), dt.date(2025, 7, 1)).symbol,
        _issue(_draft(world), dt.date(2025, 6, 30)).symbol,  # the last day of the first term: its sequence
        _issue(_draft(world), dt.date(2025, 8, 1)).symbol,
    ]
    assert after == ["01-NQ/ĐU", "03-NQ/ĐU", "02-NQ/ĐU"]
    issued = list(world.trung_my.documents.filter(status="issued").values_list("term_id", "symbol"))
    assert len(issued) == len(set(issued)) == 5  # no number twice in a term
    # No term can be slid back over the documents numbered in the next one.
    with pytest.raises(DomainError) as error:
        services.term_update(
            actor=None,
            term=first,
            name=first.name,
            congress_closed_on=first.congress_closed_on,
            start=first.start,
            end=dt.date(2025, 7, 31),
        )
    assert error.value.messages == [OVERLAP]
    with pytest.raises(DomainError) as error:
        services.term_update(
            actor=None, term=second, name=second.name, congress_closed_on=None, start=dt.date(2025, 7, 15), end=None
        )
    assert error.value.messages == ["Đã có văn bản đánh số trong nhiệm kỳ này ban hành ngoài khoảng thời gian mới."]
    assert [e.action for e in AuditEvent.objects.for_object(first).order_by("id")] == ["create", "update"]
    assert AuditEvent.objects.for_object(second).get().actor == world.users["secretary"]


@pytest.mark.django_db
def test_the_secretary_closes_the_term_from_the_committee_s_page(client, world):
    _first_term(world)
    url = reverse("organizations:term_next", args=[world.committee.pk])
    for role in ("committee_member", "member", "other_secretary"):
        client.force_login(world.users[role])
        assert client.get(url).status_code == 404, role
        assert client.post(url, {"congress_closed_on": "30/06/2025", "name": "2025 - 2030"}).status_code == 404
    assert Term.objects.count() == 1
    client.force_login(world.users["secretary"])
    page = client.get(reverse("organizations:body", args=[world.committee.pk])).content.decode()
    assert url in page
    page = client.get(url).content.decode()
    assert "Nhiệm kỳ hiện tại: Nhiệm kỳ 2020 - 2025, từ 01/10/2020." in page
    response = client.post(url, {"congress_closed_on": "30/09/2020", "name": "2025 - 2030"})
    assert response.status_code == 400
    assert "Ngày bế mạc đại hội không thể trước ngày bắt đầu nhiệm kỳ hiện tại (01/10/2020)." in (
        response.content.decode()
    )
    response = client.post(url, {"congress_closed_on": "30/06/2025", "name": "2025 - 2030"}, follow=True)
    assert "Đã kết thúc nhiệm kỳ trước và mở Nhiệm kỳ 2025 - 2030 từ ngày 01/07/2025." in response.content.decode()
    assert list(Term.objects.order_by("start").values_list("name", "start", "end")) == [
        ("2020 - 2025", dt.date(2020, 10, 1), dt.date(2025, 6, 30)),
        ("2025 - 2030", dt.date(2025, 7, 1), None),
    ]
