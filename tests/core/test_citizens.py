"""Letters to citizens come from the office's address: they greet without the name a visitor typed."""

from __future__ import annotations

from django.utils import translation

from dongthuan.core.citizens import letter_greeting


def test_a_letter_to_a_citizen_greets_without_a_name():
    assert letter_greeting() == "Kính gửi Ông/Bà,"
    with translation.override("en"):
        assert letter_greeting() == "Dear Sir or Madam,"
