"""Forms of the portal. Fields are light: the services check the content and give each refusal its own message."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dongthuan.core.forms import MAX_TEXT_CHARS, BootstrapFormMixin, DateField
from dongthuan.portal import selectors, services
from dongthuan.portal.models import Section, Topic
from dongthuan.rules import publicity


class Honeypot(forms.Form):
    # Left empty by people (hidden from them); filled by bots, whose sending is then dropped without a word.
    website = forms.CharField(required=False, label=_("Trang web (để trống)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class CommentForm(BootstrapFormMixin, Honeypot):
    name = forms.CharField(
        label=_("Họ tên"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": services.MAX_NAME_CHARS, "autocomplete": "name"}),
    )
    email = forms.CharField(
        label=_("Email (để xác nhận, không công bố)"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    text = forms.CharField(
        label=_("Ý kiến của bạn"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": services.MAX_COMMENT_CHARS}),
    )
    field_order = ["name", "email", "text", "website"]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field: a list (empty when none was sent); what they are is checked by the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        one = super().clean
        if isinstance(data, (list, tuple)):
            return [one(item, initial) for item in data if item]
        return [one(data, initial)] if data else []


class PetitionForm(BootstrapFormMixin, Honeypot):
    topic = forms.ModelChoiceField(
        label=_("Lĩnh vực"), queryset=Topic.objects.none(), empty_label=_("— Chọn lĩnh vực —")
    )
    commune = forms.TypedChoiceField(label=_("Xã, phường nơi xảy ra"), coerce=int, choices=())
    title = forms.CharField(label=_("Tóm tắt"), required=False, widget=forms.TextInput(attrs={"maxlength": 200}))
    text = forms.CharField(
        label=_("Nội dung phản ánh, kiến nghị"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": services.MAX_PETITION_CHARS}),
    )
    place = forms.CharField(label=_("Địa điểm cụ thể (nếu có)"), required=False, max_length=255)
    attachments = MultipleFileField(
        label=_("Ảnh hoặc tệp kèm theo"),  # with the limits, in the reader's language: __init__
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf,.docx,.xlsx"}),
    )
    name = forms.CharField(label=_("Họ và tên"), required=False, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.CharField(
        label=_("Email"), required=False, max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = forms.CharField(
        label=_("Điện thoại"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    field_order = ["topic", "commune", "title", "text", "place", "attachments", "name", "email", "phone", "website"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].label = gettext("Ảnh hoặc tệp kèm theo (tối đa %(n)s tệp, mỗi tệp %(mb)s MB)") % {
            "n": settings.PETITION_MAX_FILES,
            "mb": settings.PETITION_FILE_MAX_BYTES // (1024 * 1024),
        }
        self.fields["topic"].queryset = Topic.objects.filter(active=True)  # type: ignore[attr-defined]
        groups: dict[str, list[tuple[int, str]]] = {}
        for commune in selectors.communes():
            groups.setdefault(commune.parent.name if commune.parent else "", []).append((commune.pk, commune.name))
        commune_field = cast(forms.ChoiceField, self.fields["commune"])
        commune_field.choices = [("", _("— Chọn xã, phường —")), *groups.items()]


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Mã theo dõi"),
        max_length=16,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "PA-XXXXXXXX", "autocomplete": "off"}),
    )


class ArticleForm(BootstrapFormMixin, forms.Form):
    section = forms.ModelChoiceField(label=_("Chuyên mục"), queryset=Section.objects.all())
    title = forms.CharField(label=_("Tiêu đề"), required=False, widget=forms.TextInput(attrs={"maxlength": 300}))
    lead = forms.CharField(label=_("Sa-pô"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    body = forms.CharField(
        label=_("Nội dung"),
        required=False,
        strip=False,
        help_text=_("Mỗi đoạn cách nhau một dòng trống; có thể dán HTML (chỉ giữ định dạng đơn giản)."),
        widget=forms.Textarea(attrs={"rows": 16}),
    )
    author = forms.CharField(label=_("Tác giả"), required=False, max_length=150)
    tags = forms.CharField(label=_("Từ khóa (cách nhau bằng dấu phẩy)"), required=False, max_length=600)


class ImageForm(BootstrapFormMixin, forms.Form):
    image = forms.FileField(
        label=_("Ảnh (JPEG, PNG)"), widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png"})
    )
    caption = forms.CharField(label=_("Chú thích ảnh"), required=False, max_length=500)
    after_paragraph = forms.IntegerField(label=_("Đặt sau đoạn thứ"), min_value=0, max_value=500, initial=1)


class NoteForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ModerateForm(BootstrapFormMixin, forms.Form):
    action = forms.ChoiceField(
        choices=[("publish", _("Đăng")), ("reject", _("Không đăng")), ("answer", _("Trả lời chính thức"))]
    )
    reason = forms.CharField(label=_("Lý do không đăng"), required=False, max_length=500)
    answer = forms.CharField(label=_("Trả lời"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    # The page to go back to (the queue as it was filtered); only a page of the portal is followed.
    next = forms.CharField(required=False, strip=False, max_length=MAX_TEXT_CHARS, widget=forms.HiddenInput)


class ArticleStepForm(forms.Form):
    """What a step of an article's review carries: the note of a return, the reason of a withdrawal (both posted as
    ``note``; the service asks for them where they are needed)."""

    note = forms.CharField(required=False, strip=False, max_length=MAX_TEXT_CHARS)


class PetitionActionForm(BootstrapFormMixin, forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("start", _("Bắt đầu giải quyết")),
            ("note", _("Ghi chú nội bộ")),
            ("reassign", _("Chuyển cơ quan giải quyết")),
            ("answer", _("Trả lời")),
            ("decline", _("Không thụ lý")),
        ]
    )
    text = forms.CharField(label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    handler = forms.IntegerField(required=False)


class DisclosureForm(BootstrapFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("Nội dung"))
    title = forms.CharField(label=_("Tiêu đề"), required=False, max_length=300)
    summary = forms.CharField(label=_("Tóm tắt"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    posted_on = DateField(label=_("Ngày công khai"))
    attachment = forms.FileField(label=_("Tệp (PDF, Word, Excel)"), required=False)
    voters = forms.IntegerField(label=_("Số hộ (cử tri) tham gia"), required=False, min_value=0)
    agreed = forms.IntegerField(label=_("Số đồng ý"), required=False, min_value=0)
    decided_on = DateField(label=_("Ngày quyết định"), required=False)
    outcome = forms.CharField(label=_("Kết quả"), required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            (_("Công khai (Điều 11 Luật 10/2022/QH15)"), list(publicity.DISCLOSED.items())),
            (_("Nhân dân bàn và quyết định (Điều 15)"), list(publicity.RESIDENTS_DECIDE.items())),
        ]
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["posted_on"].initial = today
