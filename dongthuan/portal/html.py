"""An article's body as safe HTML: what an editor pastes or types is cleaned to a short list of tags and attributes
(nh3, the Ammonia sanitiser), plain text becomes paragraphs, and the pictures of the article are placed between the
paragraphs they follow."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import nh3
from django.utils.html import escape, linebreaks

from dongthuan.core.text import nfc

TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "blockquote",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "sup",
    "sub",
}
ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"}}
_BLOCK = re.compile(r"<\s*(p|h[2-4]|ul|ol|blockquote|table)\b", re.IGNORECASE)
# The end of a top-level block in the cleaned body (the cleaner closes every tag it keeps).
_BLOCK_END = re.compile(r"</(p|h[2-4]|ul|ol|blockquote|table)>", re.IGNORECASE)


def clean_body(raw: str) -> str:
    """The body as it is kept: NFC, sanitised; text without block tags is split into paragraphs at blank lines."""
    text = nfc(raw).replace("\r\n", "\n").strip()
    if not _BLOCK.search(text):
        text = linebreaks(escape(text)) if "<" not in text else linebreaks(text)
    return nh3.clean(
        text,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    ).strip()


def plain(html: str) -> str:
    """The words of a body without its tags (for search, descriptions and feeds)."""
    import html as entities

    return " ".join(entities.unescape(nh3.clean(html.replace("<", " <"), tags=set())).split())


def blocks(html: str) -> list[str]:
    """The top-level blocks of a cleaned body, in order."""
    out: list[str] = []
    depth_start = 0
    for match in _BLOCK_END.finditer(html):
        chunk = html[depth_start : match.end()]
        # A closing tag nested inside another block (a list inside a quote) does not end the outer block.
        opened = len(_BLOCK.findall(chunk))
        closed = len(_BLOCK_END.findall(chunk))
        if opened <= closed:
            out.append(chunk.strip())
            depth_start = match.end()
    rest = html[depth_start:].strip()
    if rest:
        out.append(rest)
    return [b for b in out if b]


def with_images(html: str, images: Iterable[Any]) -> list[tuple[str, list[Any]]]:
    """The body's blocks, each with the pictures to show after it; pictures placed after paragraph 0 come first
    (with an empty block), those beyond the last paragraph at the end."""
    parts = blocks(html)
    after: dict[int, list[Any]] = {}
    for image in images:
        after.setdefault(min(image.after_paragraph, len(parts)), []).append(image)
    out: list[tuple[str, list[Any]]] = []
    if after.get(0):
        out.append(("", after[0]))
    out += [(block, after.get(n, [])) for n, block in enumerate(parts, start=1)]
    return out
