from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from dongthuan.core.forms import BootstrapFormMixin, DateField
from dongthuan.organizations.models import Body, Organization, PositionTitle
from dongthuan.people.models import Gender, PartyStatus, Person
from dongthuan.people.services import PERSON_FIELDS


class PersonForm(BootstrapFormMixin, forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=200)
    gender = forms.ChoiceField(label=_("Giới tính"), choices=[("", "---------"), *Gender.choices], required=False)
    birth_date = DateField(label=_("Ngày sinh"), required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=32, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    address = forms.CharField(label=_("Nơi ở"), max_length=255, required=False)
    party_status = forms.ChoiceField(label=_("Tình trạng đảng viên"), choices=PartyStatus.choices, required=False)
    party_card_number = forms.CharField(label=_("Số thẻ đảng viên"), max_length=32, required=False)
    joined_on = DateField(label=_("Ngày vào Đảng"), required=False)
    full_on = DateField(label=_("Ngày chính thức"), required=False)
    cell = forms.ModelChoiceField(label=_("Chi bộ sinh hoạt"), queryset=Organization.objects.none(), required=False)

    def __init__(self, *args: Any, cells: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["cell"]).queryset = cells

    @classmethod
    def initial_for(cls, person: Any) -> dict[str, Any]:
        return {name: getattr(person, name) for name in cls.base_fields if name in PERSON_FIELDS}

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["party_card_number"] = data.get("party_card_number") or None
        return data


PERSON_CHOICES_SHOWN = 50


class PositionAssignForm(BootstrapFormMixin, forms.Form):
    person = forms.ModelChoiceField(label=_("Người được giao"), queryset=Person.objects.none())
    title = forms.ChoiceField(label=_("Chức vụ"), choices=PositionTitle.choices)
    body = forms.ModelChoiceField(label=_("Trong cơ quan"), queryset=Body.objects.none(), required=False)
    start = DateField(label=_("Từ ngày"))

    def __init__(self, *args: Any, people: Any, shown_people: Any, bodies: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        person_field = cast(forms.ModelChoiceField, self.fields["person"])
        person_field.queryset = people  # validation accepts anyone in the organisation's subtree
        person_field.widget.choices = [("", "---------")] + [
            (p.pk, f"{p.full_name} – {p.cell.name if p.cell else ''}") for p in shown_people
        ]
        cast(forms.ModelChoiceField, self.fields["body"]).queryset = bodies
