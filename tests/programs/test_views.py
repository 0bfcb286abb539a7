"""Pages of action programs through HTTP: the dashboard, a program, a task, refusals shown on the form with nothing
saved, and the tracking table opened as a real Excel file."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dongthuan.programs import periods
from dongthuan.programs.models import Field, Program, ProgressReport, Task
from tests.programs.test_programs import _current_end, _program, _report, _task, _today


@pytest.fixture
def program(world):
    program = _program(world.trung_my)
    first = _task(program, world.cell, world.people["member"], "=Sinh hoạt chuyên đề", weight=2)
    _task(program, world.trung_my, world.people["deputy"], "Phát triển đảng viên mới", parent=first)
    return program


@pytest.mark.django_db
def test_create_a_program_and_give_a_task(client, world):
    client.force_login(world.users["secretary"])
    today = _today()
    url = reverse("programs:create", args=[world.trung_my.pk])
    data = {"title": "Chương trình hành động", "starts_on": "01/01/2026", "ends_on": "31/12/2025"}
    response = client.post(url, data | {"report_every": "quarter"})
    assert response.status_code == 400
    assert "Ngày kết thúc phải từ ngày bắt đầu trở đi." in response.content.decode()
    response = client.post(url, data | {"ends_on": "31/12/2030", "report_every": "quarter"})
    program = Program.objects.get()
    assert response["Location"] == program.get_absolute_url()
    task = {
        "title": "Xây dựng chi bộ kiểu mẫu",
        "organization": world.cell.pk,
        "responsible": world.people["secretary"].pk,
        "starts_on": today.strftime("%d/%m/%Y"),
        "due_on": (today - dt.timedelta(days=1)).strftime("%d/%m/%Y"),
        "weight": 1,
    }
    response = client.post(reverse("programs:task_add", args=[program.pk]), task)
    assert response.status_code == 400
    assert "Hạn hoàn thành phải từ ngày bắt đầu trở đi." in response.content.decode()
    assert Task.objects.count() == 0
    task["due_on"] = "30/06/2027"
    response = client.post(reverse("programs:task_add", args=[program.pk]), task)
    assert response.status_code == 302
    page = client.get(program.get_absolute_url()).content.decode()
    assert "Xây dựng chi bộ kiểu mẫu" in page and "Phạm Văn Bình" in page and "30/06/2027" in page


@pytest.mark.django_db
def test_the_responsible_person_reports_and_changes_the_status(client, world, program):
    task = Task.objects.get(title="Phát triển đảng viên mới")
    client.force_login(world.users["deputy"])  # the answerable person
    url = reverse("programs:task_report", args=[task.pk])
    end = _current_end(program).isoformat()
    response = client.post(url, {"period_end": end, "progress": "120", "narrative": "Kết nạp 2 đảng viên"})
    assert response.status_code == 400
    assert "Tiến độ phải từ 0 đến 100%." in response.content.decode()
    response = client.post(url, {"period_end": end, "progress": "12 ha", "narrative": "Kết nạp"})
    assert "Chỉ tiêu này tính bằng “%”; không nhận giá trị “12 ha”." in response.content.decode()
    assert ProgressReport.objects.count() == 0
    response = client.post(url, {"period_end": end, "progress": "50,5", "narrative": "Kết nạp 2 đảng viên"})
    assert response.status_code == 302
    assert Task.objects.get(pk=task.pk).progress == Decimal("50.50")
    assert Task.objects.get(title="=Sinh hoạt chuyên đề").progress == Decimal("50.50")  # its only child
    response = client.post(reverse("programs:task_status", args=[task.pk]), {"status": "at_risk", "reason": ""})
    assert response.status_code == 400
    client.post(reverse("programs:task_status", args=[task.pk]), {"status": "at_risk", "reason": "Thiếu nguồn"})
    page = client.get(task.get_absolute_url()).content.decode()
    assert "Có nguy cơ chậm" in page and "Thiếu nguồn" in page and "Kết nạp 2 đảng viên" in page


@pytest.mark.django_db
def test_dashboard_page_and_its_query_count(client, world, program, django_assert_max_num_queries):
    _report(Task.objects.get(title="Phát triển đảng viên mới"), 40)
    client.force_login(world.users["secretary"])
    url = reverse("programs:dashboard", args=[world.trung_my.pk])
    client.get(url)
    with django_assert_max_num_queries(20) as first:
        response = client.get(url)
    page = response.content.decode()
    assert "Theo dõi thực hiện – Đảng bộ xã Trung Mỹ" in page
    assert "<svg" in page and "Nhiệm vụ theo trạng thái" in page
    for n in range(8):
        _task(program, world.cell_two, world.people["office_staff"], f"Việc {n}")
    with django_assert_max_num_queries(len(first)):
        client.get(url)
    assert Field.objects.count() == 4


@pytest.mark.django_db
def test_tracking_table_is_a_real_excel_file(client, world, program):
    client.force_login(world.users["committee_member"])
    response = client.get(reverse("programs:tracking", args=[program.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("STT", "Nhiệm vụ", "Lĩnh vực", "Đơn vị chủ trì", "Cá nhân phụ trách")
    assert [r[:2] for r in rows[1:]] == [("1", "'=Sinh hoạt chuyên đề"), ("1.1", "    Phát triển đảng viên mới")]
    assert rows[2][3:9] == (
        "Đảng bộ xã Trung Mỹ",
        "Hoàng Thị Lan",
        (_today() - dt.timedelta(days=30)).strftime("%d/%m/%Y"),
        (_today() + dt.timedelta(days=300)).strftime("%d/%m/%Y"),
        "Chưa triển khai",
        0,
    )
    assert periods.label("quarter", dt.date(2026, 12, 31)) == "Quý IV/2026"


@pytest.mark.django_db
def test_home_lists_the_tasks_i_answer_for_with_their_deadlines(client, world, program):
    late = Task.objects.get(title="Phát triển đảng viên mới")
    Task.objects.filter(pk=late.pk).update(due_on=_today() - dt.timedelta(days=2))
    soon = _task(program, world.trung_my, world.people["deputy"], "Tổng kết công tác dân vận", days=3)
    _task(program, world.trung_my, world.people["secretary"], "Việc của người khác")
    client.force_login(world.users["deputy"])
    response = client.get(reverse("home"))
    assert [t.title for t in response.context["my_tasks"]] == [late.title, soon.title]
    html = response.content.decode()
    assert "Nhiệm vụ tôi phụ trách" in html and "quá hạn" in html and "sắp đến hạn" in html


@pytest.mark.django_db
def test_interim_review_is_a_word_report_of_what_was_recorded_until_the_day(client, world, program):
    from docx import Document as Docx

    from dongthuan.organizations.models import PositionTitle
    from dongthuan.programs import services

    child = Task.objects.get(title="Phát triển đảng viên mới")
    _report(child, 60)
    services.task_set_status(actor=None, task=child, status="at_risk", reason="Thiếu nguồn phát triển")
    client.force_login(world.users["secretary"])
    url = reverse("programs:review", args=[program.pk])
    assert "Báo cáo sơ kết, tổng kết" in client.get(url).content.decode()
    response = client.get(url, {"kind": "interim", "start": "01/01/2026", "end": "31/12/2025"})
    assert response.status_code == 400
    assert "Ngày kết thúc phải từ ngày bắt đầu trở đi." in response.content.decode()
    end = _today()
    response = client.get(url, {"kind": "interim", "start": "01/01/2025", "end": end.strftime("%d/%m/%Y")})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessing")
    doc = Docx(io.BytesIO(response.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)  # the header and signature blocks
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in cells and "BÁO CÁO" in text
    assert "sơ kết thực hiện chương trình hành động thực hiện Nghị quyết Đại hội" in text
    assert "triển khai 2 nhiệm vụ của chương trình, giao 2 đơn vị chủ trì" in text
    assert "Tiến độ chung (bình quân có trọng số) đạt 60%." in text  # the only top task, from its only child
    assert "- Phát triển đảng viên mới (Đảng bộ xã Trung Mỹ; đồng chí Hoàng Thị Lan phụ trách): có nguy cơ chậm" in text
    assert "III. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI" in text
    table = _tasks_table(doc)
    assert [c.text for c in table.rows[2].cells] == [
        "2",
        "Phát triển đảng viên mới",
        "Đảng bộ xã Trung Mỹ",
        "Hoàng Thị Lan",
        (_today() + dt.timedelta(days=300)).strftime("%d/%m/%Y"),
        "Có nguy cơ chậm, 60%",
        "Đã triển khai",
    ]
    assert "T/M ĐẢNG ỦY" in cells and "Phạm Văn Bình" in cells and PositionTitle.SECRETARY == "secretary"
    # On a day before the report, the same task had not started.
    before = (_today() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    doc = Docx(io.BytesIO(client.get(url, {"kind": "final", "start": "01/01/2025", "end": before}).content))
    assert [c.text for c in _tasks_table(doc).rows[2].cells][5] == "Chưa triển khai, 0%"
    assert "III. PHƯƠNG HƯỚNG" not in "\n".join(p.text for p in doc.paragraphs)


def _tasks_table(doc):
    return next(t for t in doc.tables if [c.text for c in t.rows[0].cells][:2] == ["STT", "Nhiệm vụ"])


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _png(note: str = "") -> bytes:
    """A real 40×30 PNG, with a text chunk (metadata) when ``note`` is given."""
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    if note:
        info.add_text("Author", note)
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


PNG = _png("Nguyen Van A, 21.3N 105.7E")


@pytest.mark.django_db
def test_a_report_takes_evidence_files_checked_by_their_content(client, world, program):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dongthuan.programs.models import Evidence

    task = Task.objects.get(title="Phát triển đảng viên mới")
    client.force_login(world.users["deputy"])
    url = reverse("programs:task_report", args=[task.pk])
    data = {"period_end": _current_end(program).isoformat(), "progress": "30", "narrative": "Đã họp chi bộ"}
    disguised = SimpleUploadedFile("bien-ban.pdf", b"MZ\x90\x00 not a pdf")
    response = client.post(url, data | {"evidence": [disguised]})
    assert response.status_code == 400
    assert (
        "Tệp «bien-ban.pdf» không nhận được: chỉ nhận PDF, Word (.docx), Excel (.xlsx), ảnh JPEG hoặc PNG."
        in response.content.decode()
    )
    many = [SimpleUploadedFile(f"a{n}.pdf", PDF) for n in range(6)]
    assert "Mỗi báo cáo kèm tối đa 5 tệp." in client.post(url, data | {"evidence": many}).content.decode()
    assert (ProgressReport.objects.count(), Evidence.objects.count()) == (0, 0)  # nothing half-written
    broken = SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    assert "Ảnh «anh.png» bị hỏng hoặc quá lớn, không đọc được." in (
        client.post(url, data | {"evidence": [broken]}).content.decode()
    )
    files = [SimpleUploadedFile("Biên bản họp.pdf", PDF), SimpleUploadedFile("anh-hop.jpeg", PNG)]
    assert client.post(url, data | {"evidence": files}).status_code == 302
    picture = Evidence.objects.get(kind="png")
    assert sorted(Evidence.objects.values_list("name", "kind")) == [
        ("Biên bản họp.pdf", "pdf"),
        ("anh-hop.png", "png"),  # named by what it is
    ]
    # The picture is written anew: the same pixels, without the metadata it came with.
    assert b"Nguyen Van A" in PNG and b"Nguyen Van A" not in bytes(picture.content)
    from PIL import Image

    with Image.open(io.BytesIO(bytes(picture.content))) as kept:
        assert (kept.size, kept.getpixel((5, 5))) == ((40, 30), (200, 30, 30))
    assert Evidence.objects.get(kind="pdf").size == len(PDF)
    page = client.get(task.get_absolute_url()).content.decode()
    assert "Biên bản họp.pdf" in page and "anh-hop.png" in page
    pdf = Evidence.objects.get(kind="pdf")
    client.force_login(world.users["committee_member"])
    response = client.get(reverse("programs:evidence", args=[pdf.pk]))
    assert (response["Content-Type"], response.content) == ("application/pdf", PDF)
    assert response["Content-Disposition"] == (
        "attachment; filename=\"bien-ban-hop.pdf\"; filename*=UTF-8''bien-ban-hop.pdf"
    )
    client.force_login(world.users["other_secretary"])
    assert client.get(reverse("programs:evidence", args=[pdf.pk])).status_code == 404


@pytest.mark.django_db
def test_an_uploaded_name_cannot_set_the_downloaded_files_extension(client, world, program):
    """A name with quotes and ";" would otherwise end the header's file name and add a ``filename*`` of its own
    (``bien-ban.bat``): the name keeps only safe characters and ends with the checked kind."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dongthuan.programs.models import Evidence

    task = Task.objects.get(title="Phát triển đảng viên mới")
    client.force_login(world.users["deputy"])
    data = {"period_end": _current_end(program).isoformat(), "progress": "30", "narrative": "Đã họp chi bộ"}
    upload = SimpleUploadedFile("bien-ban.pdf", PDF)
    assert (
        client.post(reverse("programs:task_report", args=[task.pk]), data | {"evidence": [upload]}).status_code == 302
    )
    # The name as a client that does not escape quotes in a multipart header sends it (the test client does).
    Evidence.objects.update(name="x\";filename*=UTF-8''bien-ban.bat;x=.pdf")
    found = Evidence.objects.get()
    response = client.get(reverse("programs:evidence", args=[found.pk]))
    assert response["Content-Disposition"] == (
        'attachment; filename="x-filename-utf-8-bien-ban.bat-x.pdf"; '
        "filename*=UTF-8''x-filename-utf-8-bien-ban.bat-x.pdf"
    )


