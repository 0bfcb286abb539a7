"""The demo's public portal: the source article (24/04/2017) as its first article, with comments in every state,
a few articles of today in each step of the editorial workflow, Bình Tuyền's disclosure board, and petitions in
every status in the three communes — all written through the portal's services."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

from django.utils import timezone

from dongthuan.core.types import Actor
from dongthuan.organizations import services as org
from dongthuan.organizations.models import Organization, OrganizationKind
from dongthuan.portal import services
from dongthuan.portal.models import Article, Comment, Petition, PetitionEvent, Route, Section, Topic

SEED = Path(__file__).with_name("seed_article.json")


def picture(width: int = 960, height: int = 540) -> bytes:
    """An illustration drawn for the demo (a meeting hall: a red backdrop, a gold star, a table and rows of seats)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (236, 230, 220))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, height * 0.45), fill=(179, 21, 27))
    cx, cy, r = width // 2, int(height * 0.2), int(height * 0.11)
    import math

    points = []
    for i in range(10):
        angle = -math.pi / 2 + i * math.pi / 5
        radius = r if i % 2 == 0 else r * 0.4
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(points, fill=(242, 201, 76))
    draw.rectangle((width * 0.2, height * 0.5, width * 0.8, height * 0.58), fill=(120, 72, 40))
    for row in range(3):
        for seat in range(12):
            x = width * 0.08 + seat * width * 0.072
            y = height * 0.66 + row * height * 0.1
            draw.ellipse((x, y, x + width * 0.04, y + height * 0.06), fill=(60, 60, 70))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _article(
    actor: Actor, organization: Organization, section: str, title: str, lead: str, body: str, **kw: Any
) -> Article:
    return services.article_save(
        actor=actor,
        organization=organization,
        section=Section.objects.get(name=section),
        title=title,
        lead=lead,
        body=body,
        **kw,
    )


def seed_article(district: Organization) -> Article:
    """The source article, as the district's portal published it on Monday 24/04/2017."""
    data = json.loads(SEED.read_text(encoding="utf-8"))
    article = _article(
        None,
        district,
        data["section"],
        data["title"],
        data["lead"],
        "\n\n".join(data["body"]),
        author=data["author"],
        tags=", ".join(data["tags"]),
    )
    services.article_image_add(
        actor=None,
        article=article,
        name="hop-dang-uy.jpg",
        content=picture(),
        caption=data["caption"],
        after_paragraph=0,
    )
    services.article_submit(actor=None, article=article)
    services.article_publish(actor=None, article=article)
    published = _at(dt.date.fromisoformat(data["published"]), 8)
    Article.objects.filter(pk=article.pk).update(published_at=published, created_at=published, updated_at=published)
    article.refresh_from_db()
    return article


def comments(article: Article, answerer: Organization) -> None:
    """Comments under the source article in every state: published, answered officially, waiting for moderation,
    refused with a reason, and one whose email link was never followed."""
    given = [
        (
            "Nguyễn Thị Hòa",
            "hoa.nguyen@example.vn",
            "Bài viết rất thiết thực. Ở thôn tôi, việc lấy ý kiến nhân dân trước khi "
            "ban hành nghị quyết đã giúp bà con hiểu và đồng thuận hơn.",
        ),
        (
            "Lê Văn Cường",
            "cuong.le@example.vn",
            "Đề nghị Huyện ủy công khai kết quả thực hiện chương trình hành động theo "
            "từng xã để nhân dân cùng giám sát.",
        ),
        (
            "Phạm Minh Tâm",
            "tam.pham@example.vn",
            "Mong các đồng chí tiếp tục đổi mới cách tuyên truyền, nên có thêm "
            "bản tin trên loa truyền thanh và mạng xã hội của xã.",
        ),
        ("Trần Quốc Bảo", "bao.tran@example.vn", "Công tác cán bộ ở cơ sở cần trẻ hóa hơn nữa."),
        ("Khuyến mãi", "quangcao@example.vn", "Mua bán đất nền giá rẻ, liên hệ ngay!"),
        ("Đỗ Thu Trang", "trang.do@example.vn", "Tôi muốn biết thêm về quy chế làm việc của BTV Huyện ủy."),
    ]
    links: list[str] = []

    def keep(token: str) -> str:
        links.append(token)
        return token

    made = [services.comment_give(target=article, name=n, email=e, text=t, confirm_url=keep) for n, e, t in given]
    for token in links[:5]:  # the sixth writer never follows the link
        services.comment_confirm(token=token)
    services.comment_moderate(actor=None, comment=made[0], publish=True)
    services.comment_answer(
        actor=None,
        comment=made[1],
        organization=answerer,
        answer="Cảm ơn ông đã góp ý. Kết quả thực hiện chương trình hành động được tổng hợp hằng quý và công khai tại "
        "bảng công khai của từng xã; Ban Thường vụ sẽ chỉ đạo đăng tải cả trên cổng thông tin.",
    )
    services.comment_moderate(actor=None, comment=made[2], publish=True)
    services.comment_moderate(
        actor=None, comment=made[4], publish=False, reason="Quảng cáo, không liên quan đến bài viết"
    )
    # made[3]: confirmed, waiting for moderation; made[5]: never confirmed.
    for n, comment in enumerate(made):
        Comment.objects.filter(pk=comment.pk).update(created_at=_at(dt.date(2017, 4, 24), 10 + n))


