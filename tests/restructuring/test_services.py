"""Reorganisations: each operation, its preview, its revert, the dated tree, and the hooks later capabilities use."""

from __future__ import annotations

import datetime as dt

import pytest

from dongthuan.audit.models import AuditEvent
from dongthuan.core.errors import DomainError
from dongthuan.organizations import selectors
from dongthuan.organizations import services as org_services
from dongthuan.organizations.models import Level, Organization, OrganizationKind, ParentLink, Position, PositionTitle
from dongthuan.people.models import Person
from dongthuan.restructuring import hooks
from dongthuan.restructuring import services as rs
from dongthuan.restructuring.models import Restructuring, Succession
from tests.factories import make_cell, make_org

D = dt.date
ON = D(2026, 1, 1)


def _apply(plan, actor=None):
    return rs.restructuring_apply(
        actor=actor, plan=plan, reason="Tinh gọn bộ máy", legal_basis="Nghị quyết 1234/NQ-UBTVQH15"
    )


def _snapshot():
    return (
        sorted(Organization.objects.values_list("pk", "name", "parent_id", "path", "depth", "status", "valid_to")),
        sorted(ParentLink.objects.values_list("pk", "organization_id", "parent_id", "valid_from", "valid_to")),
        sorted(Position.objects.values_list("pk", "end", "end_reason")),
        sorted(Person.objects.values_list("pk", "cell_id", "home_organization_id")),
    )


def _new_commune(world, name="Đảng bộ xã Bình Tuyền"):
    return rs.NewOrg(
        name=name, kind=OrganizationKind.GRASSROOTS, level=world.trung_my.level, parent=world.province, doc_code="ĐU"
    )


@pytest.mark.django_db
def test_merge_two_communes_into_a_new_one(world):
    plan = rs.plan_merge(sources=[world.trung_my, world.ba_hien], on=ON, new=_new_commune(world))
    sections = {s.title: s for s in rs.preview(plan)}
    assert sections["Tổ chức mới (từ 01/01/2026)"].items == ["Đảng bộ xã Bình Tuyền"]
    assert sections["Chuyển trực thuộc"].count == 3
    assert sections["Kết thúc hoạt động ngày 31/12/2025"].items == ["Đảng bộ xã Trung Mỹ", "Đảng bộ xã Bá Hiến"]
    assert sections["Chức vụ kết thúc ngày 31/12/2025"].count == 5

    event = _apply(plan, world.users["admin"])
    new = Organization.objects.get(name="Đảng bộ xã Bình Tuyền")
    assert (new.parent, new.valid_from) == (world.province, ON)
    for cell in (world.cell, world.cell_two, world.other_cell):
        cell.refresh_from_db()
        assert cell.parent == new
        assert cell.path == f"{new.path}{cell.pk:07d}."
        assert cell.depth == 2
    world.trung_my.refresh_from_db()
    assert (world.trung_my.status, world.trung_my.valid_to) == ("dissolved", D(2025, 12, 31))
    ended = Position.objects.filter(organization__in=[world.trung_my, world.ba_hien])
    assert {(p.end, p.end_reason) for p in ended} == {(D(2025, 12, 31), "Sắp xếp tổ chức: Nghị quyết 1234/NQ-UBTVQH15")}
    assert sorted(Succession.objects.values_list("predecessor__name", "successor__name")) == [
        ("Đảng bộ xã Bá Hiến", "Đảng bộ xã Bình Tuyền"),
        ("Đảng bộ xã Trung Mỹ", "Đảng bộ xã Bình Tuyền"),
    ]
    # members keep their cells: the cells moved with them; residents of a commune follow it to its successor
    assert Person.objects.get(pk=world.people["member"].pk).cell == world.cell
    assert Person.objects.get(pk=world.people["citizen"].pk).home_organization == new
    assert AuditEvent.objects.for_object(event).get().action == "restructure"


