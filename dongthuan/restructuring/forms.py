"""One form per kind of reorganisation; each turns into a plan (restructuring.services.plan_*)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from dongthuan.core.errors import AccessError, ErrorCode
from dongthuan.core.forms import BootstrapFormMixin, DateField
from dongthuan.core.types import Actor
from dongthuan.organizations.models import Level, Organization, OrganizationKind, OrganizationStatus
from dongthuan.people.models import PartyStatus, Person
from dongthuan.restructuring import services
from dongthuan.restructuring.permissions import can_involve
from dongthuan.restructuring.services import NewOrg, Plan

MAX_PARTS = 6


class ButtonPress(forms.Widget):
    """Which button sent the form: pressed when its name is in the data, whatever its value. The template draws the
    button; the widget draws nothing (a hidden field), so a form shown again never carries the press forward."""

    input_type = "hidden"

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        return SafeString("")

    def value_from_datadict(self, data: Any, files: Any, name: str) -> bool:
        return name in data

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False


class EventForm(BootstrapFormMixin, forms.Form):
    """What every reorganisation records: when, why, on what legal basis."""

    effective_on = DateField(label=_("Có hiệu lực từ ngày"))
    legal_basis = forms.CharField(label=_("Căn cứ (số, ký hiệu quyết định)"), max_length=255)
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))
    # The "Xác nhận thực hiện" button: without it the form shows the preview and writes nothing.
    confirm = forms.BooleanField(required=False, widget=ButtonPress)

    def __init__(self, *args: Any, org: Organization, **kwargs: Any):
        self.org = org
        super().__init__(*args, **kwargs)

    def siblings(self) -> Any:
        """Organisations of the same kind under the same parent, still active."""
        return (
            Organization.objects.filter(parent_id=self.org.parent_id, kind=self.org.kind)
            .exclude(status=OrganizationStatus.DISSOLVED)
            .order_by("search_name")
        )

    def plan(self) -> Plan:
        raise NotImplementedError

    def plan_for(self, user: Actor) -> Plan:
        """The plan, refused when it involves an organisation ``user`` may not involve (beside the one it starts
        from)."""
        plan = self.plan()
        outside = [o for o in plan.involved() if o.pk != self.org.pk and not can_involve(user, o)]
        if outside:
            raise AccessError(
                _("Bạn không quản lý: %(names)s.") % {"names": ", ".join(o.name for o in outside)},
                code=ErrorCode.RESTRUCTURING_OUTSIDE_REACH,
                data={"organizations": [o.pk for o in outside]},
            )
        return plan


class MergeForm(EventForm):
    sources = forms.ModelMultipleChoiceField(
        label=_("Các tổ chức sáp nhập"), queryset=Organization.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    target = forms.ModelChoiceField(
        label=_("Sáp nhập vào tổ chức có sẵn"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("Để trống nếu hợp nhất thành tổ chức mới."),
    )
    new_name = forms.CharField(label=_("Hoặc tên tổ chức mới"), max_length=255, required=False)
    new_short_name = forms.CharField(label=_("Tên viết tắt của tổ chức mới"), max_length=100, required=False)
    new_doc_code = forms.CharField(label=_("Ký hiệu văn bản của tổ chức mới"), max_length=20, required=False)
    carry_posts = forms.BooleanField(
        label=_("Chuyển chức vụ sang tổ chức kế thừa"),
        required=False,
        help_text=_(
            "Người đang giữ chức vụ tiếp tục giữ chức vụ đó ở tổ chức kế thừa từ ngày hiệu lực (trong cơ quan cùng "
            "loại). Để trống thì các chức vụ kết thúc cùng tổ chức cũ."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["sources"]).queryset = self.siblings()
        cast(forms.ModelChoiceField, self.fields["target"]).queryset = self.siblings()
        self.fields["sources"].widget.attrs["class"] = "list-unstyled"
        self.initial.setdefault("sources", [self.org.pk])
        self.initial.setdefault("new_doc_code", self.org.doc_code)

    def plan(self) -> Plan:
        data = self.cleaned_data
        new = None
        if data["target"] is None:
            new = services.normalise_new(
                NewOrg(
                    name=data["new_name"],
                    kind=self.org.kind,
                    level=self.org.level,
                    parent=self.org.parent,
                    short_name=data["new_short_name"],
                    doc_code=data["new_doc_code"],
                )
            )
        plan = services.plan_merge(
            sources=list(data["sources"]), on=data["effective_on"], target=data["target"], new=new
        )
        plan.carry_posts = bool(data.get("carry_posts"))
        return plan


class SplitForm(EventForm):
    parts = forms.CharField(label=_("Tên các tổ chức mới (mỗi dòng một tên)"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = [("", "---------")] + [(str(i), _("Tổ chức mới số %(n)d") % {"n": i + 1}) for i in range(MAX_PARTS)]
        self.children = list(
            Organization.objects.filter(parent=self.org)
            .exclude(status=OrganizationStatus.DISSOLVED)
            .order_by("search_name")
        )
        self.members: list[Person] = []
        if self.org.kind == OrganizationKind.CELL:
            self.members = list(
                Person.objects.filter(
                    cell=self.org, party_status__in=[PartyStatus.FULL, PartyStatus.PROBATIONARY]
                ).order_by("sort_key")
            )
        for child in self.children:
            self.fields[f"child_{child.pk}"] = forms.ChoiceField(label=child.name, choices=choices)
        for person in self.members:
            self.fields[f"member_{person.pk}"] = forms.ChoiceField(label=person.full_name, choices=choices)

    def plan(self) -> Plan:
        data = self.cleaned_data
        names = [line.strip() for line in data["parts"].splitlines() if line.strip()][:MAX_PARTS]
        parts = [
            services.normalise_new(
                NewOrg(
                    name=n, kind=self.org.kind, level=self.org.level, parent=self.org.parent, doc_code=self.org.doc_code
                )
            )
            for n in names
        ]
        return services.plan_split(
            source=self.org,
            on=data["effective_on"],
            parts=parts,
            child_parts={c.pk: int(data[f"child_{c.pk}"]) for c in self.children},
            member_parts={p.pk: int(data[f"member_{p.pk}"]) for p in self.members},
        )


class MoveForm(EventForm):
    new_parent = forms.ModelChoiceField(label=_("Chuyển về trực thuộc"), queryset=Organization.objects.none())
    level = forms.ModelChoiceField(
        label=_("Cấp mới"), queryset=Level.objects.all(), required=False, help_text=_("Để trống nếu giữ nguyên cấp.")
    )

    def __init__(self, *args: Any, parents: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["new_parent"]).queryset = parents

    def plan(self) -> Plan:
        data = self.cleaned_data
        return services.plan_move(
            org=self.org, new_parent=data["new_parent"], on=data["effective_on"], level=data["level"]
        )


class RenameForm(EventForm):
    name = forms.CharField(label=_("Tên mới"), max_length=255)
    short_name = forms.CharField(label=_("Tên viết tắt mới"), max_length=100, required=False)

    def plan(self) -> Plan:
        data = self.cleaned_data
        return services.plan_rename(
            org=self.org, name=data["name"], short_name=data["short_name"], on=data["effective_on"]
        )


class DissolveForm(EventForm):
    successor = forms.ModelChoiceField(
        label=_("Tổ chức kế thừa"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("Nhận các đơn vị trực thuộc và đảng viên còn lại."),
    )
    with_units = forms.BooleanField(
        label=_("Giải thể cả các đơn vị trực thuộc (khi không chọn tổ chức kế thừa)"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["successor"]).queryset = self.siblings().exclude(pk=self.org.pk)

    def plan(self) -> Plan:
        data = self.cleaned_data
        return services.plan_dissolve(
            org=self.org, on=data["effective_on"], successor=data["successor"], with_units=data["with_units"]
        )


FORMS: dict[str, type[EventForm]] = {
    "merge": MergeForm,
    "split": SplitForm,
    "move": MoveForm,
    "change_level": MoveForm,
    "rename": RenameForm,
    "dissolve": DissolveForm,
}
