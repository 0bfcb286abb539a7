"""Articles of the portal: the editorial workflow (draft → review → published, returned, withdrawn), bodies kept
sanitised, pictures re-encoded and placed between paragraphs, list pages by section, tag and search, feeds and the
sitemap, and whole pages cached for visitors without ever showing a stale page after a change."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from dongthuan.core.errors import DomainError
from dongthuan.portal import html, services
from dongthuan.portal.models import Article, ArticleStatus, Section, Tag

BODY = "Đoạn thứ nhất về đổi mới phương thức lãnh đạo.\n\nĐoạn thứ hai: lắng nghe ý kiến nhân dân."


def jpeg(width: int = 64, height: int = 48, comment: bytes = b"") -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (width, height), (10, 120, 200))
    image.save(out, "JPEG", comment=comment) if comment else image.save(out, "JPEG")
    return out.getvalue()


def make_article(
    world, *, publish: bool = True, title: str = "Đổi mới phương thức lãnh đạo", section: str = "Xây dựng Đảng", **kw
):
    article = services.article_save(
        actor=world.users["office_staff"],
        organization=world.trung_my,
        section=Section.objects.get(name=section),
        title=title,
        lead=kw.pop("lead", "Sa-pô của bài viết."),
        body=kw.pop("body", BODY),
        **kw,
    )
    if publish:
        services.article_submit(actor=world.users["office_staff"], article=article)
        services.article_publish(actor=world.users["secretary"], article=article)
        article.refresh_from_db()
    return article


@pytest.mark.django_db
def test_an_article_goes_from_draft_to_review_to_published_through_the_newsroom(client, world):
    client.force_login(world.users["committee_member"])  # an officer writes, cannot publish
    response = client.post(
        reverse("portal:article_new", args=[world.trung_my.pk]),
        {
            "section": Section.objects.get(name="Xây dựng Đảng").pk,
            "title": "  Hội nghị Ban Chấp hành   Đảng bộ xã ",
            "lead": "Sa-pô",
            "body": BODY,
            "author": "Vũ Đức Cường",
            "tags": "hội nghị, Hội Nghị, xây dựng Đảng",
        },
    )
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("portal:article_edit", args=[article.pk])
    assert (article.title, article.status, article.slug) == (
        "Hội nghị Ban Chấp hành Đảng bộ xã",
        "draft",
        "hoi-nghi-ban-chap-hanh-dang-bo-xa",
    )
    assert sorted(article.tags.values_list("name", flat=True)) == ["hội nghị", "xây dựng Đảng"]  # one per folded name
    assert client.get(article.get_absolute_url()).status_code == 404  # not public yet
    assert client.post(reverse("portal:article_step", args=[article.pk, "publish"])).status_code == 404
    client.post(reverse("portal:article_step", args=[article.pk, "submit"]))
    article.refresh_from_db()
    assert article.status == ArticleStatus.REVIEW

    client.force_login(world.users["office_staff"])  # the office returns it with what to change
    client.post(reverse("portal:article_step", args=[article.pk, "return"]), {"note": ""})
    article.refresh_from_db()
    assert article.status == ArticleStatus.REVIEW  # no note, no return
    client.post(reverse("portal:article_step", args=[article.pk, "return"]), {"note": "Bổ sung ảnh hội nghị"})
    article.refresh_from_db()
    assert (article.status, article.review_note) == ("draft", "Bổ sung ảnh hội nghị")
    client.post(reverse("portal:article_step", args=[article.pk, "publish"]))
    article.refresh_from_db()
    assert article.status == "published" and article.published_at is not None
    anonymous = Client()
    page = anonymous.get(article.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert '<h1 class="h3">Hội nghị Ban Chấp hành Đảng bộ xã</h1>' in text
    assert "<p>Đoạn thứ nhất về đổi mới phương thức lãnh đạo.</p>" in text and "Vũ Đức Cường" in text
    # An old slug leads to the page's address.
    assert anonymous.get(reverse("portal:article", args=[article.pk, "cu"]))["Location"] == article.get_absolute_url()

    client.post(reverse("portal:article_step", args=[article.pk, "withdraw"]), {"note": "Sai số liệu"})
    article.refresh_from_db()
    assert (article.status, article.review_note) == ("withdrawn", "Sai số liệu")
    assert anonymous.get(article.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_a_step_out_of_order_is_refused_with_a_message(world):
    article = make_article(world, publish=False)
    with pytest.raises(DomainError) as refused:
        services.article_withdraw(actor=None, article=article, reason="x")
    assert refused.value.messages == ["Bài đang ở trạng thái «Bản nháp», không chuyển được sang «Đã gỡ»."]


@pytest.mark.django_db
def test_bad_article_input_gets_messages_and_saves_nothing(client, world):
    client.force_login(world.users["office_staff"])
    response = client.post(
        reverse("portal:article_new", args=[world.trung_my.pk]),
        {"section": Section.objects.first().pk, "title": " ", "lead": "", "body": "<script>alert(1)</script>"},
    )
    assert response.status_code == 400
    errors = {e.attrs["data-field"]: e.text for e in _errors(response)}
    assert errors == {
        "title": "Hãy ghi tiêu đề.",
        "lead": "Hãy ghi nội dung.",
        "body": "Hãy ghi nội dung bài viết.",
    }
    assert Article.objects.count() == 0


def _errors(response):
    from html.parser import HTMLParser

    found = []

    class Parser(HTMLParser):
        current = None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if "data-field" in attrs:
                self.current = type("E", (), {"attrs": attrs, "text": ""})()
                found.append(self.current)

        def handle_data(self, data):
            if self.current is not None:
                self.current.text += data

        def handle_endtag(self, tag):
            self.current = None

    Parser().feed(response.content.decode())
    return found


def test_bodies_are_sanitised_and_plain_text_becomes_paragraphs():
    assert html.clean_body("Một\r\n\r\nHai <b>đậm</b>") == "<p>Một</p>\n\n<p>Hai <b>đậm</b></p>"
    dirty = (
        '<p onclick="steal()">A <a href="javascript:alert(1)">x</a> <a href="https://gov.vn">y</a></p>'
        '<script>alert(1)</script><img src=x onerror=alert(1)><iframe src="https://evil"></iframe>'
    )
    assert html.clean_body(dirty) == (
        '<p>A <a rel="noopener noreferrer nofollow">x</a> '
        '<a href="https://gov.vn" rel="noopener noreferrer nofollow">y</a></p>'
    )
    assert html.plain("<p>A &amp; <b>B</b></p><p>C</p>") == "A & B C"
    # NFD input is stored NFC.
    assert html.clean_body("Vie\u0302\u0323t") == "<p>Việt</p>"


@pytest.mark.django_db
def test_pictures_are_re_encoded_and_shown_after_their_paragraph(client, world):
    article = make_article(world)
    with_comment = jpeg(comment=b"GPS 21.3N secret")
    services.article_image_add(
        actor=None, article=article, name="hop.jpg", content=with_comment, caption="Hội nghị", after_paragraph=1
    )
    services.article_image_add(
        actor=None, article=article, name="dau.png", content=jpeg(), caption="", after_paragraph=0
    )
    image = article.images.get(caption="Hội nghị")
    assert (image.kind, image.width, image.height) == ("jpg", 64, 48)
    assert b"GPS 21.3N" in with_comment and b"GPS 21.3N" not in bytes(image.content)
    first = article.images.get(caption="")
    assert first.kind == "jpg"  # a JPEG named .png is kept as what it is
    page = Client().get(article.get_absolute_url()).content.decode()
    body = page[page.index('<div class="portal-body">') :]
    assert body.index(first.get_absolute_url()) < body.index("Đoạn thứ nhất") < body.index(image.get_absolute_url())
    assert body.index(image.get_absolute_url()) < body.index("Đoạn thứ hai")
    assert '<figcaption class="figure-caption fst-italic">Hội nghị</figcaption>' in body
    served = Client().get(image.get_absolute_url())
    assert (served["Content-Type"], served.content) == ("image/jpeg", bytes(image.content))
    with pytest.raises(DomainError) as refused:
        services.article_image_add(actor=None, article=article, name="a.jpg", content=b"%PDF-1.4 x")
    assert refused.value.messages == ["Tệp «a.jpg» không nhận được: chỉ nhận ảnh JPEG hoặc PNG."]


@pytest.mark.django_db
def test_pictures_of_an_unpublished_article_are_for_its_writers_only(client, world):
    article = make_article(world, publish=False)
    image = services.article_image_add(actor=None, article=article, name="a.jpg", content=jpeg())
    assert Client().get(image.get_absolute_url()).status_code == 404
    client.force_login(world.users["other_secretary"])
    assert client.get(image.get_absolute_url()).status_code == 404
    client.force_login(world.users["committee_member"])
    assert client.get(image.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_section_tag_and_search_pages_list_published_articles_newest_first(world, django_assert_num_queries):
    old = make_article(world, title="Hội nghị quán triệt nghị quyết", tags="nghị quyết")
    new = make_article(world, title="Đổi mới công tác dân vận", tags="dân vận, nghị quyết")
    make_article(world, title="Bản nháp chưa đăng", publish=False, tags="nghị quyết")
    make_article(world, title="Tuần tra an ninh", section="Quốc phòng - An ninh")
    client = Client()
    section = client.get(reverse("portal:section", args=["xay-dung-dang"]))
    assert [a.title for a in section.context["page"]] == [new.title, old.title]
    tag = client.get(reverse("portal:tag", args=[Tag.objects.get(name="nghị quyết").slug]))
    assert [a.title for a in tag.context["page"]] == [new.title, old.title]
    # Without diacritics, any case.
    found = client.get(reverse("portal:search"), {"q": "QUAN TRIET"})
    assert [a.title for a in found.context["page"]] == [old.title]
    for n in range(3):
        make_article(world, title=f"Tin số {n}")
    with django_assert_num_queries(5):  # the section, the generation, the sections, the count, the page
        Client().get(reverse("portal:section", args=["xay-dung-dang"]))


@pytest.mark.django_db
def test_feeds_and_sitemap_list_what_is_published(client, world):
    article = make_article(world, title="Đổi mới phương thức lãnh đạo")
    make_article(world, title="Bản nháp", publish=False)
    rss = ET.fromstring(client.get(reverse("portal:rss")).content)
    assert [i.findtext("title") for i in rss.iter("item")] == ["Đổi mới phương thức lãnh đạo"]
    assert rss.find("channel/item/link").text == f"http://testserver{article.get_absolute_url()}"
    atom = ET.fromstring(client.get(reverse("portal:atom")).content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert [e.findtext("a:title", namespaces=ns) for e in atom.findall("a:entry", ns)] == [
        "Đổi mới phương thức lãnh đạo"
    ]
    section = ET.fromstring(client.get(reverse("portal:section_rss", args=["quoc-phong-an-ninh"])).content)
    assert list(section.iter("item")) == []
    index = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/sitemap-articles.xml" in index
    articles = client.get("/sitemap-articles.xml").content.decode()
    assert f"<loc>http://testserver{article.get_absolute_url()}</loc>" in articles and "ban-nhap" not in articles


@pytest.mark.django_db
def test_feeds_carry_the_lead_as_plain_text(client, world):
    """Readers take an RSS description and an Atom summary as HTML: the lead is sent escaped, so markup typed into
    it shows as typed and never runs in a reader."""
    lead = '<img src=x onerror="alert(1)"> Sa-pô & <a href="http://x.example">đây</a>'
    make_article(world, lead=lead)
    rss = ET.fromstring(client.get(reverse("portal:rss")).content)
    assert rss.find("channel/item/description").text == (
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; Sa-pô &amp; &lt;a href=&quot;http://x.example&quot;&gt;đây&lt;/a&gt;"
    )
    atom = ET.fromstring(client.get(reverse("portal:atom")).content)
    summary = atom.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}summary")
    assert summary.text == rss.find("channel/item/description").text


@pytest.mark.django_db
def test_visitors_get_cached_pages_with_their_own_csrf_token_and_changes_show_at_once(
    world, django_assert_max_num_queries
):
    from dongthuan.portal.cache import PLACEHOLDER

    article = make_article(world)
    visitor = Client(enforce_csrf_checks=True)
    first = visitor.get(article.get_absolute_url())
    token = visitor.cookies["csrftoken"].value
    assert PLACEHOLDER not in first.content.decode()
    with django_assert_max_num_queries(1):  # at most the generation (read once a second); the page is cached
        again = visitor.get(article.get_absolute_url())
    assert again.status_code == 200 and "csrfmiddlewaretoken" in again.content.decode()
    other = Client(enforce_csrf_checks=True)
    other.get(article.get_absolute_url())
    assert other.cookies["csrftoken"].value != token  # each visitor their own token
    # The cached page's form posts with the visitor's token.
    import re

    form_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', again.content.decode()).group(1)
    sent = visitor.post(
        article.get_absolute_url(),
        {"csrfmiddlewaretoken": form_token, "name": "Lan", "email": "lan@example.vn", "text": "Hay"},
    )
    assert sent.status_code == 302
    # A change shows at once: the article's new title.
    services.article_save(
        actor=None,
        organization=world.trung_my,
        article=article,
        section=article.section,
        title="Tiêu đề mới",
        lead=article.lead,
        body=article.body,
    )
    assert "Tiêu đề mới" in Client().get(Article.objects.get().get_absolute_url()).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "citizen", "member", "office_staff", "other_secretary", "admin"])
def test_public_pages_open_to_everyone(client, world, role):
    article = make_article(world)
    if role != "anonymous":
        client.force_login(world.users[role])
    for url in (
        reverse("portal:home"),
        reverse("portal:section", args=["xay-dung-dang"]),
        reverse("portal:tag", args=[Tag.objects.get_or_create(name="dân vận", slug="dan-van")[0].slug]),
        reverse("portal:search") + "?q=doi+moi",
        article.get_absolute_url(),
        reverse("portal:documents"),
        reverse("portal:disclosures"),
        reverse("portal:board", args=[world.trung_my.pk]),
        reverse("portal:petition_new"),
        reverse("portal:track"),
        reverse("portal:statistics"),
        reverse("portal:rss"),
        reverse("portal:atom"),
        "/sitemap.xml",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("portal:board", args=[world.cell.pk])).status_code == 404  # a cell has no board
