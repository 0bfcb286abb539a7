"""End-to-end: the product in headless Chromium against a live server, as a party secretary meets it.

Run alone with ``pytest tests/browser`` (or ``-m browser``); each test leaves a screenshot in ``test-artifacts/``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from dongthuan.audit.models import AuditEvent
from dongthuan.organizations.models import Organization, Position, PositionTitle
from tests.browser.conftest import totp_code

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[2] / "docs"


def org_url(base_url: str, org: Organization, tail: str = "") -> str:
    return f"{base_url}/organizations/{org.pk}/{tail}"


def positions_section(page, heading: str):
    """The card on an organisation's page whose heading is ``heading`` (a body's name, or "Chức vụ khác")."""
    return page.locator("section.card").filter(has=page.get_by_role("heading", name=heading, exact=True))


# -- signing in, assets, language -------------------------------------------------------------------------------


def test_login_in_vietnamese_lands_on_home(page, base_url, live_world):
    page.goto(base_url + "/")
    expect(page).to_have_url(base_url + "/portal/")  # visitors land on the public portal, which links to signing in
    page.get_by_role("link", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    expect(page).to_have_title(re.compile("^Đăng nhập · Đồng Thuận"))

    page.get_by_label("Tên đăng nhập").fill("secretary")
    page.get_by_label("Mật khẩu").fill("pw")
    page.get_by_role("button", name="Đăng nhập").click()

    # An officer enrols an authenticator app before reaching any page: scan (here: read) the key, type the code.
    expect(page.get_by_role("heading", level=1)).to_have_text("Bật xác thực hai bước")
    expect(page.locator("svg").first).to_be_visible()
    key = base64.b32decode(page.get_by_test_id("totp-key").inner_text())
    page.get_by_label("Mã xác thực").fill(totp_code(key))
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mã dự phòng")
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    page.get_by_role("link", name="Tiếp tục").click()

    expect(page).to_have_url(base_url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào, Phạm Văn Bình")
    expect(page.get_by_role("link", name="Đảng bộ xã Trung Mỹ").first).to_be_visible()
    expect(page.get_by_test_id("who")).to_contain_text("Phạm Văn Bình")
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def test_wrong_password_is_refused_in_vietnamese(page, base_url, live_world):
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("secretary")
    page.get_by_label("Mật khẩu").fill("sai mật khẩu")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_contain_text("Vui lòng điền vào Tên đăng nhập và mật khẩu chính xác.")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def test_stylesheets_and_scripts_load(page, base_url, live_world, login):
    """CSS, htmx and Bootstrap's script come from the app's own static files (no CDN) and actually apply."""
    static = []
    page.on("response", lambda r: static.append((r.url, r.status)) if "/static/" in r.url else None)
    login(page, "secretary")
    page.wait_for_load_state("load")

    urls = {url.split("/static/", 1)[1]: status for url, status in static}
    assert urls.get("bootstrap/css/bootstrap.min.css") == 200, urls
    assert urls.get("dongthuan/app.css") == 200, urls
    assert urls.get("django_htmx/htmx-2.min.js") == 200, urls
    assert urls.get("bootstrap/js/bootstrap.bundle.min.js") == 200, urls

    assert page.evaluate("typeof window.htmx") == "object"
    assert page.evaluate("window.htmx.version").startswith("2.")
    assert page.evaluate("typeof window.bootstrap") == "object"
    # Bootstrap applied (container max-width, .btn styling) and the app's red navbar.
    assert page.evaluate("getComputedStyle(document.querySelector('nav.navbar')).backgroundColor") == "rgb(179, 21, 27)"
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"
    assert page.evaluate("getComputedStyle(document.querySelector('.navbar-toggler')).display") == "none"  # lg+


def test_switch_to_english(page, base_url, live_world, login):
    login(page, "secretary")
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()

    with page.expect_navigation():
        page.get_by_label("Ngôn ngữ").select_option("en")

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Phạm Văn Bình")
    expect(page).to_have_url(base_url + "/")  # back on the page it was switched from
    # The choice sticks for the next page, and names stay as they were written.
    page.goto(org_url(base_url, live_world.trung_my))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đảng bộ xã Trung Mỹ")
    expect(page.get_by_role("link", name="Party member list")).to_be_visible()


# -- the organisation tree and member lists -----------------------------------------------------------------------


def test_tree_expands_with_htmx_and_searches_without_diacritics(page, base_url, live_world, login):
    login(page, "secretary")
    page.get_by_role("link", name="Tổ chức", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hệ thống tổ chức")
    tree = page.get_by_test_id("tree")
    expect(tree.get_by_role("link", name="Đảng bộ xã Trung Mỹ")).to_be_visible()
    expect(tree.get_by_text("Chi bộ thôn Thanh Lanh")).to_have_count(0)  # children are not in the page yet

    toggle = tree.get_by_role("button", name="Mở Đảng bộ xã Trung Mỹ")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    with page.expect_response(lambda r: f"/organizations/{live_world.trung_my.pk}/children/" in r.url):
        toggle.click()
    expect(tree.get_by_role("link", name="Chi bộ thôn Thanh Lanh")).to_be_visible()
    expect(tree.get_by_role("link", name="Chi bộ thôn Đồng Giang")).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")

    toggle.click()  # folds again without another request
    expect(tree.get_by_role("link", name="Chi bộ thôn Thanh Lanh")).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(tree.get_by_role("link", name="Chi bộ thôn Thanh Lanh")).to_be_visible()

    url_before = page.url
    page.get_by_label(re.compile("^Tìm tổ chức")).fill("trung my")
    results = page.get_by_test_id("search-results")
    expect(results.get_by_role("link", name="Đảng bộ xã Trung Mỹ")).to_be_visible()
    assert page.url == url_before  # live search: htmx swapped the results in, no page load

    page.get_by_label(re.compile("^Tìm tổ chức")).fill("thanh lanh")
    expect(results.get_by_role("link", name="Chi bộ thôn Thanh Lanh")).to_be_visible()
    expect(results.get_by_role("link", name="Đảng bộ xã Trung Mỹ")).to_have_count(0)
    # A commune secretary does not find another commune's organisations.
    page.get_by_label(re.compile("^Tìm tổ chức")).fill("ba hien")
    expect(results).to_contain_text("Không tìm thấy tổ chức nào.")


def test_member_list_live_search(page, base_url, live_world, login):
    login(page, "secretary")
    page.goto(org_url(base_url, live_world.trung_my))
    page.get_by_role("link", name="Danh sách đảng viên").click()
    table = page.get_by_test_id("members")
    expect(table.get_by_role("link", name="Phạm Văn Bình")).to_be_visible()
    expect(page.get_by_test_id("member-count")).to_have_text("5 đảng viên")

    page.get_by_label("Tìm theo tên").fill("bui van")
    expect(table.get_by_role("link", name="Bùi Văn Nam")).to_be_visible()
    expect(table.get_by_role("link", name="Phạm Văn Bình")).to_have_count(0)
    expect(page.get_by_test_id("member-count")).to_have_text("1 đảng viên")
    expect(page).to_have_url(re.compile(r"\?q=bui(\+|%20)van"))  # hx-push-url: the search can be bookmarked
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr").first).to_contain_text("Chi bộ thôn Thanh Lanh")

    page.reload()  # the pushed URL renders the same list without htmx
    expect(page.get_by_label("Tìm theo tên")).to_have_value("bui van")
    expect(page.get_by_test_id("members").get_by_role("link", name="Bùi Văn Nam")).to_be_visible()


# -- managing posts ------------------------------------------------------------------------------------------------


def test_assign_and_end_a_position(page, base_url, live_world, login):
    w = live_world
    nam = w.people["member"]
    login(page, "secretary")
    page.goto(org_url(base_url, w.trung_my))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đảng bộ xã Trung Mỹ")
    page.get_by_role("link", name="Giao chức vụ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Giao chức vụ – Đảng bộ xã Trung Mỹ")

    page.get_by_label("Người được giao").select_option(label="Bùi Văn Nam – Chi bộ thôn Thanh Lanh")
    page.get_by_label(re.compile(r"^Chức vụ")).select_option(label="Cán bộ, chuyên viên")
    page.get_by_label("Từ ngày").fill("01/09/2025")
    page.get_by_role("button", name="Giao chức vụ").click()

    expect(page).to_have_url(org_url(base_url, w.trung_my))
    expect(page.get_by_role("alert")).to_have_text("Đã giao chức vụ.")
    other = positions_section(page, "Chức vụ khác")
    row = other.locator("li").filter(has=page.get_by_role("link", name="Bùi Văn Nam"))
    expect(row).to_contain_text("Cán bộ, chuyên viên")
    expect(row).to_contain_text("từ 01/09/2025")

    row.get_by_role("link", name="Kết thúc").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kết thúc chức vụ")
    expect(page.get_by_role("main")).to_contain_text("Bùi Văn Nam — Cán bộ, chuyên viên, Đảng bộ xã Trung Mỹ")
    page.get_by_label("Đến ngày").fill("30/09/2025")
    page.get_by_role("button", name="Xác nhận").click()

    expect(page).to_have_url(org_url(base_url, w.trung_my))
    expect(page.get_by_role("alert")).to_have_text("Đã kết thúc chức vụ.")
    expect(other.get_by_role("link", name="Bùi Văn Nam")).to_have_count(0)
    expect(other.get_by_role("link", name="Đỗ Thu Hà")).to_be_visible()  # the office post is untouched

    # The person's record keeps the post with both dates.
    page.goto(f"{base_url}/people/{nam.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bùi Văn Nam")
    held = page.get_by_test_id("positions").locator("tbody tr").filter(has_text="Cán bộ, chuyên viên")
    expect(held).to_have_count(1)
    expect(held.locator("td")).to_have_text(["Cán bộ, chuyên viên", "Đảng bộ xã Trung Mỹ", "01/09/2025", "30/09/2025"])

    # ... and so does the database, with the secretary as the actor of both writes.
    position = Position.objects.get(person=nam, title=PositionTitle.STAFF)
    assert (position.start, position.end, position.body) == (dt.date(2025, 9, 1), dt.date(2025, 9, 30), None)
    events = AuditEvent.objects.for_object(position).order_by("id")
    assert [(e.action, e.actor_id) for e in events] == [
        ("assign", w.users["secretary"].pk),
        ("end", w.users["secretary"].pk),
    ]

    # The organisation's own history page opens (its rows are the organisation's own edits).
    page.goto(org_url(base_url, w.trung_my))
    page.get_by_role("link", name="Lịch sử thay đổi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lịch sử thay đổi: Đảng bộ xã Trung Mỹ")
    expect(page.get_by_test_id("history")).to_be_visible()


def test_impossible_date_is_refused_in_vietnamese(page, base_url, live_world, login, snap):
    w = live_world
    login(page, "secretary")
    page.goto(org_url(base_url, w.trung_my, "positions/add/"))
    page.get_by_label("Người được giao").select_option(label="Bùi Văn Nam – Chi bộ thôn Thanh Lanh")
    page.get_by_label(re.compile(r"^Chức vụ")).select_option(label="Cán bộ, chuyên viên")
    page.get_by_label("Từ ngày").fill("31/02/2025")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Giao chức vụ").click()
    assert posted.value.status == 400

    error = page.locator('.invalid-feedback[data-field="start"]')
    expect(error).to_have_text("Nhập ngày theo dạng dd/mm/yyyy, ví dụ 24/04/2017.")
    expect(page.get_by_label("Từ ngày")).to_have_value("31/02/2025")  # what was typed is kept to be corrected
    expect(page.get_by_label("Người được giao")).to_have_value(str(w.people["member"].pk))
    expect(page.get_by_role("alert")).to_have_count(0)  # no success message
    snap(page, "form")

    assert not Position.objects.filter(person=w.people["member"]).exists()
    page.goto(org_url(base_url, w.trung_my))
    expect(positions_section(page, "Chức vụ khác").get_by_role("link", name="Bùi Văn Nam")).to_have_count(0)


# -- phones and permissions -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["home", "organization", "members", "tree"])
def test_phone_layout_has_no_horizontal_scroll(new_page, base_url, live_world, login, snap, path):
    page = new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)
    login(page, "secretary")
    url = {
        "home": base_url + "/",
        "organization": org_url(base_url, live_world.trung_my),
        "members": org_url(base_url, live_world.trung_my, "members/"),
        "tree": base_url + "/organizations/",
    }[path]
    page.goto(url)
    page.wait_for_load_state("load")

    toggler = page.get_by_role("button", name="Mở menu")
    expect(toggler).to_be_visible()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_hidden()  # folded into the menu
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    snap(page, "closed")

    toggler.click()  # Bootstrap's collapse opens the menu
    expect(page.locator("#nav.collapse.show")).to_be_visible()  # the opening transition has finished
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_other_commune_secretary_gets_not_found(page, base_url, live_world, login):
    login(page, "other_secretary")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào, Lý Văn Tâm")
    # Their own commune opens ...
    assert page.goto(org_url(base_url, live_world.ba_hien)).status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Đảng bộ xã Bá Hiến")
    # ... Trung Mỹ's pages do not exist for them (404, not 403: nothing about Trung Mỹ leaks).
    for url in (
        f"{base_url}/people/{live_world.people['member'].pk}/",
        org_url(base_url, live_world.trung_my, "positions/add/"),
        org_url(base_url, live_world.trung_my, "members/"),
        org_url(base_url, live_world.trung_my),
    ):
        response = page.goto(url)
        assert response.status == 404, url
        expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
        expect(page.get_by_role("main")).not_to_contain_text("Trung Mỹ")
        expect(page.get_by_role("link", name="Về trang chủ")).to_be_visible()


# -- the demo ----------------------------------------------------------------------------------------------------------


def test_demo_data_and_readme_screenshot(page, base_url, live_db, login):
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "bithu.binhtuyen" in out.getvalue()
    binh_tuyen = Organization.objects.get(name="Đảng bộ xã Bình Tuyền")

    login(page, "bithu.binhtuyen", "dongthuan")
    expect(page.get_by_role("link", name="Đảng bộ xã Bình Tuyền").first).to_be_visible()
    expect(page.get_by_test_id("attention")).to_contain_text("Chi bộ Công an xã Trung Mỹ")

    # The 2017 structure of the article is still browsable: the tree as of 24/04/2017.
    page.goto(f"{base_url}/organizations/?on=24/04/2017")
    expect(page.get_by_test_id("as-of-note")).to_have_text("Cơ cấu tổ chức tại ngày 24/04/2017.")

    page.goto(f"{base_url}/")
    page.get_by_role("link", name="Đảng bộ xã Bình Tuyền").first.click()
    expect(page).to_have_url(org_url(base_url, binh_tuyen))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đảng bộ xã Bình Tuyền")
    expect(page.get_by_test_id("lineage")).to_contain_text("Kế thừa từ Đảng bộ xã Trung Mỹ")
    expect(page.get_by_role("link", name=re.compile("^Ban Chấp hành"))).to_be_visible()
    expect(page.get_by_test_id("children").get_by_role("link", name="Chi bộ thôn Thanh Lanh")).to_be_visible()
    page.wait_for_load_state("networkidle")

    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / "screenshot.png"))  # the viewport: 1280x800


# -- reorganisation ------------------------------------------------------------------------------------------------


def test_merge_two_cells_preview_confirm_and_revert(page, base_url, live_world, login):
    w = live_world
    login(page, "secretary")
    page.goto(org_url(base_url, w.cell))
    page.get_by_role("button", name="Sắp xếp tổ chức").click()
    page.get_by_role("link", name="Sáp nhập, hợp nhất").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sáp nhập, hợp nhất: Chi bộ thôn Thanh Lanh")
    page.get_by_label("Chi bộ thôn Đồng Giang").check()
    page.get_by_label("Có hiệu lực từ ngày").fill("01/01/2026")
    page.get_by_label(re.compile("^Căn cứ")).fill("Nghị quyết 12-NQ/ĐU")
    page.get_by_label(re.compile("^Lý do")).fill("Sáp nhập hai thôn")
    page.get_by_label("Hoặc tên tổ chức mới").fill("Chi bộ thôn Thanh Giang")
    page.get_by_role("button", name="Xem trước").click()
    preview = page.get_by_test_id("preview")
    expect(preview).to_contain_text("Chuyển sinh hoạt đảng")
    expect(preview).to_contain_text("Chi bộ thôn Thanh Giang")
    assert not Organization.objects.filter(name="Chi bộ thôn Thanh Giang").exists()  # nothing written yet

    page.get_by_role("button", name="Xác nhận thực hiện").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã thực hiện")
    expect(page.get_by_test_id("event-status")).to_contain_text("Đã thực hiện")
    merged = Organization.objects.get(name="Chi bộ thôn Thanh Giang")
    assert merged.party_members.count() == 5

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Hoàn tác").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã hoàn tác đợt sắp xếp.")
    assert not Organization.objects.filter(name="Chi bộ thôn Thanh Giang").exists()
    assert Organization.objects.get(pk=w.cell.pk).party_members.count() == 4


# -- importing a list ----------------------------------------------------------------------------------------------


def test_import_people_from_csv_with_progress_preview_and_confirm(page, base_url, live_world, login, snap, settings):
    """Upload → progress (polled, the job runs in a worker) → preview with per-row errors → fixed file → confirm
    → imported. The worker mode makes the queued state last until the test runs the worker."""
    from dongthuan.people.models import Person

    settings.BACKGROUND_JOBS = "worker"
    header = "Họ và tên,Tình trạng đảng viên,Số thẻ đảng viên,Ngày vào Đảng,Chi bộ\n"
    bad = header + "Trịnh Văn Sơn,Đảng viên dự bị,T9000001,31/02/2025,Chi bộ thôn Thanh Lanh\nLê Văn Tám,,,,\n"
    good = header + "Trịnh Văn Sơn,Đảng viên dự bị,T9000001,02/09/2025,Chi bộ thôn Thanh Lanh\nLê Văn Tám,,,,\n"
    login(page, "secretary")
    page.goto(org_url(base_url, live_world.trung_my))
    page.get_by_test_id("exchange-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập, xuất danh sách")

    def upload(content: str) -> None:
        page.get_by_label("Loại danh sách").select_option("people")
        page.get_by_label("Tệp danh sách").set_input_files(
            files=[{"name": "danh-sach.csv", "mimeType": "text/csv", "buffer": content.encode()}]
        )
        page.get_by_role("button", name="Tải lên và kiểm tra").click()
        expect(page.get_by_test_id("progress")).to_contain_text("Đang chờ kiểm tra")
        snap(page, "progress")
        call_command("exchange_worker", "--once", stdout=io.StringIO())

    upload(bad)
    expect(page.get_by_test_id("batch-status")).to_have_text("Có lỗi, chưa nhập")  # htmx polling refreshed the page
    preview = page.get_by_test_id("preview")
    expect(preview.locator("tr[data-line='2']")).to_contain_text(
        "Ngày vào Đảng: «31/02/2025» không phải ngày đúng dạng dd/mm/yyyy."
    )
    expect(page.get_by_test_id("confirm")).to_have_count(0)
    snap(page, "errors")

    page.get_by_role("link", name="Tải lên tệp khác").click()
    upload(good)
    expect(page.get_by_test_id("batch-status")).to_have_text("Sẵn sàng nhập")
    expect(page.get_by_test_id("confirm")).to_have_text("Nhập: thêm 2, cập nhật 0")
    assert not Person.objects.filter(full_name="Trịnh Văn Sơn").exists()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("progress")).to_contain_text("Đang chờ nhập")
    call_command("exchange_worker", "--once", stdout=io.StringIO())
    expect(page.get_by_test_id("batch-done")).to_have_text(
        "Đã nhập: 2 dòng thêm mới, 0 dòng cập nhật, 0 dòng không đổi."
    )
    son = Person.objects.get(full_name="Trịnh Văn Sơn")
    assert (son.cell_id, son.joined_on) == (live_world.cell.pk, dt.date(2025, 9, 2))


# -- meetings and votes --------------------------------------------------------------------------------------------


def test_member_votes_from_a_phone_and_the_chairs_screen_updates_live(new_page, base_url, live_world, login, snap):
    from django.utils import timezone

    from dongthuan.meetings import services

    w = live_world
    meeting = services.meeting_create(
        actor=None, body=w.committee, title="Hội nghị Ban Chấp hành", starts_at=timezone.now()
    )
    for role in ("secretary", "deputy", "committee_member"):
        services.attendance_set(actor=None, meeting=meeting, person=w.people[role], status="present")
    item = services.item_add(actor=None, meeting=meeting, title="Nghị quyết chuyên đề", kind="document")
    poll = services.poll_create(actor=None, item=item, question="Thông qua nghị quyết", kind="open")

    chair = new_page()
    login(chair, "office_staff")
    chair.goto(f"{base_url}{meeting.get_absolute_url()}")
    expect(chair.get_by_test_id("quorum")).to_contain_text("Có mặt 3/3 thành viên đương nhiệm; cần 2 để biểu quyết.")
    chair.get_by_role("button", name="Mở biểu quyết").click()
    expect(chair.get_by_test_id(f"poll-{poll.pk}")).to_contain_text("Đã biểu quyết: 0")

    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    login(phone, "deputy")
    phone.goto(f"{base_url}{meeting.get_absolute_url()}")
    phone.get_by_role("button", name="Tán thành", exact=True).click()
    expect(phone.get_by_text("Đồng chí đã bỏ phiếu.").first).to_be_visible()
    snap(phone, "phone")

    expect(chair.get_by_test_id(f"poll-{poll.pk}")).to_contain_text("Đã biểu quyết: 1")  # polled, no reload
    chair.get_by_role("button", name="Kết thúc biểu quyết").click()
    expect(chair.get_by_test_id("result")).to_contain_text(
        "Tán thành 1, không tán thành 0, không biểu quyết 0 — trên 3 thành viên đương nhiệm (cần 2). Không thông qua"
    )


def test_election_ballot_keeps_its_ticks_while_the_screen_refreshes_then_minutes_are_signed(
    new_page, base_url, live_world, login, snap
):
    from django.utils import timezone

    from dongthuan.meetings import services
    from dongthuan.meetings.models import Ballot, Minutes

    w = live_world
    meeting = services.meeting_create(
        actor=None,
        body=w.committee,
        title="Hội nghị Ban Chấp hành",
        starts_at=timezone.now(),
        chair=w.people["secretary"],
        clerk=w.people["office_staff"],
    )
    for role in ("secretary", "deputy", "committee_member"):
        services.attendance_set(actor=None, meeting=meeting, person=w.people[role], status="present")
    item = services.item_add(actor=None, meeting=meeting, title="Bầu Thường trực", kind="election")
    poll = services.poll_create(
        actor=None,
        item=item,
        question="Bầu Thường trực",
        kind="secret",
        method="candidates",
        seats=1,
        cell_secretary=True,
    )
    for role in ("secretary", "deputy"):
        services.candidate_add(actor=None, poll=poll, person=w.people[role])
    services.poll_open(actor=None, poll=poll)

    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    login(phone, "committee_member")
    phone.goto(f"{base_url}{meeting.get_absolute_url()}")
    phone.get_by_label("Hoàng Thị Lan").check()
    phone.wait_for_timeout(4500)  # two refreshes of the live panel
    expect(phone.get_by_label("Hoàng Thị Lan")).to_be_checked()
    phone.get_by_role("button", name="Bỏ phiếu").click()
    expect(phone.get_by_test_id("vote-result")).to_contain_text("Đã ghi nhận phiếu của đồng chí.")
    (ciphertext,) = Ballot.objects.filter(poll=poll).values_list("ciphertext", flat=True)
    expect(phone.get_by_test_id("receipt")).to_have_text(hashlib.sha256(bytes(ciphertext)).hexdigest())
    snap(phone, "ballot-cast")

    office = new_page()
    login(office, "office_staff")
    office.goto(f"{base_url}{meeting.get_absolute_url()}")
    office.get_by_role("button", name="Kết thúc biểu quyết").click()
    expect(office.get_by_role("alert").first).to_contain_text("Chỉ có 1 phiếu")  # the result would show the choice
    office.get_by_test_id("few-ballots").get_by_role("checkbox").check()
    office.get_by_role("button", name="Kết thúc biểu quyết").click()
    expect(office.get_by_test_id("election-result")).to_contain_text("Hoàng Thị Lan: 1/3")
    office.get_by_role("button", name="Kết thúc hội nghị").click()
    office.get_by_role("link", name="Biên bản").click()
    office.get_by_role("button", name="Lập dự thảo biên bản từ diễn biến hội nghị").click()
    expect(office.get_by_test_id("minutes-status")).to_have_text("Dự thảo")
    closing = office.get_by_label("Kết thúc")
    closing.fill("Hội nghị kết thúc lúc 11 giờ 00.")
    office.get_by_role("button", name="Lưu").click()
    office.once("dialog", lambda dialog: dialog.accept())
    office.get_by_role("button", name="Ký, khóa biên bản").click()
    expect(office.get_by_test_id("minutes-status")).to_have_text("Đã ký, khóa")
    expect(office.get_by_test_id("minutes-text")).to_contain_text("Hội nghị kết thúc lúc 11 giờ 00.")
    snap(office, "minutes-signed")
    with office.expect_download() as download:
        office.get_by_role("link", name="Tải Word (.docx)").click()
    import docx

    word = docx.Document(download.value.path())
    assert [p.text for p in word.paragraphs if p.text][0] == "BIÊN BẢN"
    assert Minutes.objects.get(meeting=meeting).status == "signed"


# -- action programs ---------------------------------------------------------------------------------------------


def test_a_program_from_creation_to_a_report_rolled_up_on_the_dashboard(page, base_url, live_world, login, snap):
    """The secretary creates Trung Mỹ's program, gives a cell a task with one answerable person (a refused due
    date first), the member who answers for it reports progress, and the commune's dashboard shows it."""
    from django.utils import timezone

    from dongthuan.programs.models import Task

    w = live_world
    today = timezone.localdate()
    login(page, "secretary")
    page.goto(org_url(base_url, w.trung_my))
    page.get_by_test_id("programs-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Theo dõi thực hiện – Đảng bộ xã Trung Mỹ")
    page.get_by_role("link", name="Tạo chương trình hành động").click()
    page.get_by_label("Tên chương trình").fill("Chương trình hành động năm 2026")
    page.get_by_label("Từ ngày").fill(f"01/01/{today.year}")
    page.get_by_label("Đến ngày").fill(f"31/12/{today.year + 2}")
    page.get_by_role("button", name="Tạo chương trình").click()
    expect(page.get_by_role("alert")).to_have_text("Đã tạo chương trình.")

    page.get_by_test_id("task-form").locator("summary").click()
    form = page.get_by_test_id("task-form")
    form.get_by_label(re.compile(r"^Nhiệm vụ")).fill("Sinh hoạt chuyên đề về dân vận khéo")
    form.get_by_label("Đơn vị chủ trì").select_option(label="Chi bộ thôn Thanh Lanh")
    form.get_by_label("Cá nhân phụ trách").select_option(label="Bùi Văn Nam")
    form.get_by_label("Bắt đầu").fill(today.strftime("%d/%m/%Y"))
    form.get_by_label("Hạn hoàn thành").fill((today - dt.timedelta(days=1)).strftime("%d/%m/%Y"))
    form.get_by_role("button", name="Giao nhiệm vụ").click()
    expect(page.locator("[data-field=due_on]")).to_have_text("Hạn hoàn thành phải từ ngày bắt đầu trở đi.")
    snap(page, "refused")
    page.get_by_label("Hạn hoàn thành").fill((today + dt.timedelta(days=60)).strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Ghi").click()
    expect(page.get_by_role("alert")).to_have_text("Đã giao nhiệm vụ.")
    expect(page.get_by_test_id("tasks")).to_contain_text("Bùi Văn Nam")

    # The member who answers for it reports from the task's page.
    page.get_by_role("button", name="Đăng xuất").click()
    login(page, "member")
    expect(page.get_by_test_id("my-tasks")).to_contain_text("Sinh hoạt chuyên đề về dân vận khéo")
    page.get_by_test_id("my-tasks").get_by_role("link").click()
    report = page.get_by_test_id("report-form")
    report.get_by_label("Tiến độ đạt (%)").fill("40")
    report.get_by_label("Kết quả thực hiện").fill("Chi bộ đã họp, phân công 5 đảng viên.")
    report.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_role("alert")).to_have_text("Đã ghi báo cáo tiến độ.")
    expect(page.get_by_test_id("status")).to_contain_text("Đúng tiến độ")
    expect(page.get_by_test_id("reports")).to_contain_text("Chi bộ đã họp, phân công 5 đảng viên.")
    assert Task.objects.get().progress == 40

    page.get_by_role("button", name="Đăng xuất").click()
    login(page, "secretary")
    page.goto(f"{base_url}/programs/organizations/{w.trung_my.pk}/")
    units = page.get_by_test_id("units")
    expect(units.locator("tbody tr")).to_have_count(1)
    expect(units).to_contain_text("Chi bộ thôn Thanh Lanh")
    expect(units).to_contain_text("40%")
    expect(page.get_by_test_id("status-chart").locator("svg")).to_be_visible()


