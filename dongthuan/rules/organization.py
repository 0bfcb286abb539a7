"""Rules on party cells, cell committees, terms and the levels of the political system (R-ORG-*)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dongthuan.rules import Rule, register

R_ORG_1 = register(
    Rule(
        id="R-ORG-1",
        citation="Điều lệ Đảng 2011, Điều 24 khoản 1",
        status="firm",
        wording="A party cell needs at least 3 full members.",
        enforced=(
            "`rules/organization.py` `cell_has_minimum_members`; enforced by `organizations/services.py` "
            "`organization_activate`"
        ),
    )
)
R_ORG_2 = register(
    Rule(
        id="R-ORG-2",
        citation="Điều lệ Đảng 2011, Điều 24; Quy định 294-QĐ/TW (2025)",
        status="firm",
        wording=(
            "A cell with 9 or more full members elects a cell committee of at most 7; a smaller cell elects a "
            "secretary and, if needed, one deputy secretary."
        ),
        enforced="`rules/organization.py` `cell_leadership_problem`; `organizations/services.py` `position_assign`",
    )
)
R_ORG_3 = register(
    Rule(
        id="R-ORG-3",
        citation="Điều lệ Đảng 2011, Điều 13; Quy định 294-QĐ/TW (2025)",
        status="firm",
        wording=(
            "A committee term (nhiệm kỳ) runs from the day after one congress closes to the closing day of the next "
            "congress; the usual term is 5 years."
        ),
        enforced="`rules/organization.py` `term_start`, `term_problem`; `organizations/services.py` `term_create`",
    )
)
R_ORG_4 = register(
    Rule(
        id="R-ORG-4",
        citation="Kết luận 137-KL/TW, Nghị quyết 60-NQ/TW (2025); Luật Tổ chức chính quyền địa phương 2025",
        status="firm",
        wording=(
            "Since 1 July 2025 there is no district level: communes/wards sit under the province, and commune party "
            "committees sit directly under the provincial committee. Levels are data, not code."
        ),
        enforced=(
            "`Level` rows (migration `organizations/0003`), `rules/organization.py` `level_placement_problem`; checked "
            "on creation and on every reorganisation move (`restructuring/services.py` `_move`)"
        ),
    )
)

# R-ORG-1
CELL_MIN_FULL_MEMBERS = 3
# R-ORG-2
CELL_COMMITTEE_THRESHOLD = 9
CELL_COMMITTEE_MAX_SIZE = 7
CELL_MAX_DEPUTIES_WITHOUT_COMMITTEE = 1
# R-ORG-3
TERM_USUAL_YEARS = 5


def cell_has_minimum_members(full_members: int) -> bool:
    """R-ORG-1: a party cell needs at least 3 full members."""
    return full_members >= CELL_MIN_FULL_MEMBERS


def cell_minimum_message(full_members: int) -> str:
    """R-ORG-1: the warning shown for a cell below the minimum."""
    return ngettext(
        "Chi bộ chỉ có %(count)d đảng viên chính thức; cần ít nhất %(min)d (R-ORG-1, Điều lệ Đảng, Điều 24).",
        "Chi bộ chỉ có %(count)d đảng viên chính thức; cần ít nhất %(min)d (R-ORG-1, Điều lệ Đảng, Điều 24).",
        full_members,
    ) % {"count": full_members, "min": CELL_MIN_FULL_MEMBERS}


@dataclass(frozen=True)
class CellLeadership:
    """Who holds a post in a cell's leadership at one moment."""

    secretaries: int = 0
    deputies: int = 0
    members: int = 0

    @property
    def size(self) -> int:
        return self.secretaries + self.deputies + self.members


