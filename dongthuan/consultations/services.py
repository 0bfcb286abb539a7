"""Every write of a consultation: opening a round on a version for chosen audiences, opinions given by those asked,
the drafting team's answers, closing, and marking the round synthesised once every opinion is answered (R-PUB-5)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dongthuan.audit.services import audit_record
from dongthuan.consultations.models import Answer, Audience, AudienceKind, Decision, Opinion, Round, RoundStatus
from dongthuan.consultations.selectors import similar_group
from dongthuan.core.errors import DomainError
from dongthuan.core.text import nfc
from dongthuan.documents.models import Document, DocumentStatus, Version
from dongthuan.organizations.models import BodyKind, Organization, Position
from dongthuan.people.models import Person
from dongthuan.rules import publicity

MAX_OPINION_CHARS = 5000
# A burst of opinions from one person (spam, a stuck button) is refused: at most this many a minute.
BURST_LIMIT = 5


@transaction.atomic
def round_open(
    *,
    actor: Any,
    document: Document,
    opens_on: dt.date,
    closes_on: dt.date,
    audiences: list[tuple[str, Organization]],
    version: Version | None = None,
) -> Round:
    """Ask the chosen audiences for their opinion on a draft's version (the latest by default). Organisations of the
    Front and mass organisations answer in writing within 15 days (R-PUB-3)."""
    if document.status != DocumentStatus.DRAFT:
        raise DomainError(_("Chỉ lấy ý kiến vào dự thảo."))
    version = version or document.versions.order_by("-number").first()
    if version is None or version.document_id != document.pk:
        raise DomainError(_("Hãy chọn một phiên bản của dự thảo."))
    if closes_on < opens_on:
        raise DomainError({"closes_on": [_("Ngày kết thúc không thể trước ngày bắt đầu.")]})
    chosen = {(kind, org.pk): org for kind, org in audiences if kind in AudienceKind.values}
    if not chosen:
        raise DomainError({"audiences": [_("Hãy chọn ít nhất một đối tượng lấy ý kiến.")]})
    consultation = Round.objects.create(
        document=document,
        version=version,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=actor if getattr(actor, "pk", None) else None,
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
    return consultation


def audience_of(
    consultation: Round, person: Person, on: dt.date | None = None
) -> tuple[str, Organization | None] | None:
    """Which of the round's audiences ``person`` belongs to (and, for an organisation's written opinion, which
    organisation they answer for), or None."""
    on = on or timezone.localdate()
    posts = list(Position.objects.current(on).filter(person=person).select_related("organization", "body"))
    cell_path = person.cell.path if person.cell is not None and person.is_party_member else None
    for audience in consultation.audiences.select_related("organization").order_by("id"):
        org = audience.organization
        if audience.kind == AudienceKind.COMMITTEE and any(
            p.organization_id == org.pk
            and p.body is not None
            and p.body.kind in (BodyKind.COMMITTEE, BodyKind.STANDING_COMMITTEE)
            for p in posts
        ):
            return audience.kind, None
        if audience.kind == AudienceKind.CADRES and any(p.organization.path.startswith(org.path) for p in posts):
            return audience.kind, None
        if audience.kind == AudienceKind.MEMBERS and cell_path and cell_path.startswith(org.path):
            return audience.kind, None
        if audience.kind == AudienceKind.ORGANISATIONS and any(p.organization_id == org.pk for p in posts):
            return audience.kind, org
    return None


@transaction.atomic
def opinion_give(
    *,
    actor: Any,
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
    if (consultation.status != RoundStatus.OPEN and received_on is None) or today > consultation.closes_on:
        raise DomainError(_("Đợt lấy ý kiến đã kết thúc."), code="closed")
    if today < consultation.opens_on:
        raise DomainError(
            _("Đợt lấy ý kiến bắt đầu từ %(day)s.") % {"day": consultation.opens_on.strftime("%d/%m/%Y")},
            code="not_open",
        )
    text = nfc(text).replace("\r\n", "\n").strip()
    if not text:
        raise DomainError({"text": [_("Hãy ghi nội dung góp ý.")]})
    if len(text) > MAX_OPINION_CHARS:
        raise DomainError(
            {"text": [_("Ý kiến dài tối đa %(n)s ký tự (hiện %(m)s).") % {"n": MAX_OPINION_CHARS, "m": len(text)}]}
        )
    if section_key and section_key not in {s["key"] for s in consultation.version.sections}:
        raise DomainError({"section_key": [_("Phần được góp ý không có trong dự thảo.")]})
    found = audience_of(consultation, person, today)
    if found is None:
        raise DomainError(_("Đồng chí không thuộc đối tượng được lấy ý kiến trong đợt này."), code="not_asked")
    recent = Opinion.objects.filter(
        round=consultation, person=person, created_at__gte=timezone.now() - dt.timedelta(minutes=1)
    ).count()
    if recent >= BURST_LIMIT and received_on is None:
        raise DomainError(_("Đồng chí vừa gửi nhiều ý kiến liên tiếp; hãy thử lại sau một phút."), code="burst")
    kind, organization = found
    group = similar_group(consultation.pk, section_key, text)
    opinion = Opinion.objects.create(
        round=consultation,
        section_key=section_key,
        person=person,
        organization=organization,
        audience=kind,
        text=text,
        group=group,
    )
    if group is None:  # the first of a new group
        opinion.group = opinion.pk
        opinion.save(update_fields=["group"])
    audit_record(actor=actor, action="opinion", obj=consultation.document, changes={"opinion": [None, text[:200]]})
    return opinion


@transaction.atomic
def opinion_answer(
    *,
    actor: Any,
    opinion: Opinion,
    decision: str,
    reasoning: str,
    changed_version: Version | None = None,
    changed_section_key: str = "",
) -> Answer:
    """R-PUB-5: accept, partly accept, or explain why not — with the reasoning; changing an answer is allowed until
    the round is marked synthesised."""
    consultation = Round.objects.select_for_update().get(pk=opinion.round_id)
    if consultation.status == RoundStatus.SYNTHESISED:
        raise DomainError(_("Đợt lấy ý kiến đã tổng hợp xong; không sửa trả lời được nữa."))
    if decision not in Decision.values:
        raise DomainError({"decision": [_("Hãy chọn tiếp thu, tiếp thu một phần hoặc giải trình.")]})
    reasoning = nfc(reasoning).strip()
    if not reasoning:
        raise DomainError({"reasoning": [_("Ghi nội dung tiếp thu hoặc lý do giải trình.")]})
    if changed_version is not None and changed_version.document_id != consultation.document_id:
        raise DomainError(_("Phiên bản sửa đổi không thuộc dự thảo này."))
    answer, _created = Answer.objects.update_or_create(
        opinion=opinion,
        defaults={
            "decision": decision,
            "reasoning": reasoning,
            "changed_version": changed_version,
            "changed_section_key": changed_section_key if changed_version else "",
            "answered_by": actor if getattr(actor, "pk", None) else None,
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
def round_close(*, actor: Any, consultation: Round) -> Round:
    consultation = Round.objects.select_for_update().get(pk=consultation.pk)
    if consultation.status == RoundStatus.OPEN:
        consultation.status = RoundStatus.CLOSED
        consultation.save(update_fields=["status"])
        audit_record(
            actor=actor, action="consultation_close", obj=consultation.document, changes={"round": ["open", "closed"]}
        )
    return consultation


@transaction.atomic
def round_synthesise(*, actor: Any, consultation: Round) -> Round:
    """Mark the round synthesised: only when it is closed and every opinion has its answer (R-PUB-5)."""
    consultation = Round.objects.select_for_update().get(pk=consultation.pk)
    if consultation.status == RoundStatus.OPEN:
        raise DomainError(_("Hãy kết thúc đợt lấy ý kiến trước khi tổng hợp."))
    unanswered = Opinion.objects.filter(round=consultation, answer__isnull=True).count()
    problem = publicity.unanswered_problem(unanswered)
    if problem:
        raise DomainError(problem, code="unanswered", rule=publicity.R_PUB_5.id)
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
