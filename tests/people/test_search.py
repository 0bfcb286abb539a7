"""Name search through the trigram index (FTS5 on SQLite, pg_trgm on PostgreSQL) stays in step with the data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from dongthuan.people import selectors, services
from tests.factories import make_member


def _names(user, query):
    return [p.full_name for p in selectors.search(user, query)]


@pytest.mark.django_db
def test_search_index_follows_insert_rename(world):
    admin = world.users["admin"]
    person = make_member(world.cell, "Nguyễn Thị Diệu Linh")
    assert _names(admin, "dieu linh") == ["Nguyễn Thị Diệu Linh"]
    assert _names(admin, "DIỆU LINH") == ["Nguyễn Thị Diệu Linh"]
    services.person_update(actor=None, person=person, full_name="Nguyễn Thị Diệu Hằng")
    assert _names(admin, "dieu linh") == []
    assert _names(admin, "dieu hang") == ["Nguyễn Thị Diệu Hằng"]


@pytest.mark.django_db
def test_search_needs_three_letters(client, world):
    client.force_login(world.users["secretary"])
    response = client.get(reverse("people:search") + "?q=an")
    assert response.context["too_short"] is True
    assert "Nhập ít nhất 3 chữ cái của họ tên." in response.content.decode()
    assert list(response.context["page"]) == []


@pytest.mark.django_db
def test_search_index_exists_after_migrations():
    """A later migration that rebuilds people_person on SQLite would drop the triggers: this catches it."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'people_person'")
            assert {r[0] for r in cursor.fetchall()} == {
                "people_person_fts_ai",
                "people_person_fts_ad",
                "people_person_fts_au",
            }
        else:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'people_person'")
            assert "person_search_name_trgm" in {r[0] for r in cursor.fetchall()}
