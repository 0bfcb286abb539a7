"""Pages about one's own account: password reset by email."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy

from dongthuan.accounts import services
from dongthuan.core import throttle
from dongthuan.core.http import client_address


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for the email of the account. The answer is the same whether or not an account has that email (nobody
    learns who has an account); at most 5 requests an hour from one address and 3 for one email are sent, so the
    form cannot be used to flood someone's mailbox."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        allowed = throttle.allow(
            [
                ("password_reset_address", client_address(self.request), 5, dt.timedelta(hours=1)),
                ("password_reset_email", form.cleaned_data["email"], 3, dt.timedelta(hours=1)),
            ]
        )
        if not allowed:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Sets the new password (checked by the password policy). A person who proved they hold the mailbox is no
    longer locked out by earlier wrong passwords; every other session of the account ends (Django signs sessions
    with the password)."""

    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.account_unlock(actor=form.user, user=form.user)
        return response
