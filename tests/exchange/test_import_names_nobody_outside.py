"""An import's preview answers about the rows of the file only: it never names, nor shows the details of, someone
the importer may not see — a person of another commune reached by their system id or party card number, or a
classified person record in the importer's own commune (whose page is a 404 to them)."""

from __future__ import annotations

import pytest

from dongthuan.people.models import Person
from dongthuan.people.services import person_update
from tests.exchange.conftest import csv_bytes, rows_of

HEADERS = ["Mã hệ thống", "Họ và tên", "Số thẻ đảng viên", "Điện thoại"]


@pytest.mark.django_db
def test_an_import_preview_does_not_name_a_person_of_another_commune(uploader, world):
    other = world.people["other_secretary"]  # Lý Văn Tâm, of Bá Hiến
    content = csv_bytes(
        HEADERS,
        [["", "Ai đó", other.party_card_number, ""], [str(other.pk), "Ai đó", "", ""]],
    )
    batch = uploader.batch("ds.csv", content)
    messages = [m for row in rows_of(batch) for _k, m in row["errors"]]
    assert len(messages) == 2
    assert not [m for m in messages if other.full_name in m]


@pytest.mark.django_db
def test_an_import_preview_neither_shows_nor_changes_a_classified_person(uploader, world):
    secret = person_update(actor=None, person=world.people["committee_member"], classification="mat")
    Person.objects.filter(pk=secret.pk).update(phone="0912 345 678")
    batch = uploader.batch("ds.csv", csv_bytes(HEADERS, [[str(secret.pk), "Ai đó", "", "0900 000 000"]]))
    shown = str(rows_of(batch))
    assert secret.full_name not in shown and "0912 345 678" not in shown
    uploader.confirm(batch)
    assert Person.objects.get(pk=secret.pk).phone == "0912 345 678"
