"""A browser's name for people ("Chrome trên Windows") from its user agent, and the device cookie."""

from __future__ import annotations

import hashlib
import re

from django.utils.translation import gettext as _

DEVICE_COOKIE = "dongthuan_device"
DEVICE_COOKIE_AGE = 400 * 24 * 3600  # the longest browsers keep a cookie

_BROWSERS = [  # the first that matches: Edge, Opera and Cốc Cốc also say "Chrome", Chrome also says "Safari"
    ("Cốc Cốc", r"coc_coc_browser"),
    ("Edge", r"Edg(e|A|iOS)?/"),
    ("Opera", r"OPR/|Opera"),
    ("Firefox", r"Firefox/|FxiOS/"),
    ("Chrome", r"Chrome/|CriOS/"),
    ("Safari", r"Safari/"),
]
_SYSTEMS = [
    ("Android", r"Android"),
    ("iPhone", r"iPhone"),
    ("iPad", r"iPad"),
    ("Windows", r"Windows"),
    ("macOS", r"Macintosh|Mac OS X"),
    ("Linux", r"Linux|X11"),
]


def device_label(user_agent: str) -> str:
    browser = next((name for name, pattern in _BROWSERS if re.search(pattern, user_agent)), "")
    system = next((name for name, pattern in _SYSTEMS if re.search(pattern, user_agent)), "")
    if browser and system:
        return _("%(browser)s trên %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("Trình duyệt không rõ")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
