"""A commune's disclosure board: what it must make public (R-PUB-1), with the yearly items not yet disclosed named,
and what its residents decided themselves (R-PUB-2), with their vote."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dongthuan.core.errors import DomainError
from dongthuan.portal import services
from dongthuan.portal.models import Disclosure
from dongthuan.rules import RULES
from dongthuan.rules.publicity import DISCLOSED, RESIDENTS_DECIDE, disclosure_kind, missing_disclosures

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_r_pub_1_and_r_pub_2_are_registered_with_their_citations():
    assert RULES["R-PUB-1"].citation == "Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15, Điều 11"
    assert RULES["R-PUB-2"].citation == "Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15, Điều 15"


def test_r_pub_1_the_yearly_items_not_yet_disclosed():
    assert missing_disclosures(set()) == [
        "socio_economic_plan",
        "budget_estimate",
        "budget_execution",
        "budget_final_accounts",
    ]
    assert missing_disclosures({"socio_economic_plan", "budget_estimate", "budget_execution", "planning"}) == [
        "budget_final_accounts"
    ]
    assert missing_disclosures(set(DISCLOSED)) == []


def test_r_pub_1_and_r_pub_2_each_category_is_of_one_kind():
    assert {disclosure_kind(c) for c in DISCLOSED} == {"disclosed"}
    assert {disclosure_kind(c) for c in RESIDENTS_DECIDE} == {"decided"}
    assert not set(DISCLOSED) & set(RESIDENTS_DECIDE)
    assert disclosure_kind("party_secrets") is None
    assert "village_head" in RESIDENTS_DECIDE and "land_recovery" in DISCLOSED


def _post(world, **kw):
    values = {
        "actor": None,
        "organization": world.trung_my,
        "category": "budget_estimate",
        "title": "Dự toán ngân sách xã",
        "year": timezone.localdate().year,
        "posted_on": timezone.localdate(),
    } | kw
    return services.disclosure_post(**values)


@pytest.mark.django_db
def test_r_pub_2_a_residents_decision_needs_its_vote(world):
    with pytest.raises(DomainError) as refused:
        _post(world, category="community_fund", title="Quỹ khuyến học")
    assert refused.value.message_dict == {
        "outcome": ["Việc nhân dân quyết định cần ngày quyết định, số tham gia, số đồng ý và kết quả."]
    }
    today = timezone.localdate()
    with pytest.raises(DomainError) as refused:
        _post(world, category="community_fund", voters=100, agreed=101, decided_on=today, outcome="Thông qua")
    assert refused.value.message_dict == {"agreed": ["Số đồng ý không thể lớn hơn số tham gia."]}
    with pytest.raises(DomainError) as refused:
        _post(world, voters=10, agreed=5)
    assert refused.value.message_dict == {"voters": ["Nội dung công khai không có biểu quyết của nhân dân."]}
    with pytest.raises(DomainError) as refused:
        _post(world, category="party_secrets")
    assert "category" in refused.value.message_dict
    with pytest.raises(DomainError) as refused:
        _post(world, posted_on=today + dt.timedelta(days=1))
    assert refused.value.message_dict == {"posted_on": ["Ngày công khai không thể sau hôm nay."]}
    assert Disclosure.objects.count() == 0
    item = _post(
        world,
        category="community_fund",
        title="Quỹ khuyến học",
        voters=200,
        agreed=151,
        decided_on=today,
        outcome="Thông qua",
    )
    assert (item.voters, item.agreed, item.outcome) == (200, 151, "Thông qua")


@pytest.mark.django_db
def test_the_board_shows_what_is_disclosed_what_residents_decided_and_what_is_missing(client, world):
    year = timezone.localdate().year
    for category in ("socio_economic_plan", "budget_estimate", "budget_execution"):
        _post(world, category=category, title=f"Nội dung {category}")
    _post(
        world,
        category="village_head",
        title="Bầu trưởng thôn Thanh Lanh",
        voters=120,
        agreed=90,
        decided_on=timezone.localdate(),
        outcome="Trúng cử",
    )
    _post(world, category="budget_final_accounts", title="Quyết toán năm trước", year=year - 1)
    page = Client().get(reverse("portal:board", args=[world.trung_my.pk]))
    board = page.context["board"]
    assert board.missing == ["budget_final_accounts"]
    assert sorted(board.disclosed) == ["budget_estimate", "budget_execution", "socio_economic_plan"]
    text = page.content.decode()
    assert "Chưa công khai trong năm:</strong> Quyết toán ngân sách" in text
    assert "Bầu trưởng thôn Thanh Lanh" in text and "90 (75%)" in text
    assert board.years == [year, year - 1]
    # An office posts with a file; a member of another commune cannot.
    client.force_login(world.users["other_secretary"])
    assert client.get(reverse("portal:disclosure_new", args=[world.trung_my.pk])).status_code == 404
    client.force_login(world.users["office_staff"])
    response = client.post(
        reverse("portal:disclosure_new", args=[world.trung_my.pk]),
        {
            "category": "budget_final_accounts",
            "title": "Quyết toán ngân sách xã",
            "year": year,
            "posted_on": timezone.localdate().strftime("%d/%m/%Y"),
            "attachment": SimpleUploadedFile("quyet-toan.pdf", PDF),
        },
    )
    assert response.status_code == 302
    item = Disclosure.objects.get(title="Quyết toán ngân sách xã")
    assert (item.file_kind, bytes(item.file_content)) == ("pdf", PDF)
    assert Client().get(reverse("portal:board", args=[world.trung_my.pk])).context["board"].missing == []
    served = Client().get(reverse("portal:board_file", args=[item.pk]))
    assert (served["Content-Type"], served.content) == ("application/pdf", PDF)
