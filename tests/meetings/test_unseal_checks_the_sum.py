"""A teller's code decrypts the sum of the ballots and nothing else. Whoever runs the server holds the seal key
that signs the sum; with it and the database they could put one ballot in place of the sum, and the tellers —
typing their codes in good faith — would decrypt that ballot, whose voter a copy of the database taken during the
vote pairs with it. A teller's share opens only a sum that is the sum of the ballots still kept."""

from __future__ import annotations

import pytest

from dongthuan.core.errors import DomainError
from dongthuan.meetings import sealing, services
from dongthuan.meetings.models import Ballot, Poll, PollSeal, SealShare
from tests.meetings.test_votes import _meeting


@pytest.mark.django_db
def test_tellers_do_not_unseal_a_sum_that_is_not_the_sum_of_the_ballots(world):
    _meeting_, item, people = _meeting(world, size=5, present=5)
    tellers = people[-3:]
    poll = services.poll_create(actor=None, item=item, question="Thông qua", kind="secret", tellers=tellers)
    codes = {t.pk: services.teller_code_take(actor=None, poll=poll, teller=t) for t in tellers}
    poll = services.poll_open(actor=None, poll=poll)
    receipts = {}
    for person, choice in zip(people, ["reject", "approve", "approve", "approve", "approve"], strict=True):
        receipts[person.pk] = services.vote_cast(actor=None, poll=poll, person=person, choice=choice)
    poll = services.poll_close(actor=None, poll=poll)
    # The operator picks the first voter's ballot (paired with them in a copy taken while voting: here, by receipt)
    # and signs it as the sum, with the server's seal key.
    target = next(
        bytes(c)
        for c in Ballot.objects.filter(poll=poll).values_list("ciphertext", flat=True)
        if sealing.receipt(bytes(c)) == receipts[people[0].pk]
    )
    seal = PollSeal.objects.get(poll=poll)
    seal.total, seal.ballots = target, 1
    seal.receipts = [sealing.receipt(target)]
    seal.digest = sealing.digest(seal.receipts)
    seal.count_mac = services._count_mac(poll, seal)
    seal.save()
    for teller in tellers[:2]:
        with pytest.raises(DomainError) as refused:
            services.poll_unseal(actor=None, poll=Poll.objects.get(pk=poll.pk), teller=teller, code=codes[teller.pk])
        assert refused.value.code == "seal_tampered"
    assert not SealShare.objects.filter(seal=seal, partial__isnull=False).exists()
    assert Poll.objects.get(pk=poll.pk).reject is None  # the first voter's "reject" was never read
