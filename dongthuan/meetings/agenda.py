"""The title of an agenda item as each reader may see it.

An item on a draft to decide (``AgendaItem.document``) is named by the draft ("Nghị quyết về …"), read when the item
is shown, not copied into the item when it is added: a copy would carry a classified draft's title to everyone who
sees the meeting. A classified draft (Mật, Tối mật, Tuyệt mật) is named only to the people named on it — the
access model of classified records, ``core.access.can_see_classified``; everyone else who sees the meeting reads "Văn bản mật",
on the meeting's page, in the minutes and their Word and PDF copies, in the history and in the admin. An unclassified
draft is named to everyone who sees the meeting that puts it before them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy

from dongthuan.core.access import named_record_ids
from dongthuan.core.types import Actor
from dongthuan.documents.models import Document
from dongthuan.meetings.models import AgendaItem, Minutes

HIDDEN_TITLE = gettext_lazy("Văn bản mật")


def draft_title(document: Document) -> str:
    """How an item names its draft: the type and the title ("Nghị quyết về công tác dân vận")."""
    return f"{document.doc_type.name} {document.title}"


def draft_hidden(item: AgendaItem, named: Collection[int]) -> bool:
    """Whether ``item``'s draft is classified and its reader is not named on it (``named``: the ids of the
    documents they are named on)."""
    document = item.document if item.document_id is not None else None
    return document is not None and document.is_classified and document.pk not in named


def item_title(item: AgendaItem, named: Collection[int]) -> str:
    """``item``'s title for a reader named on the documents ``named``: its own, or its draft's; "Văn bản mật" when
    its draft is classified and the reader is not named on it (whatever title the item was given)."""
    if item.document_id is None:
        return item.title or ""
    if draft_hidden(item, named):
        return str(HIDDEN_TITLE)
    return item.title or draft_title(item.document)  # type: ignore[arg-type]


def _named_drafts(user: Actor, items: Iterable[AgendaItem]) -> set[int]:
    """The documents ``user`` is named on, read only when one of ``items`` is on a classified draft (else none:
    no query)."""
    if not any(i.document_id is not None and i.document.is_classified for i in items):  # type: ignore[union-attr]
        return set()
    return set(named_record_ids(user, Document))


def titles_for(user: Actor, items: Iterable[AgendaItem]) -> dict[int, str]:
    """Each item's title as ``user`` may see it, by the item's id (load the items with ``document__doc_type``)."""
    items = list(items)
    named = _named_drafts(user, items)
    return {item.pk: item_title(item, named) for item in items}


def public_title(item: AgendaItem) -> str:
    """The title anyone who sees the meeting may read (nobody named on a classified draft): for what is written
    where every reader sees it — the history, the admin, a poll's default question."""
    return item_title(item, ())


def stored_title(item: AgendaItem) -> str:
    """``public_title`` in Vietnamese, the language of what is stored with the record."""
    with translation.override("vi"):
        return public_title(item)


def shown_titles(user: Actor, items: list[AgendaItem]) -> dict[int, tuple[str, bool]]:
    """Each item's title as ``user`` may see it and whether they may follow the link to its draft, by the item's
    id (load the items with ``document__doc_type``)."""
    named = _named_drafts(user, items)
    return {
        item.pk: (item_title(item, named), item.document_id is not None and not draft_hidden(item, named))
        for item in items
    }


def minutes_sections(minutes: Minutes, user: Actor) -> list[dict[str, Any]]:
    """The sections of ``minutes`` as ``user`` reads them. The stored heading of an agenda item's section is the
    one anyone may read ("II. VĂN BẢN MẬT" for a classified draft); a reader named on the draft reads its title."""
    sections = [dict(s) for s in minutes.sections]
    ids = [s["item"] for s in sections if s.get("item")]
    if not ids:
        return sections
    items = AgendaItem.objects.filter(meeting=minutes.meeting_id, pk__in=ids).select_related("document__doc_type")
    by_id = {item.pk: item for item in items}
    named = _named_drafts(user, by_id.values())
    with translation.override("vi"):  # the minutes are an official record in Vietnamese
        for section in sections:
            item = by_id.get(section.get("item") or 0)
            if item is not None and section.get("numeral"):
                section["heading"] = f"{section['numeral']}. {item_title(item, named).upper()}"
    return sections
