from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from dongthuan.audit.models import AuditEvent
from dongthuan.organizations.models import Organization, OrganizationStatus
from dongthuan.people.models import Person
from dongthuan.permissions import Role, access_for


@pytest.mark.django_db
def test_demo_builds_binh_xuyen_and_is_idempotent():
    out = StringIO()
    call_command("demo", stdout=out)
    counts = (Organization.objects.count(), Person.objects.count(), AuditEvent.objects.count())
    call_command("demo", stdout=StringIO())
    assert (Organization.objects.count(), Person.objects.count(), AuditEvent.objects.count()) == counts
    assert counts[0] == 106
    assert counts[1] == 478

    district = Organization.objects.get(name="Đảng bộ huyện Bình Xuyên")
    trung_my = Organization.objects.get(name="Đảng bộ xã Trung Mỹ")
    assert trung_my.parent == district
    assert district.parent.name == "Đảng bộ tỉnh Vĩnh Phúc"
    assert {b.kind for b in district.bodies.all()} >= {"committee", "standing_committee", "inspection_committee"}
    # R-ORG-1: the police cell with 2 full members stays "forming"
    assert Organization.objects.get(name="Chi bộ Công an xã Trung Mỹ").status == OrganizationStatus.FORMING
    assert not Person.objects.filter(full_name__in=["Trần Duy Hưng", "Ngô Tuấn Anh"]).exists()
    assert "bithu.trungmy" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "role"),
    [
        ("quantri", Role.ADMIN),
        ("bithu.huyen", Role.SECRETARY),
        ("bithu.trungmy", Role.SECRETARY),
        ("phobithu.trungmy", Role.DEPUTY),
        ("uyvien.trungmy", Role.COMMITTEE_MEMBER),
        ("vanphong.trungmy", Role.OFFICE_STAFF),
        ("dangvien.trungmy", Role.MEMBER),
        ("bithu.bahien", Role.SECRETARY),
        ("congdan", Role.CITIZEN),
    ],
)
def test_demo_logins_hold_their_roles(username, role):
    call_command("demo", stdout=StringIO())
    user = authenticate(username=username, password="dongthuan")
    assert user is not None
    assert access_for(user).primary_role == role
