"""Every write of the public portal: articles through their editorial workflow, citizens' comments (confirmed by
email, then moderated and answered), the disclosure board (R-PUB-1, R-PUB-2), and petitions from submission to
answer. What a public page shows changes only here, and each such change raises ``PortalState.generation`` so that
cached pages are dropped (``portal.cache``)."""

from __future__ import annotations

import datetime as dt
import io
import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dongthuan.audit.services import audit_record
from dongthuan.core import citizens, files, throttle
from dongthuan.core.errors import ConflictError, DomainError, ErrorCode, InputError, StateError
from dongthuan.core.text import date_text, fold, nfc
from dongthuan.core.types import Actor
from dongthuan.documents.models import Document
from dongthuan.organizations.models import Organization
from dongthuan.people.selectors import head_of
from dongthuan.portal import cache as page_cache
from dongthuan.portal import html
from dongthuan.portal.models import (
    OPEN_PETITION,
    Article,
    ArticleImage,
    ArticleStatus,
    Comment,
    CommentStatus,
    Disclosure,
    Petition,
    PetitionEvent,
    PetitionEventKind,
    PetitionFile,
    PetitionStatus,
    PortalState,
    Route,
    Section,
    Tag,
    Topic,
)
from dongthuan.rules import publicity

MAX_NAME_CHARS = citizens.MAX_NAME_CHARS
MAX_COMMENT_CHARS = 3000
MAX_PETITION_CHARS = 5000
MAX_TAGS = 10
# A citizen's forms: at most this many from one address in an hour, and for one email (or phone) in a day.
PER_ADDRESS_HOUR = 10
PER_CONTACT_DAY = 20
CONFIRM_SALT = "portal.comment.confirm"


def _user(actor: Actor) -> User | None:
    """Who is recorded as having written a record: a signed-in user, or nobody (the system, a visitor)."""
    return actor if isinstance(actor, User) and actor.pk else None


PETITION_KINDS = frozenset({"pdf", "docx", "xlsx", "jpg", "png"})


def changed() -> None:
    """What public pages show has changed: every process drops its cached pages (one row, raised in place)."""
    if not PortalState.objects.filter(pk=1).update(generation=F("generation") + 1):
        PortalState.objects.get_or_create(pk=1, defaults={"generation": 2})
    page_cache.forget()  # this process reads the new number at once (its own transaction sees it)
    transaction.on_commit(page_cache.forget)  # and again once others can see it


def _send(subject: str, lines: list[str], to: str) -> None:
    letter = EmailMessage(subject, "\n\n".join(lines), to=[to])
    transaction.on_commit(lambda: letter.send(fail_silently=True))


def _throttled(scope: str, address: str, contact: str) -> None:
    # A write with no address (a management command, the demo) is not a visitor's and is not counted.
    limits = [(f"{scope}_address", address, PER_ADDRESS_HOUR, dt.timedelta(hours=1))] if address else []
    if contact and address:
        limits.append((f"{scope}_contact", contact, PER_CONTACT_DAY, dt.timedelta(days=1)))
    if limits and not throttle.allow(limits):
        raise ConflictError(
            _("Đã nhận nhiều lần gửi liên tiếp; xin gửi lại sau ít phút."), code=ErrorCode.SUBMISSION_BURST
        )


def _text(value: str, limit: int, errors: dict[str, list[str]], *, field: str = "text") -> str:
    text = nfc(value).replace("\r\n", "\n").strip()
    if not text:
        errors[field] = [_("Hãy ghi nội dung.")]
    elif len(text) > limit:
        errors[field] = [_("Nội dung dài tối đa %(n)s ký tự (hiện %(m)s).") % {"n": limit, "m": len(text)}]
    return text


# --- articles ------------------------------------------------------------------------------------------------------


def _tags(raw: str) -> list[Tag]:
    names: list[str] = []
    for part in nfc(raw).replace(";", ",").split(","):
        name = " ".join(part.split())[:60]
        if name and fold(name) not in {fold(n) for n in names}:
            names.append(name)
    if len(names) > MAX_TAGS:
        raise InputError(
            {"tags": [_("Mỗi bài tối đa %(n)s từ khóa.") % {"n": MAX_TAGS}]},
            code=ErrorCode.ARTICLE_TOO_MANY_TAGS,
            data={"max_tags": MAX_TAGS},
        )
    tags = []
    for name in names:
        slug = slugify(fold(name))[:80] or "tu-khoa"
        tag = Tag.objects.filter(slug=slug).first() or Tag.objects.create(name=name, slug=slug)
        tags.append(tag)
    return tags


