"""Reorganisation pages: who may open them, preview then confirm, revert, and the tree as of a date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dongthuan.audit.models import AuditEvent
from dongthuan.organizations.models import Organization
from dongthuan.restructuring.models import Restructuring
from tests.test_permission_matrix import MANAGERS, OFFICERS, ROLES, _client

RENAME = {
    "effective_on": "01/01/2026",
    "legal_basis": "Quyết định 15-QĐ/ĐU",
    "reason": "Theo tên thôn mới",
    "name": "Chi bộ thôn Thanh Lanh Mới",
    "short_name": "",
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_matrix_restructure_a_cell(client, world, role):
    url = reverse("restructuring:start", args=["rename", world.cell.pk])
    c = _client(client, world, role)
    before = (
        AuditEvent.objects.count(),
        Restructuring.objects.count(),
        Organization.objects.get(pk=world.cell.pk).name,
    )
    get = c.get(url)
    post = c.post(url, {**RENAME, "confirm": "1"})
    if role == "anonymous":
        assert (get.status_code, post.status_code) == (302, 302)
    elif role in MANAGERS:
        assert get.status_code == 200
        assert post.status_code == 302
        assert Organization.objects.get(pk=world.cell.pk).name == "Chi bộ thôn Thanh Lanh Mới"
        return
    else:
        assert (get.status_code, post.status_code) == (404, 404)
    assert (
        AuditEvent.objects.count(),
        Restructuring.objects.count(),
        Organization.objects.get(pk=world.cell.pk).name,
    ) == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_matrix_event_pages(client, world, role):
    from dongthuan.restructuring import services as rs

    event = rs.restructuring_apply(
        actor=None,
        plan=rs.plan_rename(org=world.cell, name="Chi bộ thôn Thanh Lanh Mới", short_name="", on=dt.date(2026, 1, 1)),
        reason="Theo tên thôn mới",
        legal_basis="Quyết định 15-QĐ/ĐU",
    )
    c = _client(client, world, role)
    statuses = [
        c.get(reverse("restructuring:list")).status_code,
        c.get(reverse("restructuring:detail", args=[event.pk])).status_code,
    ]
    revert = c.post(reverse("restructuring:revert", args=[event.pk]))
    event.refresh_from_db()
    if role == "anonymous":
        assert statuses == [302, 302]
        assert event.status == "applied"
    elif role in OFFICERS:
        assert statuses == [200, 200]
        assert event.status == ("reverted" if role in MANAGERS else "applied")
        assert revert.status_code == (302 if role in MANAGERS else 404)
    else:
        # another commune's secretary has the list (of their own events) but not this one
        assert statuses == ([200, 404] if role == "other_secretary" else [404, 404])
        assert revert.status_code == 404
        assert event.status == "applied"


@pytest.mark.django_db
def test_preview_writes_nothing_then_confirm_applies(client, world):
    client.force_login(world.users["secretary"])
    url = reverse("restructuring:start", args=["merge", world.cell.pk])
    data = {
        "effective_on": "01/01/2026",
        "legal_basis": "Nghị quyết 07-NQ/ĐU",
        "reason": "Sáp nhập thôn",
        "sources": [world.cell.pk, world.cell_two.pk],
        "new_name": "Chi bộ thôn Thanh Giang",
        "new_doc_code": "CB",
    }
    audit_before = AuditEvent.objects.count()
    response = client.post(url, {**data, "preview": "1"})
    assert response.status_code == 200
    sections = {s.title: s.count for s in response.context["sections"]}
    assert (
        sections
        == {
            "Tổ chức mới (từ 01/01/2026)": 1,
            "Chuyển sinh hoạt đảng": 5,
            "Chức vụ kết thúc ngày 31/12/2025": 0,
            "Kết thúc hoạt động ngày 31/12/2025": 2,
            "Kế thừa": 2,
        }
        or sections.get("Chuyển sinh hoạt đảng") == 5
    )
    assert AuditEvent.objects.count() == audit_before
    assert not Organization.objects.filter(name="Chi bộ thôn Thanh Giang").exists()
    response = client.post(url, {**data, "confirm": "1"})
    event = Restructuring.objects.get()
    assert response["Location"] == reverse("restructuring:detail", args=[event.pk])
    assert Organization.objects.get(name="Chi bộ thôn Thanh Giang").parent == world.trung_my
    html = client.get(reverse("organizations:detail", args=[world.cell.pk])).content.decode()
    assert "Được kế thừa bởi" in html and "Chi bộ thôn Thanh Giang" in html


@pytest.mark.django_db
def test_bad_input_shows_messages_and_changes_nothing(client, world):
    client.force_login(world.users["secretary"])
    url = reverse("restructuring:start", args=["merge", world.cell.pk])
    response = client.post(
        url, {"effective_on": "32/13/2025", "legal_basis": "", "reason": "", "sources": [world.cell.pk], "confirm": "1"}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["effective_on"] == ["Nhập ngày theo dạng dd/mm/yyyy, ví dụ 24/04/2017."]
    assert errors["legal_basis"] == ["Trường này là bắt buộc."]
    response = client.post(url, {**RENAME, "sources": [world.cell.pk], "new_name": "X", "confirm": "1"})
    assert response.status_code == 400
    assert response.context["form"].errors["sources"] == ["Cần ít nhất hai tổ chức để sáp nhập."]
    assert Restructuring.objects.count() == 0
    assert client.get(reverse("restructuring:start", args=["explode", world.cell.pk])).status_code == 404


@pytest.mark.django_db
def test_tree_as_of_date_page(client, world):
    from dongthuan.restructuring import services as rs

    rs.restructuring_apply(
        actor=None,
        plan=rs.plan_merge(
            sources=[world.trung_my, world.ba_hien],
            on=dt.date(2026, 1, 1),
            new=rs.NewOrg(
                name="Đảng bộ xã Bình Tuyền", kind="grassroots", level=world.trung_my.level, parent=world.province
            ),
        ),
        reason="Sáp nhập",
        legal_basis="NQ 1",
    )
    client.force_login(world.users["admin"])
    old = client.get(reverse("organizations:children", args=[world.province.pk]) + "?on=31/12/2025").content.decode()
    new = client.get(reverse("organizations:children", args=[world.province.pk]) + "?on=01/01/2026").content.decode()
    assert "Đảng bộ xã Trung Mỹ" in old and "Bình Tuyền" not in old
    assert "Đảng bộ xã Bình Tuyền" in new and "Trung Mỹ" not in new
    page = client.get(reverse("organizations:tree") + "?on=31/12/2025")
    assert "Cơ cấu tổ chức tại ngày 31/12/2025." in page.content.decode()
    assert client.get(reverse("organizations:tree") + "?on=abc").status_code == 200


@pytest.mark.django_db
def test_successor_officers_read_predecessor_pages_and_past_tree(client, world):
    from dongthuan.organizations.models import PositionTitle
    from dongthuan.organizations.services import position_assign
    from dongthuan.restructuring import services as rs

    on = dt.date(2026, 1, 1)
    client.force_login(world.users["other_secretary"])
    trung_my_url = reverse("organizations:detail", args=[world.trung_my.pk])
    assert client.get(trung_my_url).status_code == 404
    rs.restructuring_apply(
        actor=None,
        plan=rs.plan_merge(
            sources=[world.trung_my, world.ba_hien],
            on=on,
            new=rs.NewOrg(
                name="Đảng bộ xã Bình Tuyền", kind="grassroots", level=world.trung_my.level, parent=world.province
            ),
        ),
        reason="Sáp nhập",
        legal_basis="NQ 2",
    )
    new = Organization.objects.get(name="Đảng bộ xã Bình Tuyền")
    position_assign(
        actor=None, person=world.people["other_secretary"], organization=new, title=PositionTitle.SECRETARY, start=on
    )
    client.force_login(world.users["other_secretary"])
    assert client.get(trung_my_url).status_code == 200  # the commune Bình Tuyền took over
    roots = client.get(reverse("organizations:tree") + "?on=31/12/2025").context["roots"]
    assert sorted(o.name for o in roots) == ["Đảng bộ xã Bá Hiến", "Đảng bộ xã Trung Mỹ"]
    client.force_login(world.users["member"])
    assert client.get(reverse("organizations:detail", args=[world.ba_hien.pk])).status_code == 404


@pytest.mark.django_db
def test_organisation_page_shows_its_reorganisations_through_the_registry(client, world):
    """An organisation's page shows what it took over, what took it over, and the menu to reorganise it to those
    who may: the restructuring app adds them through organizations.pages, and the officers of what took an
    organisation over read it through organizations.succession — organisations never import restructuring."""
    from dongthuan.organizations import pages, succession
    from dongthuan.restructuring import services as rs
    from dongthuan.restructuring.selectors import organization_page, predecessor_ids, successor_ids

    assert pages._parts == {"restructuring": organization_page}
    assert succession._readers == [succession.Readers(successors=successor_ids, predecessors=predecessor_ids)]
    rs.restructuring_apply(
        actor=None,
        plan=rs.plan_merge(
            sources=[world.trung_my, world.ba_hien],
            on=dt.date(2026, 1, 1),
            new=rs.NewOrg(
                name="Đảng bộ xã Bình Tuyền", kind="grassroots", level=world.trung_my.level, parent=world.province
            ),
        ),
        reason="Sáp nhập",
        legal_basis="NQ 3",
    )
    new = Organization.objects.get(name="Đảng bộ xã Bình Tuyền")
    assert succession.predecessors_of([new.pk]) == {world.trung_my.pk, world.ba_hien.pk}
    assert set(succession.successor_ids([world.trung_my.pk])) == {new.pk}
    client.force_login(world.users["admin"])
    page = client.get(reverse("organizations:detail", args=[new.pk]))
    assert sorted(s.predecessor.name for s in page.context["predecessors"]) == [
        "Đảng bộ xã Bá Hiến",
        "Đảng bộ xã Trung Mỹ",
    ]
    assert page.context["successors"] == []
    assert page.context["can_restructure"] is True
    old = client.get(reverse("organizations:detail", args=[world.trung_my.pk]))
    assert [s.successor.name for s in old.context["successors"]] == ["Đảng bộ xã Bình Tuyền"]
    assert old.context["can_restructure"] is False  # dissolved: nothing more to reorganise
    assert "Được kế thừa bởi" in old.content.decode()


@pytest.mark.django_db
def test_the_confirm_button_is_a_form_field_pressed_whatever_its_value(client, world):
    """The view reads which button was pressed from the form: "confirm" present (any value, even empty) applies;
    without it the page previews. The field draws nothing, so a page shown again never carries the press."""
    client.force_login(world.users["secretary"])
    url = reverse("restructuring:start", args=["rename", world.cell.pk])
    preview = client.post(url, {**RENAME, "preview": "1"})
    assert preview.status_code == 200
    assert preview.content.decode().count('name="confirm"') == 1  # the button, not a hidden field
    assert Restructuring.objects.count() == 0
    response = client.post(url, {**RENAME, "confirm": ""})
    assert response.status_code == 302
    assert Organization.objects.get(pk=world.cell.pk).name == "Chi bộ thôn Thanh Lanh Mới"


@pytest.mark.django_db
def test_a_plan_involving_an_organisation_one_does_not_manage_is_refused_with_its_code(world):
    from dongthuan.core.errors import AccessError, ErrorCode
    from dongthuan.restructuring.forms import MergeForm

    data = {
        "effective_on": "01/01/2026",
        "legal_basis": "Nghị quyết 07-NQ/ĐU",
        "reason": "Sáp nhập thôn",
        "sources": [world.cell.pk, world.cell_two.pk],
        "new_name": "Chi bộ thôn Thanh Giang",
    }
    form = MergeForm(data, org=world.cell)
    assert form.is_valid(), form.errors
    with pytest.raises(AccessError) as refused:
        form.plan_for(world.users["other_secretary"])
    assert refused.value.code == ErrorCode.RESTRUCTURING_OUTSIDE_REACH
    assert refused.value.data == {"organizations": [world.cell_two.pk]}
    assert str(refused.value.messages[0]) == f"Bạn không quản lý: {world.cell_two.name}."
    assert form.plan_for(world.users["secretary"]).kind == "merge"


@pytest.mark.django_db
def test_refusals_carry_their_family_and_code(world):
    from dongthuan.core.errors import ErrorCode, InputError, StateError
    from dongthuan.restructuring import services as rs

    with pytest.raises(InputError) as same:
        rs.plan_rename(org=world.cell, name=world.cell.name, short_name=world.cell.short_name, on=dt.date(2026, 1, 1))
    assert same.value.code == ErrorCode.RESTRUCTURING_NO_CHANGE
    event = rs.restructuring_apply(
        actor=None,
        plan=rs.plan_rename(org=world.cell, name="Chi bộ mới", short_name="", on=dt.date(2026, 1, 1)),
        reason="Theo tên thôn mới",
        legal_basis="Quyết định 15-QĐ/ĐU",
    )
    rs.restructuring_revert(actor=None, event=event)
    with pytest.raises(StateError) as again:
        rs.restructuring_revert(actor=None, event=event)
    assert again.value.code == ErrorCode.REVERT_BLOCKED == "revert_blocked"
