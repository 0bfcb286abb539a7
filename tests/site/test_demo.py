from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from dongthuan.audit.models import AuditEvent
from dongthuan.organizations import selectors
from dongthuan.organizations.models import Organization, OrganizationStatus
from dongthuan.organizations.roles import Role, access_for
from dongthuan.people.models import Person
from dongthuan.restructuring.models import Restructuring


@pytest.mark.django_db
def test_demo_builds_binh_xuyen_and_is_idempotent():
    out = StringIO()
    call_command("demo", stdout=out)
    counts = (Organization.objects.count(), Person.objects.count(), AuditEvent.objects.count())
    call_command("demo", stdout=StringIO())
    assert (Organization.objects.count(), Person.objects.count(), AuditEvent.objects.count()) == counts
    assert counts[0] == 111  # with Bình Tuyền's People's Committee, which answers petitions on land
    assert counts[1] == 479  # with the chair of the district Front, who answers the consultation

    # 2017: Trung Mỹ under the Bình Xuyên district committee, under Vĩnh Phúc
    district = Organization.objects.get(name="Đảng bộ huyện Bình Xuyên")
    trung_my = Organization.objects.get(name="Đảng bộ xã Trung Mỹ")
    vinh_phuc = Organization.objects.get(name="Đảng bộ tỉnh Vĩnh Phúc")
    assert [o.name for o in selectors.children_as_of(vinh_phuc, dt.date(2017, 4, 24))] == [
        "Đảng bộ huyện Bình Xuyên",
        "Chi bộ Văn phòng Tỉnh ủy",
    ]
    assert "Đảng bộ xã Trung Mỹ" in [o.name for o in selectors.children_as_of(district, dt.date(2017, 4, 24))]
    assert {b.kind for b in district.bodies.all()} >= {"committee", "standing_committee", "inspection_committee"}
    # 1 July 2025: the district is gone, Trung Mỹ is part of Bình Tuyền, under Phú Thọ
    assert (district.status, district.valid_to) == ("dissolved", dt.date(2025, 6, 30))
    assert trung_my.status == "dissolved"
    binh_tuyen = Organization.objects.get(name="Đảng bộ xã Bình Tuyền")
    assert binh_tuyen.parent.name == "Đảng bộ tỉnh Phú Thọ"
    assert [o.name for o in selectors.roots_as_of(dt.date(2026, 1, 1))] == ["Đảng bộ tỉnh Phú Thọ"]
    assert sorted(
        o.name for o in selectors.children_as_of(binh_tuyen.parent, dt.date(2026, 1, 1)) if o.kind == "grassroots"
    ) == ["Đảng bộ xã Bình Nguyên", "Đảng bộ xã Bình Tuyền", "Đảng bộ xã Bình Xuyên"]
    assert Restructuring.objects.count() == 6
    # R-ORG-1: the police cell with 2 full members stays "forming"
    assert Organization.objects.get(name="Chi bộ Công an xã Trung Mỹ").status == OrganizationStatus.FORMING
    assert not Person.objects.filter(full_name__in=["Trần Duy Hưng", "Ngô Tuấn Anh"]).exists()
    assert "bithu.binhtuyen" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "role"),
    [
        ("quantri", Role.ADMIN),
        ("bithu.tinh", Role.SECRETARY),
        ("bithu.binhtuyen", Role.SECRETARY),
        ("phobithu.binhtuyen", Role.DEPUTY),
        ("uyvien.binhtuyen", Role.COMMITTEE_MEMBER),
        ("vanphong.binhtuyen", Role.OFFICE_STAFF),
        ("dangvien.thanhlanh", Role.MEMBER),
        ("bithu.binhnguyen", Role.SECRETARY),
        ("congdan", Role.CITIZEN),
    ],
)
def test_demo_logins_hold_their_roles(username, role):
    call_command("demo", stdout=StringIO())
    # A sign-in always comes with its request: the lockout (django-axes) counts failures per account and address.
    user = authenticate(RequestFactory().post("/accounts/login/"), username=username, password="dongthuan")
    assert user is not None
    assert access_for(user).primary_role == role


@pytest.mark.django_db
def test_demo_tells_the_articles_resolution_from_draft_to_issue():
    """The district standing committee's resolution on renewing the leadership method: consulted, every opinion
    answered, voted and issued on 24/04/2017 as 01-NQ/HU."""
    import datetime as dt

    from dongthuan.consultations.models import Round
    from dongthuan.documents.models import Document
    from dongthuan.meetings.models import Minutes, Poll

    call_command("demo", stdout=StringIO())
    resolution = Document.objects.get(symbol="01-NQ/HU")
    assert (resolution.status, resolution.issued_on, resolution.issued_version.number) == (
        "issued",
        dt.date(2017, 4, 24),
        2,
    )
    assert resolution.organization.name == "Đảng bộ huyện Bình Xuyên"
    consultation = Round.objects.get(document=resolution)
    assert consultation.status == "synthesised"
    assert consultation.opinions.count() == consultation.opinions.filter(answer__isnull=False).count() == 5
    assert sorted(consultation.audiences.values_list("kind", flat=True)) == [
        "cadres",
        "committee",
        "members",
        "organisations",
    ]
    vote = Poll.objects.get(item__document=resolution)
    assert (vote.approve, vote.serving, vote.passed) == (4, 4, True)
    assert Minutes.objects.get(meeting=vote.item.meeting).status == "signed"
    from dongthuan.documents.selectors import coverage

    (study,) = resolution.disseminations.all()
    whole, *cells = coverage(study)
    assert whole.organization.name == "Đảng bộ xã Trung Mỹ"
    assert whole.acknowledged == whole.members - len([c for c in cells if c.members])  # one away in each cell
    assert all(c.acknowledged == c.members - 1 for c in cells if c.members)


