"""Consultation pages: open a round on a draft, the round as those asked see it (the draft with a form under each
section), the synthesis as the drafting team sees it (opinions by section, near-duplicates grouped, an answer form
for each, citizens' opinions to moderate), the register in Word and Excel; and the public pages, where anyone reads
a draft put to the public, gives an opinion confirmed by email, and reads the published register."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dongthuan.consultations import selectors, services
from dongthuan.consultations.forms import AnswerForm, ModerateForm, OpinionForm, PublicOpinionForm, RoundForm
from dongthuan.consultations.models import (
    AudienceKind,
    Decision,
    NoticeKind,
    RoundStatus,
)
from dongthuan.consultations.permissions import (
    consultation_for_public,
    consultation_for_runner,
    consultation_for_user,
    document_for_new_round,
)
from dongthuan.core.forms import add_service_errors
from dongthuan.core.http import HtmxHttpRequest, client_address, file_response, file_stem, get_or_404, int_param
from dongthuan.organizations.models import Organization
from dongthuan.people.selectors import person_of_account
from dongthuan.rules.publicity import written_reply_deadline
from dongthuan.writer.official import to_docx


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
    person = person_of_account(request.user)
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
        context["public"] = selectors.is_public(consultation)
        if context["public"]:
            context["queue"] = selectors.moderation_queue(consultation)
        context["decisions"] = Decision.choices
        context["versions"] = list(consultation.document.versions.filter(number__gt=consultation.version.number))
        return render(request, "consultations/synthesis.html", context)
    context["audience"] = AudienceKind(audience).label
    context["mine"] = selectors.opinions_given(consultation, person)
    context["can_give"] = (
        consultation.status == RoundStatus.OPEN
        and consultation.opens_on <= timezone.localdate() <= consultation.closes_on
    )
    return render(request, "consultations/give.html", context)


@login_required
@require_POST
def opinion_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    consultation, _audience = consultation_for_user(request.user, pk)
    person = person_of_account(request.user)
    if person is None or selectors.audience_of(consultation, person) is None:  # the drafters are not all asked
        raise Http404
    form = OpinionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([str(m) for ms in form.errors.values() for m in ms])
        services.opinion_give(
            actor=request.user,
            consultation=consultation,
            person=person,
            text=form.cleaned_data["text"],
            section_key=form.cleaned_data["section"],
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
    opinion = get_or_404(selectors.opinions_of(consultation), opinion_pk)
    form = AnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([str(m) for ms in form.errors.values() for m in ms])
        d = form.cleaned_data
        number = d["version"]
        changed = consultation.document.versions.filter(number=number).first() if number else None
        services.opinion_answer(
            actor=request.user,
            opinion=opinion,
            decision=d["decision"],
            reasoning=d["reasoning"],
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
    opinion = get_or_404(selectors.opinions_of(consultation, public=True), opinion_pk)
    form = ModerateForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([str(m) for ms in form.errors.values() for m in ms])
        services.opinion_moderate(
            actor=request.user,
            opinion=opinion,
            accept=form.cleaned_data["accept"],
            reason=form.cleaned_data["reason"],
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


def public_list(request: HtmxHttpRequest) -> HttpResponse:
    """Drafts put to the public: open ones first, then finished ones with their registers."""
    rounds = selectors.public_rounds()
    today = timezone.localdate()
    found = list(rounds[:200])
    current = [r for r in found if r.status == RoundStatus.OPEN and r.closes_on >= today]
    past = [r for r in found if r not in current]
    return render(request, "consultations/public_list.html", {"current": current, "past": past, "today": today})


def public_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    consultation = consultation_for_public(pk)
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
    consultation = consultation_for_public(pk)
    if fmt not in ("docx", "xlsx") or consultation.status != RoundStatus.SYNTHESISED:
        raise Http404
    body = (
        to_docx(selectors.register_document(consultation, public=True))
        if fmt == "docx"
        else selectors.register_xlsx(consultation, public=True)
    )
    return file_response(body, fmt, file_stem(f"tiep thu giai trinh {consultation.document.title}")[:80])