@transaction.atomic
def article_save(
    *,
    actor: Actor,
    organization: Organization,
    section: Section,
    title: str,
    lead: str,
    body: str,
    author: str = "",
    tags: str = "",
    article: Article | None = None,
) -> Article:
    """Write a new article (a draft) or change one. A published article changed stays published, and its page shows
    the change at once."""
    errors: dict[str, list[str]] = {}
    title = " ".join(nfc(title).split())
    if not title:
        errors["title"] = [_("Hãy ghi tiêu đề.")]
    elif len(title) > 300:
        errors["title"] = [_("Tiêu đề dài tối đa 300 ký tự.")]
    lead = _text(lead, 1000, errors, field="lead")
    clean = html.clean_body(body)
    if not html.plain(clean):
        errors["body"] = [_("Hãy ghi nội dung bài viết.")]
    if errors:
        raise InputError(errors, code=ErrorCode.INVALID)
    found_tags = _tags(tags)
    if article is None:
        article = Article(organization=organization, created_by=_user(actor))
    else:
        article = Article.objects.select_for_update().get(pk=article.pk)
    before = {"title": article.title, "status": article.status}
    article.section = section
    article.title = title
    article.slug = slugify(fold(title))[:120] or "bai-viet"
    article.lead = lead
    article.body = clean
    article.author = " ".join(nfc(author).split())[:150]
    article.updated_at = timezone.now()
    article.search_text = fold(f"{title} {lead} {html.plain(clean)}")
    article.save()
    article.tags.set(found_tags)
    audit_record(actor=actor, action="article_save", obj=article, changes={"title": [before["title"], title]})
    if article.status == ArticleStatus.PUBLISHED:
        changed()
    return article


def _article_locked(article: Article) -> Article:
    return Article.objects.select_for_update().get(pk=article.pk)


def _move(article: Article, to: str, allowed: tuple[str, ...]) -> str:
    """Move ``article`` to status ``to`` from one of ``allowed``; returns the status it had (the caller records the
    step in the history under its own action)."""
    if article.status not in allowed:
        raise StateError(
            _("Bài đang ở trạng thái «%(status)s», không chuyển được sang «%(to)s».")
            % {"status": article.get_status_display(), "to": ArticleStatus(to).label},
            code=ErrorCode.ARTICLE_STATE,
        )
    was = article.status
    article.status = to
    article.save()
    return was


@transaction.atomic
def article_submit(*, actor: Actor, article: Article) -> Article:
    """The writer sends a draft (or a returned one) to review."""
    article = _article_locked(article)
    article.review_note = ""
    was = _move(article, ArticleStatus.REVIEW, (ArticleStatus.DRAFT, ArticleStatus.WITHDRAWN))
    audit_record(actor=actor, action="article_review", obj=article, changes={"status": [was, article.status]})
    return article


@transaction.atomic
def article_return(*, actor: Actor, article: Article, note: str) -> Article:
    """The reviewer sends an article back to its writer with what to change."""
    note = " ".join(nfc(note).split())
    if not note:
        raise InputError({"note": [_("Hãy ghi điều cần sửa.")]}, code=ErrorCode.REASON_MISSING)
    article = _article_locked(article)
    article.review_note = note[:500]
    was = _move(article, ArticleStatus.DRAFT, (ArticleStatus.REVIEW,))
    audit_record(
        actor=actor, action="article_draft", obj=article, changes={"status": [was, article.status]}, note=note[:300]
    )
    return article


@transaction.atomic
def article_publish(*, actor: Actor, article: Article) -> Article:
    """The reviewer publishes: the article appears on the portal, its section, tags, feeds and sitemap."""
    article = _article_locked(article)
    if article.published_at is None:
        article.published_at = timezone.now()
    article.published_by = _user(actor)
    article.review_note = ""
    was = _move(article, ArticleStatus.PUBLISHED, (ArticleStatus.REVIEW, ArticleStatus.DRAFT, ArticleStatus.WITHDRAWN))
    audit_record(actor=actor, action="article_published", obj=article, changes={"status": [was, article.status]})
    changed()
    return article


