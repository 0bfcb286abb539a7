"""Deployment settings: no served site on a known key, `check --deploy` clean under README's production settings,
a Content-Security-Policy without inline script, HSTS, no-store on personal pages and downloads, and
X-Forwarded-For believed only from the configured proxies."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.http import FileResponse, HttpResponse

from dongthuan.core.http import client_address
from dongthuan.core.middleware import NoStoreMiddleware

ROOT = Path(__file__).resolve().parents[2]
# README, "Production deployment" and "Security": the environment of a served site.
PRODUCTION = {
    "DJANGO_SECRET_KEY": "k7Qe2vT9xLm4Rp8sWz1Yb6Nc3Hd5Jf0Ug2Ai7Ko9Pq4Rs8Tv1Wx3Yz6Bc5De",
    "DJANGO_ALLOWED_HOSTS": "dongthuan.example.vn",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://dongthuan.example.vn",
    "DJANGO_SECURE_COOKIES": "1",
    "DONGTHUAN_TRUSTED_PROXIES": "127.0.0.1",
    "DONGTHUAN_MANIFEST_STATIC": "1",
    "DATABASE_URL": "postgres://dongthuan_app@127.0.0.1:5432/dongthuan",
}


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    """A fresh process with the production settings module and only ``env`` from the deployment's variables."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DONGTHUAN_", "DATABASE_"))}
    return subprocess.run(  # noqa: S603
        [sys.executable, *args],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "dongthuan.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


SETUP = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY[:8])"


def test_a_site_without_a_secret_key_does_not_start_unless_debugging():
    refused = run(["-c", SETUP])
    assert refused.returncode == 1
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY must be set unless DJANGO_DEBUG=1" in refused.stderr
    assert run(["-c", SETUP], DJANGO_DEBUG="1").stdout == "insecure\n"
    assert run(["-c", SETUP], DJANGO_SECRET_KEY="a-key-of-this-site").stdout == "a-key-of\n"


def test_check_deploy_is_clean_under_the_production_settings_of_readme():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "System check identified no issues (0 silenced).\n"


HEADERS = """
import django; django.setup()
from django.conf import settings
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from django.test import RequestFactory
response = SecurityMiddleware(lambda request: HttpResponse())(RequestFactory().get("/", secure=True))
print(response.get("Strict-Transport-Security"), settings.SECURE_SSL_REDIRECT)
"""


def test_hsts_is_sent_when_cookies_are_secure():
    assert run(["-c", HEADERS], **PRODUCTION).stdout == "max-age=31536000; includeSubDomains; preload True\n"
    plain = {**PRODUCTION, "DJANGO_SECURE_COOKIES": "0"}
    assert run(["-c", HEADERS], **plain).stdout == "None False\n"


@pytest.mark.django_db
def test_every_page_carries_a_content_security_policy_without_inline_script(client, world):
    client.force_login(world.users["secretary"])
    for url in ["/", "/portal/", f"/organizations/{world.trung_my.pk}/"]:
        policy = client.get(url).headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self'", url
        assert directives["default-src"] == "'self'"
        assert directives["style-src"] == "'self' 'unsafe-inline'"
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"


def test_no_template_has_an_inline_script_or_event_handler():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    handler = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
    found = []
    for path in sorted((ROOT / "dongthuan").rglob("*.html")):
        text = path.read_text()
        found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in inline_script.finditer(text)]
        found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in handler.finditer(text)]
    assert found == []


@pytest.mark.django_db
def test_confirmations_and_the_language_menu_are_wired_by_the_static_script(client, world):
    client.force_login(world.users["secretary"])
    page = client.get("/").content.decode()
    assert '<script src="/static/dongthuan/app.js" defer></script>' in page
    assert 'id="lang" name="language" class="form-select form-select-sm" data-autosubmit>' in page
    script = (ROOT / "dongthuan/core/static/dongthuan/app.js").read_text()
    for hook in ("data-confirm", "data-autosubmit", "data-tree-toggle"):
        assert hook in script


# -- Cache-Control: no-store -------------------------------------------------------------------------------------


class Signed:
    is_authenticated = True


