"""The library's search (documents/search.py): syllables and pairs of neighbouring syllables in the index, tags for
filters and reach, the fallback to syllables anywhere, the ranked window, and the same answers on SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dongthuan.core.models import AccessGrant
from dongthuan.documents import search, selectors, services
from dongthuan.documents.models import Document, DocumentType
from dongthuan.documents.permissions import document_scope
from dongthuan.organizations import services as org_services


def test_index_text_holds_syllables_pairs_and_tags():
    text = search.index_text(
        organization_id=7, doc_type_id=3, year=2017, field="Xây dựng Đảng", parts=["Cán bộ, đảng viên", "", "Trung Mỹ"]
    )
    assert text == (
        "can bo dang vien trung my canqbo boqdang dangqvien vienqtrung trungqmy "
        "zzorg7 zztype3 zzyear2017 zzfieldxaydungdang"
    )
    draft = search.index_text(organization_id=7, doc_type_id=3, year=None, field="", parts=["Dự thảo"])
    assert draft == "du thao duqthao zzorg7 zztype3"


def test_search_expressions():
    words = search.query_terms("Cán bộ ĐẢNG viên zzlib")
    assert words == ["can", "bo", "dang", "vien"]
    everyone = search.Filters()
    assert search.fts5_expression(words, everyone) == '"canqbo" AND "boqdang" AND "dangqvien"'
    assert search.fts5_expression(words, everyone, prefix=True) == '"canqbo" AND "boqdang" AND "dangqvien"*'
    assert search.fts5_expression(words, everyone, pairs=False) == '"can" AND "bo" AND "dang" AND "vien"'
    assert search.fts5_expression(["ngan"], search.Filters(issuers=[4, 9], year=2020, doc_type=2), prefix=True) == (
        '"ngan"* AND zztype2 AND zzyear2020 AND (zzorg4 OR zzorg9)'
    )
    assert search.fts5_expression(["ngan"], search.Filters(issuers=[])).endswith("AND zzz")  # reaches nobody
    assert search.tsquery_expression(words, search.Filters(issuers=[4], organization=4)) == (
        "canqbo & boqdang & dangqvien & zzorg4 & (zzorg4)"
    )
    assert search.tsquery_expression(words, None, prefix=True) == "canqbo & boqdang & dangqvien:*"
    assert search.steps(words) == [(True, False), (True, True), (False, False), (False, True)]
    assert search.steps(["ngan"]) == [(True, False), (True, True)]
    assert search.token_patterns(["dang", "vien"]) == ["(^| )dangqvien( |$)"]
    assert search.token_patterns(["dang", "vien"], pairs=False, prefix=True) == ["(^| )dang( |$)", "(^| )vien"]


def _issue(org, title, text, day=dt.date(2020, 5, 1), classification=""):
    if not org.terms.exists():
        org_services.term_create(actor=None, organization=org, name="2020 - 2025", start=dt.date(2020, 1, 1))
    draft = services.document_create(
        actor=None,
        organization=org,
        doc_type=DocumentType.objects.get(name="Nghị quyết"),
        title=title,
        sections=[{"heading": "I.", "text": text}],
        classification=classification,
    )
    return services.document_issue(
        actor=None, document=draft, issued_on=day, place="Trung Mỹ", signer=None, signer_title="Bí thư"
    )


def _found(user, q, **kw):
    found, _words = selectors.library(document_scope(user), q=q, **kw)
    return [d.title for d in found.documents]


@pytest.mark.django_db
def test_search_pairs_prefix_fallback_reach_and_filters(world):
    _issue(world.trung_my, "về nâng cao năng lực lãnh đạo", "Nâng cao năng lực lãnh đạo của cấp ủy.")
    _issue(world.trung_my, "về kinh tế", "Năng lực lãnh đạo kinh tế; nâng cao đời sống.")
    _issue(world.province, "về phân công rõ trách nhiệm", "Phân công rõ trách nhiệm người đứng đầu ở Trung Mỹ.")
    _issue(world.ba_hien, "về nông thôn mới Bá Hiến", "Xây dựng nông thôn mới.", day=dt.date(2021, 3, 1))
    _issue(world.trung_my, "về công tác bảo mật", "Nâng cao năng lực bảo mật.", classification="mat")
    services.document_create(
        actor=None,
        organization=world.trung_my,
        doc_type=DocumentType.objects.get(name="Nghị quyết"),
        title="dự thảo nâng cao năng lực",
        sections=[{"heading": "", "text": "Nâng cao năng lực."}],
    )
    member = world.users["member"]  # Trung Mỹ's member: Trung Mỹ and the province above it
    assert _found(member, "nang cao nang luc") == ["về nâng cao năng lực lãnh đạo"]  # the pairs, not the syllables
    assert _found(member, "NĂNG LỰC LÃNH ĐẠO") == ["về nâng cao năng lực lãnh đạo", "về kinh tế"]
    assert _found(member, "phan cong trach nhiem") == ["về phân công rõ trách nhiệm"]  # no pair: syllables anywhere
    assert _found(member, "trung m") == ["về phân công rõ trách nhiệm"]  # no whole pair: the last one is a prefix
    assert _found(member, "nang c") == ["về nâng cao năng lực lãnh đạo", "về kinh tế"]
    assert _found(member, "kinh t") == ["về kinh tế"]
    _issue(world.trung_my, "về chi bộ thôn", "Sinh hoạt chi bộ thôn.")
    _issue(world.trung_my, "về thông tin", "Thông tin tuyên truyền.")
    assert _found(member, "thon") == ["về chi bộ thôn"]  # found whole, so not widened to "thông"
    assert sorted(_found(member, "tho")) == ["về chi bộ thôn", "về thông tin"]  # nothing whole: the start of words
    assert _found(member, "nong thon moi") == []  # Bá Hiến's, out of reach
    assert _found(world.users["other_secretary"], "nong thon moi") == ["về nông thôn mới Bá Hiến"]
    assert _found(world.users["other_secretary"], "nang cao") == []
    assert _found(world.users["admin"], "nong thon moi", year=2020) == []
    assert _found(world.users["admin"], "nong thon moi", year=2021) == ["về nông thôn mới Bá Hiến"]
    assert _found(world.users["admin"], "lanh dao", organization=world.province.pk) == []
    assert _found(world.users["admin"], "nang cao") == [  # twice in the first; no draft, no secret
        "về nâng cao năng lực lãnh đạo",
        "về kinh tế",
    ]

    secret = Document.objects.get(classification="mat")
    AccessGrant.objects.create(
        content_type=ContentType.objects.get_for_model(Document), object_id=str(secret.pk), user=member
    )
    assert _found(member, "nang cao nang luc") == ["về công tác bảo mật", "về nâng cao năng lực lãnh đạo"]


@pytest.mark.django_db
def test_title_matches_first_best_first_then_text_matches_newest_first(world, monkeypatch):
    monkeypatch.setattr(search, "RANK_WINDOW", 3)
    rows = [  # added in this order: ids increase
        ("về dân vận khéo", "Nội dung."),
        ("về công tác tuyên giáo", "Dân vận khéo ở thôn."),
        ("về dân vận khéo và dân vận khéo trong vùng đồng bào", "Nội dung."),
        ("về kinh tế", "Dân vận khéo trong sản xuất."),
        ("về y tế", "Dân vận khéo trong phòng bệnh."),
    ]
    for n, (title, text) in enumerate(rows):
        _issue(world.trung_my, title, text, day=dt.date(2020, 1, 1) + dt.timedelta(days=n))
    found, _words = selectors.library(document_scope(world.users["admin"]), q="dan van kheo")
    assert [d.title for d in found.documents] == [
        "về dân vận khéo và dân vận khéo trong vùng đồng bào",  # in the title twice
        "về dân vận khéo",
        "về y tế",  # then the text matches, newest first
        "về kinh tế",
    ]  # "công tác tuyên giáo", the oldest text match, is past the window of the 3 newest
    assert found.capped and "Hơn 4 văn bản khớp; hiện 4 văn bản" in render_count(found)
    found, _words = selectors.library(document_scope(world.users["admin"]), q="tuyen giao")
    assert ([d.title for d in found.documents], found.capped) == (["về công tác tuyên giáo"], False)


def render_count(found):
    from django.template.loader import render_to_string

    return render_to_string(
        "documents/_results.html", {"page": found.page, "capped": found.capped, "rows": [], "chosen": {}}
    )


@pytest.mark.django_db
def test_a_search_page_costs_a_fixed_number_of_queries(client, world):
    for n in range(25):
        _issue(world.trung_my, f"về dân vận {n}", "Công tác dân vận ở cơ sở.")
    client.force_login(world.users["member"])
    url = reverse("documents:library") + "?q=dan+van"
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        response = client.get(url)
    assert "25 văn bản" in response.content.decode()
    for n in range(10):
        _issue(world.province, f"về dân vận tỉnh {n}", "Công tác dân vận.")
    with CaptureQueriesContext(connection) as later:
        client.get(url + "&page=2")
    assert len(later) == len(first)
