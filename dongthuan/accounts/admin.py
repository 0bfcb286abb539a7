"""The administrator's view of accounts: Django's user admin with an action to unlock sign-in."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dongthuan.accounts import services

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(UserAdmin):
    actions = ["unlock"]

    @admin.action(description=_("Mở khóa đăng nhập"), permissions=["change"])
    def unlock(self, request: HttpRequest, queryset: QuerySet) -> None:
        for user in queryset:
            services.account_unlock(actor=request.user, user=user)
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "Đã mở khóa đăng nhập cho %(count)d tài khoản.", "Đã mở khóa đăng nhập cho %(count)d tài khoản.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )
