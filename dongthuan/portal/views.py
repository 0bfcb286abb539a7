"""Pages of the public portal (no account needed: articles, documents, the disclosure boards, petitions and their
tracking, the figures of who answers) and of the newsroom behind it (writing and publishing articles, moderating
comments, handling petitions, posting on a disclosure board)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dongthuan.core.forms import add_service_errors, handle_form
from dongthuan.core.http import client_address, file_response, file_stem, get_or_404, int_param
from dongthuan.documents.selectors import official_document
from dongthuan.portal import selectors, services
from dongthuan.portal.cache import public_page
from dongthuan.portal.forms import (
    ArticleForm,
    ArticleStepForm,
    CommentForm,
    DisclosureForm,
    ImageForm,
    ModerateForm,
    PetitionActionForm,
    PetitionForm,
    TrackForm,
)
from dongthuan.portal.html import with_images
from dongthuan.portal.models import (
    Article,
    ArticleStatus,
    Comment,
    CommentStatus,
    Disclosure,
    PetitionEventKind,
    PetitionStatus,
    Section,
    Tag,
)
from dongthuan.portal.permissions import (
    article_for_writer,
    can_post_disclosure,
    can_publish_articles,
    can_use_newsroom,
    comment_for_moderator,
    image_for_reader,
    image_for_writer,
    organization_for_disclosure,
    organization_for_writer,
    petition_file_for_handler,
    petition_for_handler,
)
from dongthuan.rules import publicity
from dongthuan.writer.official import to_docx, to_pdf


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for a load balancer (and the baseline of the portal's load benchmark): no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


# --- public pages --------------------------------------------------------------------------------------------------


@public_page
def home(request: HttpRequest) -> HttpResponse:
    latest = list(selectors.published().defer("body", "search_text")[:9])
    return render(
        request,
        "portal/home.html",
        {
            "lead_article": latest[0] if latest else None,
            "latest": latest[1:],
            "consultations": selectors.open_consultations(),
            "documents": list(selectors.public_documents().object_list[:6]),
        },
    )


@public_page
def section(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Section, slug=slug)
    page = selectors.article_list(section=found, page=int_param(request.GET.get("page")) or 1)
    return render(
        request,
        "portal/list.html",
        {"section": found, "page": page, "heading": found.name},
    )


@public_page
def tag(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Tag, slug=slug)
    page = selectors.article_list(tag=found, page=int_param(request.GET.get("page")) or 1)
    heading = _("Từ khóa: %(tag)s") % {"tag": found.name}
    return render(request, "portal/list.html", {"tag": found, "page": page, "heading": heading})


@public_page
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    page = selectors.article_list(query=query, page=int_param(request.GET.get("page")) or 1)
    heading = _("Tìm kiếm: %(q)s") % {"q": query} if query else _("Tìm kiếm")
    return render(
        request,
        "portal/list.html",
        {"page": page, "query": query, "heading": heading},
    )


def _comment_post(request: HttpRequest, target: Any, form: CommentForm) -> HttpResponse | None:
    """Take a comment from the form; a redirect on success (the honeypot answers the same and saves nothing)."""
    if not form.is_valid():
        return None
    if not form.is_bot:
        try:
            services.comment_give(
                target=target,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                text=form.cleaned_data["text"],
                address=client_address(request),
                confirm_url=lambda token: request.build_absolute_uri(reverse("portal:comment_confirm", args=[token])),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return None
    messages.success(
        request,
        _("Cảm ơn bạn. Chúng tôi đã gửi thư đến email của bạn: hãy bấm đường dẫn trong thư để xác nhận ý kiến."),
    )
    return redirect(request.path + "#y-kien")


@public_page
def article(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    found = selectors.article_public(pk)
    if found is None:
        raise Http404
    if slug != found.slug:
        return redirect(found.get_absolute_url(), permanent=True)
    form = CommentForm(request.POST or None)
    if request.method == "POST":
        done = _comment_post(request, found, form)
        if done is not None:
            return done
    context = {
        "article": found,
        "blocks": with_images(found.body, found.images.all()),
        "description": found.lead[:200],
        "comments": selectors.comments_shown(found),
        "related": selectors.related(found),
        "form": form,
    }
    return render(request, "portal/article.html", context, status=400 if form.errors else 200)


def image(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    found = image_for_reader(request.user, pk, kind)
    response = HttpResponse(bytes(found.content), content_type="image/jpeg" if kind == "jpg" else "image/png")
    response["Cache-Control"] = (
        "public, max-age=86400" if found.article.status == ArticleStatus.PUBLISHED else "private"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@public_page
def documents(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    page = selectors.public_documents(query, int_param(request.GET.get("page")) or 1)
    return render(request, "portal/documents.html", {"page": page, "query": query})


@public_page
def document(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.public_document(pk)
    if found is None:
        raise Http404
    form = CommentForm(request.POST or None)
    if request.method == "POST":
        done = _comment_post(request, found, form)
        if done is not None:
            return done
    sections = found.issued_version.sections if found.issued_version else []
    context = {
        "document": found,
        "document_sections": sections,
        "description": found.title[:200],
        "comments": selectors.comments_shown(found),
        "form": form,
    }
    return render(request, "portal/document.html", context, status=400 if form.errors else 200)


@public_page  # written once, then served from the cache: a PDF takes a while to lay out
def document_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    found = selectors.public_document(pk)
    if found is None or fmt not in ("docx", "pdf"):
        raise Http404
    official = official_document(found)
    body = to_docx(official) if fmt == "docx" else to_pdf(official)
    return file_response(body, fmt, file_stem(f"{found.doc_type.name} {found.symbol}".replace("/", "-")))


def comment_confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        comment = services.comment_confirm(token=token[:200])
    except ValidationError as error:
        return render(request, "portal/confirm.html", {"problem": error.messages[0]}, status=400)
    target = comment.target
    url = target.get_absolute_url() if isinstance(target, Article) else reverse("portal:document", args=[target.pk])
    return render(request, "portal/confirm.html", {"comment": comment, "target": target, "url": url})


@public_page
def disclosures(request: HttpRequest) -> HttpResponse:
    communes = list(selectors.communes())
    return render(request, "portal/disclosures.html", {"communes": communes})


@public_page
def board(request: HttpRequest, pk: int) -> HttpResponse:
    commune = selectors.communes().filter(pk=pk).first()
    if commune is None:
        raise Http404
    year = int_param(request.GET.get("year"), 4) or timezone.localdate().year
    context = {
        "board": selectors.board(commune, year),
        "disclosed_labels": publicity.DISCLOSED,
        "decided_labels": publicity.RESIDENTS_DECIDE,
        "can_post": can_post_disclosure(request.user, commune),
    }
    return render(request, "portal/board.html", context)


def board_file(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_or_404(selectors.disclosures_with_files(), pk)
    if not item.file_kind or item.file_content is None:
        raise Http404
    return file_response(bytes(item.file_content), item.file_kind, file_stem(item.file_name.rsplit(".", 1)[0]))


def petition_new(request: HttpRequest) -> HttpResponse:
    form = PetitionForm(
        request.POST or None, request.FILES or None, initial={"commune": int_param(request.GET.get("commune"))}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if form.is_bot:
            return redirect("portal:track")
        commune = selectors.communes().filter(pk=d["commune"]).first()
        try:
            if commune is None:
                raise ValidationError({"commune": [_("Hãy chọn xã, phường.")]})
            petition = services.petition_submit(
                topic=d["topic"],
                commune=commune,
                title=d["title"],
                text=d["text"],
                place=d["place"],
                name=d["name"],
                email=d["email"],
                phone=d["phone"],
                attachments=[(f.name, f.read()) for f in d["attachments"]],
                address=client_address(request),
                track_url=lambda code: request.build_absolute_uri(reverse("portal:track_code", args=[code])),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Phản ánh đã được tiếp nhận. Mã theo dõi của bạn: %(code)s — hãy ghi lại để theo dõi kết quả.")
                % {"code": petition.code},
            )
            return redirect("portal:track_code", code=petition.code)
    return render(
        request,
        "portal/petition_new.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def track(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.GET or None)
    if form.is_valid():
        found = selectors.petition_by_code(form.cleaned_data["code"])
        if found is not None:
            return redirect("portal:track_code", code=found.code)
        form.add_error("code", _("Không tìm thấy phản ánh có mã này. Xin kiểm tra lại mã trong thư hoặc tin nhắn."))
    return render(
        request,
        "portal/track.html",
        {"form": form},
        status=404 if form.errors else 200,
    )


def track_code(request: HttpRequest, code: str) -> HttpResponse:
    """What anyone holding the code sees: topic, commune, status, dates, the handling organisation and its public
    answer. Not the contact details, nor internal notes."""
    found = selectors.petition_by_code(code)
    if found is None:
        raise Http404
    events = [
        e for e in found.events.select_related("to_handler").order_by("at", "id") if e.kind != PetitionEventKind.NOTE
    ]
    context = {"petition": found, "events": events, "today": timezone.localdate()}
    response = render(request, "portal/track_code.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@public_page
def statistics(request: HttpRequest) -> HttpResponse:
    year = int_param(request.GET.get("year"), 4)
    rows = selectors.listening(year if year and 2000 <= year <= 2100 else None)
    totals = {
        "received": sum(r.received for r in rows),
        "answered": sum(r.answered for r in rows),
        "on_time": sum(r.on_time for r in rows),
    }
    this_year = timezone.localdate().year
    context = {"rows": rows, "totals": totals, "year": year, "years": list(range(this_year, this_year - 5, -1))}
    return render(request, "portal/statistics.html", context)


# --- the newsroom ----------------------------------------------------------------------------------------------------


@login_required
def desk(request: HttpRequest) -> HttpResponse:
    if not can_use_newsroom(request.user):
        raise Http404
    status = request.GET.get("status", "")
    articles = selectors.desk_articles(request.user, status)[:100]
    return render(
        request,
        "portal/desk.html",
        {
            "articles": articles,
            "status": status,
            "statuses": ArticleStatus.choices,
            "counts": selectors.desk_counts(request.user),
            "writable": selectors.writable_organizations(request.user),
        },
    )


@login_required
def article_new(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = organization_for_writer(request.user, org_pk)
    form = ArticleForm(request.POST or None)

    def write(d: dict[str, Any]) -> Article:
        return services.article_save(actor=request.user, organization=org, **d)

    return handle_form(
        request,
        form,
        template="portal/article_form.html",
        context={"organization": org},
        write=write,
        done=lambda a: (_("Đã lưu bản nháp."), reverse("portal:article_edit", args=[a.pk])),
    )


@login_required
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = article_for_writer(request.user, pk)
    initial = {
        "section": found.section_id,
        "title": found.title,
        "lead": found.lead,
        "body": found.body,
        "author": found.author,
        "tags": ", ".join(t.name for t in found.tags.all()),
    }
    form = ArticleForm(request.POST or None, initial=initial)

    def write(d: dict[str, Any]) -> Article:
        return services.article_save(actor=request.user, organization=found.organization, article=found, **d)

    context = {
        "organization": found.organization,
        "article": found,
        "images": found.images.defer("content"),
        "image_form": ImageForm(),
        "can_publish": can_publish_articles(request.user, found.organization),
        "blocks": with_images(found.body, found.images.defer("content")),
    }
    return handle_form(
        request,
        form,
        template="portal/article_form.html",
        context=context,
        write=write,
        done=lambda a: (_("Đã lưu bài viết."), reverse("portal:article_edit", args=[a.pk])),
    )


ARTICLE_STEPS: dict[str, tuple[Callable[..., Article], bool, str]] = {
    "submit": (services.article_submit, False, ""),
    "publish": (services.article_publish, True, ""),
    "return": (services.article_return, True, "note"),
    "withdraw": (services.article_withdraw, True, "reason"),
}


@login_required
@require_POST
def article_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    found = article_for_writer(request.user, pk)
    if step not in ARTICLE_STEPS:
        raise Http404
    service, needs_publisher, text_field = ARTICLE_STEPS[step]
    if needs_publisher and not can_publish_articles(request.user, found.organization):
        raise Http404
    form = ArticleStepForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([str(m) for ms in form.errors.values() for m in ms])
        extra = {text_field: form.cleaned_data["note"]} if text_field else {}
        done = service(actor=request.user, article=found, **extra)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Bài viết: %(status)s.") % {"status": done.get_status_display()})
    return redirect("portal:article_edit", pk=found.pk)


@login_required
@require_POST
def article_image(request: HttpRequest, pk: int) -> HttpResponse:
    found = article_for_writer(request.user, pk)
    form = ImageForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["image"]
        try:
            services.article_image_add(
                actor=request.user,
                article=found,
                name=upload.name,
                content=upload.read(),
                caption=form.cleaned_data["caption"],
                after_paragraph=form.cleaned_data["after_paragraph"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã thêm ảnh."))
    else:
        for errors in form.errors.values():
            for problem in errors:
                messages.error(request, str(problem))
    return redirect("portal:article_edit", pk=found.pk)


@login_required
@require_POST
def article_image_remove(request: HttpRequest, pk: int) -> HttpResponse:
    found = image_for_writer(request.user, pk)
    article_pk = found.article_id
    services.article_image_remove(actor=request.user, image=found)
    messages.success(request, _("Đã bỏ ảnh."))
    return redirect("portal:article_edit", pk=article_pk)


@login_required
def comments(request: HttpRequest) -> HttpResponse:
    if not can_use_newsroom(request.user):
        raise Http404
    status = request.GET.get("status", CommentStatus.PENDING)
    page = selectors.moderation_queue(request.user, status, int_param(request.GET.get("page")) or 1)
    return render(request, "portal/comments.html", {"page": page, "status": status, "statuses": CommentStatus.choices})


@login_required
@require_POST
def comment_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    comment: Comment = comment_for_moderator(request.user, pk)
    form = ModerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Yêu cầu không hợp lệ."))
        return redirect("portal:comments")
    d = form.cleaned_data
    try:
        if d["action"] == "answer":
            services.comment_answer(
                actor=request.user, comment=comment, organization=comment.target.organization, answer=d["answer"]
            )
        else:
            services.comment_moderate(
                actor=request.user, comment=comment, publish=d["action"] == "publish", reason=d["reason"]
            )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã xử lý ý kiến của %(name)s.") % {"name": comment.name})
    back = str(d["next"])
    return redirect(back if back.startswith("/portal/") else reverse("portal:comments"))


@login_required
def petitions(request: HttpRequest) -> HttpResponse:
    if not can_use_newsroom(request.user):
        raise Http404
    status = request.GET.get("status", "")
    late = request.GET.get("late") == "1"
    query = request.GET.get("q", "")[:100]
    page = selectors.petitions_desk(request.user, status, late, query, int_param(request.GET.get("page")) or 1)
    context = {
        "page": page,
        "status": status,
        "late": late,
        "query": query,
        "statuses": PetitionStatus.choices,
        "today": timezone.localdate(),
    }
    return render(request, "portal/petitions.html", context)


@login_required
def petition(request: HttpRequest, pk: int) -> HttpResponse:
    found = petition_for_handler(request.user, pk)
    form = PetitionActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if d["action"] == "start":
                services.petition_start(actor=request.user, petition=found, note=d["text"])
            elif d["action"] == "note":
                services.petition_note(actor=request.user, petition=found, note=d["text"])
            elif d["action"] == "reassign":
                handler = selectors.reassign_choices(found).filter(pk=d["handler"] or 0).first()
                if handler is None:
                    raise ValidationError({"handler": [_("Hãy chọn cơ quan nhận.")]})
                services.petition_reassign(actor=request.user, petition=found, handler=handler, note=d["text"])
            else:
                services.petition_answer(
                    actor=request.user,
                    petition=found,
                    answer=d["text"],
                    decline=d["action"] == "decline",
                    track_url=lambda code: request.build_absolute_uri(reverse("portal:track_code", args=[code])),
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã cập nhật phản ánh %(code)s.") % {"code": found.code})
            return redirect("portal:desk_petition", pk=found.pk)
    context = {
        "petition": found,
        "events": found.events.select_related("actor", "to_handler").order_by("at", "id"),
        "files": found.files.defer("content"),
        "form": form,
        "choices": selectors.reassign_choices(found).exclude(pk=found.handler_id),
        "today": timezone.localdate(),
    }
    return render(request, "portal/petition.html", context, status=400 if form.errors else 200)


@login_required
def petition_file(request: HttpRequest, pk: int) -> HttpResponse:
    found = petition_file_for_handler(request.user, pk)
    response = file_response(bytes(found.content), found.kind, file_stem(found.name.rsplit(".", 1)[0]) or "tep")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def disclosure_new(request: HttpRequest, org_pk: int) -> HttpResponse:
    org = organization_for_disclosure(request.user, org_pk)
    form = DisclosureForm(request.POST or None, request.FILES or None)

    def write(d: dict[str, Any]) -> Disclosure:
        upload = d.pop("attachment")
        return services.disclosure_post(
            actor=request.user,
            organization=org,
            attachment=(upload.name, upload.read()) if upload else None,
            **d,
        )

    return handle_form(
        request,
        form,
        template="portal/disclosure_form.html",
        context={"organization": org},
        write=write,
        done=lambda item: (
            _("Đã đăng lên bảng công khai."),
            reverse("portal:board", args=[org.pk]) + f"?year={item.year}",
        ),
    )
