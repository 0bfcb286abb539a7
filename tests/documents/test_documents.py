"""Party documents: types as data (R-DOC-1), versions with optimistic locking, numbering per issuer, type and term
(R-DOC-2) with the symbol (R-DOC-3), issued documents that never change (R-DOC-5), and relations both ways."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from dongthuan.core.errors import DomainError
from dongthuan.documents import services
from dongthuan.documents.models import Document, DocumentType, NumberSequence, Relation, Version
from dongthuan.organizations import services as org_services
from dongthuan.rules.documents import DOCUMENT_TYPES, number_symbol, sequence_key
from tests.conftest import restore_migration_data

SECTIONS = [
    {"heading": "I. TÌNH HÌNH", "text": "Đánh giá việc thực hiện phương thức lãnh đạo."},
    {"heading": "II. MỤC TIÊU", "text": "Nâng cao năng lực lãnh đạo của cấp ủy cơ sở."},
]


def _type(abbreviation: str, name: str | None = None) -> DocumentType:
    return (
        DocumentType.objects.get(name=name) if name else DocumentType.objects.filter(abbreviation=abbreviation).first()
    )


def _term(world, start=dt.date(2025, 7, 1), end=None, name="2025 - 2030"):
    return org_services.term_create(actor=None, organization=world.trung_my, name=name, start=start, end=end)


def _draft(world, abbreviation="NQ", title="về đổi mới phương thức lãnh đạo", **kw):
    return services.document_create(
        actor=None,
        organization=world.trung_my,
        doc_type=_type(abbreviation, kw.pop("type_name", None)),
        title=title,
        sections=SECTIONS,
        **kw,
    )


def _issue(document, day=dt.date(2026, 12, 5)):
    return services.document_issue(
        actor=None,
        document=document,
        issued_on=day,
        place="Trung Mỹ",
        signer=None,
        signer_title="Bí thư",
        signer_authority="T/M Đảng ủy",
        recipients="Các chi bộ\nLưu Văn phòng",
    )


@pytest.mark.django_db
def test_r_doc_1_types_and_abbreviations_are_data():
    assert list(DocumentType.objects.values_list("name", "abbreviation")) == DOCUMENT_TYPES
    assert DocumentType.objects.get(name="Chương trình").abbreviation == "CTr"


def test_r_doc_3_number_and_symbol():
    assert number_symbol(5, "NQ", "ĐU") == "05-NQ/ĐU"
    assert number_symbol(12, "CTr", "HU") == "12-CTr/HU"
    assert number_symbol(105, "QĐ", "TW") == "105-QĐ/TW"


def test_r_doc_2_sequence_keys():
    assert sequence_key(7, 3, "NQ", False) == "7:3:NQ"
    assert sequence_key(7, 3, "NQ", True) == sequence_key(7, 3, "CT", True) == "7:3:*congress*"


@pytest.mark.django_db
def test_r_doc_2_numbers_run_per_type_for_the_whole_term(world):
    first_term = _term(world, start=dt.date(2020, 10, 1), end=dt.date(2025, 6, 30), name="2020 - 2025")
    _term(world)
    issued = [
        _issue(_draft(world, "NQ"), dt.date(2024, 12, 30)),
        _issue(_draft(world, "NQ"), dt.date(2025, 1, 2)),  # a new year: the same term, the sequence goes on
        _issue(_draft(world, "CT"), dt.date(2025, 1, 3)),
        _issue(_draft(world, "NQ", classification="mat"), dt.date(2025, 2, 1)),  # secret: the same sequence
        _issue(_draft(world, "NQ"), dt.date(2025, 7, 1)),  # the new term starts again from 01
        _issue(_draft(world, "QĐ", type_name="Quyết định"), dt.date(2025, 7, 2)),
        _issue(_draft(world, "QĐ", type_name="Quy định"), dt.date(2025, 7, 3)),  # QĐ too: no symbol twice
    ]
    assert [d.symbol for d in issued] == [
        "01-NQ/ĐU",
        "02-NQ/ĐU",
        "01-CT/ĐU",
        "03-NQ/ĐU",
        "01-NQ/ĐU",
        "01-QĐ/ĐU",
        "02-QĐ/ĐU",
    ]
    assert issued[0].term == first_term


@pytest.mark.django_db
def test_r_doc_2_a_congress_numbers_all_its_documents_in_one_sequence(world):
    _term(world)
    symbols = [_issue(_draft(world, abbr, by_congress=True)).symbol for abbr in ("NQ", "BC", "NQ")]
    assert symbols == ["01-NQ/ĐU", "02-BC/ĐU", "03-NQ/ĐU"]


@pytest.mark.django_db
def test_issuing_needs_a_term_and_a_code(world):
    document = _draft(world)
    with pytest.raises(DomainError) as no_term:
        _issue(document)
    assert no_term.value.messages == [
        "Đảng bộ xã Trung Mỹ chưa có nhiệm kỳ gồm ngày 05/12/2026; số văn bản đánh theo nhiệm kỳ (R-DOC-2)."
    ]
    _term(world)
    world.trung_my.doc_code = ""
    world.trung_my.save()
    with pytest.raises(DomainError) as no_code:
        _issue(document)
    assert no_code.value.rule == "R-DOC-3"
    document.refresh_from_db()
    assert (document.status, document.number, NumberSequence.objects.count()) == ("draft", None, 0)


@pytest.mark.django_db
def test_r_doc_5_an_issued_document_never_changes(world):
    _term(world)
    document = _issue(_draft(world))
    with pytest.raises(DomainError) as refused:
        services.version_save(actor=None, document=document, sections=SECTIONS[:1], based_on=1)
    assert refused.value.rule == "R-DOC-5"
    with pytest.raises(DomainError):
        _issue(document)
    document.refresh_from_db()
    assert (document.number, document.versions.count(), NumberSequence.objects.get().last) == (1, 1, 1)


@pytest.mark.django_db
def test_versions_and_optimistic_locking(world):
    document = _draft(world)
    first = document.versions.get()
    assert [s["key"] for s in first.sections] == ["s0", "s1"]
    edited = [
        {**first.sections[0], "text": "Đánh giá sâu hơn."},
        first.sections[1],
        {"heading": "III. GIẢI PHÁP", "text": "Ba nhóm giải pháp."},
    ]
    second = services.version_save(actor=None, document=document, sections=edited, based_on=1, note="Tiếp thu ý kiến")
    assert (second.number, [s["key"] for s in second.sections]) == (2, ["s0", "s1", "s2"])
    with pytest.raises(DomainError) as stale:  # a colleague who opened version 1
        services.version_save(actor=None, document=document, sections=SECTIONS, based_on=1)
    assert stale.value.messages[0].startswith("Dự thảo vừa được người khác lưu thành phiên bản 2")
    assert Version.objects.filter(document=document).count() == 2
    unchanged = services.version_save(actor=None, document=document, sections=edited, based_on=2)
    assert unchanged.number == 2  # saving the same text makes no new version
    with pytest.raises(DomainError) as empty:
        services.version_save(actor=None, document=document, sections=[{"heading": "", "text": " "}], based_on=2)
    assert empty.value.messages == ["Văn bản chưa có nội dung."]


@pytest.mark.django_db
def test_relations_read_both_ways(world):
    _term(world)
    resolution = _issue(_draft(world, "NQ"))
    program = _draft(world, "CTr", title="thực hiện Nghị quyết về đổi mới phương thức lãnh đạo")
    services.relation_add(actor=None, source=program, target=resolution, kind="implements")
    with pytest.raises(DomainError):
        services.relation_add(actor=None, source=program, target=resolution, kind="implements")
    with pytest.raises(DomainError):
        services.relation_add(actor=None, source=resolution, target=program, kind="guides")  # target not issued
    assert [(r.source, r.kind) for r in Relation.objects.filter(target=resolution)] == [(program, "implements")]


@pytest.fixture
def levels(transactional_db):
    restore_migration_data()


@pytest.mark.django_db(transaction=True)
def test_r_doc_2_two_documents_issued_at_the_same_instant_get_consecutive_numbers(levels, world):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL")
    _term(world)
    drafts = [_draft(world) for _ in range(4)]
    barrier = threading.Barrier(4)
    errors: list[Exception] = []

    def issue(document: Document) -> None:
        barrier.wait()
        try:
            _issue(document)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(Document.objects.values_list("number", flat=True)) == [1, 2, 3, 4]
    assert NumberSequence.objects.get().last == 4
