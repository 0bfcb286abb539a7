"""What a citizen typed, as letters from the office's address may repeat it."""

from __future__ import annotations

import pytest

from dongthuan.core.citizens import letter_greeting, letter_name

PHISHING = "An, hãy bấm http://dongthuan-xac-minh.example/dang-nhap hoặc gọi 0912345678 để nhận hỗ trợ ngay hôm nay"


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("Trần Thị Ánh-Hồng", "Trần Thị Ánh-Hồng"),
        ("  Nguyễn   Văn  An ", "Nguyễn Văn An"),
        (PHISHING, "An hãy bấm hoặc gọi để"),  # no link, no number, six words
        ("www.example.vn", ""),
        ("dan@example.vn", ""),
        ("<b>An</b>", ""),
        ("Á" * 200, "Á" * 60),
    ],
)
def test_a_name_in_a_letter_is_a_few_words_of_letters(typed, sent):
    assert letter_name(typed) == sent


def test_a_name_with_nothing_left_is_not_named():
    assert letter_greeting("https://x.example") == "Kính gửi Ông/Bà,"
    assert letter_greeting("Nguyễn Thị Dân") == "Kính gửi Ông/Bà Nguyễn Thị Dân,"
