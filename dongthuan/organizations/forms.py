from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dongthuan.core.forms import BootstrapFormMixin, DateField
from dongthuan.organizations.models import Level, Organization, OrganizationKind, PositionTitle


class OrganizationForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Tên"), max_length=255)
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=100, required=False)
    doc_code = forms.CharField(label=_("Ký hiệu văn bản"), max_length=20, required=False)
    valid_from = DateField(label=_("Thành lập từ ngày"), required=False)
    valid_to = DateField(label=_("Hoạt động đến ngày"), required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    notes = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    @classmethod
    def initial_for(cls, org: Organization) -> dict[str, Any]:
        return {name: getattr(org, name) for name in cls.base_fields}


class OrganizationCreateForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Tên"), max_length=255)
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("Loại"), choices=OrganizationKind.choices)
    level = forms.ModelChoiceField(label=_("Cấp"), queryset=Level.objects.all(), required=False)
    doc_code = forms.CharField(label=_("Ký hiệu văn bản"), max_length=20, required=False)
    valid_from = DateField(label=_("Thành lập từ ngày"))


class PositionEndForm(BootstrapFormMixin, forms.Form):
    end = DateField(label=_("Đến ngày"))
    reason = forms.CharField(label=_("Lý do"), max_length=255, required=False)


class PositionChangeForm(BootstrapFormMixin, forms.Form):
    title = forms.ChoiceField(label=_("Chức vụ mới"), choices=PositionTitle.choices)
    on = DateField(label=_("Từ ngày"))


class TermNextForm(BootstrapFormMixin, forms.Form):
    congress_closed_on = DateField(
        label=_("Ngày bế mạc đại hội"),
        help_text=_("Nhiệm kỳ hiện tại kết thúc ngày này; nhiệm kỳ mới bắt đầu ngày hôm sau (R-ORG-3)."),
    )
    name = forms.CharField(label=_("Tên nhiệm kỳ mới"), max_length=100, help_text=_("Ví dụ: 2030 - 2035"))