@pytest.mark.django_db
def test_tree_as_of_any_date(world):
    _apply(rs.plan_merge(sources=[world.trung_my, world.ba_hien], on=ON, new=_new_commune(world)))
    before = [o.name for o in selectors.children_as_of(world.province, D(2025, 12, 31))]
    after = [o.name for o in selectors.children_as_of(world.province, ON)]
    assert before == ["Đảng bộ xã Bá Hiến", "Đảng bộ xã Trung Mỹ"]
    assert after == ["Đảng bộ xã Bình Tuyền"]
    assert [o.name for o in selectors.children_as_of(world.trung_my, D(2025, 12, 31))] == [
        "Chi bộ thôn Đồng Giang",
        "Chi bộ thôn Thanh Lanh",
    ]
    assert [(o.name, o.child_count) for o in selectors.roots_as_of(ON)] == [("Đảng bộ tỉnh Phú Thọ", 1)]


@pytest.mark.django_db
def test_revert_restores_everything(world):
    before = _snapshot()
    event = _apply(rs.plan_merge(sources=[world.trung_my, world.ba_hien], on=ON, new=_new_commune(world)))
    assert _snapshot() != before
    rs.restructuring_revert(actor=None, event=event)
    assert _snapshot() == before
    assert not Organization.objects.filter(name="Đảng bộ xã Bình Tuyền").exists()
    event.refresh_from_db()
    assert event.status == "reverted"
    assert rs.can_revert(event) == "Đợt sắp xếp này đã được hoàn tác."


@pytest.mark.django_db
def test_revert_refused_when_newer_data_depends_on_it(world):
    event = _apply(rs.plan_merge(sources=[world.trung_my, world.ba_hien], on=ON, new=_new_commune(world)))
    new = Organization.objects.get(name="Đảng bộ xã Bình Tuyền")
    org_services.position_assign(
        actor=None, person=world.people["member"], organization=new, title=PositionTitle.SECRETARY, start=ON
    )
    state = _snapshot()
    with pytest.raises(DomainError) as exc:
        rs.restructuring_revert(actor=None, event=event)
    assert exc.value.messages == ["Không thể hoàn tác: Đảng bộ xã Bình Tuyền đã có dữ liệu mới (1 chức vụ)."]
    assert _snapshot() == state
    assert Restructuring.objects.get(pk=event.pk).status == "applied"


@pytest.mark.django_db
def test_later_event_blocks_revert_of_earlier(world):
    first = _apply(rs.plan_rename(org=world.cell, name="Chi bộ thôn Thanh Lanh 1", short_name="", on=ON))
    second = _apply(rs.plan_rename(org=world.cell, name="Chi bộ thôn Thanh Lanh 2", short_name="", on=D(2026, 2, 1)))
    assert rs.can_revert(first).startswith("Đã có đợt sắp xếp sau liên quan")
    rs.restructuring_revert(actor=None, event=second)
    rs.restructuring_revert(actor=None, event=first)
    assert Organization.objects.get(pk=world.cell.pk).name == "Chi bộ thôn Thanh Lanh"


@pytest.mark.django_db
def test_merge_cells_moves_members_and_activates_the_new_cell(world):
    plan = rs.plan_merge(
        sources=[world.cell, world.cell_two],
        on=ON,
        new=rs.NewOrg(
            name="Chi bộ thôn Thanh Giang",
            kind=OrganizationKind.CELL,
            level=world.trung_my.level,
            parent=world.trung_my,
        ),
    )
    assert {s.title: s.count for s in rs.preview(plan)}["Chuyển sinh hoạt đảng"] == 5
    _apply(plan)
    merged = Organization.objects.get(name="Chi bộ thôn Thanh Giang")
    assert Person.objects.filter(cell=merged).count() == 5
    assert merged.status == "active"  # R-ORG-1: 5 full members
    assert AuditEvent.objects.filter(action="transfer").count() == 5


@pytest.mark.django_db
def test_split_needs_every_member_placed(world):
    parts = [
        rs.NewOrg(
            name=f"Chi bộ thôn Thanh Lanh {i}",
            kind=OrganizationKind.CELL,
            level=world.trung_my.level,
            parent=world.trung_my,
        )
        for i in (1, 2)
    ]
    members = list(Person.objects.filter(cell=world.cell).order_by("pk"))
    with pytest.raises(DomainError) as exc:
        rs.plan_split(source=world.cell, on=ON, parts=parts, child_parts={}, member_parts={members[0].pk: 0})
    assert "Chưa chọn tổ chức mới cho" in exc.value.messages[0]
    mapping = {p.pk: i % 2 for i, p in enumerate(members)}
    _apply(rs.plan_split(source=world.cell, on=ON, parts=parts, child_parts={}, member_parts=mapping))
    counts = {
        o.name: Person.objects.filter(cell=o).count()
        for o in Organization.objects.filter(name__startswith="Chi bộ thôn Thanh Lanh ")
    }
    assert counts == {"Chi bộ thôn Thanh Lanh 1": 2, "Chi bộ thôn Thanh Lanh 2": 2}


