"""R-DEC-1 and R-DEC-4 at their edges (pure functions; the services' use of them is in tests/meetings)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from dongthuan.rules import RULES
from dongthuan.rules.decisions import Quorum, approvals_needed, passes, quorum_fraction, quorum_needed


@pytest.mark.parametrize(
    ("approvals", "serving", "expected"),
    [
        (4, 7, True),  # the rule's own example
        (3, 7, False),
        (4, 8, False),  # a tie fails
        (5, 8, True),
        (1, 1, True),
        (0, 1, False),
        (1, 2, False),
        (2, 3, True),
        (8, 15, True),
        (7, 15, False),
        (0, 0, False),  # no serving member: nothing can pass
    ],
)
def test_r_dec_1_more_than_half_of_all_serving_members(approvals, serving, expected):
    assert passes(approvals, serving) is expected


@pytest.mark.parametrize(("serving", "needed"), [(1, 1), (2, 2), (3, 2), (7, 4), (8, 5), (15, 8), (51, 26)])
def test_r_dec_1_approvals_needed(serving, needed):
    assert approvals_needed(serving) == needed
    assert passes(needed, serving) and not passes(needed - 1, serving)


@pytest.mark.parametrize(("serving", "needed"), [(3, 2), (6, 4), (7, 5), (9, 6), (10, 7), (15, 10), (1, 1)])
def test_r_dec_4_quorum_is_at_least_two_thirds_of_serving(serving, needed):
    assert quorum_needed(serving) == needed
    assert Quorum(serving, needed, Fraction(2, 3)).met
    assert not Quorum(serving, needed - 1, Fraction(2, 3)).met


def test_r_dec_4_is_a_body_setting_with_the_default_when_missing_or_malformed():
    assert quorum_fraction(None) == Fraction(2, 3)
    assert quorum_fraction("1/2") == Fraction(1, 2)
    assert quorum_fraction("abc") == Fraction(2, 3)
    assert quorum_fraction("3/2") == Fraction(2, 3)
    assert quorum_needed(7, Fraction(1, 2)) == 4
    assert RULES["R-DEC-4"].status == "to confirm"


def test_r_dec_4_message_says_how_many_more_are_needed():
    assert Quorum(7, 3, Fraction(2, 3)).message() == (
        "Chưa đủ số lượng: có mặt 3/7, cần ít nhất 5 (2/3); còn thiếu 2 thành viên."
    )


def test_r_dec_rules_are_registered_with_citations():
    for rule_id in ("R-DEC-1", "R-DEC-2", "R-DEC-3", "R-DEC-4", "R-DEC-5"):
        assert RULES[rule_id].citation