@transaction.atomic
def article_withdraw(*, actor: Actor, article: Article, reason: str) -> Article:
    """Take a published article off the portal (kept, with the reason, and can be published again)."""
    reason = " ".join(nfc(reason).split())
    if not reason:
        raise InputError({"reason": [_("Hãy ghi lý do gỡ bài.")]}, code=ErrorCode.REASON_MISSING)
    article = _article_locked(article)
    article.review_note = reason[:500]
    was = _move(article, ArticleStatus.WITHDRAWN, (ArticleStatus.PUBLISHED,))
    audit_record(
        actor=actor,
        action="article_withdrawn",
        obj=article,
        changes={"status": [was, article.status]},
        note=reason[:300],
    )
    changed()
    return article


@transaction.atomic
def article_image_add(
    *, actor: Actor, article: Article, name: str, content: bytes, caption: str = "", after_paragraph: int = 1
) -> ArticleImage:
    """A picture for the article (JPEG or PNG, re-encoded), shown after the paragraph given."""
    ((_stored, kind, clean),) = files.checked(
        [(name, content)],
        field="image",
        max_files=1,
        max_bytes=settings.PETITION_FILE_MAX_BYTES * 2,
        kinds=frozenset({"jpg", "png"}),
    )
    from PIL import Image

    with Image.open(io.BytesIO(clean)) as picture:
        width, height = picture.size
    image = ArticleImage.objects.create(
        article=article,
        content=clean,
        kind=kind,
        width=width,
        height=height,
        caption=" ".join(nfc(caption).split())[:500],
        after_paragraph=max(0, min(after_paragraph, 500)),
    )
    audit_record(actor=actor, action="article_image_add", obj=article, changes={"image": ["", image.caption]})
    if article.status == ArticleStatus.PUBLISHED:
        changed()
    return image


@transaction.atomic
def article_image_remove(*, actor: Actor, image: ArticleImage) -> None:
    article = image.article
    audit_record(actor=actor, action="article_image_remove", obj=article, changes={"image": [image.caption, ""]})
    image.delete()
    if article.status == ArticleStatus.PUBLISHED:
        changed()


# --- comments ------------------------------------------------------------------------------------------------------


def commentable(target: Article | Document) -> bool:
    """Comments are taken under a published article, or an issued document that is not classified."""
    if isinstance(target, Article):
        return target.status == ArticleStatus.PUBLISHED
    return target.status == "issued" and not target.is_classified


@transaction.atomic
def comment_give(
    *,
    target: Article | Document,
    name: str,
    email: str,
    text: str,
    address: str = "",
    confirm_url: Callable[[str], str],
) -> Comment:
    """ "Ý kiến của bạn": kept unconfirmed and a link is emailed; once followed, the comment waits for a moderator.
    The same answer is given whether or not the email was seen before, so the form tells nobody who has written."""
    if not commentable(target):
        raise StateError(_("Nội dung này không nhận ý kiến."), code=ErrorCode.COMMENTS_CLOSED)
    errors: dict[str, list[str]] = {}
    name = citizens.clean_name(name, errors)
    email = citizens.clean_email(email, errors)
    text = _text(text, MAX_COMMENT_CHARS, errors)
    if errors:
        raise InputError(errors, code=ErrorCode.INVALID)
    _throttled("portal_comment", address, email)
    comment = Comment.objects.create(
        article=target if isinstance(target, Article) else None,
        document=target if isinstance(target, Document) else None,
        name=name,
        email=email,
        text=text,
    )
    token = citizens.confirmation_token(comment.pk, CONFIRM_SALT)
    with translation.override("vi"):
        _send(
            _("Xác nhận ý kiến của bạn về «%(title)s»") % {"title": target.title},
            [
                citizens.letter_greeting(),
                _(
                    "Cảm ơn Ông/Bà đã gửi ý kiến. Để ý kiến được chuyển đến ban biên tập, xin bấm vào đường dẫn sau "
                    "trong vòng 3 ngày:"
                ),
                confirm_url(token),
                _("Nếu Ông/Bà không gửi ý kiến này, xin bỏ qua thư."),
            ],
            email,
        )
    return comment


