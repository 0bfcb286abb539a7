"""Settings for Đồng Thuận. Everything that differs between machines comes from the environment (README)."""

from __future__ import annotations

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    # A served site never runs on a key anyone can read here: it signs sessions, password resets and the links
    # that confirm citizens' comments. Only a debugging run falls back to it (the demo and the tests set a key).
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set unless DJANGO_DEBUG=1")
    SECRET_KEY = "insecure-development-key-change-me"  # noqa: S105 - only with DJANGO_DEBUG=1
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "csp",
    "dongthuan.core",
    "dongthuan.audit",
    "dongthuan.organizations",
    "dongthuan.people",
    "dongthuan.restructuring",
    "dongthuan.exchange",
    "dongthuan.meetings",
    "dongthuan.documents",
    "dongthuan.consultations",
    "dongthuan.programs",
    "dongthuan.portal",
    "dongthuan.accounts",
    # Above the apps: the home page, the navigation, the error pages and the demo (it imports them; none imports it).
    "dongthuan.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dongthuan.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "dongthuan.accounts.middleware.SessionActivityMiddleware",
    # After a password sign-in, whoever must use a second factor reaches no other page before giving it.
    "dongthuan.accounts.middleware.SecondFactorMiddleware",
    "dongthuan.core.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "dongthuan.core.inputs.InputHygieneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a refused sign-in of a locked-out account into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dongthuan.urls"
WSGI_APPLICATION = "dongthuan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "dongthuan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "dongthuan.site.context_processors.navigation",
                "dongthuan.portal.cache.csrf_placeholder",
            ],
        },
    },
]

# Database: SQLite (WAL) by default, PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # 10 characters: the accounts reach party records and classified documents (Django's default is 8). The
    # validators' messages are in Vietnamese (accounts/passwords.py gives the one Django's catalogue lacks).
    {"NAME": "dongthuan.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses any sign-in while the account is locked from that address
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in lockout (django-axes). Failures are counted per account *and address together*: after 10 wrong passwords
# for one account from one address, that account cannot sign in from that address for an hour, even with the right
# password. Counting per account alone would let anyone lock the secretary out before a meeting by typing wrong
# passwords from anywhere; counting per address alone would lock a whole commune office, whose officers share one
# public address, because of one person's typing. An attacker guessing from many addresses is answered by the
# password policy and the second factor required of officers. The lock ends by itself after the cool-off, or at
# once when an administrator unlocks the account (admin: Người dùng → "Mở khóa đăng nhập").
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True  # a successful sign-in forgets the failures before it
AXES_CLIENT_IP_CALLABLE = "dongthuan.accounts.lockout.axes_client_address"
AXES_LOCKOUT_CALLABLE = "dongthuan.accounts.lockout.lockout_response"
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are recorded once, as accounts.SignIn
# An officer's (or administrator's) session ends after a working day without activity; others keep Django's two
# weeks (SESSION_COOKIE_AGE). Set at sign-in (accounts/policy.py), moved on by activity (accounts/middleware.py).
OFFICER_SESSION_SECONDS = 9 * 3600
# Two-factor authentication (django-otp): the name authenticator apps show for the account.
OTP_TOTP_ISSUER = "Đồng Thuận"
# Passkeys (WebAuthn, through django-otp-webauthn), a second factor beside the authenticator app. A passkey belongs
# to one site name (the relying party id: the host name, or a name it ends with — never an IP address, which
# browsers refuse) and is accepted only from the listed origins (https://, or http://localhost). The defaults serve
# the demo at http://localhost:8000; changing the id later makes every passkey made before unusable.
PASSKEY_RP_ID = os.environ.get("DONGTHUAN_PASSKEY_RP_ID", "localhost").strip()
PASSKEY_RP_NAME = os.environ.get("DONGTHUAN_PASSKEY_RP_NAME", "Đồng Thuận").strip()
PASSKEY_ORIGINS = [
    o.strip().rstrip("/")
    for o in os.environ.get("DONGTHUAN_PASSKEY_ORIGINS", "http://localhost:8000").split(",")
    if o.strip()
]
# The library reads its own names (its system checks too); the accounts' passkey code reads the three above.
OTP_WEBAUTHN_RP_ID = PASSKEY_RP_ID
OTP_WEBAUTHN_RP_NAME = PASSKEY_RP_NAME
OTP_WEBAUTHN_ALLOWED_ORIGINS = PASSKEY_ORIGINS
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False  # a second factor after the password, never instead of it
OTP_WEBAUTHN_CREDENTIAL_MODEL = "accounts.Passkey"
OTP_WEBAUTHN_HELPER_CLASS = "dongthuan.accounts.passkeys.PasskeyHelper"
# A password reset link is valid for one day (Django's default is three).
PASSWORD_RESET_TIMEOUT = 24 * 3600
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Vietnamese first: Vietnamese is the default language, English is complete.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "dongthuan" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
FORMAT_MODULE_PATH = ["dongthuan.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
import xstatic.pkg.bootstrap  # noqa: E402  (Bootstrap's files ship in a PyPI package; no CDN)

STATICFILES_DIRS = [("bootstrap", xstatic.pkg.bootstrap.BASE_DIR)]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("DONGTHUAN_MANIFEST_STATIC", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
        if os.environ.get("REDIS_URL")
        # In each process: the portal's whole pages (portal/cache.py) of a few thousand addresses, about 30 KB each.
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 3000}}
    )
}

SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SESSION_COOKIE_SECURE else None
# Served over HTTPS only: plain HTTP is redirected, and browsers are told (HSTS) never to try it for a year, on the
# site's name and below it (the header asks to be preloaded; the name is only listed once submitted).
SECURE_SSL_REDIRECT = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000")) if SESSION_COOKIE_SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SESSION_COOKIE_SECURE
SECURE_HSTS_PRELOAD = SESSION_COOKIE_SECURE
# The proxies whose X-Forwarded-For is believed (addresses or networks, e.g. "127.0.0.1" for the nginx of README):
# behind nginx every request comes from it, and the client's address (for the limits on public forms) is the last
# one it appended. A request from any other address is taken at its own address, whatever its headers say.
TRUSTED_PROXIES = [a.strip() for a in os.environ.get("DONGTHUAN_TRUSTED_PROXIES", "").split(",") if a.strip()]
for _proxy in TRUSTED_PROXIES:
    ipaddress.ip_network(_proxy, strict=False)  # a mistyped entry stops the start rather than trusting nobody

# Content-Security-Policy: scripts only from the site's own static files (no inline script or event handler; the
# templates' behaviour is in core/static/dongthuan/app.js). Styles also allow 'unsafe-inline': progress bars and the
# dashboard's heat map are drawn with computed widths and colours in style attributes, the SVG charts carry style
# attributes, and htmx inserts its indicator style; an inline style cannot run code, and scripts stay locked.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],  # Bootstrap draws a few icons (selects, checkboxes) as data: SVG
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Pages of lists show this many rows.
PAGE_SIZE = 25

# Where work a request does not wait for runs (imports, a round's invitations): "thread", "worker" or "inline",
# see core/background.py. EXCHANGE_JOBS is its earlier name.
BACKGROUND_JOBS = os.environ.get("BACKGROUND_JOBS", os.environ.get("EXCHANGE_JOBS", "thread"))
# Imports of lists (dongthuan.exchange): the largest file and the most rows accepted at once.
EXCHANGE_MAX_UPLOAD_BYTES = int(os.environ.get("EXCHANGE_MAX_UPLOAD_BYTES", str(50 * 1024 * 1024)))
EXCHANGE_MAX_ROWS = 300_000
# Uploads larger than this go to a temporary file rather than memory while they are received.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Email: printed on the console by default (the demo needs no mail server); SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Đồng Thuận <khong-tra-loi@dongthuan.local>")
# The address the site is reached at, for links in emails sent outside a request (reminders).
SITE_URL = os.environ.get("DONGTHUAN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# R-ELE-1 (to confirm): the list for a secretary, deputy secretary, inspection committee or its chair may equal the
# seats (the surplus binds only a committee and its standing committee). "0" applies the surplus to them too.
ELECTION_LEADERS_LIST_MAY_EQUAL_SEATS = os.environ.get("DONGTHUAN_ELECTION_LEADERS_LIST_MAY_EQUAL_SEATS", "1") != "0"
# R-PUB-4 (to confirm): a draft put to the public stays open for opinions at least this many days.
PUBLIC_CONSULTATION_MIN_DAYS = int(os.environ.get("DONGTHUAN_PUBLIC_CONSULTATION_MIN_DAYS", "30"))
# Reminders go to those asked who have not answered this many days before a round closes.
CONSULTATION_REMINDER_DAYS = 3
# Action programs: days after a reporting period's last day during which reports for it are still taken, and how
# many days before a task's due date its responsible person is reminded.
PROGRAM_REPORT_GRACE_DAYS = int(os.environ.get("DONGTHUAN_PROGRAM_REPORT_GRACE_DAYS", "15"))
TASK_REMINDER_DAYS = 7
# The largest file attached to a periodic report as evidence.
PROGRAM_EVIDENCE_MAX_BYTES = int(os.environ.get("DONGTHUAN_PROGRAM_EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
# The public portal: the largest file a citizen attaches to a petition, how many, and how long anonymous visitors
# are served a page from the cache (a change of what the page shows drops it at once: portal/cache.py).
PETITION_FILE_MAX_BYTES = int(os.environ.get("DONGTHUAN_PETITION_FILE_MAX_BYTES", str(5 * 1024 * 1024)))
PETITION_MAX_FILES = 5
PORTAL_CACHE_SECONDS = int(os.environ.get("DONGTHUAN_PORTAL_CACHE_SECONDS", "300"))
# Secret polls without tellers are sealed with a key derived from this setting, which is never in the database: a
# dump or backup alone cannot decrypt them (whoever runs the server can; name tellers to guard against that too).
BALLOT_SEAL_KEY = os.environ.get("DONGTHUAN_BALLOT_SEAL_KEY", "") or SECRET_KEY
# A secret poll with fewer ballots than this is closed only when the chair confirms that the result may show how
# each voted.
SECRET_POLL_MIN_BALLOTS = int(os.environ.get("DONGTHUAN_SECRET_POLL_MIN_BALLOTS", "3"))