@pytest.mark.django_db
def test_r_org_4_change_level_when_the_district_goes(world):
    province = make_org("Đảng bộ tỉnh Vĩnh Phúc", OrganizationKind.PARTY, None, "province", valid_from=D(1997, 1, 1))
    district = make_org(
        "Đảng bộ huyện Bình Xuyên", OrganizationKind.PARTY, province, "district", valid_from=D(2015, 1, 1)
    )
    commune = make_org(
        "Đảng bộ xã Hương Sơn", OrganizationKind.GRASSROOTS, district, "commune", valid_from=D(2016, 1, 1)
    )
    cell = make_cell(commune, "Chi bộ thôn Chợ")
    with pytest.raises(DomainError) as exc:
        _apply(rs.plan_move(org=commune, new_parent=province, on=D(2025, 6, 1)))
    assert exc.value.rule == "R-ORG-4"
    _apply(rs.plan_move(org=commune, new_parent=province, on=D(2025, 7, 1)))
    commune.refresh_from_db()
    cell.refresh_from_db()
    assert (commune.parent, commune.depth, cell.depth) == (province, 1, 2)
    assert [o.name for o in selectors.children_as_of(district, D(2025, 6, 30))] == ["Đảng bộ xã Hương Sơn"]
    assert [o.name for o in selectors.children_as_of(district, D(2025, 7, 1))] == []


@pytest.mark.django_db
def test_dissolve_without_successor_refuses_to_lose_members(world):
    with pytest.raises(DomainError) as exc:
        rs.plan_dissolve(org=world.cell, on=ON)
    assert exc.value.message_dict["successor"][0].startswith("Còn 4 đơn vị, đảng viên trực thuộc")
    _apply(rs.plan_dissolve(org=world.cell, on=ON, successor=world.cell_two))
    assert Person.objects.filter(cell=world.cell_two).count() == 5


@pytest.mark.django_db
def test_apply_needs_reason_and_legal_basis_and_writes_nothing_without(world):
    state = _snapshot()
    with pytest.raises(DomainError) as exc:
        rs.restructuring_apply(
            actor=None, plan=rs.plan_rename(org=world.cell, name="X", short_name="", on=ON), reason="", legal_basis=" "
        )
    assert exc.value.message_dict == {
        "reason": ["Nhập lý do sắp xếp."],
        "legal_basis": ["Nhập căn cứ (số, ký hiệu quyết định)."],
    }
    assert _snapshot() == state


@pytest.mark.django_db
def test_effective_date_must_follow_founding(world):
    with pytest.raises(DomainError) as exc:
        rs.plan_rename(org=world.cell, name="X", short_name="", on=ON)  # renames are checked at apply
        rs.plan_move(org=world.cell, new_parent=world.ba_hien, on=D(2025, 7, 1))
    assert exc.value.message_dict["effective_on"] == [
        "Ngày hiệu lực phải sau ngày thành lập của Chi bộ thôn Thanh Lanh (01/07/2025)."
    ]


@pytest.mark.django_db
def test_hooks_re_point_open_work_and_undo_it(world):
    calls = []

    def forward(event, successors, on):
        calls.append(("forward", dict(successors), on))
        return {"moved": 3}

    def backward(event, data):
        calls.append(("backward", data))

    hooks.register("test-work", forward=forward, backward=backward)
    try:
        event = _apply(rs.plan_merge(sources=[world.trung_my, world.ba_hien], on=ON, new=_new_commune(world)))
        new = Organization.objects.get(name="Đảng bộ xã Bình Tuyền")
        rs.restructuring_revert(actor=None, event=event)
    finally:
        hooks.unregister("test-work")
    assert calls == [
        ("forward", {world.trung_my.pk: new.pk, world.ba_hien.pk: new.pk}, ON),
        ("backward", {"moved": 3}),
    ]