@pytest.mark.django_db
def test_demo_puts_a_commune_draft_to_its_people_now(client):
    """Bình Tuyền's draft on the new countryside is open to the public today: three citizens' opinions published,
    one waiting for moderation, one refused, one never confirmed; nothing was printed for the demo's emails."""
    from django.urls import reverse
    from django.utils import timezone

    from dongthuan.consultations.models import Round

    out = StringIO()
    call_command("demo", stdout=out)
    assert "Xác nhận ý kiến" not in out.getvalue()
    consultation = Round.objects.get(audiences__kind="public")
    assert consultation.opens_on < timezone.localdate() < consultation.closes_on
    assert (consultation.closes_on - consultation.opens_on).days + 1 == 36
    statuses = sorted(consultation.opinions.values_list("status", flat=True))
    assert statuses == ["pending", "received", "received", "received", "rejected", "unconfirmed"]
    page = client.get(reverse("consultations:public_detail", args=[consultation.pk])).content.decode()
    assert "Nguyễn Văn Thành" in page and "Quảng cáo" not in page and "Phạm Thu Hằng" not in page
    assert "nguoidan" not in page


@pytest.mark.django_db
def test_demo_carries_the_resolution_into_programs_down_to_the_cells():
    """The standing committee's action program for 01-NQ/HU (objectives in three fields, four indicators with a
    year of values), its tasks given to four communes, Trung Mỹ's program carrying its task down to the cells, and
    the new commune's program followed today."""
    from decimal import Decimal

    from dongthuan.programs import selectors
    from dongthuan.programs.models import IndicatorValue, Program, ProgressReport, Task

    call_command("demo", stdout=StringIO())
    district = Program.objects.get(implements__symbol="01-NQ/HU")
    assert sorted(district.objectives.values_list("field__abbreviation", flat=True)) == ["KT-XH", "QP-AN", "XDĐ-HTCT"]
    assert IndicatorValue.objects.filter(indicator__objective__program=district).count() == 16
    given = district.tasks.get(title="Xây dựng và thực hiện chương trình hành động của Đảng ủy xã Trung Mỹ")
    trung_my_program = Program.objects.get(carries=given)
    cells = Task.objects.filter(program=trung_my_program)
    assert cells.count() == 8 and set(cells.values_list("parent", flat=True)) == {given.pk}
    assert (Task.objects.get(pk=given.pk).progress, Task.objects.get(pk=given.pk).status) == (Decimal(100), "done")
    assert ProgressReport.objects.filter(task__program=trung_my_program).count() == 32
    late = district.tasks.get(title__endswith="Đảng ủy xã Thiện Kế")
    assert (late.status, late.progress) == ("late", Decimal(10))
    binh_tuyen = Organization.objects.get(name="Đảng bộ xã Bình Tuyền")
    board = selectors.dashboard(binh_tuyen)
    assert board.by_status["at_risk"] == 1
    assert [t.responsible.full_name for t in board.late][0] == binh_tuyen.positions.filter(title="member").order_by(
        "id"
    ).first().person.full_name


@pytest.mark.django_db
def test_demo_portal_publishes_the_source_article_with_comments_and_petitions_in_every_state(client):
    from collections import Counter

    from dongthuan.portal.models import Article, Comment, Disclosure, Petition
    from dongthuan.portal.selectors import board

    call_command("demo", stdout=StringIO())
    first = Article.objects.filter(status="published").order_by("published_at").first()
    assert first.title == "Đổi mới phương thức lãnh đạo, xây dựng và phát huy hiệu quả hệ thống chính trị"
    assert (first.section.name, first.author, first.organization.name) == (
        "Xây dựng Đảng",
        "Ngô Tuấn Anh",
        "Đảng bộ huyện Bình Xuyên",
    )
    assert timezone.localtime(first.published_at).date() == dt.date(2017, 4, 24)
    assert first.images.get().caption.startswith("Đảng ủy xã Trung Mỹ (Bình Xuyên) họp bàn")
    assert Counter(Comment.objects.values_list("status", flat=True)) == {
        "published": 3,
        "pending": 1,
        "rejected": 1,
        "unconfirmed": 1,
    }
    assert Comment.objects.exclude(answer="").count() == 1
    assert Counter(Article.objects.values_list("status", flat=True)) == {"published": 3, "review": 1, "draft": 1}
    statuses = Counter(Petition.objects.values_list("status", flat=True))
    assert statuses == {"received": 3, "processing": 4, "answered": 3, "declined": 1}
    assert Petition.objects.values("commune").distinct().count() == 3
    assert Petition.objects.filter(overdue_flagged_on__isnull=False).count() == 2
    binh_tuyen = Organization.objects.get(name="Đảng bộ xã Bình Tuyền")
    assert board(binh_tuyen, timezone.localdate().year).missing == ["budget_final_accounts"]
    assert Disclosure.objects.filter(voters__isnull=False).count() == 2
    page = client.get(first.get_absolute_url()).content.decode()
    assert "Ý kiến của bạn" in page and "Đảng bộ huyện Bình Xuyên trả lời" in page