def articles_of_today(commune: Organization, writer: Any, publisher: Any) -> None:
    today = timezone.localdate()
    first = _article(
        writer,
        commune,
        "Tin tức - Sự kiện",
        "Bình Tuyền lấy ý kiến nhân dân về dự thảo nghị quyết xây dựng nông thôn mới nâng cao",
        "Đảng ủy xã Bình Tuyền đăng toàn văn dự thảo nghị quyết về xây dựng xã đạt chuẩn nông thôn mới nâng cao giai "
        "đoạn 2026 - 2030 để nhân dân góp ý trực tuyến.",
        "Dự thảo được đăng trên cổng thông tin và niêm yết tại nhà văn hóa các thôn.\n\n"
        "Mọi người dân có thể góp ý vào từng phần của dự thảo; ý kiến được xác nhận qua email và được Ban soạn thảo "
        "tiếp thu, giải trình công khai.",
        author="Văn phòng Đảng ủy xã Bình Tuyền",
        tags="nông thôn mới, lấy ý kiến nhân dân, Bình Tuyền",
    )
    services.article_image_add(
        actor=writer,
        article=first,
        name="nha-van-hoa.jpg",
        content=picture(800, 450),
        caption="Niêm yết dự thảo tại nhà văn hóa thôn (ảnh minh họa)",
        after_paragraph=1,
    )
    services.article_submit(actor=writer, article=first)
    services.article_publish(actor=publisher, article=first)
    Article.objects.filter(pk=first.pk).update(published_at=_at(today - dt.timedelta(days=3)))
    second = _article(
        writer,
        commune,
        "Quốc phòng - An ninh",
        "Ra quân bảo đảm an ninh trật tự dịp cuối năm",
        "Công an xã phối hợp với các thôn tổ chức tuần tra, bảo đảm an ninh trật tự dịp cuối năm.",
        "Lực lượng công an xã, dân quân và tổ bảo vệ an ninh trật tự cơ sở ra quân tuần tra các tuyến đường liên thôn.",
        author="Văn phòng Đảng ủy xã Bình Tuyền",
    )
    services.article_submit(actor=writer, article=second)
    services.article_publish(actor=publisher, article=second)
    Article.objects.filter(pk=second.pk).update(published_at=_at(today - dt.timedelta(days=1)))
    waiting = _article(
        writer,
        commune,
        "Mặt trận - Đoàn thể",
        "Hội Nông dân xã tập huấn kỹ thuật trồng rau an toàn",
        "Hơn 80 hội viên nông dân tham gia lớp tập huấn kỹ thuật trồng rau theo tiêu chuẩn VietGAP.",
        "Lớp tập huấn do Hội Nông dân xã phối hợp với Trung tâm Khuyến nông tỉnh tổ chức.",
    )
    services.article_submit(actor=writer, article=waiting)
    _article(
        writer,
        commune,
        "Kinh tế - Xã hội",
        "Bình Tuyền sơ kết 6 tháng thực hiện chương trình hành động",
        "Bản nháp: số liệu đang được các chi bộ cập nhật.",
        "Nội dung sẽ bổ sung sau khi tổng hợp báo cáo quý.",
    )


