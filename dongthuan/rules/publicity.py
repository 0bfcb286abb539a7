"""Rules of consultation and publicity (R-PUB-*): what a commune must disclose to its residents and what they
decide themselves, the written reply window of organisations asked for their opinion, how long a draft stays open
to the public, and every opinion answered in the register of responses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy

from dongthuan.rules import Rule, register

R_PUB_1 = register(
    Rule(
        id="R-PUB-1",
        citation="Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15, Điều 11",
        status="firm",
        wording=(
            "A commune discloses to residents its socio-economic plans, budget estimates, execution and final "
            "accounts, investment projects, land recovery and compensation plans, planning schemes and more."
        ),
        enforced=(
            "`rules/publicity.py` `DISCLOSED`, `DISCLOSED_EACH_YEAR`, `missing_disclosures`; `portal/services.py` "
            "`disclosure_post`; the board names the yearly items not yet disclosed (`portal/selectors.py` `board`)"
        ),
    )
)
R_PUB_2 = register(
    Rule(
        id="R-PUB-2",
        citation="Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15, Điều 15",
        status="firm",
        wording=(
            "Residents discuss and decide contributions to local infrastructure, community funds, village conventions, "
            "electing or dismissing village heads, and the members of the People's Inspection Board and the community "
            "investment supervision board."
        ),
        enforced=(
            "`rules/publicity.py` `RESIDENTS_DECIDE`, `disclosure_kind`; `portal/services.py` `disclosure_post` "
            "requires the vote (taking part, agreeing, day, result)"
        ),
    )
)
R_PUB_3 = register(
    Rule(
        id="R-PUB-3",
        citation="Luật 64/2025/QH15, Điều 30",
        status="firm",
        wording="A body asked for its opinion on a policy replies in writing within 15 days.",
        enforced=(
            "`rules/publicity.py` `written_reply_deadline`; the deadline of a Front or mass-organisation audience "
            "(`consultations/services.py` `round_open`)"
        ),
    )
)
R_PUB_4 = register(
    Rule(
        id="R-PUB-4",
        citation="Bài viết (điều luật cần xác nhận)",
        status="to confirm",
        wording="Community consultation drafts are posted for no less than 30 days.",
        enforced=(
            "`rules/publicity.py` `public_posting_problem`; the setting `PUBLIC_CONSULTATION_MIN_DAYS` (30 unless "
            "`DONGTHUAN_PUBLIC_CONSULTATION_MIN_DAYS` is set); `consultations/services.py` `round_open` refuses a "
            "shorter public round"
        ),
    )
)
R_PUB_5 = register(
    Rule(
        id="R-PUB-5",
        citation="Quy tắc của sản phẩm (bài viết: lắng nghe ý kiến)",
        status="product rule",
        wording=(
            "Every opinion received in a consultation gets a recorded answer — accepted, partly accepted, or explained "
            "and not accepted — and the summary table of answers (bản tổng hợp, tiếp thu, giải trình ý kiến) is "
            "produced from them; for a public consultation it is published."
        ),
        enforced=(
            "`rules/publicity.py` `unanswered_problem`; `consultations/services.py` `round_synthesise` refuses while "
            "one is unanswered; `consultations/selectors.py` `register_rows`, `register_document`, `register_xlsx`"
        ),
    )
)

# R-PUB-1: what a commune discloses (code → label). Those in ``DISCLOSED_EACH_YEAR`` are expected every year; the
# board of a commune names those not yet disclosed for the year.
DISCLOSED: dict[str, Any] = {  # code → label (lazy translation)
    "socio_economic_plan": gettext_lazy("Kế hoạch phát triển kinh tế - xã hội"),
    "budget_estimate": gettext_lazy("Dự toán ngân sách"),
    "budget_execution": gettext_lazy("Tình hình thực hiện ngân sách"),
    "budget_final_accounts": gettext_lazy("Quyết toán ngân sách"),
    "investment_project": gettext_lazy("Dự án, công trình đầu tư"),
    "land_recovery": gettext_lazy("Kế hoạch thu hồi đất, bồi thường, hỗ trợ, tái định cư"),
    "planning": gettext_lazy("Quy hoạch"),
    "other_disclosure": gettext_lazy("Nội dung công khai khác"),
}
DISCLOSED_EACH_YEAR = ("socio_economic_plan", "budget_estimate", "budget_execution", "budget_final_accounts")

# R-PUB-2: what residents discuss and decide themselves.
RESIDENTS_DECIDE: dict[str, Any] = {
    "infrastructure_contribution": gettext_lazy("Đóng góp xây dựng cơ sở hạ tầng, công trình công cộng"),
    "community_fund": gettext_lazy("Thành lập, mức đóng góp quỹ cộng đồng"),
    "village_convention": gettext_lazy("Hương ước, quy ước của thôn, tổ dân phố"),
    "village_head": gettext_lazy("Bầu, miễn nhiệm, bãi nhiệm trưởng thôn, tổ trưởng tổ dân phố"),
    "people_inspection_board": gettext_lazy("Bầu, bãi nhiệm thành viên Ban Thanh tra nhân dân"),
    "community_investment_supervision": gettext_lazy("Bầu, bãi nhiệm thành viên Ban Giám sát đầu tư của cộng đồng"),
}


def disclosure_kind(category: str) -> str | None:
    """R-PUB-1 / R-PUB-2: "disclosed" for what a commune makes public, "decided" for what its residents decide,
    None for anything else (the board takes nothing else)."""
    if category in DISCLOSED:
        return "disclosed"
    if category in RESIDENTS_DECIDE:
        return "decided"
    return None


def missing_disclosures(disclosed: set[str]) -> list[str]:
    """R-PUB-1: the yearly items a commune has not yet disclosed for the year, given the categories it has."""
    return [code for code in DISCLOSED_EACH_YEAR if code not in disclosed]


# R-PUB-3
WRITTEN_REPLY_DAYS = 15


def written_reply_deadline(asked_on: dt.date) -> dt.date:
    """R-PUB-3: the default deadline for an organisation's written opinion: 15 days after it is asked."""
    return asked_on + dt.timedelta(days=WRITTEN_REPLY_DAYS)


def public_posting_problem(opens_on: dt.date, closes_on: dt.date) -> str | None:
    """R-PUB-4: a draft put to the public is posted for at least ``PUBLIC_CONSULTATION_MIN_DAYS`` days, counting the
    first and the last day (30 by default: from 01/05 the earliest close is 30/05)."""
    from django.conf import settings
    from django.utils.translation import gettext

    least = settings.PUBLIC_CONSULTATION_MIN_DAYS
    if (closes_on - opens_on).days + 1 < least:
        earliest = opens_on + dt.timedelta(days=least - 1)
        return gettext(
            "Dự thảo lấy ý kiến nhân dân phải được đăng ít nhất %(n)s ngày: kết thúc sớm nhất ngày %(day)s (R-PUB-4)."
        ) % {"n": least, "day": earliest.strftime("%d/%m/%Y")}
    return None


def unanswered_problem(unanswered: int) -> str | None:
    """R-PUB-5: a round is synthesised only when every opinion has its answer."""
    from django.utils.translation import ngettext

    if unanswered:
        return ngettext(
            "Còn %(n)s ý kiến chưa được trả lời (tiếp thu hoặc giải trình) (R-PUB-5).",
            "Còn %(n)s ý kiến chưa được trả lời (tiếp thu hoặc giải trình) (R-PUB-5).",
            unanswered,
        ) % {"n": unanswered}
    return None
