"""A published bulletin proves its count only through the tellers' partial decryptions: a bulletin whose count no
threshold of proved partial decryptions gives — none at all, or a share listed twice to slip in a partial proved
against another key — must fail the check, even after the count, when the ballots are no longer kept."""

from __future__ import annotations

import base64
import copy

import pytest

from dongthuan.meetings import sealing, selectors, services
from tests.meetings.test_votes import _meeting, _vote


def _counted(world):
    """A secret poll of five, sealed by three tellers (two of three unseal), every ballot "reject", counted."""
    _meeting_, item, people = _meeting(world, size=5, present=5)
    tellers = people[-3:]
    poll = services.poll_create(actor=None, item=item, question="Thông qua", kind="secret", tellers=tellers)
    codes = {t.pk: services.teller_code_take(actor=None, poll=poll, teller=t) for t in tellers}
    services.poll_open(actor=None, poll=poll)
    _vote(poll, people, ["reject"] * 5)
    poll = services.poll_close(actor=None, poll=poll)
    for teller in tellers[:2]:
        poll = services.poll_unseal(actor=None, poll=poll, teller=teller, code=codes[teller.pk])
    assert (poll.status, poll.approve, poll.reject) == ("closed", 0, 5)
    bulletin = selectors.seal_bulletin(poll)
    assert bulletin["ballots"] == [] and bulletin["counts"] == [0, 5, 0]
    assert sealing.check_bulletin(bulletin) == []
    return bulletin


def _forged_total(bulletin, counts):
    """A "sum" whose first half is the identity: no decryption is needed to read ``counts`` from it."""
    packing = sealing.Packing(**bulletin["packing"])
    return sealing.text(b"".join(sealing.IDENTITY + sealing.base_mul(m) for m in packing.pack(counts)))


@pytest.mark.django_db
def test_a_bulletin_with_a_count_no_teller_decrypted_fails_the_check(world):
    bulletin = _counted(world)
    forged = copy.deepcopy(bulletin)
    forged["total"] = _forged_total(bulletin, [5, 0, 0])
    for share in forged["shares"]:
        share["partial"] = share["proof"] = None
    forged["counts"] = [5, 0, 0]
    assert sealing.check_bulletin(forged) == ["partials"]


@pytest.mark.django_db
def test_a_bulletin_listing_a_share_twice_fails_the_check(world):
    """Index 1 listed twice: once with a key the forger holds (its partial "proved" against it), once with the real
    public part, which alone the consistency check reads."""
    bulletin = _counted(world)
    forged = copy.deepcopy(bulletin)
    forged["total"] = _forged_total(bulletin, [5, 0, 0])
    total = base64.b64decode(forged["total"])
    width = len(total) // sealing.SLOT
    fakes = []
    for share in forged["shares"]:
        x = sealing.random_scalar()
        partial, proof = sealing.partial_decrypt(total, x, sealing.base_mul(x))
        assert partial == sealing.IDENTITY * width
        fakes.append(
            {
                **share,
                "verification": sealing.text(sealing.base_mul(x)),
                "partial": sealing.text(partial),
                "proof": sealing.text(proof),
            }
        )
        share["partial"] = share["proof"] = None
    forged["shares"] = fakes + forged["shares"]
    forged["counts"] = [5, 0, 0]
    assert "shares" in sealing.check_bulletin(forged)