@transaction.atomic
def comment_confirm(*, token: str) -> Comment:
    """Follow the link of the email: the comment waits for moderation. Following it twice changes nothing."""
    pk = citizens.confirmed_id(token, CONFIRM_SALT)
    comment = Comment.objects.select_for_update().filter(pk=pk).first()
    if comment is None:
        raise InputError(_("Đường dẫn xác nhận không đúng."), code=ErrorCode.CONFIRMATION_LINK_BAD)
    if comment.status == CommentStatus.UNCONFIRMED:
        comment.status = CommentStatus.PENDING
        comment.confirmed_at = timezone.now()
        comment.save(update_fields=["status", "confirmed_at"])
    return comment


def _comment_locked(comment: Comment) -> Comment:
    return Comment.objects.select_for_update(of=("self",)).select_related("article", "document").get(pk=comment.pk)


@transaction.atomic
def comment_moderate(*, actor: Actor, comment: Comment, publish: bool, reason: str = "") -> Comment:
    """Publish a confirmed comment, or refuse it with a reason (abuse, advertising, personal data…). A published
    comment can still be taken down with a reason; a refused one can be published after all."""
    comment = _comment_locked(comment)
    if comment.status == CommentStatus.UNCONFIRMED:
        raise StateError(_("Ý kiến chưa được xác nhận qua email."), code=ErrorCode.COMMENT_UNCONFIRMED)
    reason = " ".join(nfc(reason).split())
    if publish:
        comment.status, comment.reason = CommentStatus.PUBLISHED, ""
    elif not reason:
        raise InputError({"reason": [_("Hãy ghi lý do không đăng.")]}, code=ErrorCode.REASON_MISSING)
    else:
        comment.status, comment.reason = CommentStatus.REJECTED, reason[:500]
    comment.moderated_at = timezone.now()
    comment.moderated_by = _user(actor)
    comment.save(update_fields=["status", "reason", "moderated_at", "moderated_by"])
    audit_record(
        actor=actor,
        action="comment_moderate",
        obj=comment.target,
        changes={"comment": [comment.text[:200], f"{comment.get_status_display()} {reason}".strip()]},
    )
    changed()
    return comment


@transaction.atomic
def comment_answer(*, actor: Actor, comment: Comment, organization: Organization, answer: str) -> Comment:
    """Answer a confirmed comment in the organisation's name: the comment is published with the answer under it.
    Answering again corrects the answer."""
    comment = _comment_locked(comment)
    if comment.status == CommentStatus.UNCONFIRMED:
        raise StateError(_("Ý kiến chưa được xác nhận qua email."), code=ErrorCode.COMMENT_UNCONFIRMED)
    errors: dict[str, list[str]] = {}
    answer = _text(answer, MAX_COMMENT_CHARS, errors, field="answer")
    if errors:
        raise InputError(errors, code=ErrorCode.INVALID)
    comment.status, comment.reason = CommentStatus.PUBLISHED, ""
    comment.answer = answer
    comment.answered_at = timezone.now()
    comment.answered_by = _user(actor)
    comment.answer_organization = organization
    if comment.moderated_at is None:
        comment.moderated_at, comment.moderated_by = comment.answered_at, comment.answered_by
    comment.save()
    audit_record(actor=actor, action="comment_answer", obj=comment.target, changes={"answer": ["", answer[:200]]})
    changed()
    return comment


# --- the disclosure board ------------------------------------------------------------------------------------------


