"""Fast settings for the test suite: MD5 hashing, in-memory cache, no manifest storage."""

import os

# A served site needs a key (dongthuan/settings.py refuses to start without one unless DJANGO_DEBUG=1).
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-key-not-used-by-any-served-site")

from dongthuan.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ALLOWED_HOSTS = ["*"]
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
BACKGROUND_JOBS = "inline"
