"""The demo's documents: the district standing committee's resolution on renewing the leadership method (the
source article's story), drafted in March 2017, issued on 24/04/2017 as 01-NQ/HU and studied by Trung Mỹ's cells
in May; and the draft resolution Bình Tuyền puts to its people today. All written through the documents'
services; the consultation and the vote between the draft and the issue are their own apps' steps."""

from __future__ import annotations

import datetime as dt

from dongthuan.core.demo import DemoContext
from dongthuan.documents import selectors as document_selectors
from dongthuan.documents import services as docs
from dongthuan.documents.models import DocumentType
from dongthuan.organizations.models import Organization


def renewal_resolution_drafted(demo: DemoContext) -> None:
    """The first draft (March 2017). Reads ``district``. Leaves ``renewal_resolution`` (the draft)."""
    v1 = [
        {
            "heading": "I. TÌNH HÌNH",
            "text": "Các cấp ủy Đảng ở huyện đã chủ động triển khai nhiều giải pháp nâng cao hiệu quả hoạt động của hệ thống chính trị ở cơ sở; song phương thức lãnh đạo ở một số nơi còn chậm đổi mới.",
        },
        {
            "heading": "II. MỤC TIÊU",
            "text": "Xây dựng bộ máy chính trị tinh gọn, hiệu lực, hiệu quả; nâng cao năng lực lãnh đạo và sức chiến đấu của tổ chức cơ sở đảng.",
        },
        {
            "heading": "III. NHIỆM VỤ, GIẢI PHÁP",
            "text": "1. Đổi mới cách thức ban hành và triển khai thực hiện các nghị quyết, chỉ thị, chương trình hành động.\n2. Thực hiện nghiêm chế độ tập thể lãnh đạo, cá nhân phụ trách.\n3. Thường xuyên lắng nghe ý kiến của cán bộ, đảng viên và nhân dân.",
        },
        {
            "heading": "IV. TỔ CHỨC THỰC HIỆN",
            "text": "Các cấp ủy cơ sở quán triệt và xây dựng chương trình hành động thực hiện Nghị quyết.",
        },
    ]
    demo.renewal_resolution = docs.document_create(
        actor=None,
        organization=demo.district,
        doc_type=DocumentType.objects.get(name="Nghị quyết"),
        title="về đổi mới phương thức lãnh đạo của Đảng, xây dựng và phát huy hiệu quả hệ thống chính trị ở cơ sở",
        field="Xây dựng Đảng",
        sections=v1,
    )


def renewal_resolution_issued(demo: DemoContext) -> None:
    """Issued on 24/04/2017 after the standing committee's vote, then studied (quán triệt) in Trung Mỹ: each cell
    holds a session in May 2017, one member of each away. Reads ``renewal_resolution``, ``district_leaders`` and
    ``communes``. Leaves ``renewal_resolution`` issued."""
    issued = docs.document_issue(
        actor=None,
        document=demo.renewal_resolution,
        issued_on=dt.date(2017, 4, 24),
        place="Bình Xuyên",
        signer=demo.district_leaders[0],
        signer_authority="T/M Ban Thường vụ",
        signer_title="Bí thư",
        recipients="Ban Thường vụ Tỉnh ủy (để báo cáo)\nCác đảng ủy, chi bộ cơ sở\nCác đồng chí Huyện ủy viên\nLưu Văn phòng Huyện ủy",
    )
    trung_my = demo.communes["Trung Mỹ"]
    study = docs.dissemination_create(actor=None, document=issued, organization=trung_my, deadline=dt.date(2017, 5, 31))
    for cell in Organization.objects.filter(parent=trung_my, kind="cell").order_by("name"):
        attendees = list(document_selectors.members_in_scope(study).filter(cell=cell).order_by("sort_key"))[1:]
        if attendees:
            docs.session_record(
                actor=None,
                dissemination=study,
                organization=cell,
                held_on=dt.date(2017, 5, 5),
                attendees=attendees,
                place=f"Nhà văn hóa {cell.name.removeprefix('Chi bộ ')}",
            )
    demo.renewal_resolution = issued


def public_draft_2025(demo: DemoContext) -> None:
    """Bình Tuyền's draft resolution on advanced new-style countryside, to be put to its people now. Reads
    ``new_communes``. Leaves ``public_draft``."""
    demo.public_draft = docs.document_create(
        actor=None,
        organization=demo.new_communes["Bình Tuyền"],
        doc_type=DocumentType.objects.get(name="Nghị quyết"),
        title="về xây dựng xã Bình Tuyền đạt chuẩn nông thôn mới nâng cao giai đoạn 2026 - 2030",
        field="Kinh tế - xã hội",
        sections=[
            {
                "heading": "I. MỤC TIÊU",
                "text": "Đến năm 2030, xã Bình Tuyền đạt chuẩn nông thôn mới nâng cao; thu nhập bình quân đầu người "
                "đạt 90 triệu đồng/năm; 100% thôn có nhà văn hóa đạt chuẩn.",
            },
            {
                "heading": "II. NHIỆM VỤ, GIẢI PHÁP",
                "text": "1. Hoàn thiện hạ tầng giao thông nông thôn, cứng hóa 100% đường liên thôn.\n"
                "2. Phát triển sản xuất nông nghiệp hàng hóa, mỗi thôn một sản phẩm chủ lực.\n"
                "3. Bảo vệ môi trường, thu gom và xử lý rác thải sinh hoạt.",
            },
            {
                "heading": "III. TỔ CHỨC THỰC HIỆN",
                "text": "Các chi bộ thôn xây dựng kế hoạch thực hiện; Mặt trận và các đoàn thể vận động nhân dân "
                "tham gia, giám sát.",
            },
        ],
    )
