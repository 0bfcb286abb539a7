from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django.core.exceptions import ValidationError

from dongthuan.audit.models import AuditEvent
from dongthuan.people import services
from dongthuan.people.models import PartyStatus, Person
from tests.factories import make_member

D = dt.date


@pytest.mark.django_db
def test_person_nfd_stored_nfc_with_search_and_sort_keys(world):
    person = services.person_create(actor=None, full_name=unicodedata.normalize("NFD", "Trần Duy Khánh"))
    person.refresh_from_db()
    assert person.full_name == "Trần Duy Khánh"
    assert person.search_name == "tran duy khanh"
    assert person.sort_key == "khanh tran duy khanh"


@pytest.mark.django_db
def test_full_member_needs_dates_and_cell(world):
    with pytest.raises(ValidationError) as exc:
        services.person_create(actor=None, full_name="Nguyễn Văn Tư", party_status=PartyStatus.FULL)
    assert exc.value.message_dict == {"cell": ["Đảng viên phải sinh hoạt tại một chi bộ."]}
    with pytest.raises(ValidationError) as exc:
        services.person_create(
            actor=None,
            full_name="Nguyễn Văn Tư",
            party_status=PartyStatus.FULL,
            cell=world.cell,
            joined_on=D(2020, 1, 1),
        )
    assert "Đảng viên chính thức phải có ngày chính thức." in exc.value.messages
    assert not Person.objects.filter(full_name="Nguyễn Văn Tư").exists()


@pytest.mark.django_db
def test_full_date_not_before_join(world):
    with pytest.raises(ValidationError) as exc:
        make_member(world.cell, "Nguyễn Văn Tư", joined_on=D(2020, 1, 1), full_on=D(2019, 1, 1))
    assert "Ngày chính thức không thể trước ngày vào Đảng." in exc.value.messages


@pytest.mark.django_db
def test_card_number_unique_message_is_vietnamese(world):
    make_member(world.cell, "Nguyễn Văn Tư", party_card_number="26.000001")
    with pytest.raises(ValidationError) as exc:
        make_member(world.cell, "Nguyễn Văn Năm", party_card_number="26.000001")
    assert exc.value.message_dict == {"party_card_number": ["Số thẻ đảng viên này đã được ghi cho một người khác."]}


@pytest.mark.django_db
def test_update_audited_and_atomic(world):
    person = world.people["member"]
    services.person_update(actor=world.users["secretary"], person=person, phone="0912 345 678")
    event = AuditEvent.objects.for_object(person).first()
    assert event.changes == {"phone": ["", "0912 345 678"]}
    with pytest.raises(ValidationError):
        services.person_update(actor=None, person=person, phone="0999", email="không-phải-email")
    person.refresh_from_db()
    assert person.phone == "0912 345 678"


@pytest.mark.django_db
def test_one_account_one_person(world):
    with pytest.raises(ValidationError):
        services.person_link_account(actor=None, person=world.people["deputy"], account=world.users["member"])
