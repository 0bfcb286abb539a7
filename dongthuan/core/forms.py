"""Form pieces shared by every app: Vietnamese dates and NFC text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from dongthuan.core.text import nfc


class DateInput(forms.DateInput):
    """A dd/mm/yyyy text box (the browser's date picker would show the locale's own order)."""

    def __init__(self, attrs: dict[str, Any] | None = None):
        base = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "class": "form-control", "autocomplete": "off"}
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")


class DateField(forms.DateField):
    widget = DateInput
    default_error_messages = {"invalid": _("Nhập ngày theo dạng dd/mm/yyyy, ví dụ 24/04/2017.")}

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("input_formats", ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"])
        super().__init__(**kwargs)


# Every text box has a length limit: a field declaring none gets this one (a line or a text area).
MAX_LINE_CHARS = 1_000
MAX_TEXT_CHARS = 100_000


class BootstrapFormMixin:
    """Adds Bootstrap classes, gives every text field a length limit (MAX_LINE_CHARS, MAX_TEXT_CHARS for a text
    area, unless it declares its own), and stores text in NFC before validation."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(field, forms.CharField) and field.max_length is None:
                field.max_length = MAX_TEXT_CHARS if isinstance(widget, forms.Textarea) else MAX_LINE_CHARS
                field.validators.append(MaxLengthValidator(field.max_length))
                widget.attrs.setdefault("maxlength", str(field.max_length))
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            widget.attrs.setdefault("class", css)

    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]
        for key, value in list(data.items()):
            if isinstance(value, str):
                data[key] = nfc(value)
        return data


def add_service_errors(form: forms.BaseForm, error: Any) -> None:
    """Show a service's ValidationError on the form: per field when it names fields that exist on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for e in errors:
                form.add_error(target, e)
    else:
        for message in error.messages:
            form.add_error(None, message)


def handle_form(
    request: HttpRequest,
    form: forms.Form,
    *,
    template: str,
    context: dict[str, Any],
    write: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], tuple[str, str]],
) -> HttpResponse:
    """The one shape of every form page: on a valid POST call the service (``write``); a refusal from the service
    shows on the form, per field; success flashes a message and redirects (``done(result)`` gives both).
    An invalid form answers 400 and changes nothing."""
    if request.method == "POST" and form.is_valid():
        try:
            result = write(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            message, url = done(result)
            messages.success(request, message)
            return redirect(url)
    return render(request, template, {**context, "form": form}, status=400 if form.errors else 200)
