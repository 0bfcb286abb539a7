"""Document pages: the library with search, a draft's versions and their differences, editing (each save a new
version), issuing with its number, relations both ways, and Word/PDF in the official layout."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dongthuan.core.forms import add_service_errors
from dongthuan.core.http import HtmxHttpRequest, file_response, file_stem, int_param
from dongthuan.documents import selectors, services
from dongthuan.documents.forms import (
    DisseminationActionForm,
    DisseminationForm,
    DraftForm,
    IssueForm,
    RelationForm,
    SectionsForm,
    StudySessionForm,
    VersionForm,
)
from dongthuan.documents.models import DocumentStatus, RelationKind
from dongthuan.documents.permissions import (
    can_draft_document,
    can_view_document,
    dissemination_for_user,
    document_for_editor,
    document_for_user,
    document_scope,
    organization_for_drafter,
    visible_documents,
)
from dongthuan.people.selectors import person_of_account
from dongthuan.writer.official import locality, to_docx, to_pdf


@login_required
def library(request: HtmxHttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:200]
    found, words = selectors.library(
        document_scope(request.user),
        q=q,
        doc_type=int_param(request.GET.get("type")),
        organization=int_param(request.GET.get("org")),
        year=int_param(request.GET.get("year"), 4),
        field=request.GET.get("field", "")[:100],
        page=int_param(request.GET.get("page")) or 1,
    )
    rows = [(d, selectors.snippet(d, words) if words else "") for d in found.documents]
    context = {
        "page": found.page,
        "capped": found.capped,
        "rows": rows,
        "q": q,
        "types": selectors.document_types(),
        "chosen": request.GET,
    }
    template = "documents/_results.html" if request.htmx else "documents/library.html"
    return render(request, template, context)


@login_required
def draft_create(request: HtmxHttpRequest, org_pk: int) -> HttpResponse:
    org = organization_for_drafter(request.user, org_pk)
    form = DraftForm(request.POST or None)
    text = SectionsForm(request.POST or None)
    sections = [{"key": "", "heading": "", "text": ""}] * 3
    if request.method == "POST":
        if text.is_valid():
            sections = text.sections()
        else:
            for message in sorted({str(m) for ms in text.errors.values() for m in ms}):
                form.add_error(None, message)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            document = services.document_create(
                actor=request.user,
                organization=org,
                doc_type=d["doc_type"],
                title=d["title"],
                field=d["field"],
                classification=d["classification"] or "",
                by_congress=d["by_congress"],
                sections=sections,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu dự thảo, phiên bản 1."))
            return redirect(document.get_absolute_url())
    return render(request, "documents/draft_form.html", {"org": org, "form": form, "sections": sections})


@login_required
def detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    document = document_for_user(request.user, pk)
    page = selectors.document_page(document, lambda d: can_view_document(request.user, d))
    can_edit = document.status == DocumentStatus.DRAFT and can_draft_document(request.user, document.organization)
    shown = (
        document.issued_version
        if document.status == DocumentStatus.ISSUED
        else (page.versions[0] if page.versions else None)
    )
    context: dict[str, Any] = {"document": document, "page": page, "shown": shown, "can_edit": can_edit}
    context["disseminations"] = list(document.disseminations.select_related("organization"))
    if document.status == DocumentStatus.ISSUED and can_draft_document(request.user, document.organization):
        context["scopes"] = [
            document.organization,
            *document.organization.children.exclude(status="dissolved").order_by("name"),
        ]
    if can_draft_document(request.user, document.organization):
        context["rounds"] = list(document.rounds.select_related("version").order_by("-opens_on", "-id"))
    if can_edit:
        context["issue_form"] = IssueForm(
            organization=document.organization, initial={"place": locality(document.organization.name)}
        )
        context["relation_kinds"] = RelationKind.choices
        context["targets"] = list(
            visible_documents(request.user)
            .exclude(pk=document.pk)
            .select_related("doc_type")
            .order_by("-issued_on")[:100]
        )
    return render(request, "documents/detail.html", context)


@login_required
def edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    document = document_for_editor(request.user, pk)
    latest = document.versions.order_by("-number").first()
    if document.status != DocumentStatus.DRAFT or latest is None:
        raise Http404
    sections = [*latest.sections, {"key": "", "heading": "", "text": ""}]
    based_on = latest.number
    errors: list[str] = []
    form = VersionForm(request.POST or None)
    if request.method == "POST" and not form.is_valid():
        errors = sorted({str(m) for ms in form.errors.values() for m in ms})
    elif request.method == "POST":
        sections = form.sections()
        based_on = form.cleaned_data["based_on"] or 0
        try:
            version = services.version_save(
                actor=request.user,
                document=document,
                sections=sections,
                based_on=based_on,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Đã lưu phiên bản %(n)s.") % {"n": version.number})
            return redirect(document.get_absolute_url())
    return render(
        request,
        "documents/edit.html",
        {"document": document, "sections": sections, "based_on": based_on, "errors": errors},
    )


@login_required
def compare(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    document = document_for_user(request.user, pk)
    versions = {v.number: v for v in document.versions.all()}
    a, b = int_param(request.GET.get("a")), int_param(request.GET.get("b"))
    if a not in versions or b not in versions:
        raise Http404
    diff = selectors.version_diff(versions[a], versions[b])  # type: ignore[index]
    return render(request, "documents/compare.html", {"document": document, "a": a, "b": b, "diff": diff})


@login_required
@require_POST
def issue(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    document = document_for_editor(request.user, pk)
    form = IssueForm(request.POST, organization=document.organization)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, str(message))
        return redirect(document.get_absolute_url() + "#issue")
    d = form.cleaned_data
    try:
        issued = services.document_issue(
            actor=request.user,
            document=document,
            issued_on=d["issued_on"],
            place=d["place"],
            signer=d["signer"],
            signer_title=d["signer_title"],
            signer_authority=d["signer_authority"],
            recipients=d["recipients"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã ban hành: số %(symbol)s.") % {"symbol": issued.symbol})
    return redirect(document.get_absolute_url())


@login_required
@require_POST
def relation_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    document = document_for_editor(request.user, pk)
    form = RelationForm(request.POST)
    valid = form.is_valid()
    target = visible_documents(request.user).filter(pk=form.cleaned_data.get("target") or 0).first()
    if target is None:
        messages.error(request, _("Hãy chọn văn bản đã ban hành."))
    elif not valid:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, str(message))
    else:
        try:
            services.relation_add(actor=request.user, source=document, target=target, kind=form.cleaned_data["kind"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã thêm liên kết."))
    return redirect(document.get_absolute_url())


@login_required
def export(request: HtmxHttpRequest, pk: int, fmt: str) -> HttpResponse:
    document = document_for_user(request.user, pk)
    if fmt not in ("docx", "pdf"):
        raise Http404
    official = selectors.official_document(document)
    try:
        body = to_docx(official) if fmt == "docx" else to_pdf(official)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(document.get_absolute_url())
    stem = document.symbol or f"du-thao-{document.pk}"
    return file_response(body, fmt, file_stem(f"{document.doc_type.name} {stem}".replace("/", "-")))


@login_required
@require_POST
def dissemination_create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    document = document_for_user(request.user, pk)
    form = DisseminationForm(request.POST)
    valid = form.is_valid()
    org = organization_for_drafter(request.user, form.cleaned_data.get("organization") or 0)
    try:
        if not valid:
            raise ValidationError([str(m) for ms in form.errors.values() for m in ms])
        dissemination = services.dissemination_create(
            actor=request.user, document=document, organization=org, deadline=form.cleaned_data["deadline"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(document.get_absolute_url())
    return redirect(dissemination.get_absolute_url())


@login_required
def dissemination(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Coverage of a document's study by the members of an organisation, sessions, and each member's confirmation."""
    found = dissemination_for_user(request.user, pk)
    can_record = can_draft_document(request.user, found.organization)
    person = person_of_account(request.user)
    in_scope = person is not None and selectors.members_in_scope(found).filter(pk=person.pk).exists()
    if request.method == "POST":
        chosen = DisseminationActionForm(request.POST)
        action = chosen.cleaned_data["action"] if chosen.is_valid() else ""
        try:
            if action == "acknowledge" and in_scope and person is not None:
                services.acknowledge(actor=request.user, dissemination=found, person=person)
                messages.success(request, _("Đã ghi nhận đồng chí đã nghiên cứu, quán triệt văn bản."))
            elif action == "session" and can_record:
                form = StudySessionForm(request.POST)
                if not form.is_valid():
                    raise ValidationError([str(m) for ms in form.errors.values() for m in ms])
                d = form.cleaned_data
                unit = selectors.organization_by_id(d["unit"])
                attendees = list(selectors.members_in_scope(found).filter(pk__in=d["attendees"]))
                if unit is None:
                    raise Http404
                services.session_record(
                    actor=request.user,
                    dissemination=found,
                    organization=unit,
                    held_on=d["held_on"],
                    attendees=attendees,
                    place=d["place"],
                )
                messages.success(request, _("Đã ghi buổi quán triệt."))
            else:
                raise Http404
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect(found.get_absolute_url())
    context: dict[str, Any] = {
        "dissemination": found,
        "document": found.document,
        "rows": selectors.coverage(found),
        "can_record": can_record,
        "in_scope": in_scope,
        "done": in_scope and found.acknowledgements.filter(person=person).exists(),
    }
    unit_id = int_param(request.GET.get("unit"))
    if can_record and unit_id:
        unit = selectors.dissemination_unit(found, unit_id)
        if unit is not None:
            context["unit"] = unit
            members = selectors.members_in_scope(found)
            if unit.pk != found.organization_id:  # those who belonged to this unit when the document was given
                members = members.filter(pk__in=found.members.filter(unit=unit).values("person_id"))
            context["unit_members"] = list(members.order_by("sort_key")[:500])
    return render(request, "documents/dissemination.html", context)
