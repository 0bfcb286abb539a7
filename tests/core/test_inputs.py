"""What a browser sends, made safe for every view (core.inputs): NUL characters (PostgreSQL refuses them in text:
each of these pages answered 500 there), ids past the database's integers, oversized values; and the few places
that read a form by hand."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dongthuan.meetings import services as meetings
from dongthuan.meetings.forms import tally_form_counts
from dongthuan.meetings.models import Minutes, Opinion

ANONYMOUS_PAGES = [
    ("/portal/tim-kiem/?q=a%00b", 200),
    ("/portal/van-ban/?q=a%00b", 200),
    ("/portal/phan-anh/tra-cuu/PA-%00X/", 404),
    ("/portal/phan-anh/tra-cuu/?code=PA-%00X", 404),  # "not found", with the form
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "status"), ANONYMOUS_PAGES)
def test_nul_in_a_public_page_s_query_or_path(world, url, status):
    assert Client().get(url).status_code == status


@pytest.mark.django_db
def test_nul_in_an_officer_s_searches_and_lists(client, world):
    client.force_login(world.users["secretary"])
    org = world.trung_my.pk
    for url in [
        "/people/?q=a%00b",
        "/organizations/?q=a%00b",
        f"/organizations/{org}/members/?q=a%00b",
        f"/exchange/organizations/{org}/members.csv?q=a%00b",
        "/documents/?field=a%00b",
        "/documents/?q=a%00b",
    ]:
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_an_id_past_the_database_s_integers_is_no_page(client, world):
    client.force_login(world.users["office_staff"])
    meeting = meetings.meeting_create(actor=None, body=world.committee, title="Hội nghị", starts_at=timezone.now())
    huge = "9" * 21
    assert client.post(f"/meetings/{meeting.pk}/attendance/{huge}/", {"status": "present"}).status_code == 404
    assert client.get(f"/people/{huge}/").status_code == 404
    assert client.get(f"/people/{2**63}/").status_code == 404


def test_a_malformed_tally_field_is_no_field():
    data = QueryDict("level-5=1&level-7-high=2&issued=3")
    assert tally_form_counts(data)["levels"] == {"7": {"high": "2"}}


@pytest.mark.django_db
def test_nul_in_a_meeting_opinion_and_the_minutes_is_dropped(client, world):
    client.force_login(world.users["office_staff"])
    meeting = meetings.meeting_create(actor=None, body=world.committee, title="Hội nghị", starts_at=timezone.now())
    meetings.attendance_set(actor=None, meeting=meeting, person=world.people["deputy"], status="present")
    item = meetings.item_add(actor=None, meeting=meeting, title="Nghị quyết", kind="document")
    url = reverse("meetings:opinion_add", args=[meeting.pk, item.pk])
    client.post(url, {"person": str(world.people["deputy"].pk), "text": "Đồng\x00 ý"})
    assert list(Opinion.objects.values_list("text", flat=True)) == ["Đồng ý"]
    minutes = meetings.minutes_generate(actor=None, meeting=meeting)
    key = minutes.sections[0]["key"]
    url = reverse("meetings:minutes", args=[meeting.pk])
    data = {"action": "save", "version": str(minutes.version), f"section-{key}": "Khai\x00 mạc"}
    assert client.post(url, data).status_code == 302
    assert Minutes.objects.get().sections[0]["text"] == "Khai mạc"


@pytest.mark.django_db
def test_a_minutes_section_is_limited_with_a_message(client, world):
    client.force_login(world.users["office_staff"])
    meeting = meetings.meeting_create(actor=None, body=world.committee, title="Hội nghị", starts_at=timezone.now())
    minutes = meetings.minutes_generate(actor=None, meeting=meeting)
    section = minutes.sections[0]
    url = reverse("meetings:minutes", args=[meeting.pk])
    data = {"action": "save", "version": str(minutes.version), f"section-{section['key']}": "a" * 20_001}
    page = client.post(url, data, follow=True).content.decode()
    assert f"Phần «{section['heading']}» dài 20.001 ký tự, vượt giới hạn 20.000 ký tự. Hãy rút gọn." in page
    assert Minutes.objects.get().sections == minutes.sections


@pytest.mark.django_db
def test_a_form_value_of_a_megabyte_is_refused_whole(client, world):
    client.force_login(world.users["office_staff"])
    meeting = meetings.meeting_create(actor=None, body=world.committee, title="Hội nghị", starts_at=timezone.now())
    minutes = meetings.minutes_generate(actor=None, meeting=meeting)
    key = minutes.sections[0]["key"]
    url = reverse("meetings:minutes", args=[meeting.pk])
    response = client.post(url, {"action": "save", "version": str(minutes.version), f"section-{key}": "a" * 1_000_000})
    assert response.status_code == 400
    assert "Nội dung gửi lên có một ô dài quá 200.000 ký tự, không nhận được. Hãy rút gọn." in response.content.decode()
    assert Minutes.objects.get().sections == minutes.sections
