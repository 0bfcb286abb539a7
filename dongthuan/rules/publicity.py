"""Rules of consultation and publicity (R-PUB-*): the written reply window of organisations asked for their
opinion, how long a draft stays open to the public, and every opinion answered in the register of responses."""

from __future__ import annotations

import datetime as dt

from dongthuan.rules import Rule, register

R_PUB_3 = register(
    Rule(
        id="R-PUB-3",
        citation="Luật 64/2025/QH15, Điều 30",
        status="firm",
        summary="A body asked for its opinion on a policy replies in writing within 15 days.",
    )
)
R_PUB_4 = register(
    Rule(
        id="R-PUB-4",
        citation="Bài viết (điều luật cần xác nhận)",
        status="to confirm",
        summary="Community consultation drafts are posted for no less than 30 days "
        "(setting PUBLIC_CONSULTATION_MIN_DAYS).",
    )
)
R_PUB_5 = register(
    Rule(
        id="R-PUB-5",
        citation="Quy tắc của sản phẩm (bài viết: lắng nghe ý kiến)",
        status="product rule",
        summary="Every opinion received gets a recorded answer — accepted, partly accepted, or explained and not "
        "accepted — and the register of answers is produced from them; published for a public consultation.",
    )
)

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
