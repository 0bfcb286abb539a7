"""The password policy's own messages where Django's Vietnamese catalogue has none.

Django 5.2 changed the minimum length message (``%d`` for ``%(min_length)d``) and its Vietnamese catalogue still
translates the old text, so that one message would appear in English: it is given here in Vietnamese (and in the
English catalogue), the rest of Django's validators are translated by Django."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.",
            "Mật khẩu quá ngắn: cần ít nhất %(min_length)d ký tự.",
            self.min_length,
        )

    def get_help_text(self) -> str:
        return ngettext(
            "Mật khẩu cần ít nhất %(min_length)d ký tự.", "Mật khẩu cần ít nhất %(min_length)d ký tự.", self.min_length
        ) % {"min_length": self.min_length}