def cache_control(rf, path: str, response: HttpResponse, signed_in: bool) -> str | None:
    request = rf.get(path)
    request.user = Signed() if signed_in else AnonymousUser()
    return NoStoreMiddleware(lambda _request: response)(request).get("Cache-Control")


def download(cache: str = "") -> HttpResponse:
    response = HttpResponse(b"x", content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="x.csv"'
    if cache:
        response["Cache-Control"] = cache
    return response


def test_no_store_on_every_response_to_a_signed_in_person_and_every_download(rf, tmp_path):
    (tmp_path / "f.pdf").write_bytes(b"%PDF")
    assert cache_control(rf, "/organizations/1/", HttpResponse(), signed_in=True) == "no-store"
    assert cache_control(rf, "/organizations/1/members.csv", download(), signed_in=True) == "no-store"
    assert cache_control(rf, "/consultations/public/1/register.docx", download(), signed_in=False) == "no-store"
    with (tmp_path / "f.pdf").open("rb") as f:
        assert cache_control(rf, "/programs/evidence/1/", FileResponse(f), signed_in=False) == "no-store"
    assert cache_control(rf, "/portal/toa-soan/phan-anh/1/", HttpResponse(), signed_in=True) == "no-store"
    assert cache_control(rf, "/portal/", HttpResponse(), signed_in=True) == "no-store"
    assert cache_control(rf, "/accounts/login/", HttpResponse(), signed_in=False) is None


def test_public_portal_pages_and_files_keep_their_own_caching(rf):
    assert cache_control(rf, "/portal/", HttpResponse(), signed_in=False) is None
    cached = HttpResponse()
    cached["Cache-Control"] = "private, no-cache"
    assert cache_control(rf, "/portal/bai-viet/1-x/", cached, signed_in=False) == "private, no-cache"
    assert cache_control(rf, "/portal/van-ban/1.pdf", download("private, no-cache"), False) == "private, no-cache"
    image = HttpResponse(b"x", content_type="image/png")
    image["Cache-Control"] = "public, max-age=86400"
    assert cache_control(rf, "/portal/anh/1.png", image, signed_in=True) == "public, max-age=86400"


@pytest.mark.django_db
def test_a_signed_in_page_is_not_stored_and_a_visitors_portal_page_is(client, world):
    assert "no-store" not in client.get("/portal/").headers.get("Cache-Control", "")
    client.force_login(world.users["secretary"])
    assert client.get("/").headers["Cache-Control"] == "no-store"
    assert client.get(f"/organizations/{world.trung_my.pk}/").headers["Cache-Control"] == "no-store"


# -- X-Forwarded-For ---------------------------------------------------------------------------------------------


def address(rf, remote: str, forwarded: str | None = None) -> str:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_address(rf.get("/", REMOTE_ADDR=remote, **extra))


def test_x_forwarded_for_is_ignored_without_trusted_proxies(rf, settings):
    settings.TRUSTED_PROXIES = []
    assert address(rf, "127.0.0.1", "6.6.6.6, 203.0.113.9") == "127.0.0.1"
    assert address(rf, "198.51.100.4", "203.0.113.9") == "198.51.100.4"


def test_x_forwarded_for_is_believed_only_from_a_trusted_proxy(rf, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    assert address(rf, "127.0.0.1", "6.6.6.6, 203.0.113.9") == "203.0.113.9"  # the one nginx appended
    assert address(rf, "::1", "2001:db8::7") == "2001:db8::7"
    assert address(rf, "127.0.0.1") == "127.0.0.1"
    # Straight to the application from elsewhere: the header is the client's own claim.
    assert address(rf, "198.51.100.4", "203.0.113.9") == "198.51.100.4"


def test_a_chain_of_trusted_proxies_given_as_a_network(rf, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert address(rf, "10.0.0.2", "6.6.6.6, 203.0.113.9, 10.0.0.1") == "203.0.113.9"
    assert address(rf, "10.0.0.2", "10.0.0.5") == "10.0.0.5"
    assert address(rf, "10.0.0.2", "203.0.113.9, 11.0.0.1") == "11.0.0.1"


def test_the_setting_defaults_to_no_proxy():
    assert django_settings.TRUSTED_PROXIES == []