@pytest.mark.browser
def test_tellers_seal_an_election_and_two_of_three_unseal_its_count(new_page, base_url, live_world, login, snap):
    """Three tellers take their seal codes on their phones, the office opens the election, a member votes, the
    office closes it, and two tellers type their codes: the count appears, the third teller is not needed."""
    from django.utils import timezone

    from dongthuan.meetings import services
    from dongthuan.meetings.models import Poll

    w = live_world
    tellers = ("secretary", "deputy", "committee_member")
    meeting = services.meeting_create(
        actor=None, body=w.committee, title="Hội nghị Ban Chấp hành", starts_at=timezone.now()
    )
    for role in tellers:
        services.attendance_set(actor=None, meeting=meeting, person=w.people[role], status="present")
    item = services.item_add(actor=None, meeting=meeting, title="Bầu bí thư", kind="election")
    poll = services.poll_create(
        actor=None,
        item=item,
        question="Bầu bí thư",
        kind="secret",
        method="candidates",
        seats=1,
        cell_secretary=True,
        tellers=[w.people[r] for r in tellers],
    )
    services.candidate_add(actor=None, poll=poll, person=w.people["secretary"])
    codes = {}
    for role in tellers:
        phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        login(phone, role)
        phone.goto(f"{base_url}{meeting.get_absolute_url()}")
        phone.get_by_role("button", name="Nhận mã niêm phong").click()
        codes[role] = phone.get_by_test_id("seal-code").inner_text().strip()
        if role == "secretary":
            snap(phone, "seal-code")
    assert len(set(codes.values())) == 3

    office = new_page()
    login(office, "office_staff")
    office.goto(f"{base_url}{meeting.get_absolute_url()}")
    expect(office.get_by_test_id("seal")).to_contain_text("đã nhận mã 3/3")
    office.get_by_role("button", name="Mở biểu quyết").click()
    for role in tellers:
        phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        login(phone, role)
        phone.goto(f"{base_url}{meeting.get_absolute_url()}")
        phone.locator("input[name=candidate]").check()
        phone.get_by_role("button", name="Bỏ phiếu").click()
        expect(phone.get_by_test_id("receipt")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    office.goto(f"{base_url}{meeting.get_absolute_url()}")
    office.get_by_role("button", name="Kết thúc biểu quyết").click()
    expect(office.get_by_test_id("unsealed")).to_contain_text("đã mở niêm phong 0, cần 2")
    for role in ("committee_member", "deputy"):
        phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        login(phone, role)
        phone.goto(f"{base_url}{meeting.get_absolute_url()}")
        phone.get_by_role("link", name="Nhập mã, mở niêm phong").click()
        phone.get_by_label("Mã niêm phong").fill(codes[role].lower().replace("-", " "))
        phone.get_by_role("button", name="Mở niêm phong").click()
    expect(phone.get_by_text("Đã mở niêm phong và kiểm xong phiếu.")).to_be_visible()
    expect(phone.get_by_test_id("election-result")).to_contain_text(": 3/3")
    snap(phone, "counted")
    assert Poll.objects.get(pk=poll.pk).status == "closed"
