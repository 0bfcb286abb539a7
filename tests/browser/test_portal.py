"""The public portal in a real browser: a citizen on a phone reads an article and leaves a comment, confirms it by
the emailed link, and sees it published with the office's answer; a petition with a photo is sent from the keyboard
alone and followed with its tracking code."""

from __future__ import annotations

import re

from django.core import mail
from PIL import Image
from playwright.sync_api import expect

from dongthuan.portal import services
from dongthuan.portal.models import Article, Comment, Petition, Section

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def _article(world) -> Article:
    article = services.article_save(
        actor=None,
        organization=world.trung_my,
        section=Section.objects.get(name="Xây dựng Đảng"),
        title="Đổi mới phương thức lãnh đạo của Đảng ủy xã",
        lead="Đảng ủy xã lấy ý kiến cán bộ, đảng viên trước khi ban hành nghị quyết.",
        body="Đoạn một.\n\nĐoạn hai.",
        author="Văn phòng Đảng ủy",
        tags="dân vận",
    )
    services.article_submit(actor=None, article=article)
    return services.article_publish(actor=None, article=article)


def test_a_citizen_comments_from_a_phone_and_reads_the_official_answer(new_page, base_url, live_world, login, snap):
    article = _article(live_world)
    page = new_page(**PHONE)
    page.goto(f"{base_url}/")  # a visitor lands on the portal
    expect(page).to_have_url(f"{base_url}/portal/")
    page.get_by_role("link", name="Đổi mới phương thức lãnh đạo của Đảng ủy xã").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đổi mới phương thức lãnh đạo của Đảng ủy xã")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_label("Họ tên").fill("Nguyễn Thị Dân")
    page.get_by_label("Email (để xác nhận, không công bố)").fill("dan@example.vn")
    page.get_by_label("Ý kiến của bạn").fill("Đề nghị công khai kết quả theo từng thôn.")
    page.get_by_role("button", name="Gửi ý kiến").click()
    expect(page.get_by_role("alert")).to_contain_text("hãy bấm đường dẫn trong thư để xác nhận ý kiến")
    snap(page, "sent")
    link = re.search(r"https?://\S+/portal/y-kien/xac-nhan/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Cảm ơn bạn đã xác nhận")

    office = new_page()
    login(office, "office_staff")
    office.get_by_role("link", name="Tòa soạn").click()
    office.get_by_role("link", name=re.compile("Ý kiến chờ duyệt")).click()
    comment = Comment.objects.get()
    office.get_by_label("Trả lời chính thức").fill("Kết quả được công khai hằng quý tại nhà văn hóa thôn.")
    office.get_by_role("button", name="Trả lời").click()
    expect(office.get_by_role("alert")).to_contain_text("Đã xử lý ý kiến của Nguyễn Thị Dân")
    comment.refresh_from_db()
    assert comment.status == "published"

    page.goto(base_url + article.get_absolute_url())
    comments = page.get_by_test_id("comments")
    expect(comments).to_contain_text("Đề nghị công khai kết quả theo từng thôn.")
    expect(comments.get_by_test_id("answer")).to_contain_text("Đảng bộ xã Trung Mỹ trả lời")
    expect(page.get_by_role("main")).not_to_contain_text("dan@example.vn")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_petition_with_a_photo_is_sent_from_the_keyboard_and_followed_by_its_code(
    new_page, base_url, live_world, tmp_path
):
    photo = tmp_path / "rac-thai.jpg"
    Image.new("RGB", (120, 80), (90, 140, 60)).save(photo, "JPEG")
    page = new_page()
    page.goto(f"{base_url}/portal/phan-anh/")
    page.keyboard.press("Tab")  # the first stop is the link that skips to the content
    expect(page.get_by_role("link", name="Bỏ qua đến nội dung")).to_be_focused()
    page.get_by_label("Lĩnh vực").focus()
    page.get_by_label("Lĩnh vực").select_option(label="Môi trường, vệ sinh")
    page.get_by_label("Xã, phường nơi xảy ra").select_option(label="Đảng bộ xã Trung Mỹ")
    page.get_by_label("Tóm tắt").fill("Rác thải đổ trộm ven kênh")
    page.get_by_label("Nội dung phản ánh, kiến nghị").fill("Rác đổ trộm ven kênh thôn Thanh Lanh nhiều ngày.")
    page.get_by_label(re.compile("^Ảnh hoặc tệp kèm theo")).set_input_files(str(photo))
    page.get_by_label("Họ và tên").fill("Trần Văn Dân")
    page.get_by_label("Điện thoại").fill("0912 345 678")
    page.get_by_label("Điện thoại").press("Enter")  # sent from the keyboard
    petition = Petition.objects.get()
    expect(page.get_by_role("alert")).to_contain_text(f"Mã theo dõi của bạn: {petition.code}")
    expect(page.get_by_test_id("status")).to_have_text("Đã tiếp nhận")
    assert petition.files.get().kind == "jpg"

    services.petition_answer(actor=None, petition=petition, answer="Đã thu gom rác, lắp biển cấm đổ rác.")
    other = new_page()
    other.goto(f"{base_url}/portal/phan-anh/tra-cuu/")
    other.get_by_label("Mã theo dõi").fill(petition.code.lower())
    other.get_by_label("Mã theo dõi").press("Enter")
    expect(other.get_by_test_id("status")).to_have_text("Đã trả lời")
    expect(other.get_by_test_id("answer")).to_have_text("Đã thu gom rác, lắp biển cấm đổ rác.")
    expect(other.get_by_role("main")).not_to_contain_text("0912345678")