def cell_leadership_problem(full_members: int, leadership: CellLeadership) -> str | None:
    """R-ORG-2: return why a cell's leadership is not allowed, or None when it is.

    A cell with ``CELL_COMMITTEE_THRESHOLD`` (9) or more full members may elect a committee of at most
    ``CELL_COMMITTEE_MAX_SIZE`` (7). A smaller cell has no committee: one secretary and at most one deputy.
    """
    if leadership.secretaries > 1:
        return _("Chi bộ chỉ có một bí thư.")
    if full_members >= CELL_COMMITTEE_THRESHOLD:
        if leadership.size > CELL_COMMITTEE_MAX_SIZE:
            return _("Chi ủy có tối đa %(max)d ủy viên (R-ORG-2); chi bộ này sẽ có %(size)d người.") % {
                "max": CELL_COMMITTEE_MAX_SIZE,
                "size": leadership.size,
            }
        return None
    if leadership.members > 0:
        return ngettext(
            "Chi bộ có %(count)d đảng viên chính thức (dưới %(threshold)d) không bầu chi ủy, chỉ bầu bí thư "
            "và một phó bí thư (R-ORG-2).",
            "Chi bộ có %(count)d đảng viên chính thức (dưới %(threshold)d) không bầu chi ủy, chỉ bầu bí thư "
            "và một phó bí thư (R-ORG-2).",
            full_members,
        ) % {"count": full_members, "threshold": CELL_COMMITTEE_THRESHOLD}
    if leadership.deputies > CELL_MAX_DEPUTIES_WITHOUT_COMMITTEE:
        return _("Chi bộ không có chi ủy chỉ có một phó bí thư (R-ORG-2).")
    return None


def term_start(congress_closed_on: dt.date) -> dt.date:
    """R-ORG-3: a term starts the day after the congress that elects the committee closes."""
    return congress_closed_on + dt.timedelta(days=1)


def term_usual_end(start: dt.date, years: int = TERM_USUAL_YEARS) -> dt.date:
    """R-ORG-3: the planned end of a term of ``years`` years (the actual end is the next congress's close)."""
    try:
        return start.replace(year=start.year + years) - dt.timedelta(days=1)
    except ValueError:  # 29 February
        return start.replace(year=start.year + years, day=28)


def term_problem(start: dt.date, end: dt.date | None, congress_closed_on: dt.date | None) -> str | None:
    """R-ORG-3: a term begins the day after its congress closes and cannot end before it begins."""
    if congress_closed_on is not None and start != term_start(congress_closed_on):
        return _("Nhiệm kỳ phải bắt đầu ngày %(date)s, tức ngày sau ngày bế mạc đại hội (R-ORG-3).") % {
            "date": term_start(congress_closed_on).strftime("%d/%m/%Y")
        }
    if end is not None and end < start:
        return _("Ngày kết thúc nhiệm kỳ không thể trước ngày bắt đầu (R-ORG-3).")
    return None


@dataclass(frozen=True)
class LevelSpan:
    """A level of the political system as data: its rank (1 = highest) and when it exists."""

    code: str
    rank: int
    valid_from: dt.date | None
    valid_to: dt.date | None

    def in_force(self, on: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or on <= self.valid_to)


def level_placement_problem(
    child: LevelSpan, parent: LevelSpan | None, on: dt.date, all_levels: Sequence[LevelSpan] | Iterable[LevelSpan]
) -> str | None:
    """R-ORG-4: may an organisation of level ``child`` sit under one of level ``parent`` on date ``on``?

    The child's level must be in force on that date; the parent must be at the same or a higher level; and
    every level between them must be out of force (in 2017 a commune sits under a district; since
    1 July 2025, with no district level, directly under the province).
    """
    if not child.in_force(on):
        return _("Cấp này không còn (hoặc chưa có) trong hệ thống chính trị vào ngày %(date)s (R-ORG-4).") % {
            "date": on.strftime("%d/%m/%Y")
        }
    if parent is None:
        return None
    if parent.rank > child.rank:
        return _("Tổ chức cấp trên phải ở cùng cấp hoặc cấp cao hơn (R-ORG-4).")
    skipped = [lv for lv in all_levels if parent.rank < lv.rank < child.rank and lv.in_force(on)]
    if skipped:
        return _(
            "Vào ngày %(date)s còn cấp trung gian giữa hai cấp này; tổ chức phải trực thuộc cấp liền trên (R-ORG-4)."
        ) % {"date": on.strftime("%d/%m/%Y")}
    return None
