"""R-ELE-1 … R-ELE-5 at their edges."""

from __future__ import annotations

import pytest

from dongthuan.rules import RULES
from dongthuan.rules.elections import (
    ElectionResult,
    candidate_list_problem,
    cell_secretary_appointed_by_higher_level,
    election_result,
    nomination_result,
    surplus_bounds,
    surplus_required,
    write_in_admitted,
)


@pytest.mark.parametrize(
    ("candidates", "seats", "ok"),
    [
        (10, 10, False),  # not longer than the seats
        (11, 10, True),
        (13, 10, True),  # 30% surplus
        (14, 10, False),
        (17, 15, True),
        (19, 15, True),  # 4 = floor(4.5)
        (20, 15, False),
        (3, 3, False),
        (4, 3, True),  # 30% of 3 seats is under one person: the surplus is at most one (the guidance on 190)
        (5, 3, False),
        (5, 4, True),  # 4 seats → exactly 5
        (6, 4, False),
        (6, 5, True),  # 1 = floor(1.5)
        (7, 5, False),
        (2, 1, True),
        (1, 1, False),
        (3, 1, False),
    ],
)
def test_r_ele_1_list_longer_than_seats_surplus_at_most_30_percent(candidates, seats, ok):
    assert (candidate_list_problem(candidates, seats) is None) is ok


def test_r_ele_1_messages():
    assert surplus_bounds(10) == (11, 13)
    assert candidate_list_problem(10, 10) == (
        "Danh sách phải nhiều hơn số lượng cần bầu: cần ít nhất 11 người cho 10 chỗ."
    )
    assert candidate_list_problem(14, 10) == "Số dư vượt 30%: nhiều nhất 13 người cho 10 chỗ."
    assert surplus_bounds(3) == (4, 4)
    assert candidate_list_problem(5, 3) == "Số dư vượt 30%: nhiều nhất 4 người cho 3 chỗ."
    assert candidate_list_problem(0, 0) == "Số lượng cần bầu phải ít nhất là 1."


@pytest.mark.parametrize(
    ("candidates", "seats", "ok"),
    [(1, 1, True), (3, 1, True), (0, 1, False), (2, 2, True), (1, 2, False), (9, 3, True)],
)
def test_r_ele_1_a_leaders_list_may_equal_the_seats(candidates, seats, ok):
    """A secretary, deputy secretary, inspection committee or its chair: 1 seat for secretary → 1 or more."""
    assert (candidate_list_problem(candidates, seats, surplus=False) is None) is ok


def test_r_ele_1_messages_for_a_leaders_list():
    assert candidate_list_problem(1, 2, surplus=False) == "Danh sách cần ít nhất 2 người cho 2 chỗ."


@pytest.mark.parametrize(
    ("elects", "setting", "required"),
    [
        ("committee", True, True),
        ("standing_committee", True, True),
        ("secretary", True, False),
        ("deputy_secretary", True, False),
        ("inspection_committee", True, False),
        ("inspection_chair", True, False),
        ("secretary", False, True),  # the setting (to confirm) turned off: the surplus binds every election
        ("committee", False, True),
    ],
)
def test_r_ele_1_the_surplus_binds_a_committee_and_its_standing_committee(settings, elects, setting, required):
    settings.ELECTION_LEADERS_LIST_MAY_EQUAL_SEATS = setting
    assert surplus_required(elects) is required


@pytest.mark.parametrize(
    ("agree", "delegates", "admitted"),
    [(3, 10, False), (4, 10, True), (30, 100, False), (31, 100, True), (0, 0, False)],
)
def test_r_ele_2_write_in_needs_more_than_30_percent(agree, delegates, admitted):
    assert write_in_admitted(agree, delegates) is admitted


def test_r_ele_3_more_than_half_of_all_summoned():
    # 100 summoned: 51 passes, 50 does not — whatever the turnout.
    assert election_result({"An": 51, "Bình": 50, "Cường": 80}, summoned=100, seats=3) == ElectionResult(
        ["Cường", "An"]
    )


def test_r_ele_3_highest_counts_win_when_more_pass_than_seats():
    votes = {"An": 90, "Bình": 70, "Cường": 60, "Dũng": 55}
    assert election_result(votes, summoned=100, seats=2) == ElectionResult(["An", "Bình"])


def test_r_ele_3_tie_for_the_last_seat_goes_to_another_round():
    votes = {"An": 90, "Bình": 70, "Cường": 70, "Dũng": 55}
    assert election_result(votes, summoned=100, seats=2) == ElectionResult(
        ["An"], runoff=["Bình", "Cường"], seats_left=1
    )
    # A tie that fits inside the seats elects both.
    assert election_result(votes, summoned=100, seats=3) == ElectionResult(["An", "Bình", "Cường"])


@pytest.mark.parametrize(("rounds", "appointed"), [(1, False), (2, False), (3, True), (4, True)])
def test_r_ele_4_higher_committee_appoints_after_the_third_round(rounds, appointed):
    assert cell_secretary_appointed_by_higher_level(rounds) is appointed


def test_r_ele_5_nomination_above_half_or_top_two():
    assert nomination_result({"An": 6, "Bình": 3, "Cường": 1}, voters=10).nominated == "An"
    result = nomination_result({"An": 5, "Bình": 3, "Cường": 2}, voters=10)  # 5 of 10 is not above half
    assert (result.nominated, result.next_step) == (None, ["An", "Bình"])
    result = nomination_result({"An": 4, "Bình": 3, "Cường": 3}, voters=10)
    assert result.next_step == ["An", "Bình", "Cường"]  # tied with the second: all go on


def test_r_ele_rules_are_registered():
    assert {"R-ELE-1", "R-ELE-2", "R-ELE-3", "R-ELE-4", "R-ELE-5"} <= set(RULES)
    assert RULES["R-ELE-3"].status == "to confirm"
