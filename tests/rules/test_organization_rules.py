"""R-ORG-1 … R-ORG-4 at their edges, as pure functions and through the services."""

from __future__ import annotations

import datetime as dt

import pytest

from dongthuan.core.errors import DomainError
from dongthuan.organizations import services
from dongthuan.organizations.models import BodyKind, OrganizationKind, OrganizationStatus, PositionTitle
from dongthuan.rules import RULES
from dongthuan.rules import organization as r
from tests.factories import make_cell, make_member, make_org

D = dt.date


def test_every_rule_has_citation_and_status():
    for rule_id in ("R-ORG-1", "R-ORG-2", "R-ORG-3", "R-ORG-4"):
        rule = RULES[rule_id]
        assert rule.citation
        assert rule.status in ("firm", "to confirm", "product rule")


# R-ORG-1 ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("full", "ok"), [(0, False), (2, False), (3, True), (4, True)])
def test_r_org_1_minimum_three_full_members(full, ok):
    assert r.cell_has_minimum_members(full) is ok


def test_r_org_1_message_names_count_and_rule():
    assert r.cell_minimum_message(2) == (
        "Chi bộ chỉ có 2 đảng viên chính thức; cần ít nhất 3 (R-ORG-1, Điều lệ Đảng, Điều 24)."
    )


@pytest.mark.django_db
def test_r_org_1_cell_with_two_full_members_cannot_be_activated(world):
    cell = make_cell(world.trung_my, "Chi bộ Công an xã")
    make_member(cell, "Nguyễn Văn Một")
    make_member(cell, "Nguyễn Văn Hai")
    make_member(cell, "Nguyễn Văn Ba", status="probationary", full_on=None)  # probationary members do not count
    with pytest.raises(DomainError) as exc:
        services.organization_activate(actor=None, organization=cell)
    assert exc.value.rule == "R-ORG-1"
    cell.refresh_from_db()
    assert cell.status == OrganizationStatus.FORMING


@pytest.mark.django_db
def test_r_org_1_cell_with_three_full_members_can_be_activated(world):
    cell = make_cell(world.trung_my, "Chi bộ Công an xã")
    for name in ("Nguyễn Văn Một", "Nguyễn Văn Hai", "Nguyễn Văn Ba"):
        make_member(cell, name)
    services.organization_activate(actor=None, organization=cell)
    cell.refresh_from_db()
    assert cell.status == OrganizationStatus.ACTIVE


@pytest.mark.django_db
def test_r_org_1_cell_cannot_be_created_active(world):
    with pytest.raises(DomainError) as exc:
        make_cell(world.trung_my, "Chi bộ mới", status=OrganizationStatus.ACTIVE)
    assert exc.value.rule == "R-ORG-1"


# R-ORG-2 ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("full", "leadership", "ok"),
    [
        (8, r.CellLeadership(secretaries=1, deputies=1), True),
        (8, r.CellLeadership(secretaries=1, deputies=2), False),
        (8, r.CellLeadership(secretaries=1, deputies=1, members=1), False),
        (9, r.CellLeadership(secretaries=1, deputies=1, members=5), True),
        (9, r.CellLeadership(secretaries=1, deputies=1, members=6), False),
        (30, r.CellLeadership(secretaries=1, deputies=2, members=4), True),
        (30, r.CellLeadership(secretaries=2), False),
    ],
)
def test_r_org_2_cell_committee_size(full, leadership, ok):
    assert (r.cell_leadership_problem(full, leadership) is None) is ok


def _cell_with(world, full):
    cell = make_cell(world.trung_my, f"Chi bộ {full}")
    members = [make_member(cell, f"Trần Văn Số {i}") for i in range(full)]
    body = services.body_create(actor=None, organization=cell, kind=BodyKind.CELL_COMMITTEE, name=f"Chi ủy {full}")
    return cell, body, members


@pytest.mark.django_db
def test_r_org_2_small_cell_has_no_committee_members(world):
    cell, body, members = _cell_with(world, 8)
    start = D(2025, 8, 1)
    services.position_assign(
        actor=None, person=members[0], organization=cell, body=body, title=PositionTitle.SECRETARY, start=start
    )
    services.position_assign(
        actor=None, person=members[1], organization=cell, body=body, title=PositionTitle.DEPUTY_SECRETARY, start=start
    )
    with pytest.raises(DomainError) as exc:
        services.position_assign(
            actor=None, person=members[2], organization=cell, body=body, title=PositionTitle.MEMBER, start=start
        )
    assert exc.value.rule == "R-ORG-2"
    with pytest.raises(DomainError):
        services.position_assign(
            actor=None,
            person=members[2],
            organization=cell,
            body=body,
            title=PositionTitle.DEPUTY_SECRETARY,
            start=start,
        )
    assert cell.positions.count() == 2


@pytest.mark.django_db
def test_r_org_2_cell_of_nine_elects_at_most_seven(world):
    cell, body, members = _cell_with(world, 9)
    start = D(2025, 8, 1)
    titles = [PositionTitle.SECRETARY, PositionTitle.DEPUTY_SECRETARY] + [PositionTitle.MEMBER] * 5
    for person, title in zip(members, titles, strict=False):
        services.position_assign(actor=None, person=person, organization=cell, body=body, title=title, start=start)
    with pytest.raises(DomainError) as exc:
        services.position_assign(
            actor=None, person=members[7], organization=cell, body=body, title=PositionTitle.MEMBER, start=start
        )
    assert exc.value.rule == "R-ORG-2"
    assert cell.positions.current().count() == 7


# R-ORG-3 ---------------------------------------------------------------------------------------------------


def test_r_org_3_term_starts_day_after_congress_closes():
    assert r.term_start(D(2020, 10, 15)) == D(2020, 10, 16)
    assert r.term_start(D(2020, 12, 31)) == D(2021, 1, 1)


def test_r_org_3_usual_term_is_five_years():
    assert r.term_usual_end(D(2020, 10, 16)) == D(2025, 10, 15)
    assert r.term_usual_end(D(2024, 2, 29)) == D(2029, 2, 28)


@pytest.mark.django_db
def test_r_org_3_term_from_congress_date(world):
    term = services.term_create(
        actor=None, organization=world.trung_my, name="2025 - 2030", congress_closed_on=D(2025, 8, 20)
    )
    assert term.start == D(2025, 8, 21)


@pytest.mark.django_db
def test_r_org_3_term_cannot_start_on_congress_day(world):
    with pytest.raises(DomainError) as exc:
        services.term_create(
            actor=None,
            organization=world.trung_my,
            name="2025 - 2030",
            congress_closed_on=D(2025, 8, 20),
            start=D(2025, 8, 20),
        )
    assert exc.value.rule == "R-ORG-3"


@pytest.mark.django_db
def test_r_org_3_terms_do_not_overlap(world):
    services.term_create(
        actor=None, organization=world.trung_my, name="2020 - 2025", start=D(2020, 8, 1), end=D(2025, 8, 20)
    )
    with pytest.raises(DomainError):
        services.term_create(actor=None, organization=world.trung_my, name="2025 - 2030", start=D(2025, 8, 20))
    services.term_create(actor=None, organization=world.trung_my, name="2025 - 2030", start=D(2025, 8, 21))


# R-ORG-4 ---------------------------------------------------------------------------------------------------

PROVINCE = r.LevelSpan("province", 1, None, None)
DISTRICT = r.LevelSpan("district", 2, None, D(2025, 6, 30))
COMMUNE = r.LevelSpan("commune", 3, None, None)
ALL = [PROVINCE, DISTRICT, COMMUNE]


def test_r_org_4_commune_under_district_in_2017():
    assert r.level_placement_problem(COMMUNE, DISTRICT, D(2017, 4, 24), ALL) is None
    assert r.level_placement_problem(COMMUNE, PROVINCE, D(2017, 4, 24), ALL) is not None


def test_r_org_4_commune_directly_under_province_from_1_july_2025():
    assert r.level_placement_problem(COMMUNE, PROVINCE, D(2025, 6, 30), ALL) is not None
    assert r.level_placement_problem(COMMUNE, PROVINCE, D(2025, 7, 1), ALL) is None


def test_r_org_4_no_district_organisation_after_30_june_2025():
    assert r.level_placement_problem(DISTRICT, PROVINCE, D(2025, 6, 30), ALL) is None
    assert r.level_placement_problem(DISTRICT, PROVINCE, D(2025, 7, 1), ALL) is not None


def test_r_org_4_child_cannot_be_above_parent():
    assert r.level_placement_problem(PROVINCE, COMMUNE, D(2017, 1, 1), ALL) is not None


@pytest.mark.django_db
def test_r_org_4_levels_are_data_both_structures_expressible():
    province = make_org("Đảng bộ tỉnh Vĩnh Phúc", OrganizationKind.PARTY, None, "province", valid_from=D(1997, 1, 1))
    district = make_org(
        "Đảng bộ huyện Bình Xuyên", OrganizationKind.PARTY, province, "district", valid_from=D(2015, 1, 1)
    )
    commune_2017 = make_org(
        "Đảng bộ xã Trung Mỹ", OrganizationKind.GRASSROOTS, district, "commune", valid_from=D(2017, 1, 1)
    )
    commune_2025 = make_org(
        "Đảng bộ xã Bình Xuyên", OrganizationKind.GRASSROOTS, province, "commune", valid_from=D(2025, 7, 1)
    )
    assert commune_2017.path.startswith(district.path)
    assert commune_2025.parent_id == province.pk
    with pytest.raises(DomainError) as exc:
        make_org("Đảng bộ xã Thiện Kế", OrganizationKind.GRASSROOTS, province, "commune", valid_from=D(2017, 1, 1))
    assert exc.value.rule == "R-ORG-4"
    with pytest.raises(DomainError):
        make_org("Đảng bộ huyện mới", OrganizationKind.PARTY, province, "district", valid_from=D(2025, 7, 1))
