"""The rules of the political system, each in one place with its id and citation.

Every rule the product encodes is registered here (``RULES``) with its wording, the source it comes from, its status
and where it is encoded, and implemented as a small pure function or constant in the module of its family:

- ``organization`` — R-ORG-1 … R-ORG-4 (party cells, cell committees, terms, levels)
- ``decisions`` — R-DEC-1 … R-DEC-5 (majority, reserved opinions, serving members, quorum, secret ballots)
- ``elections`` — R-ELE-1 … R-ELE-5 (candidate lists, write-ins, winners, cell secretaries, nominations)
- ``documents`` — R-DOC-1 … R-DOC-5 (types, numbering, symbols, the official layout, immutability)
- ``publicity`` — R-PUB-1 … R-PUB-5 (what a commune discloses and what residents decide, written reply window,
  public posting period, every opinion answered)

The catalogue, docs/rules.md, is written from this registry and the tests by ``manage.py rules_doc``
(``catalogue``). Tests of a rule are named after its id (``test_r_org_1_…``). A rule marked "to confirm" is a
setting whose default is the value its wording gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["firm", "to confirm", "product rule"]

# What a status means (the catalogue explains it).
STATUSES: dict[Status, str] = {
    "firm": "the source text was read; encoded as the default and tested at its edges.",
    "to confirm": "secondary sources or older texts only; encoded as a configurable default, with the citation kept.",
    "product rule": "a rule of the product itself rather than of a source text.",
}

# The families of rules, in the catalogue's order: the id's middle part and a heading.
FAMILIES: dict[str, str] = {
    "ORG": "Party cells, terms and levels",
    "DEC": "Decisions of a collective body",
    "ELE": "Elections and personnel votes",
    "DOC": "Documents: types, numbers, layout",
    "PUB": "Citizens and consultation",
}


@dataclass(frozen=True)
class Rule:
    """A rule: ``wording`` as the domain states it, ``citation`` its source, ``enforced`` where the product encodes
    it (paths under dongthuan/, names in backquotes), and ``note`` where the product does not (yet) do all the
    wording says."""

    id: str
    citation: str
    status: Status
    wording: str
    enforced: str = ""
    note: str = ""


RULES: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    if rule.id in RULES:
        raise ValueError(f"Rule {rule.id} is registered twice")
    RULES[rule.id] = rule
    return rule


from dongthuan.rules import decisions as decisions  # noqa: E402  (registers R-DEC-*)
from dongthuan.rules import documents as documents  # noqa: E402  (registers R-DOC-*)
from dongthuan.rules import elections as elections  # noqa: E402  (registers R-ELE-*)
from dongthuan.rules import organization as organization  # noqa: E402  (registers R-ORG-*)
from dongthuan.rules import publicity as publicity  # noqa: E402  (registers R-PUB-*)
