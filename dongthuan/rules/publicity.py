"""Rules of consultation and publicity (R-PUB-*): the written reply window of organisations asked for their
opinion, and every opinion answered in the register of responses."""

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
