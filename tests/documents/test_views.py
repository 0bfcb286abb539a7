"""A resolution through its pages: drafted, edited into a second version, compared, issued with its number,
exported in the official layout, found in the library without diacritics."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pypdf
import pytest
from django.urls import reverse

from dongthuan.documents.models import Document, DocumentType, Version
from dongthuan.organizations import services as org_services


@pytest.mark.django_db
def test_a_resolution_from_draft_to_library(client, world):
    org_services.term_create(actor=None, organization=world.trung_my, name="2025 - 2030", start=dt.date(2025, 7, 1))
    nq = DocumentType.objects.get(name="Nghị quyết")
    client.force_login(world.users["office_staff"])
    response = client.post(
        reverse("documents:create", args=[world.trung_my.pk]),
        {
            "doc_type": nq.pk,
            "title": "về đổi mới phương thức lãnh đạo của Đảng ủy",
            "field": "Xây dựng Đảng",
            "key": ["", "", ""],
            "heading": ["I. MỤC TIÊU", "II. GIẢI PHÁP", ""],
            "text": ["Nâng cao năng lực lãnh đạo.", "Phân công rõ trách nhiệm từng đồng chí.", ""],
        },
    )
    document = Document.objects.get()
    assert response.status_code == 302 and response["Location"] == document.get_absolute_url()
    assert [s["heading"] for s in document.versions.get().sections] == ["I. MỤC TIÊU", "II. GIẢI PHÁP"]

    edit_url = reverse("documents:edit", args=[document.pk])
    edited = {
        "based_on": "1",
        "key": ["s0", "s1", ""],
        "heading": ["I. MỤC TIÊU", "II. GIẢI PHÁP", "III. TỔ CHỨC THỰC HIỆN"],
        "text": [
            "Nâng cao năng lực lãnh đạo, sức chiến đấu.",
            "Phân công rõ trách nhiệm từng đồng chí.",
            "Giao Văn phòng theo dõi.",
        ],
        "note": "Tiếp thu ý kiến",
    }
    assert client.post(edit_url, edited).status_code == 302
    stale = client.post(edit_url, {**edited, "text": ["Bản khác", "", ""]}).content.decode()  # still based on 1
    assert "Dự thảo vừa được" in stale and "phiên bản 2" in stale
    assert Version.objects.filter(document=document).count() == 2

    diff = client.get(reverse("documents:compare", args=[document.pk]) + "?a=1&b=2").content.decode()
    assert "Nâng cao năng lực lãnh <del>đạo.</del><ins>đạo, sức chiến đấu.</ins>" in diff
    assert "thêm mới" in diff and "III. TỔ CHỨC THỰC HIỆN" in diff

    client.post(
        reverse("documents:issue", args=[document.pk]),
        {
            "issued_on": "05/12/2026",
            "place": "Trung Mỹ",
            "signer": world.people["secretary"].pk,
            "signer_authority": "T/M Đảng ủy",
            "signer_title": "Bí thư",
            "recipients": "Các chi bộ\nLưu Văn phòng Đảng ủy",
        },
    )
    document.refresh_from_db()
    assert (document.status, document.symbol, document.issued_version.number) == ("issued", "01-NQ/ĐU", 2)
    assert client.get(edit_url).status_code == 404  # R-DOC-5

    word = docx.Document(io.BytesIO(client.get(reverse("documents:export", args=[document.pk, "docx"])).content))
    left, right = (c.text.split("\n") for c in word.tables[0].rows[0].cells)
    assert left == ["ĐẢNG BỘ TỈNH PHÚ THỌ", "ĐẢNG BỘ XÃ TRUNG MỸ", "*", "Số 01-NQ/ĐU"]
    assert right == ["ĐẢNG CỘNG SẢN VIỆT NAM", "Trung Mỹ, ngày 05 tháng 12 năm 2026"]
    lines = [p.text for p in word.paragraphs if p.text]
    assert lines[:2] == ["NGHỊ QUYẾT", "về đổi mới phương thức lãnh đạo của Đảng ủy"]
    assert "III. TỔ CHỨC THỰC HIỆN" in lines
    closing = word.tables[1].rows[0].cells[1].text
    assert "T/M ĐẢNG ỦY" in closing and "BÍ THƯ" in closing and "Phạm Văn Bình" in closing
    pdf = pypdf.PdfReader(io.BytesIO(client.get(reverse("documents:export", args=[document.pk, "pdf"])).content))
    assert "Số 01-NQ/ĐU" in pdf.pages[0].extract_text()

    client.force_login(world.users["member"])  # a party member of a cell of Trung Mỹ reads the library
    found = client.get(reverse("documents:library") + "?q=phan+cong+TRACH+nhiem").content.decode()
    assert (
        "01-NQ/ĐU" in found and "<mark>Phân</mark> <mark>công</mark> rõ <mark>trách</mark> <mark>nhiệm</mark>" in found
    )
    assert "0 văn bản" in client.get(reverse("documents:library") + "?q=khong+co+tu+nay").content.decode()
    client.force_login(world.users["other_secretary"])  # Bá Hiến does not see Trung Mỹ's documents
    assert "01-NQ/ĐU" not in client.get(reverse("documents:library")).content.decode()
    assert client.get(document.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_a_draft_is_its_drafters_only(client, world):
    nq = DocumentType.objects.get(name="Nghị quyết")
    from dongthuan.documents import services

    draft = services.document_create(
        actor=None, organization=world.trung_my, doc_type=nq, title="dự thảo", sections=[{"text": "Nội dung"}]
    )
    client.force_login(world.users["member"])
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(world.users["secretary"])
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Ban hành, cấp số" in page
    word = docx.Document(io.BytesIO(client.get(reverse("documents:export", args=[draft.pk, "docx"])).content))
    assert word.tables[0].rows[0].cells[1].text.split("\n")[-1] == "DỰ THẢO"


@pytest.mark.django_db
def test_malformed_numbers_in_urls_and_forms_are_ignored_not_500(client, world):
    client.force_login(world.users["secretary"])
    for query in ("?year=99999999999", "?year=0", "?page=abc", "?type=1e9&org=-1", "?q=%00%ff"):
        assert client.get(reverse("documents:library") + query).status_code == 200, query
    nq = DocumentType.objects.get(name="Nghị quyết")
    from dongthuan.documents import services

    draft = services.document_create(
        actor=None, organization=world.trung_my, doc_type=nq, title="dự thảo", sections=[{"text": "Nội dung"}]
    )
    assert client.get(reverse("documents:compare", args=[draft.pk]) + "?a=1&b=" + "9" * 40).status_code == 404
    response = client.post(reverse("documents:relation_add", args=[draft.pk]), {"target": "9" * 40, "kind": "guides"})
    assert response.status_code == 302 and draft.relations_out.count() == 0


@pytest.mark.django_db
def test_a_draft_posts_its_sections_through_a_form(client, world):
    """The sections go through documents.forms.SectionsForm: text past what any section could hold is refused with
    the service's own message and nothing is written; a version opened that is not a number is a stale page."""
    from dongthuan.documents import services

    nq = DocumentType.objects.get(name="Nghị quyết")
    client.force_login(world.users["office_staff"])
    response = client.post(
        reverse("documents:create", args=[world.trung_my.pk]),
        {"doc_type": nq.pk, "title": "về dân vận", "key": [""], "heading": [""], "text": ["x" * 100_001]},
    )
    assert response.status_code == 200 and "Mỗi phần dài tối đa 50.000 ký tự." in response.content.decode()
    assert Document.objects.count() == 0

    draft = services.document_create(
        actor=None, organization=world.trung_my, doc_type=nq, title="dự thảo", sections=[{"text": "Nội dung"}]
    )
    edit_url = reverse("documents:edit", args=[draft.pk])
    page = client.post(edit_url, {"based_on": "abc", "key": ["s0"], "heading": [""], "text": ["Khác"]})
    assert "Dự thảo vừa được" in page.content.decode()
    page = client.post(edit_url, {"based_on": "1", "key": ["s0"], "heading": [""], "text": ["x" * 100_001]})
    assert "Mỗi phần dài tối đa 50.000 ký tự." in page.content.decode()
    assert Version.objects.filter(document=draft).count() == 1
