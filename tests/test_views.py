"""Pages as a user meets them: query counts that do not grow with the data, Vietnamese messages for bad input,
diacritic-insensitive search, English on request."""

from __future__ import annotations

import unicodedata

import pytest
from django.urls import reverse

from dongthuan.audit.models import AuditEvent
from dongthuan.organizations.models import Level, Organization
from dongthuan.people.models import Person
from tests.factories import make_cell, make_member


def _grow(world, cells=3, members=6):
    for i in range(cells):
        cell = make_cell(world.trung_my, f"Chi bộ thôn Mở Rộng {i}")
        for j in range(members):
            make_member(cell, f"Nguyễn Văn Thêm {i}-{j}")


LIST_PAGES = {
    # page: (url builder, queries) — the count must not change when the data grows
    "home": (lambda w: reverse("home"), 11),  # with the tasks the person answers for and the late ones in reach
    "tree": (lambda w: reverse("organizations:tree"), 5),
    "tree_search": (lambda w: reverse("organizations:tree") + "?q=chi+bo", 6),
    "org_children": (lambda w: reverse("organizations:children", args=[w.trung_my.pk]), 6),
    "org_detail": (lambda w: reverse("organizations:detail", args=[w.trung_my.pk]), 15),
    "org_members": (lambda w: reverse("people:members", args=[w.trung_my.pk]), 8),
    "member_search": (lambda w: reverse("people:members", args=[w.trung_my.pk]) + "?q=van", 8),
    "people_search": (lambda w: reverse("people:search") + "?q=van", 6),
    "org_history": (lambda w: reverse("organizations:history", args=[w.trung_my.pk]), 7),
}


@pytest.mark.django_db
@pytest.mark.parametrize("page", sorted(LIST_PAGES))
def test_list_page_query_count_is_constant(client, world, django_assert_num_queries, page):
    url_for, expected = LIST_PAGES[page]
    client.force_login(world.users["secretary"])
    url = url_for(world)
    client.get(url)  # warms per-process caches (content types), which other tests may or may not have filled
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    _grow(world)
    client.force_login(world.users["secretary"])
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_tree_search_ignores_diacritics(client, world):
    client.force_login(world.users["admin"])
    html = client.get(reverse("organizations:tree") + "?q=trung+my").content.decode()
    assert "Đảng bộ xã Trung Mỹ" in html
    assert "Bá Hiến" not in html.split('data-testid="search-results"')[1].split("</ul>")[0]


@pytest.mark.django_db
def test_member_search_finds_vietnamese_name_typed_without_marks(client, world):
    client.force_login(world.users["secretary"])
    html = client.get(reverse("people:members", args=[world.trung_my.pk]) + "?q=bui+van").content.decode()
    table = html.split('data-testid="members"')[1]
    assert "Bùi Văn Nam" in table
    assert "Phạm Văn Bình" not in table


@pytest.mark.django_db
def test_member_list_is_paginated_25_a_page(client, world):
    _grow(world, cells=2, members=15)
    client.force_login(world.users["secretary"])
    url = reverse("people:members", args=[world.trung_my.pk])
    first = client.get(url)
    assert first.context["page"].paginator.count == 35
    assert len(first.context["page"].object_list) == 25
    assert len(client.get(url + "?page=2").context["page"].object_list) == 10
    assert client.get(url + "?page=abc").status_code == 200