@transaction.atomic
def disclosure_post(
    *,
    actor: Actor,
    organization: Organization,
    category: str,
    title: str,
    year: int,
    posted_on: dt.date,
    summary: str = "",
    document: Document | None = None,
    attachment: tuple[str, bytes] | None = None,
    voters: int | None = None,
    agreed: int | None = None,
    decided_on: dt.date | None = None,
    outcome: str = "",
) -> Disclosure:
    """Put an item on a commune's board: what R-PUB-1 requires it to disclose, or what its residents decided under
    R-PUB-2 (with the vote: how many took part and agreed)."""
    errors: dict[str, list[str]] = {}
    kind = publicity.disclosure_kind(category)
    if kind is None:
        errors["category"] = [_("Nội dung này không thuộc danh mục công khai hay danh mục nhân dân quyết định.")]
    title = " ".join(nfc(title).split())
    if not title:
        errors["title"] = [_("Hãy ghi tiêu đề.")]
    if not 2000 <= year <= 2100:
        errors["year"] = [_("Năm không hợp lệ.")]
    if posted_on > timezone.localdate():
        errors["posted_on"] = [_("Ngày công khai không thể sau hôm nay.")]
    if kind == "decided":
        if voters is None or agreed is None or decided_on is None or not outcome.strip():
            errors["outcome"] = [_("Việc nhân dân quyết định cần ngày quyết định, số tham gia, số đồng ý và kết quả.")]
        elif agreed > voters:
            errors["agreed"] = [_("Số đồng ý không thể lớn hơn số tham gia.")]
    elif kind == "disclosed" and (voters is not None or agreed is not None):
        errors["voters"] = [_("Nội dung công khai không có biểu quyết của nhân dân.")]
    if document is not None and (document.status != "issued" or document.is_classified):
        errors["document"] = [_("Chỉ kèm văn bản đã ban hành, không mật.")]
    stored: tuple[str, str, bytes] | None = None
    if attachment is not None:
        try:
            (stored,) = files.checked(
                [attachment],
                field="attachment",
                max_files=1,
                max_bytes=settings.PETITION_FILE_MAX_BYTES * 4,
                kinds=frozenset({"pdf", "docx", "xlsx"}),
            )
        except DomainError as error:
            errors.update(error.message_dict)
    if errors:
        raise InputError(errors, code=ErrorCode.INVALID)
    item = Disclosure.objects.create(
        organization=organization,
        category=category,
        title=title,
        summary=nfc(summary).replace("\r\n", "\n").strip(),
        year=year,
        posted_on=posted_on,
        document=document,
        file_name=stored[0] if stored else "",
        file_kind=stored[1] if stored else "",
        file_content=stored[2] if stored else None,
        voters=voters if kind == "decided" else None,
        agreed=agreed if kind == "decided" else None,
        decided_on=decided_on if kind == "decided" else None,
        outcome=" ".join(nfc(outcome).split())[:300] if kind == "decided" else "",
        created_by=_user(actor),
    )
    audit_record(actor=actor, action="disclosure_post", obj=item, changes={"category": ["", category]})
    changed()
    return item


# --- petitions -----------------------------------------------------------------------------------------------------


def route_for(commune: Organization, topic: Topic) -> Organization:
    """The organisation that answers a petition on ``topic`` in ``commune``: the most specific rule (commune and
    topic, then commune, then topic), or the commune itself."""
    found = Route.objects.filter(Q(commune=commune) | Q(commune__isnull=True), Q(topic=topic) | Q(topic__isnull=True))
    rules: dict[tuple[int | None, int | None], Organization] = {}
    for r in found.select_related("handler").order_by("id"):
        rules.setdefault((r.commune_id, r.topic_id), r.handler)
    for key in ((commune.pk, topic.pk), (commune.pk, None), (None, topic.pk)):
        if key in rules:
            return rules[key]
    return commune


def _new_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone
    return "PA-" + "".join(secrets.choice(alphabet) for _ in range(8))


def _event(petition: Petition, kind: str, actor: Actor = None, note: str = "", to: Organization | None = None) -> None:
    PetitionEvent.objects.create(
        petition=petition,
        kind=kind,
        actor=_user(actor),
        note=note,
        to_handler=to,
    )


