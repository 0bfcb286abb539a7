"""The demo's people: fictional party members, cadres and citizens, drawn from the demo's seeded generator and
written through the people services. The organisations' step (``organizations/demo.py``) calls ``person`` for
everyone it seats, in the order the story meets them, so that the same people come out on every machine."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dongthuan.core.demo import DemoContext
from dongthuan.core.demo_names import fictional_name
from dongthuan.organizations.models import Organization
from dongthuan.people import services as people
from dongthuan.people.models import PartyStatus, Person


def person(demo: DemoContext, *, cell: Organization | None, status: str, home: Organization | None = None) -> Person:
    """A fictional person: a party member of ``cell`` (full or probationary, with a card number) or, with
    ``PartyStatus.NONE``, a citizen; ``home`` is where they live or work."""
    rng = demo.rng
    name, gender = fictional_name(rng)
    birth = dt.date(rng.randint(1950, 1995), rng.randint(1, 12), rng.randint(1, 28))
    fields: dict[str, Any] = {"gender": gender, "birth_date": birth, "home_organization": home}
    if status in (PartyStatus.FULL, PartyStatus.PROBATIONARY):
        demo.party_cards = getattr(demo, "party_cards", 0) + 1
        joined = dt.date(rng.randint(max(birth.year + 18, 1975), 2016), rng.randint(1, 12), 15)
        if status == PartyStatus.PROBATIONARY:
            joined = dt.date(2016, rng.randint(6, 12), 15)
        fields.update(
            party_status=status,
            cell=cell,
            joined_on=joined,
            full_on=joined.replace(year=joined.year + 1) if status == PartyStatus.FULL else None,
            party_card_number=f"26.{demo.party_cards:06d}",
        )
    return people.person_create(actor=None, full_name=name, **fields)
