"""Forms of the document pages: a new draft, a draft's text (its sections), a new version, issuing, a relation, and
giving a document to be studied. Every value a browser posts to these pages goes through one of them."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dongthuan.core.forms import MAX_LINE_CHARS, MAX_TEXT_CHARS, BootstrapFormMixin, DateField
from dongthuan.core.http import int_param, int_params
from dongthuan.core.models import Classification
from dongthuan.documents import selectors
from dongthuan.documents.services import MAX_SECTION_CHARS
from dongthuan.organizations.models import Organization
from dongthuan.people.models import Person
from dongthuan.people.selectors import people_of_organization


class DraftForm(BootstrapFormMixin, forms.Form):
    doc_type = forms.ModelChoiceField(label=gettext_lazy("Loại văn bản"), queryset=selectors.document_types())
    title = forms.CharField(
        label=gettext_lazy("Trích yếu"),
        max_length=500,
        help_text=gettext_lazy("Ví dụ: về đổi mới phương thức lãnh đạo của Đảng ở cơ sở"),
    )
    field = forms.CharField(label=gettext_lazy("Lĩnh vực"), max_length=100, required=False)
    classification = forms.ChoiceField(label=gettext_lazy("Độ mật"), choices=Classification.choices, required=False)
    by_congress = forms.BooleanField(label=gettext_lazy("Văn bản của đại hội"), required=False)


class IssueForm(BootstrapFormMixin, forms.Form):
    issued_on = DateField(label=gettext_lazy("Ngày ban hành"))
    place = forms.CharField(label=gettext_lazy("Địa danh"), max_length=100)
    signer = forms.ModelChoiceField(label=gettext_lazy("Người ký"), queryset=Person.objects.none())
    signer_authority = forms.CharField(
        label=gettext_lazy("Thẩm quyền ký"), max_length=100, required=False, help_text="T/M BAN THƯỜNG VỤ"
    )
    signer_title = forms.CharField(label=gettext_lazy("Chức vụ người ký"), max_length=100, help_text="BÍ THƯ")
    recipients = forms.CharField(
        label=gettext_lazy("Nơi nhận"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy("Mỗi dòng một nơi nhận."),
    )

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["signer"]).queryset = people_of_organization(organization)


# --- values a page posts by hand (hidden inputs, repeated inputs, buttons) ------------------------------------------


class IdField(forms.Field):
    """An id a page posts (a select's or a hidden input's value): the number, or None for anything that is not one
    (the page then answers as for a missing record). Never an error: a page that gets None says what is missing."""

    def __init__(self, *, digits: int = 9, **kwargs: Any) -> None:
        self.digits = digits
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> int | None:
        return int_param(value if isinstance(value, str) else None, self.digits)


class _ListInput(forms.Widget):
    """Every value posted under the field's name (repeated inputs, checkboxes)."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return [str(v) for v in data.getlist(name)] if hasattr(data, "getlist") else []


class IdListField(forms.Field):
    """The ids among the values posted under one name (checkboxes); anything that is not an id is dropped."""

    widget = _ListInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> list[int]:
        return int_params([v for v in value or [] if len(v) <= MAX_LINE_CHARS])


class TextListField(forms.Field):
    """Every text posted under one name, in order (a section's key, heading or text repeats once per section),
    each at most ``max_length`` characters."""

    widget = _ListInput

    def __init__(self, *, max_length: int, too_long: str, **kwargs: Any) -> None:
        self.max_length, self.too_long = max_length, too_long
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> list[str]:
        texts = [v.replace("\x00", "") for v in value or []]
        if any(len(v) > self.max_length for v in texts):
            raise forms.ValidationError(self.too_long, code="max_length")
        return texts


def _section_too_long() -> str:
    """The service's own message (``services.clean_sections``), for text far past its limit."""
    return _("Mỗi phần dài tối đa %(n)s ký tự.") % {"n": f"{MAX_SECTION_CHARS:,}".replace(",", ".")}


class SectionsForm(forms.Form):
    """A draft's text as the page posts it: a key, a heading and a text per section, in order. The service checks
    each section's length and content after normalising it; the form only refuses text no section could hold."""

    key = TextListField(max_length=MAX_LINE_CHARS, too_long="")
    heading = TextListField(max_length=MAX_TEXT_CHARS, too_long="")
    text = TextListField(max_length=MAX_TEXT_CHARS, too_long="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("key", "heading", "text"):
            cast(TextListField, self.fields[name]).too_long = _section_too_long()

    def sections(self) -> list[dict[str, str]]:
        d = self.cleaned_data
        return [{"key": k, "heading": h, "text": t} for k, h, t in zip(d["key"], d["heading"], d["text"], strict=False)]


class VersionForm(SectionsForm):
    """A new version of a draft: its sections, the version the editor opened (``based_on``) and a note."""

    based_on = IdField()
    note = forms.CharField(required=False, max_length=MAX_TEXT_CHARS, strip=False)


class RelationForm(forms.Form):
    target = IdField(digits=18)
    kind = forms.CharField(required=False, max_length=MAX_LINE_CHARS)


class DisseminationForm(forms.Form):
    organization = IdField(digits=18)
    deadline = DateField(required=False)


class DisseminationActionForm(forms.Form):
    """Which button of the study page was pressed: ``acknowledge`` (a member) or ``session`` (an officer)."""

    action = forms.CharField(required=False, max_length=MAX_LINE_CHARS)


class StudySessionForm(forms.Form):
    unit = IdField(digits=18)
    held_on = DateField()
    attendees = IdListField()
    place = forms.CharField(required=False, max_length=MAX_TEXT_CHARS, strip=False)