@pytest.mark.django_db
def test_bad_date_gets_vietnamese_message_and_nothing_changes(client, world):
    client.force_login(world.users["secretary"])
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("organizations:edit", args=[world.trung_my.pk]),
        {"name": "Đảng bộ xã Trung Mỹ", "valid_from": "31/02/2025"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"valid_from": ["Nhập ngày theo dạng dd/mm/yyyy, ví dụ 24/04/2017."]}
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_rule_refusal_shows_on_the_form(client, world):
    client.force_login(world.users["secretary"])
    response = client.post(
        reverse("people:position_add", args=[world.trung_my.pk]),
        {"person": world.people["member"].pk, "title": "secretary", "body": world.committee.pk, "start": "01/09/2025"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"title": ["Đã có bí thư đương nhiệm; hãy kết thúc chức vụ đó trước."]}


@pytest.mark.django_db
def test_person_form_stores_nfd_input_as_nfc(client, world):
    client.force_login(world.users["secretary"])
    nfd = unicodedata.normalize("NFD", "Trịnh Thị Mỹ Hạnh")
    response = client.post(reverse("people:create", args=[world.trung_my.pk]), {"full_name": nfd})
    assert response.status_code == 302
    person = Person.objects.get(search_name="trinh thi my hanh")
    assert person.full_name == "Trịnh Thị Mỹ Hạnh"
    assert person.home_organization == world.trung_my


@pytest.mark.django_db
def test_person_form_field_errors_are_vietnamese(client, world):
    client.force_login(world.users["secretary"])
    response = client.post(
        reverse("people:create", args=[world.trung_my.pk]),
        {"full_name": "", "email": "khong-phai-email", "party_status": "full"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["full_name"] == ["Trường này là bắt buộc."]
    assert errors["email"] == ["Nhập địa chỉ email."]


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["999999", "0", "-1"])
def test_unknown_ids_are_404_not_500(client, world, bad):
    client.force_login(world.users["admin"])
    for name in ("organizations:detail", "people:members", "people:detail", "organizations:body"):
        url = reverse(name, args=[1]).replace("/1/", f"/{bad}/")
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_cell_below_minimum_warns_on_its_page(client, world):
    cell = make_cell(world.trung_my, "Chi bộ Công an xã")
    make_member(cell, "Nguyễn Văn Một")
    client.force_login(world.users["secretary"])
    html = client.get(reverse("organizations:detail", args=[cell.pk])).content.decode()
    assert "Chi bộ chỉ có 1 đảng viên chính thức; cần ít nhất 3 (R-ORG-1, Điều lệ Đảng, Điều 24)." in html
    response = client.post(reverse("organizations:activate", args=[cell.pk]), follow=True)
    assert Organization.objects.get(pk=cell.pk).status == "forming"
    assert "cần ít nhất 3" in response.content.decode()


@pytest.mark.django_db
def test_home_lists_what_needs_attention(client, world):
    cell = make_cell(world.trung_my, "Chi bộ Công an xã")
    client.force_login(world.users["secretary"])
    items = client.get(reverse("home")).context["attention"]
    assert [(a.kind, a.organization.name) for a in items if a.kind == "cell_below_minimum"] == [
        ("cell_below_minimum", "Chi bộ thôn Đồng Giang"),
        ("cell_below_minimum", cell.name),
    ]


@pytest.mark.django_db
def test_history_page_shows_before_and_after(client, world):
    client.force_login(world.users["secretary"])
    client.post(
        reverse("organizations:edit", args=[world.trung_my.pk]),
        {"name": "Đảng bộ xã Trung Mỹ", "short_name": "ĐU Trung Mỹ", "valid_from": "01/07/2025"},
    )
    html = client.get(reverse("organizations:history", args=[world.trung_my.pk])).content.decode()
    assert "Phạm Văn Bình (secretary)" in html
    assert "<strong>Tên viết tắt</strong>: ∅ → ĐU Trung Mỹ" in html


@pytest.mark.django_db
def test_english_on_request(client, world):
    client.force_login(world.users["secretary"])
    client.cookies["django_language"] = "en"
    html = client.get(reverse("organizations:tree")).content.decode()
    assert '<html lang="en">' in html
    assert "Organisation" in html or "Organization" in html


@pytest.mark.django_db
def test_vietnamese_even_when_the_browser_asks_for_english(client, world):
    client.force_login(world.users["secretary"])
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="vi">' in response.content.decode()
    assert response["Content-Language"] == "vi"


@pytest.mark.django_db
def test_language_menu_switches_to_english(client, world):
    client.force_login(world.users["secretary"])
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert "Log out" in response.content.decode()


@pytest.mark.django_db
def test_organisation_page_lists_the_head_first(client, world):
    client.force_login(world.users["secretary"])
    bodies = client.get(reverse("organizations:detail", args=[world.trung_my.pk])).context["bodies"]
    committee = next(b for b in bodies if b.pk == world.committee.pk)
    assert [p.title for p in committee.current_positions] == ["secretary", "deputy_secretary", "member"]


@pytest.mark.django_db
def test_new_child_organisation_checks_levels_r_org_4(client, world):
    client.force_login(world.users["admin"])
    district = Level.objects.get(code="district")
    response = client.post(
        reverse("organizations:child_create", args=[world.province.pk]),
        {"name": "Đảng bộ huyện Bình Xuyên", "kind": "party", "level": district.pk, "valid_from": "01/08/2025"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "level": ["Cấp này không còn (hoặc chưa có) trong hệ thống chính trị vào ngày 01/08/2025 (R-ORG-4)."]
    }
    assert not Organization.objects.filter(name="Đảng bộ huyện Bình Xuyên").exists()


@pytest.mark.django_db
def test_new_cell_starts_forming(client, world):
    client.force_login(world.users["secretary"])
    response = client.post(
        reverse("organizations:child_create", args=[world.trung_my.pk]),
        {"name": "Chi bộ thôn Mới", "kind": "cell", "level": world.trung_my.level_id, "valid_from": "01/09/2025"},
    )
    cell = Organization.objects.get(name="Chi bộ thôn Mới")
    assert response["Location"] == reverse("organizations:detail", args=[cell.pk])
    assert (cell.parent, cell.status) == (world.trung_my, "forming")
