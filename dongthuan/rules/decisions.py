"""Rules of collective decisions: majority, reserved opinions, who counts, quorum, secret ballots (R-DEC-*)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dongthuan.rules import Rule, register

R_DEC_1 = register(
    Rule(
        id="R-DEC-1",
        citation="Điều lệ Đảng 2011, Điều 9 khoản 5",
        status="firm",
        wording=(
            "A resolution of a party leadership body is valid only when more than half of all serving members of that "
            "body approve — counted against the full membership, not those present. 7 serving members: 4 approvals "
            "pass, 3 fail, whatever the attendance. A tie fails."
        ),
        enforced="`rules/decisions.py` `passes`; counted by `meetings/services.py` `poll_close`",
    )
)
R_DEC_2 = register(
    Rule(
        id="R-DEC-2",
        citation="Điều lệ Đảng 2011, Điều 9 khoản 5",
        status="firm",
        wording=(
            "Before the vote every member may state an opinion; a member in the minority may reserve the opinion (bảo "
            "lưu ý kiến), which is recorded and can be reported to the higher level, but must carry out the "
            "resolution."
        ),
        enforced="`meetings/models.py` `Opinion.reserved`; `meetings/services.py` `opinion_add`",
    )
)
R_DEC_3 = register(
    Rule(
        id="R-DEC-3",
        citation="Quy định 24-QĐ/TW, mục 9.3.3",
        status="firm",
        wording=(
            '"Members" means the serving members at the time of the vote; members who have left, died, been '
            "suspended or transferred are not counted."
        ),
        enforced=(
            "`meetings/services.py` `serving_member_ids` (posts held in the body that day); snapshot `Poll.serving` at "
            "opening"
        ),
    )
)
R_DEC_4 = register(
    Rule(
        id="R-DEC-4",
        citation="Quy chế làm việc của từng cơ quan; Quy định 96-QĐ/TW (lấy phiếu tín nhiệm)",
        status="to confirm",
        wording=(
            "A meeting that takes decisions needs a quorum of at least 2/3 of serving members present (confirmed for "
            "confidence-vote and key-cadre conferences; for ordinary meetings it comes from the body's working "
            "regulations). Below quorum, votes cannot be opened."
        ),
        enforced=(
            '`rules/decisions.py` `quorum_fraction`, `Quorum`; a body\'s setting `Body.settings["quorum"]` (2/3 by '
            "default); `meetings/services.py` `poll_open` refuses below it"
        ),
    )
)
R_DEC_5 = register(
    Rule(
        id="R-DEC-5",
        citation="Quy định 190-QĐ/TW",
        status="firm",
        wording=(
            "Personnel matters — electing a committee, its standing committee, secretary and deputies, inspection "
            "committee and its chair, delegates to the higher congress, and nominations — are decided by secret "
            "ballot."
        ),
        enforced=(
            "`rules/decisions.py` `must_be_secret` (personnel, election, nomination and confidence items); "
            "`meetings/services.py` `poll_create`"
        ),
    )
)

# R-DEC-4: the default quorum, overridden per body by ``Body.settings["quorum"]`` ("2/3", "1/2", …).
DEFAULT_QUORUM = Fraction(2, 3)


def passes(approvals: int, serving: int) -> bool:
    """R-DEC-1: more than half of all serving members approve (7 serving: 4 pass, 3 fail; 8 serving: 4 fail)."""
    return serving > 0 and 2 * approvals > serving


def approvals_needed(serving: int) -> int:
    """R-DEC-1: the smallest number of approvals that passes."""
    return serving // 2 + 1


def quorum_fraction(setting: object) -> Fraction:
    """R-DEC-4: the body's quorum setting as a fraction; the default when it is missing or malformed."""
    try:
        value = Fraction(str(setting)) if setting not in (None, "") else DEFAULT_QUORUM
    except (ValueError, ZeroDivisionError):
        return DEFAULT_QUORUM
    return value if 0 < value <= 1 else DEFAULT_QUORUM


def quorum_needed(serving: int, fraction: Fraction = DEFAULT_QUORUM) -> int:
    """R-DEC-4: the fewest present members that make a quorum: at least ``fraction`` of serving members."""
    needed = fraction * serving
    return int(needed) if needed.denominator == 1 else int(needed) + 1


@dataclass(frozen=True)
class Quorum:
    serving: int
    present: int
    fraction: Fraction

    @property
    def needed(self) -> int:
        return quorum_needed(self.serving, self.fraction)

    @property
    def met(self) -> bool:
        return self.serving > 0 and self.present >= self.needed

    @property
    def missing(self) -> int:
        return max(0, self.needed - self.present)

    def message(self) -> str:
        """Why a vote cannot open, in the reader's language."""
        if self.serving == 0:
            return _("Cơ quan không có thành viên đương nhiệm nào.")
        return ngettext(
            "Chưa đủ số lượng: có mặt %(present)s/%(serving)s, cần ít nhất %(needed)s (%(fraction)s); còn thiếu "
            "%(missing)s thành viên.",
            "Chưa đủ số lượng: có mặt %(present)s/%(serving)s, cần ít nhất %(needed)s (%(fraction)s); còn thiếu "
            "%(missing)s thành viên.",
            self.missing,
        ) % {
            "present": self.present,
            "serving": self.serving,
            "needed": self.needed,
            "fraction": f"{self.fraction.numerator}/{self.fraction.denominator}",
            "missing": self.missing,
        }


# R-DEC-5: agenda items of these kinds are decided by secret ballot, which cannot be switched to an open vote.
SECRET_ITEM_KINDS = frozenset({"personnel", "election", "nomination", "confidence"})


def must_be_secret(item_kind: str) -> bool:
    return item_kind in SECRET_ITEM_KINDS
