from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dongthuan.core.forms import BootstrapFormMixin
from dongthuan.exchange import reading
from dongthuan.exchange.models import ImportKind


class ImportForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Loại danh sách"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("Tệp danh sách"),
        help_text=_("Excel (.xlsx) hoặc CSV, theo tệp mẫu. Sau khi tải lên, bạn xem trước từng dòng rồi mới nhập."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            reading.format_of(upload.name)
            reading.check_size(upload.size)
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        return upload
