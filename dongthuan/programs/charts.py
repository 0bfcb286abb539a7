"""Charts drawn on the server as SVG (no script, no CDN): they print, scale on a phone and read aloud through
their title and the table beside them."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

STATUS_COLOURS = {
    "not_started": "#adb5bd",
    "on_track": "#198754",
    "at_risk": "#ffc107",
    "late": "#dc3545",
    "done": "#0d6efd",
    "cancelled": "#6c757d",
}


def status_bars(rows: list[tuple[str, str, int]]) -> SafeString:
    """Tasks by status as horizontal bars, each labelled with its count."""
    width, bar_left, row_height = 480, 150, 26
    largest = max((n for _s, _l, n in rows), default=0) or 1
    parts = []
    for i, (status, label, n) in enumerate(rows):
        y = i * row_height
        length = round((width - bar_left - 60) * n / largest)
        parts.append(
            format_html(
                '<text x="0" y="{}" font-size="13" dominant-baseline="middle">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="18" rx="3" fill="{}"></rect>'
                '<text x="{}" y="{}" font-size="13" dominant-baseline="middle">{}</text>',
                y + 10,
                label,
                bar_left,
                y + 1,
                length,
                STATUS_COLOURS.get(status, "#6c757d"),
                bar_left + length + 6,
                y + 10,
                f"{n:,}".replace(",", "."),
            )
        )
    height = row_height * len(rows)
    title = escape(_("Nhiệm vụ theo trạng thái"))
    return mark_safe(  # noqa: S308 - every part is escaped above
        f'<svg role="img" aria-label="{title}" viewBox="0 0 {width} {height}" width="100%" '
        f'style="max-width:{width}px" xmlns="http://www.w3.org/2000/svg"><title>{title}</title>{"".join(parts)}</svg>'
    )


def heat(progress: Decimal | None) -> str:
    """The background of a heat-map cell: red (0%) through yellow to green (100%); grey when nothing is counted."""
    if progress is None:
        return "#f1f3f5"
    share = float(progress) / 100
    hue = round(120 * share)  # 0 red, 60 yellow, 120 green
    return f"hsl({hue}, 70%, 80%)"
