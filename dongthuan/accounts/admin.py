"""The administrator's view of accounts: Django's user admin with an action to unlock sign-in, sign-ins, devices, and
passkeys (an administrator removes a lost one)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dongthuan.accounts import services, views
from dongthuan.accounts.models import Device, Passkey, SignIn
from dongthuan.core.admin_mixins import ReadOnlyAdmin

User = get_user_model()
admin.site.unregister(User)
# The admin signs in through the product's login page, so its protections apply there too.
admin.site.login = views.admin_login  # type: ignore[method-assign]


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


@admin.register(SignIn)
class SignInAdmin(ReadOnlyAdmin):
    """Who is signed in where (each person ends their own sessions from "Phiên đăng nhập")."""

    list_display = ("user", "address", "started_at", "last_seen")
    raw_id_fields = ("user", "device")
    search_fields = ("user__username",)


@admin.register(Device)
class DeviceAdmin(ReadOnlyAdmin):
    list_display = ("user", "user_agent", "first_seen", "last_seen")
    search_fields = ("user__username",)


@admin.register(Passkey)
class PasskeyAdmin(admin.ModelAdmin):
    """Passkeys are added by their owners (on their own device); an administrator only removes one, when its device
    is lost: an account that must use two factors and has none left enrols again at its next sign-in."""

    list_display = ("name", "user", "created_at", "last_used_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "name")
    fields = ("user", "name", "created_at", "last_used_at", "sign_count", "transports", "aaguid")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, each through the service (audited)
        return actions

    def delete_model(self, request: HttpRequest, obj: Passkey) -> None:
        services.passkey_revoke(actor=request.user, passkey=obj)
