from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django.core.exceptions import ValidationError

from dongthuan.audit.models import AuditEvent
from dongthuan.core.errors import DomainError
from dongthuan.organizations import services
from dongthuan.organizations.models import Organization, OrganizationKind, Position, PositionTitle
from tests.factories import make_cell, make_member, make_org

D = dt.date


@pytest.mark.django_db
def test_materialised_path_and_subtree(world):
    assert world.trung_my.path == world.province.path + f"{world.trung_my.pk:07d}."
    assert world.cell.depth == 2
    subtree = set(Organization.objects.subtree_of(world.trung_my).values_list("name", flat=True))
    assert subtree == {"Đảng bộ xã Trung Mỹ", "Chi bộ thôn Thanh Lanh", "Chi bộ thôn Đồng Giang"}
    assert world.cell.ancestor_ids() == [world.province.pk, world.trung_my.pk]


@pytest.mark.django_db
def test_organization_in_force_by_date(world):
    old = make_org("Đảng bộ xã Cũ", OrganizationKind.GRASSROOTS, world.province, valid_from=D(2025, 7, 1))
    services.organization_update(actor=None, organization=old, valid_to=D(2025, 12, 31))
    assert Organization.objects.in_force(D(2025, 12, 31)).filter(pk=old.pk).exists()
    assert not Organization.objects.in_force(D(2026, 1, 1)).filter(pk=old.pk).exists()


@pytest.mark.django_db
def test_nfd_name_is_stored_nfc_and_found_without_diacritics(world):
    nfd = unicodedata.normalize("NFD", "Chi bộ thôn Vĩnh Ninh")
    cell = make_cell(world.trung_my, nfd)
    cell.refresh_from_db()
    assert cell.name == "Chi bộ thôn Vĩnh Ninh"
    assert unicodedata.is_normalized("NFC", cell.name)
    assert cell.search_name == "chi bo thon vinh ninh"


@pytest.mark.django_db
def test_update_records_before_and_after(world):
    services.organization_update(actor=world.users["secretary"], organization=world.trung_my, short_name="ĐU Trung Mỹ")
    event = AuditEvent.objects.for_object(world.trung_my).first()
    assert event.action == "update"
    assert event.actor == world.users["secretary"]
    assert event.actor_name == "Phạm Văn Bình (secretary)"
    assert event.changes == {"short_name": ["", "ĐU Trung Mỹ"]}


@pytest.mark.django_db
def test_invalid_update_changes_nothing(world):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.organization_update(
            actor=None, organization=world.trung_my, name="", valid_from=D(2025, 7, 1), valid_to=D(2025, 1, 1)
        )
    world.trung_my.refresh_from_db()
    assert world.trung_my.name == "Đảng bộ xã Trung Mỹ"
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_one_current_secretary_per_body(world):
    newcomer = make_member(world.cell, "Đinh Văn Khánh")
    with pytest.raises(DomainError) as exc:
        services.position_assign(
            actor=None,
            person=newcomer,
            organization=world.trung_my,
            body=world.committee,
            title=PositionTitle.SECRETARY,
            start=D(2025, 9, 1),
        )
    assert exc.value.messages == ["Đã có bí thư đương nhiệm; hãy kết thúc chức vụ đó trước."]


@pytest.mark.django_db
def test_end_then_replace_secretary(world):
    old = Position.objects.get(person=world.people["secretary"], title=PositionTitle.SECRETARY)
    services.position_end(actor=None, position=old, end=D(2025, 12, 31), reason="Nghỉ hưu")
    newcomer = make_member(world.cell, "Đinh Văn Khánh")
    new = services.position_assign(
        actor=None,
        person=newcomer,
        organization=world.trung_my,
        body=world.committee,
        title=PositionTitle.SECRETARY,
        start=D(2026, 1, 1),
    )
    assert new.is_current
    old.refresh_from_db()
    assert (old.end, old.end_reason) == (D(2025, 12, 31), "Nghỉ hưu")
    assert [e.action for e in AuditEvent.objects.for_object(old)] == ["end", "assign"]


@pytest.mark.django_db
def test_position_change_ends_old_the_day_before(world):
    old = Position.objects.get(person=world.people["committee_member"])
    new = services.position_change(actor=None, position=old, title=PositionTitle.STANDING_MEMBER, on=D(2026, 3, 1))
    old.refresh_from_db()
    assert old.end == D(2026, 2, 28)
    assert (new.title, new.start, new.end) == (PositionTitle.STANDING_MEMBER, D(2026, 3, 1), None)


@pytest.mark.django_db
def test_position_end_before_start_is_refused(world):
    position = Position.objects.get(person=world.people["deputy"])
    with pytest.raises(DomainError) as exc:
        services.position_end(actor=None, position=position, end=D(2025, 6, 30))
    assert exc.value.message_dict == {"end": ["Ngày kết thúc không thể trước ngày bắt đầu (01/07/2025)."]}
    position.refresh_from_db()
    assert position.end is None


@pytest.mark.django_db
def test_citizen_cannot_hold_party_post(world):
    with pytest.raises(DomainError) as exc:
        services.position_assign(
            actor=None,
            person=world.people["citizen"],
            organization=world.trung_my,
            body=world.committee,
            title=PositionTitle.MEMBER,
            start=D(2025, 9, 1),
        )
    assert exc.value.message_dict == {
        "person": ["Lê Thị Hoa không phải đảng viên nên không thể giữ chức vụ trong cấp ủy."]
    }