@transaction.atomic
def petition_submit(
    *,
    topic: Topic,
    commune: Organization,
    title: str,
    text: str,
    name: str,
    email: str = "",
    phone: str = "",
    place: str = "",
    attachments: list[tuple[str, bytes]] | None = None,
    address: str = "",
    track_url: Callable[[str], str] | None = None,
) -> Petition:
    """A citizen's petition: routed to the organisation that answers it (``route_for``), due after the topic's
    handling days, followed by a tracking code (emailed with the link to its page when an email is given)."""
    errors: dict[str, list[str]] = {}
    if not topic.active:
        errors["topic"] = [_("Lĩnh vực này hiện không nhận phản ánh.")]
    name = citizens.clean_name(name, errors)
    email = citizens.clean_email(email, errors, required=False)
    phone = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
    if phone and not 9 <= len(phone.lstrip("+")) <= 15:
        errors["phone"] = [_("Số điện thoại không hợp lệ.")]
    if not email and not phone and "email" not in errors:
        errors["email"] = [_("Hãy để lại email hoặc số điện thoại để cơ quan liên hệ khi cần.")]
    title = " ".join(nfc(title).split())
    if not title:
        errors["title"] = [_("Hãy tóm tắt phản ánh trong một câu.")]
    elif len(title) > 200:
        errors["title"] = [_("Tóm tắt dài tối đa 200 ký tự.")]
    text = _text(text, MAX_PETITION_CHARS, errors)
    stored: list[tuple[str, str, bytes]] = []
    try:
        stored = files.checked(
            attachments or [],
            field="attachments",
            max_files=settings.PETITION_MAX_FILES,
            max_bytes=settings.PETITION_FILE_MAX_BYTES,
            kinds=PETITION_KINDS,
        )
    except DomainError as error:
        errors.update(error.message_dict)
    if errors:
        raise InputError(errors, code=ErrorCode.INVALID)
    _throttled("petition", address, email or phone)
    handler = route_for(commune, topic)
    today = timezone.localdate()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                petition = Petition.objects.create(
                    code=_new_code(),
                    topic=topic,
                    commune=commune,
                    handler=handler,
                    title=title,
                    text=text,
                    place=" ".join(nfc(place).split())[:255],
                    name=name,
                    email=email,
                    phone=phone,
                    due_on=today + dt.timedelta(days=topic.handling_days),
                    search_text=fold(f"{title} {name} {place} {text[:500]}"),
                )
            break
        except IntegrityError:  # the same code drawn twice: draw again
            continue
    else:  # pragma: no cover - 32^8 codes
        raise ConflictError(_("Không tạo được mã theo dõi; xin gửi lại."), code=ErrorCode.PETITION_NO_TRACKING_CODE)
    PetitionFile.objects.bulk_create(
        [PetitionFile(petition=petition, name=n, kind=k, size=len(c), content=c) for n, k, c in stored]
    )
    _event(petition, PetitionEventKind.RECEIVED, to=handler)
    if email:  # the letter quotes nothing the visitor typed: the petition is named by its code
        with translation.override("vi"):
            _send(
                _("Đã tiếp nhận phản ánh %(code)s") % {"code": petition.code},
                [
                    citizens.letter_greeting(),
                    _(
                        "Phản ánh mã %(code)s của Ông/Bà đã được chuyển đến %(handler)s, hạn trả lời ngày %(due)s. "
                        "Ông/Bà theo dõi phản ánh tại:"
                    )
                    % {"code": petition.code, "handler": handler.name, "due": date_text(petition.due_on)},
                    (track_url or _track_url)(petition.code),
                ],
                email,
            )
    changed()
    return petition


def _track_url(code: str) -> str:
    """The public tracking page of a petition, on the site's address (for letters sent outside a request)."""
    return settings.SITE_URL + reverse("portal:track_code", args=[code])


def _petition_locked(petition: Petition) -> Petition:
    return Petition.objects.select_for_update().select_related("handler", "topic").get(pk=petition.pk)


def _open(petition: Petition) -> None:
    if petition.status not in OPEN_PETITION:
        raise StateError(_("Phản ánh đã được trả lời, không thay đổi được."), code=ErrorCode.PETITION_CLOSED)


@transaction.atomic
def petition_start(*, actor: Actor, petition: Petition, note: str = "") -> Petition:
    """The handling organisation takes the petition up (the citizen sees "Đang giải quyết")."""
    petition = _petition_locked(petition)
    _open(petition)
    if petition.status == PetitionStatus.PROCESSING:
        return petition
    petition.status = PetitionStatus.PROCESSING
    petition.save(update_fields=["status"])
    _event(petition, PetitionEventKind.PROCESSING, actor, nfc(note).strip())
    audit_record(actor=actor, action="petition_start", obj=petition)
    return petition


@transaction.atomic
def petition_note(*, actor: Actor, petition: Petition, note: str) -> Petition:
    """An internal note on the petition, seen only by the organisation handling it."""
    errors: dict[str, list[str]] = {}
    note = _text(note, MAX_PETITION_CHARS, errors, field="note")
    if errors:
        raise InputError(errors, code=ErrorCode.INVALID)
    petition = _petition_locked(petition)
    _event(petition, PetitionEventKind.NOTE, actor, note)
    return petition


