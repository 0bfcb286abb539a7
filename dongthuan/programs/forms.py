"""Forms of action programs. Numbers are typed the Vietnamese way (12,5 or 1.250,5) and may carry their unit."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dongthuan.core.forms import BootstrapFormMixin, DateField
from dongthuan.documents.models import Document
from dongthuan.organizations.models import Organization
from dongthuan.people.models import Person
from dongthuan.programs.models import Computation, Direction, Field, Objective, Program, ReportEvery, Task, TaskStatus
from dongthuan.programs.quantities import parse_quantity
from dongthuan.programs.selectors import responsible_choices


class QuantityField(forms.CharField):
    def __init__(self, *, unit: str = "", **kwargs: Any) -> None:
        self.unit = unit
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if text in self.empty_values:
            return None
        return parse_quantity(text, self.unit)


class ProgramForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Tên chương trình"),
        max_length=500,
        help_text=gettext_lazy("Ví dụ: Chương trình hành động thực hiện Nghị quyết số 05-NQ/HU"),
    )
    implements = forms.ModelChoiceField(
        label=gettext_lazy("Thực hiện văn bản"), queryset=Document.objects.none(), required=False
    )
    carries = forms.ModelChoiceField(
        label=gettext_lazy("Thực hiện nhiệm vụ cấp trên giao"), queryset=Task.objects.none(), required=False
    )
    starts_on = DateField(label=gettext_lazy("Từ ngày"))
    ends_on = DateField(label=gettext_lazy("Đến ngày"))
    report_every = forms.ChoiceField(label=gettext_lazy("Kỳ báo cáo"), choices=ReportEvery.choices)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        documents = Document.objects.filter(
            status="issued", classification="", organization__path__in=_prefixes(organization.path)
        )
        cast(forms.ModelChoiceField, self.fields["implements"]).queryset = documents.select_related(
            "doc_type"
        ).order_by("-issued_on")
        tasks = Task.objects.filter(organization=organization).exclude(status__in=["done", "cancelled"])
        cast(forms.ModelChoiceField, self.fields["carries"]).queryset = tasks.exclude(
            program__organization=organization
        )


def _prefixes(path: str) -> list[str]:
    """The paths of an organisation and of every one above it."""
    step = 8
    return [path[: i + step] for i in range(0, len(path), step)]


class ObjectiveForm(BootstrapFormMixin, forms.Form):
    field = forms.ModelChoiceField(label=gettext_lazy("Lĩnh vực"), queryset=Field.objects.all())
    title = forms.CharField(label=gettext_lazy("Mục tiêu"), max_length=500)


class IndicatorForm(BootstrapFormMixin, forms.Form):
    objective = forms.ModelChoiceField(label=gettext_lazy("Mục tiêu"), queryset=Objective.objects.none())
    name = forms.CharField(label=gettext_lazy("Chỉ tiêu"), max_length=300)
    unit = forms.CharField(label=gettext_lazy("Đơn vị tính"), max_length=30, help_text="%, ha, km, hộ…")
    baseline = QuantityField(label=gettext_lazy("Giá trị ban đầu"))
    target = QuantityField(label=gettext_lazy("Chỉ tiêu đề ra"))
    deadline = DateField(label=gettext_lazy("Thời hạn"))
    direction = forms.ChoiceField(label=gettext_lazy("Chiều"), choices=Direction.choices)
    computation = forms.ChoiceField(label=gettext_lazy("Cách tính"), choices=Computation.choices)

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["objective"]).queryset = program.objectives.all()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit = data.get("unit", "")
        for name in ("baseline", "target"):  # a unit typed with the number must be the indicator's
            raw = self.data.get(self.add_prefix(name), "")
            if unit and raw and name in data:
                try:
                    parse_quantity(raw, unit)
                except ValidationError as error:
                    self.add_error(name, error)
        return data


class IndicatorValueForm(BootstrapFormMixin, forms.Form):
    period_end = forms.TypedChoiceField(label=gettext_lazy("Kỳ"), choices=[])
    value = QuantityField(label=gettext_lazy("Giá trị đạt được"))
    note = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=500, required=False)

    def __init__(self, *args: Any, unit: str, periods: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(QuantityField, self.fields["value"]).unit = unit
        cast(forms.TypedChoiceField, self.fields["period_end"]).choices = periods


class TaskForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("Nhiệm vụ"), max_length=500)
    objective = forms.ModelChoiceField(
        label=gettext_lazy("Mục tiêu"), queryset=Objective.objects.none(), required=False
    )
    parent = forms.ModelChoiceField(label=gettext_lazy("Thuộc nhiệm vụ"), queryset=Task.objects.none(), required=False)
    organization = forms.ModelChoiceField(label=gettext_lazy("Đơn vị chủ trì"), queryset=Organization.objects.none())
    coordinators = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Đơn vị phối hợp"), queryset=Organization.objects.none(), required=False
    )
    responsible = forms.ModelChoiceField(
        label=gettext_lazy("Cá nhân phụ trách"),
        queryset=Person.objects.none(),
        help_text=gettext_lazy("Một người duy nhất chịu trách nhiệm."),
    )
    starts_on = DateField(label=gettext_lazy("Bắt đầu"))
    due_on = DateField(label=gettext_lazy("Hạn hoàn thành"))
    deliverable = forms.CharField(label=gettext_lazy("Sản phẩm"), max_length=300, required=False)
    weight = forms.IntegerField(label=gettext_lazy("Trọng số"), min_value=1, max_value=100, initial=1)

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org = program.organization
        units = Organization.objects.filter(path__startswith=org.path, depth__lte=org.depth + 1).exclude(
            status="dissolved"
        )
        cast(forms.ModelChoiceField, self.fields["objective"]).queryset = program.objectives.all()
        cast(forms.ModelChoiceField, self.fields["parent"]).queryset = program.tasks.exclude(
            status__in=["done", "cancelled"]
        )
        cast(forms.ModelChoiceField, self.fields["organization"]).queryset = units.order_by("depth", "name")
        cast(forms.ModelMultipleChoiceField, self.fields["coordinators"]).queryset = units.order_by("depth", "name")
        cast(forms.ModelChoiceField, self.fields["responsible"]).queryset = responsible_choices(org)


class MultipleFiles(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files in one input; each is checked by the service (``programs.evidence``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFiles(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(EvidenceField, self).clean(f, initial) for f in files]


class ReportForm(BootstrapFormMixin, forms.Form):
    period_end = forms.ChoiceField(label=gettext_lazy("Kỳ báo cáo"), choices=[])
    progress = QuantityField(label=gettext_lazy("Tiến độ đạt (%)"), unit="%")
    narrative = forms.CharField(
        label=gettext_lazy("Kết quả thực hiện"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    evidence = EvidenceField(
        label=gettext_lazy("Tài liệu minh chứng"),
        required=False,
        help_text=gettext_lazy("Tối đa 5 tệp PDF, Word, Excel, ảnh JPEG hoặc PNG; mỗi tệp đến 10 MB."),
    )

    def __init__(self, *args: Any, periods: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["period_end"]).choices = periods


class StatusForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Trạng thái mới"), choices=TaskStatus.choices)
    reason = forms.CharField(label=gettext_lazy("Lý do"), max_length=500)


class ReviewForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại báo cáo"),
        choices=[("interim", gettext_lazy("Sơ kết")), ("final", gettext_lazy("Tổng kết"))],
    )
    start = DateField(label=gettext_lazy("Từ ngày"))
    end = DateField(label=gettext_lazy("Đến ngày"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Ngày kết thúc phải từ ngày bắt đầu trở đi."))
        return data
