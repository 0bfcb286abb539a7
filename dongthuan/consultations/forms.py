"""Forms of the consultation pages: opening a round, an opinion (a member's and a citizen's), an answer to an
opinion and the moderation of a citizen's. Every value a browser posts to these pages goes through one of them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dongthuan.consultations import selectors, services
from dongthuan.consultations.models import Round
from dongthuan.core.forms import MAX_TEXT_CHARS, BootstrapFormMixin, DateField
from dongthuan.core.http import int_param
from dongthuan.organizations.models import Organization, OrganizationKind


class RoundForm(BootstrapFormMixin, forms.Form):
    opens_on = DateField(label=gettext_lazy("Bắt đầu"))
    closes_on = DateField(label=gettext_lazy("Kết thúc"))
    committee = forms.BooleanField(label=gettext_lazy("Ủy viên cấp ủy"), required=False)
    cadres = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Cán bộ của các tổ chức"), queryset=Organization.objects.none(), required=False
    )
    members = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Đảng viên của các tổ chức"), queryset=Organization.objects.none(), required=False
    )
    organisations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Mặt trận, đoàn thể (trả lời bằng văn bản trong 15 ngày, R-PUB-3)"),
        queryset=Organization.objects.none(),
        required=False,
    )
    public = forms.BooleanField(label=gettext_lazy("Nhân dân (công khai)"), required=False)

    def __init__(self, *args: Any, organization: Organization, classified: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if classified:  # a classified draft is never put to the public
            del self.fields["public"]
        else:
            self.fields["public"].label = gettext_lazy(
                "Nhân dân: đăng công khai, ai cũng góp ý được (ít nhất %(n)s ngày, R-PUB-4)"
            ) % {"n": settings.PUBLIC_CONSULTATION_MIN_DAYS}
        subtree = selectors.round_organizations(organization)
        for name in ("cadres", "members"):
            self.fields[name].queryset = subtree  # type: ignore[attr-defined]
        self.fields["organisations"].queryset = subtree.filter(  # type: ignore[attr-defined]
            kind__in=[OrganizationKind.FRONT, OrganizationKind.MASS_ORG]
        )


class OpinionForm(forms.Form):
    """A member's opinion: its text (checked by the service, which says how long it is) and the section it is on."""

    text = forms.CharField(required=False, strip=False, max_length=MAX_TEXT_CHARS)
    section = forms.CharField(required=False, strip=False)

    def clean_section(self) -> str:
        return str(self.cleaned_data["section"])[:20]  # no section's key is longer; the service finds none


class AnswerForm(forms.Form):
    """The drafting team's answer to an opinion: accept, partly accept or explain, why, and the version that took it
    in (by its number)."""

    decision = forms.CharField(required=False, strip=False, max_length=MAX_TEXT_CHARS)
    reasoning = forms.CharField(required=False, strip=False, max_length=MAX_TEXT_CHARS)
    version = forms.CharField(required=False, max_length=MAX_TEXT_CHARS)

    def clean_version(self) -> int | None:
        return int_param(self.cleaned_data["version"])


class ModerateForm(forms.Form):
    """Taking a citizen's opinion in (``accept=1``) or refusing it with a reason."""

    accept = forms.CharField(required=False, strip=False, max_length=MAX_TEXT_CHARS)
    reason = forms.CharField(required=False, strip=False)

    def clean_accept(self) -> bool:
        return self.cleaned_data["accept"] == "1"

    def clean_reason(self) -> str:
        return str(self.cleaned_data["reason"])[:2000]


class PublicOpinionForm(BootstrapFormMixin, forms.Form):
    # Checked by the service, which gives each refusal its own message.
    name = forms.CharField(
        label=gettext_lazy("Họ và tên"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": services.MAX_NAME_CHARS, "autocomplete": "name"}),
    )
    email = forms.CharField(
        label=gettext_lazy("Email (để xác nhận; không công bố)"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    section = forms.ChoiceField(label=gettext_lazy("Góp ý vào"), required=False)
    text = forms.CharField(
        label=gettext_lazy("Ý kiến của bạn"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": services.MAX_OPINION_CHARS}),
    )
    # Left empty by people; filled by bots, whose opinions are then dropped without a word.
    website = forms.CharField(required=False, label=gettext_lazy("Trang web"))

    def __init__(self, *args: Any, consultation: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("Toàn văn dự thảo"))]
        choices += [(sec["key"], sec["heading"] or sec["text"][:60]) for sec in consultation.version.sections]
        self.fields["section"].choices = choices  # type: ignore[attr-defined]
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
