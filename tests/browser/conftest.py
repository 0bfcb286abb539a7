"""Fixtures for the end-to-end tests: one headless Chromium per session, a fresh context per test, a live server
on a transactional database, and a screenshot of every page a test opened (in ``test-artifacts/``).

Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from a thread with a running
loop unless told otherwise, hence ``DJANGO_ALLOW_ASYNC_UNSAFE`` (tests only; the app itself never sees it)."""

from __future__ import annotations

import os
import re
from pathlib import Path

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402

from tests.conftest import restore_migration_data  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (Debian package 'chromium'); it is not installed")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=10_000)  # generous: the live server shares the machine with other test runs
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class Problems:
    """What went wrong in the pages of one test without making the test itself fail at once: uncaught script
    errors, and sub-resources (CSS, JS, htmx requests) that failed or answered 4xx/5xx."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def _failed(self, req) -> None:
        # A request the browser itself abandoned because the page navigated away (net::ERR_ABORTED) is not an error.
        if "ERR_ABORTED" not in (req.failure or ""):
            self.items.append(f"request failed: {req.url} ({req.failure})")

    def watch(self, page) -> None:
        page.on("pageerror", lambda error: self.items.append(f"script error: {error}"))
        page.on("requestfailed", self._failed)
        page.on(
            "response",
            lambda resp: (
                self.items.append(f"HTTP {resp.status}: {resp.url}")
                if resp.status >= 400
                and resp.request.resource_type != "document"
                and not resp.request.is_navigation_request()
                else None
            ),
        )


@pytest.fixture
def new_page(browser, request):
    """``new_page(**context_options)``: a page in a new browser context (own cookies). Every page is screenshotted
    at teardown, pass or fail, to ``test-artifacts/<test>[-n].png``."""
    contexts, pages = [], []
    problems = Problems()

    def make(**options):
        options.setdefault("viewport", DESKTOP)
        options.setdefault("locale", "vi-VN")
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        problems.watch(page)
        pages.append(page)
        return page

    yield make

    ARTIFACTS.mkdir(exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", request.node.name)
    for i, page in enumerate(pages):
        suffix = f"-{i + 1}" if len(pages) > 1 else ""
        try:
            page.screenshot(path=str(ARTIFACTS / f"{stem}{suffix}.png"), full_page=True)
        except Exception as error:  # noqa: BLE001 - a failed screenshot must not hide the test's own result
            print(f"screenshot of {stem}{suffix} failed: {error}")
    for context in contexts:
        context.close()
    if problems.items:
        pytest.fail("problems in the browser:\n" + "\n".join(problems.items), pytrace=False)


@pytest.fixture
def snap(request):
    """``snap(page, label)``: an extra screenshot of an intermediate state, ``test-artifacts/<test>--<label>.png``."""

    def shoot(page, label: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        stem = re.sub(r"[^\w.-]+", "_", f"{request.node.name}--{label}")
        page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)

    return shoot


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def live_db(transactional_db):
    """A transactional database the live server's threads can see, with the data migrations' rows."""
    restore_migration_data()


@pytest.fixture
def live_world(live_db, world):
    """The shared ``world`` (tests/conftest.py), built on the transactional database."""
    return world


@pytest.fixture
def base_url(live_server):
    return live_server.url


def authenticator_app(username: str):
    """A fresh authenticator app for the account (each sign-in gets its own, as a code is accepted only once per
    app): every signed-in browser test goes through the second factor, as a person does."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.get(username=username)
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def totp_code(key: bytes) -> str:
    """The code an authenticator app shows now for this key (30-second steps, 6 digits)."""
    from django_otp.oath import TOTP

    return f"{TOTP(key, step=30, t0=0, digits=6, drift=0).token():06d}"


@pytest.fixture
def login(base_url):
    """``login(page, username, password="pw")``: sign in through the login form and wait for the home page."""
    from playwright.sync_api import expect

    def sign_in(page, username: str, password: str = "pw") -> None:
        device = authenticator_app(username)
        page.goto(f"{base_url}/accounts/login/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Xác thực hai bước")
        page.get_by_label("Mã xác thực").fill(totp_code(device.bin_key))
        page.get_by_role("button", name="Xác nhận").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")

    return sign_in
