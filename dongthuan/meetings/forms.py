"""The meeting pages' forms. Every value a browser posts to a meeting page goes through one of these; the services
check the values against the meeting (a status, a kind of poll, a ballot's choices) and give the messages users
read, so most fields here take what was sent as it was sent, the way the pages always have."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dongthuan.core.forms import BootstrapFormMixin
from dongthuan.core.http import int_param, int_params
from dongthuan.core.types import Actor
from dongthuan.documents.models import Document
from dongthuan.meetings import selectors
from dongthuan.meetings.models import TALLY_TOTALS, Choice, Elects, ItemKind, Meeting, MeetingKind
from dongthuan.organizations.models import Body
from dongthuan.people.models import Person
from dongthuan.people.selectors import people_of_organization

# A code or a reason is never longer than this; more is cut, not refused (a code is a few dozen characters).
MAX_CODE_CHARS = 200


class MeetingForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("Tên hội nghị"), max_length=255)
    kind = forms.ChoiceField(label=gettext_lazy("Loại"), choices=MeetingKind.choices)
    starts_at = forms.DateTimeField(
        label=gettext_lazy("Thời gian"),
        input_formats=["%d/%m/%Y %H:%M"],
        help_text=gettext_lazy("dd/mm/yyyy hh:mm, ví dụ 05/12/2026 08:00"),
    )
    place = forms.CharField(label=gettext_lazy("Địa điểm"), max_length=255, required=False)
    chair = forms.ModelChoiceField(label=gettext_lazy("Chủ trì"), queryset=Person.objects.none(), required=False)
    clerk = forms.ModelChoiceField(
        label=gettext_lazy("Thư ký hội nghị"), queryset=Person.objects.none(), required=False
    )
    guests = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Khách mời"),
        queryset=Person.objects.none(),
        required=False,
        help_text=gettext_lazy("Người giữ chức vụ trong tổ chức nhưng không thuộc cơ quan này."),
    )

    def __init__(self, *args: Any, body: Body, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = people_of_organization(body.organization)
        for name in ("chair", "clerk", "guests"):
            cast(forms.ModelChoiceField, self.fields[name]).queryset = people


class ItemForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Nội dung"),
        max_length=255,
        widget=forms.TextInput(
            attrs={"placeholder": gettext_lazy("Nội dung mới"), "aria-label": gettext_lazy("Nội dung mới")}
        ),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại"),
        choices=ItemKind.choices,
        widget=forms.Select(attrs={"aria-label": gettext_lazy("Loại")}),
    )
    document = forms.ModelChoiceField(
        label=gettext_lazy("Dự thảo văn bản"),
        queryset=Document.objects.none(),
        required=False,
        empty_label=gettext_lazy("— không kèm dự thảo —"),
        widget=forms.Select(attrs={"aria-label": gettext_lazy("Dự thảo văn bản")}),
    )

    def __init__(self, *args: Any, meeting: Meeting, user: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["document"]).queryset = selectors.agenda_drafts(meeting, user)
        self.fields["title"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("title") and not data.get("document"):
            raise ValidationError(_("Hãy ghi nội dung hoặc chọn dự thảo văn bản."))
        return data


# --- fields that take a value as the pages always read it ---------------------------------------------------------


class _Sent(forms.TextInput):
    """The value sent, or ``default`` when the field was not sent at all."""

    def __init__(self, default: str = "") -> None:
        super().__init__()
        self.default = default

    def value_from_datadict(self, data: Mapping[str, Any], files: Any, name: str) -> Any:
        return data.get(name, self.default)


def _text(default: str = "", strip: bool = False) -> forms.CharField:
    """A text as sent (the service checks it), ``default`` when not sent."""
    return forms.CharField(required=False, strip=strip, widget=_Sent(default))


class _Ticked(forms.CheckboxInput):
    """A check box: ticked only when the browser sends "on", as browsers do."""

    def value_from_datadict(self, data: Mapping[str, Any], files: Any, name: str) -> bool:
        return data.get(name) == "on"


def _ticked() -> forms.BooleanField:
    return forms.BooleanField(required=False, widget=_Ticked)


class WholeNumberField(forms.Field):
    """A whole number typed by a user (``core.http.int_param``): anything else is no number (None), which the
    service refuses with its own message where a number is needed."""

    widget = _Sent

    def __init__(self, *, digits: int = 9, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.digits = digits

    def to_python(self, value: Any) -> int | None:
        return int_param(value if isinstance(value, str) else None, self.digits)


class IdsField(forms.Field):
    """The ids among the values sent under one name (a multiple select): anything that is no id is dropped."""

    widget = forms.SelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[int]:
        return int_params([v for v in value or [] if isinstance(v, str)])


class _All(forms.SelectMultiple):
    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.getlist(name) if isinstance(data, MultiValueDict) else data.get(name, [])


class ValuesField(forms.Field):
    """Every value sent under one name, as sent (a ballot's ticked candidates)."""

    widget = _All

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[str]:
        return [str(v) for v in value or []]


def _prefixed(data: Mapping[str, Any], prefix: str) -> dict[str, str]:
    """The fields named ``<prefix><key>`` (one per candidate or section, so not declared one by one), by key."""
    return {k.removeprefix(prefix): str(v) for k, v in data.items() if k.startswith(prefix)}


# --- the meeting page's small forms ----------------------------------------------------------------------------------


class AttendanceForm(forms.Form):
    status = _text()


class PollForm(forms.Form):
    """A new poll on an agenda item (the service checks each value against the item)."""

    kind = _text()
    question = _text(strip=True)  # empty: the item's title
    method = _text("choice")
    seats = WholeNumberField()
    paper = _ticked()
    tellers = IdsField()
    cell_secretary = _ticked()
    elects = _text(Elects.COMMITTEE)


class OpinionForm(forms.Form):
    person = WholeNumberField(digits=18)
    text = _text(strip=True)
    reserved = _ticked()


class CandidateForm(forms.Form):
    person = WholeNumberField(digits=18)
    write_in = _ticked()
    agree = WholeNumberField()


class PollCloseForm(forms.Form):
    confirm_few = _ticked()


class PollVoidForm(forms.Form):
    reason = _text()


class UnsealForm(forms.Form):
    code = _text()

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"])[:MAX_CODE_CHARS]


class VoteForm(forms.Form):
    """A ballot: a choice, the candidates ticked, or a level per candidate (``level-<id>``)."""

    choice = _text()
    candidate = ValuesField()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        data["levels"] = _prefixed(self.data, "level-")
        return data


class MinutesForm(forms.Form):
    """What the minutes' page posts: which button (``action``), and for "save" the sections' texts
    (``section-<key>``) and the version they were edited from."""

    action = _text()
    version = WholeNumberField()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        data["version"] = data.get("version") or 0
        data["texts"] = _prefixed(self.data, "section-")
        return data


def tally_form_counts(data: Mapping[str, Any]) -> dict[str, Any]:
    """The tally form's fields (issued, received, invalid, choice-<c>, votes-<id>, level-<id>-<level>) as the
    nested counts ``services.tally_enter`` takes."""
    counts: dict[str, Any] = {key: data.get(key, "") for key in TALLY_TOTALS}
    counts["choices"] = {c: data.get(f"choice-{c}", "") for c in Choice.values}
    counts["votes"] = {k.removeprefix("votes-"): v for k, v in data.items() if k.startswith("votes-")}
    levels: dict[str, dict[str, str]] = {}
    for key, value in data.items():
        parts = key.split("-", 2)
        if parts[0] == "level" and len(parts) == 3:  # a malformed name ("level-5") is no field of the form
            levels.setdefault(parts[1], {})[parts[2]] = value
    counts["levels"] = levels
    return counts


class TallyForm(forms.Form):
    """A teller's count of a paper poll: its fields are named after the poll's choices, candidates and levels, so
    they are read as a whole (``tally_form_counts``) and checked by ``services.tally_enter``."""

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        data["counts"] = tally_form_counts(self.data)
        return data