def disclosure_board(commune: Organization, office: Any) -> None:
    """R-PUB-1 and R-PUB-2 for the year: three of the four yearly items disclosed (the final accounts are not yet,
    and the board says so), a land recovery plan, and two matters residents decided."""
    today = timezone.localdate()
    year = today.year
    posted = [
        ("socio_economic_plan", f"Kế hoạch phát triển kinh tế - xã hội năm {year}", dt.date(year, 1, 10)),
        ("budget_estimate", f"Dự toán thu, chi ngân sách xã năm {year}", dt.date(year, 1, 15)),
        ("budget_execution", f"Tình hình thực hiện ngân sách xã 9 tháng năm {year}", dt.date(year, 10, 20)),
        (
            "land_recovery",
            "Phương án bồi thường, hỗ trợ giải phóng mặt bằng tuyến đường liên thôn Trung Mỹ - Bá Hiến",
            dt.date(year, 6, 5),
        ),
    ]
    for category, title, on in posted:
        services.disclosure_post(
            actor=office,
            organization=commune,
            category=category,
            title=title,
            year=year,
            posted_on=min(on, today),
            summary="Niêm yết tại trụ sở Đảng ủy, UBND xã và nhà văn hóa các thôn trong 30 ngày.",
        )
    services.disclosure_post(
        actor=office,
        organization=commune,
        category="infrastructure_contribution",
        title="Đóng góp xây dựng nhà văn hóa thôn Gia Du",
        year=year,
        posted_on=min(dt.date(year, 3, 20), today),
        voters=212,
        agreed=187,
        decided_on=min(dt.date(year, 3, 15), today),
        outcome="Thông qua: mỗi hộ đóng góp 500.000 đồng",
    )
    services.disclosure_post(
        actor=office,
        organization=commune,
        category="village_convention",
        title="Sửa đổi hương ước thôn Đồng Sậu",
        year=year,
        posted_on=min(dt.date(year, 8, 2), today),
        voters=164,
        agreed=70,
        decided_on=min(dt.date(year, 7, 28), today),
        outcome="Chưa thông qua: tổ chức lấy ý kiến lại",
    )


