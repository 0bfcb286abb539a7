"""Full-text search of the library, made for Vietnamese.

A Vietnamese word is mostly two or more syllables, and one syllable alone ("cán", "bộ", "đảng") is in nearly every
party document. So what the index reads of a document (``Document.search_text``, folded: no diacritics, lower case)
holds every syllable *and every pair of neighbouring syllables*, joined by ``q`` (no Vietnamese syllable ends in q):
"cán bộ, đảng viên" gives ``can bo dang vien canqbo boqdang dangqvien``. A search for several syllables asks for
their pairs — close to the phrase, far more selective than the syllables, so both faster and more exact; a search
for one syllable asks for it. The last syllable or pair is asked whole first, and as the start of a word only when
no document has it whole: "trung m" finds "Trung Mỹ" while one types, and "nông thôn" is not widened to "nông
thông" (asking for a prefix also costs the index ten times a word: it reads every match). When no document has the
pairs ("phân công trách nhiệm" against "phân công rõ trách nhiệm"), the search asks for the syllables anywhere
instead, again whole before as a prefix (``steps``).

The text also carries tags for what the library filters by and whose documents a reader may see: ``zzorg<id>``
for the issuer, ``zztype<id>``, ``zzyear<year>``, ``zzfield<field>``, so one lookup answers a search with its
filters and the reader's reach (``permissions.document_scope``, this app's). Only issued, unclassified documents are
in the index (SQLite: FTS5 tables kept by triggers, migration 0007; PostgreSQL: stored tsvector columns with partial
GIN indexes, migration 0009, the condition in the query).
Classified documents a reader was granted are searched apart (they are few) and listed first.

Ranking, as a library reader expects it: documents whose number, type or title (``search_title``, the trích yếu)
match come first, best first (bm25 on SQLite, ts_rank on PostgreSQL); then those matching in their text, newest
first. At most ``RANK_WINDOW`` text matches are read: a search that finds more says so and asks for another word or
a filter — counting or ranking tens of thousands of matches would cost more than a reader waits, and a search that
broad is better narrowed than paged through.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, overload

from django.db import connection

from dongthuan.core.text import fold

JOIN = "q"
TAG = "zz"  # no Vietnamese word starts with zz
RANK_WINDOW = 1000
TITLE_LIMIT = 200  # the title matches ranked first
SYLLABLE = re.compile(r"[^\W_]+")


def syllables(text: str) -> list[str]:
    """The folded syllables (and numbers) of ``text``."""
    return SYLLABLE.findall(fold(text))


def index_text(*, organization_id: int, doc_type_id: int, year: int | None, field: str, parts: Iterable[str]) -> str:
    """What the index holds for a document: its syllables, the pairs of neighbouring syllables, and its tags."""
    words = syllables(" ".join(p for p in parts if p))
    pairs = [a + JOIN + b for a, b in zip(words, words[1:], strict=False)]
    tags = [f"{TAG}org{organization_id}", f"{TAG}type{doc_type_id}"]
    if year:
        tags.append(f"{TAG}year{year}")
    if field:
        tags.append(f"{TAG}field{''.join(syllables(field))}")
    return " ".join(words + pairs + tags)


def document_texts(
    *,
    symbol: str,
    type_name: str,
    title: str,
    field: str,
    sections: Iterable[dict[str, str]],
    organization_id: int,
    doc_type_id: int,
    year: int | None,
) -> tuple[str, str]:
    """A document's ``search_title`` (number, type, title) and ``search_text`` (those, its field and its text), each
    with its tags. Migration 0007 indexed the documents then present with its own frozen copy of this: a change of
    what the index holds needs a new migration that indexes them again."""
    heading = [symbol, type_name, title]
    body = [field] + [f"{s['heading']} {s['text']}" for s in sections]

    def text(parts: list[str]) -> str:
        return index_text(organization_id=organization_id, doc_type_id=doc_type_id, year=year, field=field, parts=parts)

    return text(heading), text(heading + body)


def query_terms(q: str) -> list[str]:
    """The syllables of a search (at most 8), tags typed by a reader left out."""
    return [w for w in syllables(q) if not w.startswith(TAG)][:8]


@dataclass(frozen=True)
class Filters:
    issuers: Sequence[int] | None = None  # the reader's reach; None: every issuer
    organization: int | None = None
    doc_type: int | None = None
    year: int | None = None
    field: str = ""

    def tags(self) -> list[str]:
        tags = []
        if self.organization:
            tags.append(f"{TAG}org{self.organization}")
        if self.doc_type:
            tags.append(f"{TAG}type{self.doc_type}")
        if self.year:
            tags.append(f"{TAG}year{self.year}")
        if self.field:
            tags.append(f"{TAG}field{''.join(syllables(self.field))}")
        return tags


def steps(words: list[str]) -> list[tuple[bool, bool]]:
    """The ways a search is asked, in turn until one finds something: (pairs, last token as a prefix)."""
    first = [(True, False), (True, True)]
    return first + [(False, False), (False, True)] if len(words) > 1 else first


def _needles(words: list[str], pairs: bool = True) -> list[str]:
    """The tokens a search asks for: the pairs of neighbouring syllables, or (``pairs`` False) the syllables."""
    if len(words) == 1 or not pairs:
        return list(words)
    return [a + JOIN + b for a, b in zip(words, words[1:], strict=False)]


def token_patterns(words: list[str], pairs: bool = True, prefix: bool = False) -> list[str]:
    """The tokens as regular expressions on the search text (for the few documents matched without the index)."""
    needles = _needles(words, pairs)
    return [rf"(^| ){t}( |$)" for t in needles[:-1]] + [rf"(^| ){needles[-1]}" + ("" if prefix else "( |$)")]


def fts5_expression(words: list[str], filters: Filters, pairs: bool = True, prefix: bool = False) -> str:
    needles = _needles(words, pairs)
    parts = [f'"{t}"' for t in needles] + filters.tags()
    if prefix:
        parts[len(needles) - 1] += "*"
    if filters.issuers is not None:
        parts.append("(" + " OR ".join(f"{TAG}org{pk}" for pk in filters.issuers) + ")" if filters.issuers else "zzz")
    return " AND ".join(parts)


def tsquery_expression(words: list[str], filters: Filters | None, pairs: bool = True, prefix: bool = False) -> str:
    """The search as a PostgreSQL text query; without ``filters``, the words alone (for ranking)."""
    parts = _needles(words, pairs)
    if prefix:
        parts[-1] += ":*"
    if filters is None:
        return " & ".join(parts)
    parts += filters.tags()
    if filters.issuers is not None:
        parts.append("(" + " | ".join(f"{TAG}org{pk}" for pk in filters.issuers) + ")" if filters.issuers else "zzz")
    return " & ".join(parts)


LIBRARY = "status = 'issued' AND classification = ''"  # what the PostgreSQL queries read (the FTS5 tables hold only it)


class Matches(Sequence[int]):
    """The ids of the documents a search finds, in order (Django's Paginator counts them and slices one page): the
    classified ones the reader was granted, then the title matches best first, then the text matches newest first
    — two queries, made once."""

    def __init__(
        self, words: list[str], filters: Filters, first: list[int], pairs: bool = True, prefix: bool = False
    ) -> None:
        self.first = first
        self.vendor = connection.vendor
        if self.vendor == "postgresql":
            self.params: list[Any] = [tsquery_expression(words, filters, pairs, prefix)]
            self.rank_params: list[Any] = [tsquery_expression(words, None, pairs, prefix)]
            # A search narrowed to some issuers or by a filter finds few documents: collect them through the index,
            # then sort ("id + 0" keeps the planner from walking every document newest first and testing each,
            # 400 ms for a commune's reader); a search of the whole library walks newest first (5 ms for a phrase
            # in every document, where collecting 45,000 matches first takes 240 ms).
            narrowed = filters.issuers is not None or bool(filters.tags())
            self.order = "id + 0 DESC" if narrowed else "id DESC"
        else:
            self.params = [fts5_expression(words, filters, pairs, prefix)]
            self.rank_params = []
        self._ids: list[int] | None = None
        self.capped = False

    def _rows(self, sql: str, params: list[Any]) -> list[Any]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def ids(self) -> list[int]:
        if self._ids is None:
            if self.vendor == "postgresql":
                title, text = "search_title_vector", "search_vector"  # stored columns (migration 0009)
                titled = self._rows(
                    f"SELECT id FROM documents_document WHERE {LIBRARY} AND {title} @@ to_tsquery('simple', %s) "  # noqa: S608
                    f"ORDER BY ts_rank({title}, to_tsquery('simple', %s)) DESC, id DESC LIMIT %s",
                    [*self.params, *self.rank_params, TITLE_LIMIT],
                )
                found = self._rows(
                    f"SELECT id FROM documents_document WHERE {LIBRARY} AND {text} @@ to_tsquery('simple', %s) "  # noqa: S608
                    f"ORDER BY {self.order} LIMIT %s",
                    [*self.params, RANK_WINDOW + 1],
                )
            else:
                titled = self._rows(
                    "SELECT rowid FROM documents_document_title_fts WHERE documents_document_title_fts MATCH %s "
                    "ORDER BY rank, rowid DESC LIMIT %s",
                    [*self.params, TITLE_LIMIT],
                )
                found = self._rows(
                    "SELECT rowid FROM documents_document_fts WHERE documents_document_fts MATCH %s "
                    "ORDER BY rowid DESC LIMIT %s",
                    [*self.params, RANK_WINDOW + 1],
                )
            self.capped = len(found) > RANK_WINDOW
            seen = set(self.first) | set(titled)
            self._ids = self.first + [pk for pk in titled if pk not in self.first]
            self._ids += [pk for pk in found[:RANK_WINDOW] if pk not in seen]
        return self._ids

    def count(self, value: object = None) -> int:  # type: ignore[override]  # Paginator calls count()
        return len(self.ids())

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, index: int) -> int: ...
    @overload
    def __getitem__(self, index: slice) -> list[int]: ...
    def __getitem__(self, index: int | slice) -> int | list[int]:
        return self.ids()[index]