@transaction.atomic
def petition_reassign(*, actor: Actor, petition: Petition, handler: Organization, note: str) -> Petition:
    """Send the petition to the organisation that should answer it, with the reason; its deadline stays."""
    petition = _petition_locked(petition)
    _open(petition)
    note = " ".join(nfc(note).split())
    if handler.pk == petition.handler_id:
        raise InputError({"handler": [_("Phản ánh đang ở chính cơ quan này.")]}, code=ErrorCode.PETITION_SAME_HANDLER)
    if not note:
        raise InputError({"note": [_("Hãy ghi lý do chuyển.")]}, code=ErrorCode.REASON_MISSING)
    was = petition.handler
    petition.handler = handler
    petition.overdue_flagged_on = None
    petition.save(update_fields=["handler", "overdue_flagged_on"])
    _event(petition, PetitionEventKind.REASSIGNED, actor, note, to=handler)
    audit_record(actor=actor, action="petition_reassign", obj=petition, changes={"handler": [was.name, handler.name]})
    changed()
    return petition


@transaction.atomic
def petition_answer(
    *,
    actor: Actor,
    petition: Petition,
    answer: str,
    decline: bool = False,
    track_url: Callable[[str], str] | None = None,
) -> Petition:
    """The public answer (or, with ``decline``, why the petition is not taken up): shown on the tracking page and
    emailed to the citizen with the link to it (``track_url``, by default on ``SITE_URL``). Counted on time when
    given by the due date."""
    errors: dict[str, list[str]] = {}
    answer = _text(answer, MAX_PETITION_CHARS, errors, field="answer")
    if errors:
        raise InputError(errors, code=ErrorCode.INVALID)
    petition = _petition_locked(petition)
    _open(petition)
    petition.status = PetitionStatus.DECLINED if decline else PetitionStatus.ANSWERED
    petition.answer = answer
    petition.answered_at = timezone.now()
    petition.answered_by = _user(actor)
    petition.save(update_fields=["status", "answer", "answered_at", "answered_by"])
    _event(petition, PetitionEventKind.DECLINED if decline else PetitionEventKind.ANSWERED, actor)
    audit_record(actor=actor, action="petition_answer", obj=petition, changes={"status": ["", petition.status]})
    if petition.email:  # named by its code, as the citizen's own words stay on the tracking page
        with translation.override("vi"):
            _send(
                _("Trả lời phản ánh %(code)s") % {"code": petition.code},
                [
                    citizens.letter_greeting(),
                    _("%(handler)s trả lời phản ánh mã %(code)s của Ông/Bà:")
                    % {"handler": petition.handler.name, "code": petition.code},
                    answer,
                    _("Phản ánh và câu trả lời tại:"),
                    (track_url or _track_url)(petition.code),
                ],
                petition.email,
            )
    changed()
    return petition


@transaction.atomic
def petitions_flag_overdue(*, on: dt.date | None = None) -> list[Petition]:
    """Open petitions past their deadline, not yet flagged for this handler: the head of the handling organisation
    is emailed once, and the petition's history says so. Returns them."""
    on = on or timezone.localdate()
    late = list(
        Petition.objects.select_for_update()
        .filter(status__in=OPEN_PETITION, due_on__lt=on, overdue_flagged_on__isnull=True)
        .select_related("handler", "topic")
        .order_by("handler_id", "due_on", "id")
    )
    by_handler: dict[int, list[Petition]] = {}
    for petition in late:
        by_handler.setdefault(petition.handler_id, []).append(petition)
        petition.overdue_flagged_on = on
    Petition.objects.bulk_update(late, ["overdue_flagged_on"])
    PetitionEvent.objects.bulk_create(
        [
            PetitionEvent(
                petition=p,
                kind=PetitionEventKind.OVERDUE,
                note=_("Quá hạn trả lời (%(day)s)") % {"day": date_text(p.due_on)},
            )
            for p in late
        ]
    )
    for petitions in by_handler.values():
        handler = petitions[0].handler
        head = head_of(handler.pk, on)
        if head is None or not head.email:
            continue
        email = head.email
        with translation.override("vi"):
            _send(
                _("%(n)s phản ánh quá hạn trả lời tại %(handler)s") % {"n": len(petitions), "handler": handler.name},
                [
                    _("Kính gửi đồng chí %(name)s,") % {"name": head.full_name},
                    _("Các phản ánh sau đã quá hạn trả lời:"),
                    "\n".join(  # by code and topic: a summary is a visitor's text, read on the petition's page
                        f"- {p.code} ({p.topic.name}), "
                        + _("hạn %(day)s") % {"day": date_text(p.due_on)}
                        + f": {settings.SITE_URL}{p.get_absolute_url()}"
                        for p in petitions
                    ),
                ],
                email,
            )
    return late