@pytest.mark.django_db
def test_merge_into_existing_keeps_it(world):
    _apply(rs.plan_merge(sources=[world.ba_hien], target=world.trung_my, on=ON))
    world.trung_my.refresh_from_db()
    assert world.trung_my.status == "active"
    assert Organization.objects.get(pk=world.other_cell.pk).parent == world.trung_my
    assert Level.objects.count() == 3


@pytest.mark.django_db
def test_dissolve_with_units_ends_the_subtree_but_never_members(world):
    with pytest.raises(DomainError) as exc:
        rs.plan_dissolve(org=world.trung_my, on=ON, with_units=True)
    assert exc.value.message_dict["successor"][0].startswith("Các chi bộ trực thuộc còn đảng viên")
    _apply(rs.plan_merge(sources=[world.cell, world.cell_two], target=world.other_cell, on=ON))
    _apply(rs.plan_dissolve(org=world.trung_my, on=D(2026, 2, 1), with_units=True))
    ended = set(Organization.objects.filter(status="dissolved").values_list("name", flat=True))
    assert ended == {"Đảng bộ xã Trung Mỹ", "Chi bộ thôn Thanh Lanh", "Chi bộ thôn Đồng Giang"}
    assert Person.objects.filter(cell=world.other_cell).count() == 6


@pytest.mark.django_db
def test_merge_can_carry_posts_over_to_the_successor_and_revert_them(world):
    ba_hien_secretary = Position.objects.get(person=world.people["other_secretary"])
    org_services.position_end(actor=None, position=ba_hien_secretary, end=D(2025, 12, 1), reason="Nghỉ hưu")
    before = _snapshot()
    plan = rs.plan_merge(sources=[world.trung_my, world.ba_hien], on=ON, new=_new_commune(world))
    plan.carry_posts = True
    sections = {s.title: s.items for s in rs.preview(plan)}
    assert sections["Chức vụ chuyển sang tổ chức kế thừa từ ngày 01/01/2026"] == [
        "Phạm Văn Bình: Bí thư → Đảng bộ xã Bình Tuyền",
        "Vũ Đức Cường: Ủy viên → Đảng bộ xã Bình Tuyền",
        "Đỗ Thu Hà: Cán bộ văn phòng → Đảng bộ xã Bình Tuyền",
        "Hoàng Thị Lan: Phó Bí thư → Đảng bộ xã Bình Tuyền",
    ]
    event = _apply(plan)
    new = Organization.objects.get(name="Đảng bộ xã Bình Tuyền")
    carried = Position.objects.filter(organization=new).select_related("person", "body")
    assert sorted((p.person.full_name, p.title, p.start, p.body.name if p.body else None) for p in carried) == [
        ("Hoàng Thị Lan", "deputy_secretary", ON, "Ban Chấp hành Đảng bộ xã Bình Tuyền"),
        ("Phạm Văn Bình", "secretary", ON, "Ban Chấp hành Đảng bộ xã Bình Tuyền"),
        ("Vũ Đức Cường", "member", ON, "Ban Chấp hành Đảng bộ xã Bình Tuyền"),
        ("Đỗ Thu Hà", "office_staff", ON, None),
    ]
    assert not Position.objects.current().filter(organization=world.trung_my).exists()
    rs.restructuring_revert(actor=None, event=event)
    assert _snapshot() == before
    assert not Organization.objects.filter(name="Đảng bộ xã Bình Tuyền").exists()


@pytest.mark.django_db
def test_carrying_two_secretaries_into_one_committee_is_refused_and_nothing_changes(world):
    before = _snapshot()
    plan = rs.plan_merge(sources=[world.trung_my, world.ba_hien], on=ON, new=_new_commune(world))
    plan.carry_posts = True
    with pytest.raises(DomainError) as refused:
        _apply(plan)
    assert refused.value.messages == ["Đã có bí thư đương nhiệm; hãy kết thúc chức vụ đó trước."]
    assert _snapshot() == before
    assert not Restructuring.objects.exists()
