"""Every write of a consultation: opening a round on a version for chosen audiences (the public only for an
unclassified draft posted long enough, R-PUB-4), invitations and reminders by email, opinions given by those asked
and by citizens (confirmed by a link sent to their email, then moderated), the drafting team's answers, closing, and
marking the round synthesised once every opinion is answered (R-PUB-5)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dongthuan.audit.services import audit_record
from dongthuan.consultations.models import (
    Answer,
    Audience,
    AudienceKind,
    Decision,
    Notice,
    NoticeKind,
    Opinion,
    OpinionStatus,
    Round,
    RoundStatus,
)
from dongthuan.consultations.selectors import audience_of, audience_people, is_public, similar_group
from dongthuan.core import background, citizens, throttle
from dongthuan.core.errors import (
    AccessError,
    ConflictError,
    DomainError,
    ErrorCode,
    InputError,
    RuleError,
    StateError,
)
from dongthuan.core.text import nfc
from dongthuan.core.types import Actor
from dongthuan.documents.models import Document, DocumentStatus, Version
from dongthuan.organizations.models import Organization
from dongthuan.people.models import Person
from dongthuan.rules import publicity

MAX_OPINION_CHARS = 5000
# A burst of opinions from one person (spam, a stuck button) is refused: at most this many a minute.
BURST_LIMIT = 5
# Citizens: at most this many opinions an hour from one address, and a day for one email.
PUBLIC_PER_ADDRESS_HOUR = 10
PUBLIC_PER_EMAIL_DAY = 20
# A confirmation link works this long.
CONFIRM_SALT = "consultations.opinion.confirm"
MAX_NAME_CHARS = citizens.MAX_NAME_CHARS


def _user(actor: Actor) -> User | None:
    """Who is recorded as having written a record: a signed-in user, or nobody (the system, a visitor)."""
    return actor if isinstance(actor, User) and actor.pk else None


@transaction.atomic
def round_open(
    *,
    actor: Actor,
    document: Document,
    opens_on: dt.date,
    closes_on: dt.date,
    audiences: list[tuple[str, Organization]],
    version: Version | None = None,
) -> Round:
    """Ask the chosen audiences for their opinion on a draft's version (the latest by default). Organisations of the
    Front and mass organisations answer in writing within 15 days (R-PUB-3)."""
    if document.status != DocumentStatus.DRAFT:
        raise StateError(_("Chỉ lấy ý kiến vào dự thảo."), code=ErrorCode.CONSULTATION_NOT_DRAFT)
    version = version or document.versions.order_by("-number").first()
    if version is None or version.document_id != document.pk:
        raise InputError(_("Hãy chọn một phiên bản của dự thảo."), code=ErrorCode.CONSULTATION_NO_VERSION)
    if closes_on < opens_on:
        raise InputError(
            {"closes_on": [_("Ngày kết thúc không thể trước ngày bắt đầu.")]},
            code=ErrorCode.CONSULTATION_DATES_REVERSED,
        )
    chosen = {(kind, org.pk): org for kind, org in audiences if kind in AudienceKind.values}
    if not chosen:
        raise InputError(
            {"audiences": [_("Hãy chọn ít nhất một đối tượng lấy ý kiến.")]}, code=ErrorCode.CONSULTATION_NO_AUDIENCE
        )
    if any(kind == AudienceKind.PUBLIC for kind, _pk in chosen):
        if document.is_classified:
            raise InputError(
                _("Văn bản mật không được đưa ra lấy ý kiến nhân dân."), code=ErrorCode.CONSULTATION_CLASSIFIED_PUBLIC
            )
        problem = publicity.public_posting_problem(opens_on, closes_on)
        if problem:
            raise RuleError(
                {"closes_on": [problem]}, code=ErrorCode.CONSULTATION_PUBLIC_TOO_SHORT, rule=publicity.R_PUB_4.id
            )
    consultation = Round.objects.create(
        document=document,
        version=version,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=_user(actor),
    )
    Audience.objects.bulk_create(
        [
            Audience(
                round=consultation,
                kind=kind,
                organization=org,
                deadline=publicity.written_reply_deadline(opens_on) if kind == AudienceKind.ORGANISATIONS else None,
            )
            for (kind, _pk), org in chosen.items()
        ]
    )
    audit_record(
        actor=actor,
        action="consultation_open",
        obj=document,
        changes={"round": [None, f"v{version.number}: {opens_on:%d/%m/%Y} – {closes_on:%d/%m/%Y}"]},
    )
    if opens_on <= timezone.localdate():
        background.after_commit(  # with a worker, manage.py consultation_reminders sends them
            lambda: notices_send(consultation=consultation, kind=NoticeKind.INVITATION),
            f"invitations-{consultation.pk}",
        )
    return consultation


def _letter(consultation: Round, person: Person, kind: str) -> EmailMessage:
    """The invitation or the reminder to one person, in Vietnamese (the language of the party's letters). A letter
    can be forwarded: a classified draft's is "một dự thảo" and its link, never its title, which its page shows only
    to those named on it."""
    document = consultation.document
    url = settings.SITE_URL + reverse("consultations:detail", args=[consultation.pk])
    with translation.override("vi"):
        what = f"{document.doc_type.name.lower()} {document.title}"
        if document.is_classified and kind == NoticeKind.INVITATION:
            subject = _("Lấy ý kiến vào một dự thảo")
            lead = _("%(org)s lấy ý kiến vào một dự thảo từ ngày %(a)s đến ngày %(b)s.")
        elif document.is_classified:
            subject = _("Nhắc góp ý vào một dự thảo")
            lead = _("Đợt lấy ý kiến của %(org)s vào một dự thảo kết thúc ngày %(b)s; đồng chí chưa gửi ý kiến.")
        elif kind == NoticeKind.INVITATION:
            subject = _("Lấy ý kiến vào dự thảo %(what)s") % {"what": what}
            lead = _("%(org)s lấy ý kiến vào dự thảo %(what)s từ ngày %(a)s đến ngày %(b)s.")
        else:
            subject = _("Nhắc góp ý vào dự thảo %(what)s") % {"what": what}
            lead = _("Đợt lấy ý kiến của %(org)s vào dự thảo %(what)s kết thúc ngày %(b)s; đồng chí chưa gửi ý kiến.")
        body = "\n\n".join(
            [
                _("Kính gửi đồng chí %(name)s,") % {"name": person.full_name},
                lead
                % {
                    "org": document.organization.name,
                    "what": what,
                    "a": consultation.opens_on.strftime("%d/%m/%Y"),
                    "b": consultation.closes_on.strftime("%d/%m/%Y"),
                },
                _("Đồng chí đọc dự thảo và góp ý tại: %(url)s") % {"url": url},
            ]
        )
    return EmailMessage(subject, body, to=[person.email])


def notices_send(*, consultation: Round, kind: str, on: dt.date | None = None) -> int:
    """Email the invitation (or the reminder) to everyone the round asks who has an email and has not had it yet;
    a reminder skips those who have given an opinion (or whose organisation has). Returns how many were sent."""
    on = on or timezone.localdate()
    people = audience_people(consultation, on).exclude(email="")
    people = people.exclude(pk__in=Notice.objects.filter(round=consultation, kind=kind).values("person"))
    if kind == NoticeKind.REMINDER:
        given = Opinion.objects.filter(round=consultation)
        people = people.exclude(pk__in=given.exclude(person=None).values("person"))
    sent = 0
    batch: list[Person] = []
    connection = get_connection()
    for person in people.order_by("pk").iterator(chunk_size=500):
        batch.append(person)
        if len(batch) == 500:
            sent += _send_batch(consultation, kind, batch, connection)
            batch = []
    if batch:
        sent += _send_batch(consultation, kind, batch, connection)
    return sent


def _send_batch(consultation: Round, kind: str, people: list[Person], connection: BaseEmailBackend) -> int:
    connection.send_messages([_letter(consultation, person, kind) for person in people])
    Notice.objects.bulk_create(
        [Notice(round=consultation, person=person, kind=kind) for person in people], ignore_conflicts=True
    )
    return len(people)


def reminders_due(on: dt.date | None = None) -> int:
    """Reminders for every open round that closes within ``CONSULTATION_REMINDER_DAYS`` days (run daily by
    ``manage.py consultation_reminders``); invitations of rounds that opened since are sent too."""
    on = on or timezone.localdate()
    sent = 0
    rounds = Round.objects.filter(status=RoundStatus.OPEN, opens_on__lte=on, closes_on__gte=on).select_related(
        "document__doc_type", "document__organization"
    )
    for consultation in rounds:
        sent += notices_send(consultation=consultation, kind=NoticeKind.INVITATION, on=on)
        if (consultation.closes_on - on).days <= settings.CONSULTATION_REMINDER_DAYS:
            sent += notices_send(consultation=consultation, kind=NoticeKind.REMINDER, on=on)
    return sent


def _check_open(consultation: Round, today: dt.date, paper: bool = False) -> None:
    if (consultation.status != RoundStatus.OPEN and not paper) or today > consultation.closes_on:
        raise StateError(_("Đợt lấy ý kiến đã kết thúc."), code=ErrorCode.CONSULTATION_CLOSED)
    if today < consultation.opens_on:
        raise StateError(
            _("Đợt lấy ý kiến bắt đầu từ %(day)s.") % {"day": consultation.opens_on.strftime("%d/%m/%Y")},
            code=ErrorCode.CONSULTATION_NOT_OPEN,
        )


def _clean_opinion(consultation: Round, text: str, section_key: str) -> str:
    """The opinion's text as typed (NFC, trimmed), refused when empty or too long or on a section not in the draft."""
    text = nfc(text).replace("\r\n", "\n").strip()
    if not text:
        raise InputError({"text": [_("Hãy ghi nội dung góp ý.")]}, code=ErrorCode.OPINION_EMPTY)
    if len(text) > MAX_OPINION_CHARS:
        raise InputError(
            {"text": [_("Ý kiến dài tối đa %(n)s ký tự (hiện %(m)s).") % {"n": MAX_OPINION_CHARS, "m": len(text)}]},
            code=ErrorCode.OPINION_TOO_LONG,
            data={"max_chars": MAX_OPINION_CHARS, "chars": len(text)},
        )
    if section_key and section_key not in {s["key"] for s in consultation.version.sections}:
        raise InputError(
            {"section_key": [_("Phần được góp ý không có trong dự thảo.")]}, code=ErrorCode.OPINION_UNKNOWN_SECTION
        )
    return text


def _receive(opinion: Opinion) -> None:
    """An opinion enters the synthesis: it joins the first group of near-duplicates it resembles, or starts one."""
    group = similar_group(opinion.round_id, opinion.section_key, opinion.text)
    opinion.status = OpinionStatus.RECEIVED
    opinion.group = group or opinion.pk
    opinion.save(update_fields=["status", "group"])


@transaction.atomic
def public_opinion_give(
    *,
    consultation: Round,
    name: str,
    email: str,
    text: str,
    section_key: str = "",
    address: str = "",
    confirm_url: Callable[[str], str],
) -> Opinion:
    """A citizen's opinion on a public round. It is kept unconfirmed and a link is emailed to ``email``; only once
    the link is followed does it reach the drafting team, who publish or refuse it. Too many opinions from one
    address in an hour, or for one email in a day, are refused. The answer is the same whether or not the email was
    seen before, so the form tells nobody who has written."""
    consultation = (
        Round.objects.select_for_update().select_related("version", "document__doc_type").get(pk=consultation.pk)
    )
    if not is_public(consultation):
        raise StateError(_("Đợt lấy ý kiến này không lấy ý kiến nhân dân."), code=ErrorCode.CONSULTATION_NOT_PUBLIC)
    _check_open(consultation, timezone.localdate())
    errors: dict[str, list[str]] = {}
    name = citizens.clean_name(name, errors)
    email = citizens.clean_email(email, errors)
    try:
        text = _clean_opinion(consultation, text, section_key)
    except DomainError as error:
        errors.update(error.message_dict)
    if errors:
        raise InputError(errors, code=ErrorCode.INVALID)
    if not throttle.allow(
        [
            ("public_opinion_address", address, PUBLIC_PER_ADDRESS_HOUR, dt.timedelta(hours=1)),
            ("public_opinion_email", email, PUBLIC_PER_EMAIL_DAY, dt.timedelta(days=1)),
        ]
    ):
        raise ConflictError(
            _("Đã nhận nhiều ý kiến liên tiếp; xin gửi lại sau ít phút."), code=ErrorCode.SUBMISSION_BURST
        )
    opinion = Opinion.objects.create(
        round=consultation,
        status=OpinionStatus.UNCONFIRMED,
        section_key=section_key,
        audience=AudienceKind.PUBLIC,
        author_name=name,
        author_email=email,
        text=text,
    )
    token = citizens.confirmation_token(opinion.pk, CONFIRM_SALT)
    url = confirm_url(token)
    document = consultation.document
    with translation.override("vi"):
        letter = EmailMessage(
            _("Xác nhận ý kiến góp ý dự thảo %(title)s") % {"title": document.title},
            "\n\n".join(
                [
                    citizens.letter_greeting(),
                    _(
                        "Cảm ơn Ông/Bà đã góp ý vào dự thảo %(what)s. Để ý kiến được chuyển đến cơ quan soạn thảo, xin "
                        "bấm vào đường dẫn sau trong vòng 3 ngày:"
                    )
                    % {"what": f"{document.doc_type.name.lower()} {document.title}"},
                    url,
                    _("Nếu Ông/Bà không gửi ý kiến này, xin bỏ qua thư."),
                ]
            ),
            to=[email],
        )
    transaction.on_commit(lambda: letter.send())
    return opinion


@transaction.atomic
def public_opinion_confirm(*, token: str) -> Opinion:
    """Follow the link of a citizen's email: the opinion goes to moderation. Following it twice changes nothing."""
    pk = citizens.confirmed_id(token, CONFIRM_SALT)
    opinion = Opinion.objects.select_for_update().select_related("round").filter(pk=pk).first()
    if opinion is None:
        raise InputError(_("Đường dẫn xác nhận không đúng."), code=ErrorCode.CONFIRMATION_LINK_BAD)
    if opinion.status == OpinionStatus.UNCONFIRMED and opinion.round.status == RoundStatus.SYNTHESISED:
        raise StateError(
            _("Đợt lấy ý kiến đã tổng hợp xong; ý kiến không còn được tiếp nhận."),
            code=ErrorCode.CONSULTATION_SYNTHESISED,
        )
    if opinion.status == OpinionStatus.UNCONFIRMED:
        opinion.status = OpinionStatus.PENDING
        opinion.save(update_fields=["status"])
    return opinion


@transaction.atomic
def opinion_moderate(*, actor: Actor, opinion: Opinion, accept: bool, reason: str = "") -> Opinion:
    """The drafting team takes a citizen's confirmed opinion into the synthesis (it is then published) or refuses
    it with a reason (abuse, advertising, nothing to do with the draft)."""
    opinion = Opinion.objects.select_for_update().select_related("round").get(pk=opinion.pk)
    if opinion.round.status == RoundStatus.SYNTHESISED:
        raise StateError(_("Đợt lấy ý kiến đã tổng hợp xong."), code=ErrorCode.CONSULTATION_SYNTHESISED)
    if opinion.status not in (OpinionStatus.PENDING, OpinionStatus.REJECTED):
        raise StateError(_("Ý kiến này không ở trạng thái chờ kiểm duyệt."), code=ErrorCode.OPINION_NOT_PENDING)
    reason = nfc(reason).strip()
    if accept:
        opinion.moderation_reason = ""
    elif not reason:
        raise InputError({"reason": [_("Hãy ghi lý do không tiếp nhận.")]}, code=ErrorCode.REASON_MISSING)
    else:
        opinion.status = OpinionStatus.REJECTED
        opinion.moderation_reason = reason
    opinion.moderated_by = _user(actor)
    opinion.save(update_fields=["status", "moderation_reason", "moderated_by"])
    if accept:
        _receive(opinion)
    audit_record(
        actor=actor,
        action="opinion_moderate",
        obj=opinion.round.document,
        changes={"opinion": [opinion.text[:200], f"{opinion.get_status_display()} {reason}".strip()]},
    )
    return opinion


@transaction.atomic
def opinion_give(
    *,
    actor: Actor,
    consultation: Round,
    person: Person,
    text: str,
    section_key: str = "",
    received_on: dt.date | None = None,
) -> Opinion:
    """An opinion on a section (or, with no section, on the whole draft) from someone the round asks. The drafting
    office records an opinion received on paper with the day it arrived (``received_on``)."""
    consultation = Round.objects.select_for_update().select_related("version").get(pk=consultation.pk)
    today = received_on or timezone.localdate()
    _check_open(consultation, today, paper=received_on is not None)
    text = _clean_opinion(consultation, text, section_key)
    found = audience_of(consultation, person, today)
    if found is None:
        raise AccessError(
            _("Đồng chí không thuộc đối tượng được lấy ý kiến trong đợt này."), code=ErrorCode.CONSULTATION_NOT_ASKED
        )
    recent = Opinion.objects.filter(
        round=consultation, person=person, created_at__gte=timezone.now() - dt.timedelta(minutes=1)
    ).count()
    if recent >= BURST_LIMIT and received_on is None:
        raise ConflictError(
            _("Đồng chí vừa gửi nhiều ý kiến liên tiếp; hãy thử lại sau một phút."), code=ErrorCode.SUBMISSION_BURST
        )
    kind, organization = found
    opinion = Opinion.objects.create(
        round=consultation,
        section_key=section_key,
        person=person,
        organization=organization,
        audience=kind,
        text=text,
    )
    _receive(opinion)
    audit_record(actor=actor, action="opinion", obj=consultation.document, changes={"opinion": [None, text[:200]]})
    return opinion


@transaction.atomic
def opinion_answer(
    *,
    actor: Actor,
    opinion: Opinion,
    decision: str,
    reasoning: str,
    changed_version: Version | None = None,
    changed_section_key: str = "",
) -> Answer:
    """R-PUB-5: accept, partly accept, or explain why not — with the reasoning; changing an answer is allowed until
    the round is marked synthesised."""
    consultation = Round.objects.select_for_update().get(pk=opinion.round_id)
    if opinion.status != OpinionStatus.RECEIVED:
        raise StateError(_("Chỉ trả lời ý kiến đã được tiếp nhận."), code=ErrorCode.OPINION_NOT_RECEIVED)
    if consultation.status == RoundStatus.SYNTHESISED:
        raise StateError(
            _("Đợt lấy ý kiến đã tổng hợp xong; không sửa trả lời được nữa."), code=ErrorCode.CONSULTATION_SYNTHESISED
        )
    if decision not in Decision.values:
        raise InputError(
            {"decision": [_("Hãy chọn tiếp thu, tiếp thu một phần hoặc giải trình.")]}, code=ErrorCode.ANSWER_DECISION
        )
    reasoning = nfc(reasoning).strip()
    if not reasoning:
        raise InputError(
            {"reasoning": [_("Ghi nội dung tiếp thu hoặc lý do giải trình.")]}, code=ErrorCode.ANSWER_REASONING_MISSING
        )
    if changed_version is not None and changed_version.document_id != consultation.document_id:
        raise InputError(_("Phiên bản sửa đổi không thuộc dự thảo này."), code=ErrorCode.ANSWER_FOREIGN_VERSION)
    answer, _created = Answer.objects.update_or_create(
        opinion=opinion,
        defaults={
            "decision": decision,
            "reasoning": reasoning,
            "changed_version": changed_version,
            "changed_section_key": changed_section_key if changed_version else "",
            "answered_by": _user(actor),
        },
    )
    audit_record(
        actor=actor,
        action="opinion_answer",
        obj=consultation.document,
        changes={"answer": [None, f"{answer.get_decision_display()}: {reasoning[:200]}"]},
    )
    return answer


@transaction.atomic
def round_close(*, actor: Actor, consultation: Round) -> Round:
    consultation = Round.objects.select_for_update().get(pk=consultation.pk)
    if consultation.status == RoundStatus.OPEN:
        consultation.status = RoundStatus.CLOSED
        consultation.save(update_fields=["status"])
        audit_record(
            actor=actor, action="consultation_close", obj=consultation.document, changes={"round": ["open", "closed"]}
        )
    return consultation


@transaction.atomic
def round_synthesise(*, actor: Actor, consultation: Round) -> Round:
    """Mark the round synthesised: only when it is closed and every opinion has its answer (R-PUB-5)."""
    consultation = Round.objects.select_for_update().get(pk=consultation.pk)
    if consultation.status == RoundStatus.OPEN:
        raise StateError(_("Hãy kết thúc đợt lấy ý kiến trước khi tổng hợp."), code=ErrorCode.CONSULTATION_STILL_OPEN)
    unanswered = Opinion.objects.filter(round=consultation, status=OpinionStatus.RECEIVED, answer__isnull=True).count()
    pending = Opinion.objects.filter(round=consultation, status=OpinionStatus.PENDING).count()
    if pending:
        raise StateError(
            _("Còn %(n)s ý kiến của nhân dân chờ kiểm duyệt.") % {"n": pending},
            code=ErrorCode.CONSULTATION_PENDING,
            data={"pending": pending},
        )
    problem = publicity.unanswered_problem(unanswered)
    if problem:
        raise RuleError(
            problem, code=ErrorCode.CONSULTATION_UNANSWERED, rule=publicity.R_PUB_5.id, data={"unanswered": unanswered}
        )
    if consultation.status != RoundStatus.SYNTHESISED:
        consultation.status = RoundStatus.SYNTHESISED
        consultation.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="consultation_synthesise",
            obj=consultation.document,
            changes={"round": ["closed", "synthesised"]},
        )
    return consultation
