"""Consultation pages: open a round on a draft, the round as those asked see it (the draft with a form under each
section), the synthesis as the drafting team sees it (opinions by section, near-duplicates grouped, an answer form
for each, citizens' opinions to moderate), the register in Word and Excel; and the public pages, where anyone reads
a draft put to the public, gives an opinion confirmed by email, and reads the published register."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dongthuan.consultations import selectors, services
from dongthuan.consultations.models import (
    AudienceKind,
    Decision,
    NoticeKind,
    Opinion,
    Round,
    RoundStatus,
)
from dongthuan.consultations.permissions import consultation_for_runner, consultation_for_user, document_for_new_round
from dongthuan.core.forms import BootstrapFormMixin, DateField, add_service_errors
from dongthuan.core.http import HtmxHttpRequest, client_address, file_response, file_stem, int_param
from dongthuan.organizations.models import Organization, OrganizationKind
from dongthuan.organizations.roles import access_for
from dongthuan.rules.publicity import written_reply_deadline
from dongthuan.writer.official import to_docx


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
        subtree = Organization.objects.filter(path__startswith=organization.path, depth__lte=organization.depth + 1)
        subtree = subtree.exclude(status="dissolved").order_by("depth", "name")
        for name in ("cadres", "members"):
            self.fields[name].queryset = subtree  # type: ignore[attr-defined]
        self.fields["organisations"].queryset = subtree.filter(  # type: ignore[attr-defined]
            kind__in=[OrganizationKind.FRONT, OrganizationKind.MASS_ORG]
        )


@login_required
def round_create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    document = document_for_new_round(request.user, pk)
    today = timezone.localdate()
    form = RoundForm(
        request.POST or None,
        organization=document.organization,
        classified=document.is_classified,
        initial={"opens_on": today, "closes_on": written_reply_deadline(today), "committee": True},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        audiences: list[tuple[str, Organization]] = []
        if d["committee"]:
            audiences.append((AudienceKind.COMMITTEE, document.organization))
        audiences += [(AudienceKind.CADRES, o) for o in d["cadres"]]
        audiences += [(AudienceKind.MEMBERS, o) for o in d["members"]]
        audiences += [(AudienceKind.ORGANISATIONS, o) for o in d["organisations"]]
        if d.get("public"):
            audiences.append((AudienceKind.PUBLIC, document.organization))
        try:
            consultation = services.round_open(
                actor=request.user,
                document=document,
                opens_on=d["opens_on"],
                closes_on=d["closes_on"],
                audiences=audiences,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã mở đợt lấy ý kiến."))
            return redirect(consultation.get_absolute_url())
    return render(request, "consultations/round_form.html", {"document": document, "form": form})


@login_required
def round_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    consultation, audience = consultation_for_user(request.user, pk)
    context: dict[str, Any] = {"round": consultation, "document": consultation.document}
    person = access_for(request.user).person
    if audience is None and request.GET.get("view") == "give" and person is not None:
        found = selectors.audience_of(consultation, person)  # a drafter who is also asked gives opinions too
        audience = found[0] if found else None
        if audience is None:
            raise Http404
    elif audience is None:  # the drafting team
        context["asked"] = person is not None and selectors.audience_of(consultation, person) is not None
        page = request.GET.get("page", "1")
        chosen = request.GET.get("section")
        context["index"], context["section"], context["paged"] = selectors.synthesis(
            consultation, chosen[:20] if chosen is not None else None, int_param(page) or 1
        )
        context["counts"] = selectors.counts(consultation)
        context["public"] = services.is_public(consultation)
        if context["public"]:
            context["queue"] = selectors.moderation_queue(consultation)
        context["decisions"] = Decision.choices
        context["versions"] = list(consultation.document.versions.filter(number__gt=consultation.version.number))
        return render(request, "consultations/synthesis.html", context)
    context["audience"] = AudienceKind(audience).label
    context["mine"] = list(
        Opinion.objects.filter(round=consultation, person=person).select_related("answer").order_by("id")
    )
    context["can_give"] = (
        consultation.status == RoundStatus.OPEN
        and consultation.opens_on <= timezone.localdate() <= consultation.closes_on
    )
    return render(request, "consultations/give.html", context)


@login_required
@require_POST
def opinion_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    consultation, _audience = consultation_for_user(request.user, pk)
    person = access_for(request.user).person
    if person is None or selectors.audience_of(consultation, person) is None:  # the drafters are not all asked
        raise Http404
    try:
        services.opinion_give(
            actor=request.user,
            consultation=consultation,
            person=person,
            text=request.POST.get("text", ""),
            section_key=request.POST.get("section", "")[:20],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã gửi ý kiến. Cảm ơn đồng chí."))
    return redirect(consultation.get_absolute_url())


@login_required
@require_POST
def answer(request: HtmxHttpRequest, pk: int, opinion_pk: int) -> HttpResponse:
    consultation = consultation_for_runner(request.user, pk)
    opinion = Opinion.objects.filter(round=consultation, pk=opinion_pk).first()
    if opinion is None:
        raise Http404
    number = int_param(request.POST.get("version"))
    changed = consultation.document.versions.filter(number=number).first() if number else None
    try:
        services.opinion_answer(
            actor=request.user,
            opinion=opinion,
            decision=request.POST.get("decision", ""),
            reasoning=request.POST.get("reasoning", ""),
            changed_version=changed,
            changed_section_key=opinion.section_key,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(consultation.get_absolute_url() + f"#opinion-{opinion.pk}")


@login_required
@require_POST
def moderate(request: HtmxHttpRequest, pk: int, opinion_pk: int) -> HttpResponse:
    consultation = consultation_for_runner(request.user, pk)
    opinion = Opinion.objects.filter(round=consultation, pk=opinion_pk, audience=AudienceKind.PUBLIC).first()
    if opinion is None:
        raise Http404
    try:
        services.opinion_moderate(
            actor=request.user,
            opinion=opinion,
            accept=request.POST.get("accept") == "1",
            reason=request.POST.get("reason", "")[:2000],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(consultation.get_absolute_url() + "#moderation")


@login_required
@require_POST
def round_step(request: HtmxHttpRequest, pk: int, step: str) -> HttpResponse:
    consultation = consultation_for_runner(request.user, pk)
    if step == "remind":
        if consultation.status != RoundStatus.OPEN:
            raise Http404
        sent = services.notices_send(consultation=consultation, kind=NoticeKind.REMINDER)
        messages.success(request, _("Đã gửi thư nhắc đến %(n)s người chưa góp ý.") % {"n": sent})
        return redirect(consultation.get_absolute_url())
    write = {"close": services.round_close, "synthesise": services.round_synthesise}.get(step)
    if write is None:
        raise Http404
    try:
        write(actor=request.user, consultation=consultation)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã cập nhật đợt lấy ý kiến."))
    return redirect(consultation.get_absolute_url())


@login_required
def register(request: HtmxHttpRequest, pk: int, fmt: str) -> HttpResponse:
    consultation = consultation_for_runner(request.user, pk)
    if fmt not in ("docx", "xlsx"):
        raise Http404
    body = (
        to_docx(selectors.register_document(consultation)) if fmt == "docx" else selectors.register_xlsx(consultation)
    )
    return file_response(body, fmt, file_stem(f"tiep thu giai trinh {consultation.document.title}")[:80])


# --- the public pages (no account needed) ------------------------------------------------------------------------


def _public_round(pk: int) -> Round:
    consultation = (
        Round.objects.select_related("document__organization__parent", "document__doc_type", "version")
        .filter(pk=pk)
        .first()
    )
    if consultation is None or not services.is_public(consultation):
        raise Http404
    return consultation


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


def public_list(request: HtmxHttpRequest) -> HttpResponse:
    """Drafts put to the public: open ones first, then finished ones with their registers."""
    rounds = (
        Round.objects.filter(audiences__kind=AudienceKind.PUBLIC, document__classification="")
        .select_related("document__organization", "document__doc_type")
        .distinct()
        .order_by("-opens_on", "-id")
    )
    today = timezone.localdate()
    found = list(rounds[:200])
    current = [r for r in found if r.status == RoundStatus.OPEN and r.closes_on >= today]
    past = [r for r in found if r not in current]
    return render(request, "consultations/public_list.html", {"current": current, "past": past, "today": today})


def public_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    consultation = _public_round(pk)
    form = PublicOpinionForm(request.POST or None, consultation=consultation)
    today = timezone.localdate()
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        # The honeypot, filled by bots only: answered as if all went well, nothing saved.
        sent = bool(d["website"])
        if not sent:
            try:
                services.public_opinion_give(
                    consultation=consultation,
                    name=d["name"],
                    email=d["email"],
                    text=d["text"],
                    section_key=d["section"],
                    address=client_address(request),
                    confirm_url=lambda token: request.build_absolute_uri(
                        reverse("consultations:public_confirm", args=[token])
                    ),
                )
                sent = True
            except ValidationError as error:
                add_service_errors(form, error)
        if sent:
            messages.success(
                request, _("Chúng tôi đã gửi thư đến email của bạn: hãy bấm đường dẫn trong thư để xác nhận ý kiến.")
            )
            return redirect("consultations:public_detail", pk=pk)
    synthesised = consultation.status == RoundStatus.SYNTHESISED
    context = {
        "round": consultation,
        "document": consultation.document,
        "form": form,
        "can_give": consultation.status == RoundStatus.OPEN
        and consultation.opens_on <= today <= consultation.closes_on,
        "opinions": selectors.published(consultation, int_param(request.GET.get("page")) or 1),
        "synthesised": synthesised,
        "register": selectors.register_rows(consultation, public=True) if synthesised else None,
    }
    return render(request, "consultations/public_detail.html", context)


def public_confirm(request: HtmxHttpRequest, token: str) -> HttpResponse:
    try:
        opinion = services.public_opinion_confirm(token=token[:200])
    except ValidationError as error:
        return render(request, "consultations/public_confirm.html", {"problem": error.messages[0]}, status=400)
    return render(request, "consultations/public_confirm.html", {"opinion": opinion, "round": opinion.round})


def public_register(request: HtmxHttpRequest, pk: int, fmt: str) -> HttpResponse:
    """R-PUB-5: the register of a public round, published once it is synthesised."""
    consultation = _public_round(pk)
    if fmt not in ("docx", "xlsx") or consultation.status != RoundStatus.SYNTHESISED:
        raise Http404
    body = (
        to_docx(selectors.register_document(consultation, public=True))
        if fmt == "docx"
        else selectors.register_xlsx(consultation, public=True)
    )
    return file_response(body, fmt, file_stem(f"tiep thu giai trinh {consultation.document.title}")[:80])