@pytest.mark.django_db
def test_home_tells_an_officer_how_many_tasks_are_late_in_their_organisation(client, world, program):
    from dongthuan.programs import services

    Task.objects.filter(title="Phát triển đảng viên mới").update(due_on=_today() - dt.timedelta(days=1))
    services.tasks_flag_overdue()
    client.force_login(world.users["committee_member"])
    response = client.get(reverse("home"))
    assert [(o.name, n) for o, n in response.context["late_in_reach"]] == [("Đảng bộ xã Trung Mỹ", 1)]
    assert "1 nhiệm vụ chậm, quá hạn" in response.content.decode()
    client.force_login(world.users["other_secretary"])
    assert client.get(reverse("home")).context["late_in_reach"] == []


@pytest.mark.django_db
def test_program_and_task_pages_cost_the_same_queries_whatever_their_size(client, world, program):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.users["secretary"])
    parent = Task.objects.get(title="=Sinh hoạt chuyên đề")
    urls = [program.get_absolute_url(), parent.get_absolute_url()]
    counts = []
    for _round in range(2):
        for url in urls:
            client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            for url in urls:
                assert client.get(url).status_code == 200
        counts.append(len(ctx))
        for n in range(5):
            child = _task(program, world.cell_two, world.people["office_staff"], f"Việc {n}", parent=parent)
            _report(child, 10 * n)
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_a_sibling_commune_does_not_read_a_task_led_by_another_commune(client, world):
    """On the province's program, a task led by Trung Mỹ, its reports and its evidence are read on Trung Mỹ's line
    (its officers, the province's officers) and not by the secretary of Bá Hiến, another commune under the
    same program."""
    from dongthuan.organizations import services as org_services
    from dongthuan.organizations.models import PositionTitle
    from dongthuan.programs import services
    from dongthuan.programs.models import Evidence
    from tests.conftest import START, _login
    from tests.factories import make_member

    province_program = _program(world.province)
    task = _task(province_program, world.trung_my, world.people["deputy"], "Đổi mới sinh hoạt chi bộ")
    services.task_report_progress(
        actor=None,
        task=task,
        period_end=_current_end(province_program),
        progress=Decimal(30),
        narrative="Họp chi bộ chuyên đề",
        evidence=[("Biên bản.pdf", PDF)],
    )
    own = _task(province_program, world.ba_hien, world.people["other_secretary"], "Việc của Bá Hiến")
    evidence = Evidence.objects.get()
    province_officer = make_member(world.cell, "Trần Quốc Tỉnh")
    org_services.position_assign(
        actor=None, person=province_officer, organization=world.province, title=PositionTitle.OFFICE_STAFF, start=START
    )
    _login(world, "province_office", province_officer)
    task_url = reverse("programs:task", args=[task.pk])
    evidence_url = reverse("programs:evidence", args=[evidence.pk])
    for role in ("deputy", "secretary", "committee_member", "province_office", "admin"):
        client.force_login(world.users[role])
        assert client.get(task_url).status_code == 200, role
        assert client.get(evidence_url).content == PDF, role
    client.force_login(world.users["other_secretary"])
    assert client.get(task_url).status_code == 404
    assert client.get(evidence_url).status_code == 404
    assert client.get(reverse("programs:task", args=[own.pk])).status_code == 200  # its own task
    assert client.get(province_program.get_absolute_url()).status_code == 200  # and the program it carries out
