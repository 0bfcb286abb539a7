"""Rules of elections and personnel votes: candidate lists, write-ins, winners, cell secretaries, nominations
(R-ELE-*). Pure functions over counts; the meetings capability records the ballots and calls them."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Generic, TypeVar

from django.utils.translation import gettext as _

from dongthuan.rules import Rule, register

C = TypeVar("C", bound=Hashable)

R_ELE_1 = register(
    Rule(
        id="R-ELE-1",
        citation="Quy định 190-QĐ/TW, Điều 14",
        status="firm",
        wording=(
            "For a committee (cấp ủy) or its standing committee the candidate list must be longer than the number of "
            "seats; the surplus is decided by the congress (conference) but is at most 30% of the seats (the convening "
            "committee prepares 10–15%). Where 30% of the seats is less than one person (bodies of up to 5 seats, e.g. "
            "3–5), the surplus is at most one person (organisation board's guidance on 190). The surplus rule does not "
            "bind the election of a secretary, deputy secretary, inspection committee or its chair, nor a cell "
            "secretary: their list may equal the seats (to confirm; a setting). Examples: 10 seats → 11–13 candidates; "
            "4 seats → exactly 5; 1 seat for secretary → 1 or more."
        ),
        enforced=(
            "`rules/elections.py` `surplus_bounds`, `surplus_required`, `candidate_list_problem`; checked when an "
            "election's first round opens (`meetings/services.py` `poll_open`) for what the election fills "
            "(`Poll.elects`); a cell secretary (`Poll.cell_secretary`) is elected from a list of one or more; the "
            "exemption of leaders' elections is the setting `ELECTION_LEADERS_LIST_MAY_EQUAL_SEATS` (to confirm)"
        ),
    )
)
R_ELE_2 = register(
    Rule(
        id="R-ELE-2",
        citation="Quy định 190-QĐ/TW, Điều 14",
        status="firm",
        wording=(
            "A nominee not proposed by the convening committee joins the list only if more than 30% of delegates agree."
        ),
        enforced=(
            "`rules/elections.py` `write_in_admitted`; `meetings/services.py` `candidate_add` (`write_in=True`, "
            "`agree`)"
        ),
    )
)
R_ELE_3 = register(
    Rule(
        id="R-ELE-3",
        citation="Quy định 190-QĐ/TW (số điều cần xác nhận)",
        status="to confirm",
        wording=(
            "A candidate is elected with more than half of the votes of all voters summoned; if more candidates pass "
            "than seats, the highest counts win; a tie for the last seat goes to another round between the tied "
            "candidates."
        ),
        enforced="`rules/elections.py` `election_result`; counted by `meetings/services.py` `poll_close` for elections",
    )
)
R_ELE_4 = register(
    Rule(
        id="R-ELE-4",
        citation="Hướng dẫn đại hội chi bộ 2025",
        status="firm",
        wording=(
            "If no candidate for cell secretary is elected after the third round, the higher committee appoints one."
        ),
        enforced=(
            "`rules/elections.py` `cell_secretary_appointed_by_higher_level`; `meetings/services.py` "
            "`next_round_problem` stops a fourth round (`Poll.cell_secretary`)"
        ),
    )
)
R_ELE_5 = register(
    Rule(
        id="R-ELE-5",
        citation="Quy định 105-QĐ/TW (thực tiễn giữ ở Quy định 80, 377; cần xác nhận trong 377)",
        status="to confirm",
        wording=(
            "In a nomination round each member proposes one person per post by secret ballot; the person with the most "
            "votes is nominated if above 50%; otherwise the top two go on to the next step; the tally is not announced "
            "at that conference."
        ),
        enforced=(
            "`rules/elections.py` `nomination_result`; `meetings/services.py` `poll_close`, `tally_enter` count a poll "
            "whose `method` is nomination; the counts are kept out of the screen and the minutes "
            "(`meetings/minutes.py`)"
        ),
    )
)

# R-ELE-1
MAX_SURPLUS = Fraction(3, 10)
# R-ELE-2
WRITE_IN_THRESHOLD = Fraction(3, 10)
# R-ELE-4
CELL_SECRETARY_MAX_ROUNDS = 3


# What an election fills (``meetings.models.Elects``): the surplus binds a committee and its standing committee.
SURPLUS_ELECTIONS = frozenset({"committee", "standing_committee"})


def surplus_bounds(seats: int) -> tuple[int, int]:
    """R-ELE-1: the fewest and the most candidates for ``seats`` on a committee's list: more than the seats, with a
    surplus of at most 30% of them — at most one person where 30% is less than one (up to 3 seats)."""
    return seats + 1, seats + max(1, int(MAX_SURPLUS * seats))


def surplus_required(elects: str) -> bool:
    """R-ELE-1: whether the list for this election must be longer than the seats — a committee's or a standing
    committee's; a secretary's, deputy secretary's, inspection committee's or its chair's list may equal the seats
    (to confirm: the setting ``ELECTION_LEADERS_LIST_MAY_EQUAL_SEATS``, on by default, as the guidance reads)."""
    from django.conf import settings

    return elects in SURPLUS_ELECTIONS or not settings.ELECTION_LEADERS_LIST_MAY_EQUAL_SEATS


def candidate_list_problem(candidates: int, seats: int, surplus: bool = True) -> str | None:
    """R-ELE-1: why a list of ``candidates`` for ``seats`` is not allowed, or None. ``surplus`` False: a leader's
    election, whose list needs only as many people as the seats."""
    if seats < 1:
        return _("Số lượng cần bầu phải ít nhất là 1.")
    if not surplus:
        if candidates < seats:
            return _("Danh sách cần ít nhất %(seats)s người cho %(seats)s chỗ.") % {"seats": seats}
        return None
    fewest, most = surplus_bounds(seats)
    if candidates < fewest:
        return _("Danh sách phải nhiều hơn số lượng cần bầu: cần ít nhất %(fewest)s người cho %(seats)s chỗ.") % {
            "fewest": fewest,
            "seats": seats,
        }
    if candidates > most:
        return _("Số dư vượt 30%%: nhiều nhất %(most)s người cho %(seats)s chỗ.") % {"most": most, "seats": seats}
    return None


def write_in_admitted(agree: int, delegates: int) -> bool:
    """R-ELE-2: a write-in nominee joins the list iff more than 30% of delegates agree (10 delegates: 4 yes)."""
    return delegates > 0 and Fraction(agree, delegates) > WRITE_IN_THRESHOLD


@dataclass(frozen=True)
class ElectionResult(Generic[C]):
    elected: list[C]
    runoff: list[C] = field(default_factory=list)  # tied for the last seat(s): another round between them
    seats_left: int = 0  # seats the runoff fills


def election_result(votes: Mapping[C, int], summoned: int, seats: int) -> ElectionResult[C]:
    """R-ELE-3: candidates with more than half of the votes of all voters summoned pass; the highest counts take
    the seats; a tie across the last seat sends the tied candidates to another round for the seats left."""
    passing = sorted(((n, c) for c, n in votes.items() if 2 * n > summoned), key=lambda x: -x[0])
    if len(passing) <= seats:
        return ElectionResult([c for _n, c in passing])
    cut = passing[seats - 1][0]  # the count of the last seat
    above = [c for n, c in passing if n > cut]
    tied = [c for n, c in passing if n == cut]
    if len(above) + len(tied) == seats:
        return ElectionResult(above + tied)
    return ElectionResult(above, runoff=tied, seats_left=seats - len(above))


def cell_secretary_appointed_by_higher_level(rounds_without_result: int) -> bool:
    """R-ELE-4: after the third round with nobody elected, the higher committee appoints the cell secretary."""
    return rounds_without_result >= CELL_SECRETARY_MAX_ROUNDS


@dataclass(frozen=True)
class NominationResult(Generic[C]):
    nominated: C | None
    next_step: list[C]  # when nobody has more than half: the top two (more when tied) go on


def nomination_result(votes: Mapping[C, int], voters: int) -> NominationResult[C]:
    """R-ELE-5: the most-voted person is nominated if above 50% of voters; otherwise the top two go on (everyone
    tied with the second goes on too). The tally itself is not announced at the conference."""
    ranked = sorted(((n, c) for c, n in votes.items() if n > 0), key=lambda x: -x[0])
    if not ranked:
        return NominationResult(None, [])
    best_n, best = ranked[0]
    if 2 * best_n > voters and (len(ranked) == 1 or ranked[1][0] < best_n):
        return NominationResult(best, [])
    if len(ranked) <= 2:
        return NominationResult(None, [c for _n, c in ranked])
    second = ranked[1][0]
    return NominationResult(None, [c for n, c in ranked if n >= second])
