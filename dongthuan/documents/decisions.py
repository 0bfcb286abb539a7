"""What the apps above documents say was decided about a document — the votes on it at meetings (R-DEC-1) —
shown on the document's page. Documents sits below meetings (an agenda item carries a draft), so it does not read
meetings' tables: meetings registers a source here when it starts (``MeetingsConfig.ready``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dongthuan.documents.models import Document


@dataclass(frozen=True)
class Decision:
    """One vote on a document: where and when, the question, and its outcome once closed."""

    url: str
    meeting: str
    day: dt.datetime
    question: str
    closed: bool
    approve: int
    serving: int
    passed: bool
    status: str  # the poll's status in words, while it is not closed


Source = Callable[["Document"], list[Decision]]
_sources: list[Source] = []


def register(source: Source) -> None:
    if source not in _sources:
        _sources.append(source)


def decisions_on(document: Document) -> list[Decision]:
    return [decision for source in _sources for decision in source(document)]