def petitions(communes: list[Organization], handler: Any, government: Organization) -> None:
    """Petitions in every status in the three communes: received, in progress, answered on time, answered late,
    not taken up, one reassigned and two overdue (the head of the organisation was told)."""
    today = timezone.localdate()
    topic = {t.name: t for t in Topic.objects.all()}
    binh_tuyen, binh_nguyen, binh_xuyen = communes
    Route.objects.get_or_create(commune=binh_tuyen, topic=topic["Đất đai, xây dựng"], defaults={"handler": government})
    rows = [
        # commune, topic, title, days ago, outcome
        (binh_tuyen, "Môi trường, vệ sinh", "Rác thải đổ trộm ven kênh thôn Gia Du", 3, "received"),
        (binh_tuyen, "Giao thông, hạ tầng", "Đèn đường thôn Đồng Sậu hỏng nhiều ngày", 8, "processing"),
        (binh_tuyen, "Đất đai, xây dựng", "Xây dựng lấn chiếm hành lang đường liên thôn", 12, "processing"),
        (binh_tuyen, "Chính sách xã hội, người có công", "Đề nghị xem xét hỗ trợ hộ cận nghèo", 25, "answered"),
        (binh_tuyen, "An ninh, trật tự", "Tiếng ồn karaoke sau 22 giờ", 40, "answered_late"),
        (binh_tuyen, "Thủ tục hành chính", "Chậm cấp giấy chứng nhận quyền sử dụng đất", 20, "overdue"),
        (binh_nguyen, "Môi trường, vệ sinh", "Khói đốt rơm rạ gây ô nhiễm", 30, "answered"),
        (binh_nguyen, "Giao thông, hạ tầng", "Mặt đường xuống cấp trước cổng trường tiểu học", 18, "overdue"),
        (binh_nguyen, "Lĩnh vực khác", "Đề nghị mở lớp học bơi cho trẻ em dịp hè", 10, "declined"),
        (binh_xuyen, "An ninh, trật tự", "Xe tải chạy quá tốc độ qua khu dân cư", 5, "reassigned"),
        (binh_xuyen, "Góp ý xây dựng Đảng, chính quyền", "Góp ý về giờ tiếp công dân của xã", 2, "received"),
    ]
    names = [
        "Nguyễn Văn Thắng",
        "Hoàng Thị Mai",
        "Vũ Đức Long",
        "Bùi Thị Lan",
        "Đặng Văn Hùng",
        "Ngô Thị Thu",
        "Lý Văn Nam",
        "Trịnh Thị Hà",
        "Phan Văn Toàn",
        "Dương Thị Yến",
        "Chu Văn Quang",
    ]
    for n, (commune, topic_name, title, days_ago, outcome) in enumerate(rows):
        petition = services.petition_submit(
            topic=topic[topic_name],
            commune=commune,
            title=title,
            text=f"{title}. Kính đề nghị cơ quan có thẩm quyền xem xét, giải quyết.",
            name=names[n],
            email=f"nguoidan{n + 1}@example.vn",
            phone=f"09{n:02d}123456",
        )
        received = _at(today - dt.timedelta(days=days_ago), 8 + n % 8)
        due = (received + dt.timedelta(days=topic[topic_name].handling_days)).date()
        Petition.objects.filter(pk=petition.pk).update(received_at=received, due_on=due)
        PetitionEvent.objects.filter(petition=petition).update(at=received)
        petition.refresh_from_db()
        if outcome in ("processing", "answered", "answered_late", "overdue"):
            services.petition_start(actor=handler, petition=petition)
            services.petition_note(
                actor=handler, petition=petition, note="Giao cán bộ địa chính - xây dựng kiểm tra thực địa."
            )
        if outcome == "answered":
            services.petition_answer(
                actor=handler,
                petition=petition,
                answer="UBND xã đã kiểm tra và giải quyết: đã làm việc với các hộ liên quan, kết quả được thông báo tại "
                "nhà văn hóa thôn.",
            )
            Petition.objects.filter(pk=petition.pk).update(answered_at=received + dt.timedelta(days=6))
        if outcome == "answered_late":
            services.petition_answer(
                actor=handler,
                petition=petition,
                answer="Công an xã đã nhắc nhở, lập biên bản các cơ sở vi phạm quy định về tiếng ồn.",
            )
            Petition.objects.filter(pk=petition.pk).update(answered_at=received + dt.timedelta(days=14))
        if outcome == "declined":
            services.petition_answer(
                actor=handler,
                petition=petition,
                decline=True,
                answer="Nội dung không thuộc thẩm quyền giải quyết của xã; đề nghị ông liên hệ Trung tâm Văn hóa - Thể "
                "thao tỉnh.",
            )
            Petition.objects.filter(pk=petition.pk).update(answered_at=received + dt.timedelta(days=4))
        if outcome == "reassigned":
            services.petition_reassign(
                actor=handler,
                petition=petition,
                handler=binh_tuyen,
                note="Tuyến đường thuộc địa bàn xã Bình Tuyền.",
            )
    services.petitions_flag_overdue()


def build(*, district: Organization, communes: list[Organization], office: Any, publisher: Any) -> None:
    """The portal of the demo. ``office`` writes and handles, ``publisher`` publishes (accounts, or None)."""
    binh_tuyen = communes[0]
    article = seed_article(district)
    comments(article, district)
    articles_of_today(binh_tuyen, office, publisher)
    disclosure_board(binh_tuyen, office)
    government = org.organization_create(
        actor=None,
        name="UBND xã Bình Tuyền",
        kind=OrganizationKind.GOVERNMENT,
        parent=binh_tuyen,
        level=binh_tuyen.level,
        valid_from=dt.date(2025, 7, 1),
    )
    petitions(communes, office, government)
