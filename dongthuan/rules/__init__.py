"""The rules of the political system, each in one place with its id and citation.

Every rule of ../shared/domain/RULES.md that the product enforces is registered here (``RULES``) and
implemented as a small pure function or constant in the module of its family:

- ``organization`` — R-ORG-1 … R-ORG-4 (party cells, cell committees, terms, levels)
- ``decisions`` — R-DEC-1 … R-DEC-5 (majority, reserved opinions, serving members, quorum, secret ballots)
- ``elections`` — R-ELE-1 … R-ELE-5 (candidate lists, write-ins, winners, cell secretaries, nominations)
- ``documents`` — R-DOC-1 … R-DOC-5 (types, numbering, symbols, the official layout, immutability)
- ``publicity`` — R-PUB-1 … R-PUB-5 (what a commune discloses and what residents decide, written reply window,
  public posting period, every opinion answered)

Tests of a rule are named after its id (``test_r_org_1_…``). A rule marked "to confirm" is a setting whose
default is the value given in RULES.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Rule:
    id: str
    citation: str
    status: Literal["firm", "to confirm", "product rule"]
    summary: str


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
