"""People: party members, cadres and citizens, kept apart from login accounts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dongthuan.core.models import ClassifiedModel

# Party status is the party organisation's word for where a member stands; it is defined with the organisations
# (whose rules count full members) and named here too, where every person's record carries it.
from dongthuan.organizations.models import PartyStatus as PartyStatus


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")
    OTHER = "other", _("Khác")


class Person(ClassifiedModel):
    """A person of the political system. A login account may be linked to at most one person."""

    full_name = models.CharField(_("họ và tên"), max_length=200)
    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    address = models.CharField(_("nơi ở"), max_length=255, blank=True)
    home_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
        verbose_name=_("nơi sinh hoạt / cư trú"),
        help_text=_("Xã, phường hoặc cơ quan nơi người này cư trú hoặc công tác."),
    )

    party_status = models.CharField(
        _("tình trạng đảng viên"), max_length=16, choices=PartyStatus.choices, default=PartyStatus.NONE, blank=True
    )
    party_card_number = models.CharField(
        _("số thẻ đảng viên"),
        max_length=32,
        null=True,
        blank=True,
        unique=True,
        error_messages={"unique": _("Số thẻ đảng viên này đã được ghi cho một người khác.")},
    )
    joined_on = models.DateField(_("ngày vào Đảng"), null=True, blank=True)
    full_on = models.DateField(_("ngày chính thức"), null=True, blank=True)
    cell = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_members",
        verbose_name=_("chi bộ sinh hoạt"),
        limit_choices_to={"kind": "cell"},
    )

    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("tài khoản đăng nhập"),
    )
    search_name = models.CharField(max_length=200, editable=False, default="", db_index=True)
    # Not indexed on its own: SQLite would walk that index to order a search and test every row; lists order by
    # it through person_cell_status_idx instead.
    sort_key = models.CharField(max_length=260, editable=False, default="")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("cá nhân")
        verbose_name_plural = pgettext_lazy("plural", "cá nhân")
        ordering = ["sort_key", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(party_status="") | Q(party_status="former") | Q(joined_on__isnull=False),
                name="person_member_has_join_date",
                violation_error_message=_("Đảng viên phải có ngày vào Đảng."),
            ),
            models.CheckConstraint(
                condition=~Q(party_status="full") | Q(full_on__isnull=False),
                name="person_full_member_has_full_date",
                violation_error_message=_("Đảng viên chính thức phải có ngày chính thức."),
            ),
            models.CheckConstraint(
                condition=Q(full_on__isnull=True) | Q(joined_on__isnull=True) | Q(full_on__gte=models.F("joined_on")),
                name="person_full_after_join",
                violation_error_message=_("Ngày chính thức không thể trước ngày vào Đảng."),
            ),
        ]
        indexes = [
            models.Index(fields=["cell", "party_status", "sort_key"], name="person_cell_status_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_party_member(self) -> bool:
        return self.party_status in (PartyStatus.PROBATIONARY, PartyStatus.FULL)
