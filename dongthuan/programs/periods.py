"""Reporting periods of a program: months, quarters, halves or years of the calendar, and when a period is closed
(``PROGRAM_REPORT_GRACE_DAYS`` after its last day: reports come in after the period, then the books close)."""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _

MONTHS = {"month": 1, "quarter": 3, "half": 6, "year": 12}


def bounds(every: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the period of kind ``every`` holding ``day``."""
    months = MONTHS[every]
    first_month = (day.month - 1) // months * months + 1
    last_month = first_month + months - 1
    start = dt.date(day.year, first_month, 1)
    return start, dt.date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])


def label(every: str, end: dt.date) -> str:
    """How people name the period ending on ``end``: "Tháng 3/2026", "Quý I/2026", "6 tháng đầu năm 2026"."""
    if every == "month":
        return _("Tháng %(m)s/%(y)s") % {"m": end.month, "y": end.year}
    if every == "quarter":
        return _("Quý %(q)s/%(y)s") % {"q": ["I", "II", "III", "IV"][(end.month - 1) // 3], "y": end.year}
    if every == "half":
        if end.month <= 6:
            return _("6 tháng đầu năm %(y)s") % {"y": end.year}
        return _("6 tháng cuối năm %(y)s") % {"y": end.year}
    return _("Năm %(y)s") % {"y": end.year}


def closes_on(end: dt.date) -> dt.date:
    return end + dt.timedelta(days=settings.PROGRAM_REPORT_GRACE_DAYS)


def is_open(every: str, end: dt.date, today: dt.date) -> bool:
    """A period takes reports from its first day until it closes."""
    start, _last = bounds(every, end)
    return start <= today <= closes_on(end)


def open_periods(every: str, today: dt.date) -> list[dt.date]:
    """The last days of the periods open today, latest first (the current one, and the last one while it is still
    taking reports)."""
    _start, current = bounds(every, today)
    previous = bounds(every, _start - dt.timedelta(days=1))[1]
    return [current] + ([previous] if today <= closes_on(previous) else [])
