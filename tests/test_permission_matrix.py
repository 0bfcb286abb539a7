"""Every view against every role. A denied request gets 404 (missing and forbidden look the same) or the login
page, and a denied write changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dongthuan.audit.models import AuditEvent
from dongthuan.consultations.models import Notice
from dongthuan.consultations.models import Opinion as ConsultationOpinion
from dongthuan.documents.models import Dissemination, Document, Relation, Version
from dongthuan.exchange.models import ImportBatch
from dongthuan.meetings.models import AgendaItem, Attendance, Candidate, Meeting, Minutes, Opinion, Poll, VoterMark
from dongthuan.organizations.models import Organization, Position, PositionTitle, Term
from dongthuan.people.models import Person
from dongthuan.portal.models import Article as PortalArticle
from dongthuan.portal.models import ArticleImage, Comment, Disclosure, Petition, PetitionEvent
from dongthuan.programs.models import Indicator, Objective, Program, Task
from dongthuan.restructuring.models import Restructuring

ROLES = [
    "anonymous",
    "citizen",
    "member",
    "committee_member",
    "office_staff",
    "deputy",
    "secretary",
    "other_secretary",
    "admin",
]
MANAGERS = {"office_staff", "deputy", "secretary", "admin"}
OFFICERS = MANAGERS | {"committee_member"}
INSIDE = OFFICERS | {"member"}
SIGNED_IN = set(ROLES) - {"anonymous"}


def _client(client, world, role):
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def _people_csv(rows):
    lines = ["Họ và tên,Tình trạng đảng viên,Ngày vào Đảng,Ngày chính thức,Chi bộ", *rows]
    return ("\n".join(lines) + "\n").encode()


def _batch(world):
    from dongthuan.exchange.services import import_upload

    content = _people_csv(["Trịnh Văn Sơn,Đảng viên dự bị,02/09/2025,,Chi bộ thôn Thanh Lanh"])
    return import_upload(actor=None, organization=world.trung_my, kind="people", file_name="ds.csv", content=content)


def _meeting(world):
    from django.utils import timezone

    from dongthuan.meetings.services import meeting_create

    return meeting_create(actor=None, body=world.committee, title="Hội nghị Ban Chấp hành", starts_at=timezone.now())


def _paper_poll(world):
    """A paper poll of the committee's meeting, counted by the secretary and the deputy."""
    from dongthuan.meetings import services

    meeting = _meeting(world)
    for role in ("secretary", "deputy"):
        services.attendance_set(actor=None, meeting=meeting, person=world.people[role], status="present")
    item = services.item_add(actor=None, meeting=meeting, title="Nghị quyết", kind="document")
    tellers = [world.people["secretary"], world.people["deputy"]]
    poll = services.poll_create(actor=None, item=item, question="Thông qua", kind="secret", paper=True, tellers=tellers)
    return services.poll_open(actor=None, poll=poll)


def _document(world, issued=False):
    import datetime as dt

    from dongthuan.documents import services
    from dongthuan.documents.models import DocumentType
    from dongthuan.organizations.services import term_create

    document = services.document_create(
        actor=None,
        organization=world.trung_my,
        doc_type=DocumentType.objects.get(name="Nghị quyết"),
        title="về công tác cán bộ",
        sections=[{"heading": "I.", "text": "Nội dung"}],
    )
    if issued:
        if not world.trung_my.terms.exists():
            term_create(actor=None, organization=world.trung_my, name="2025 - 2030", start=dt.date(2025, 7, 1))
        document = services.document_issue(
            actor=None,
            document=document,
            issued_on=dt.date(2026, 12, 5),
            place="Trung Mỹ",
            signer=None,
            signer_title="Bí thư",
        )
    return document


def _consultation(world):
    """A round on a Trung Mỹ draft asking the committee and the party members of the cell."""
    from dongthuan.consultations.services import round_open

    today = timezone.localdate()
    return round_open(
        actor=None,
        document=_document(world),
        opens_on=today,
        closes_on=today,
        audiences=[("committee", world.trung_my), ("members", world.cell)],
    )


def _public_round(world):
    """A round on a Trung Mỹ draft put to the public, with one citizen's opinion waiting for moderation (once per
    test)."""
    import datetime as dt

    from dongthuan.consultations.models import Round
    from dongthuan.consultations.services import public_opinion_confirm, public_opinion_give, round_open

    found = Round.objects.filter(audiences__kind="public").first()
    if found is None:
        today = timezone.localdate()
        found = round_open(
            actor=None,
            document=_document(world),
            opens_on=today,
            closes_on=today + dt.timedelta(days=40),
            audiences=[("public", world.trung_my), ("members", world.cell)],
        )
        tokens = []
        public_opinion_give(
            consultation=found,
            name="Lê Văn Dân",
            email="dan@example.vn",
            text="Ý kiến",
            confirm_url=lambda t: tokens.append(t) or t,
        )
        public_opinion_confirm(token=tokens[0])
    return found


def _round_with_email(world):
    """A round whose asked member has an email, so a reminder is sent."""
    Person.objects.filter(pk=world.people["member"].pk).update(email="nam@example.vn")
    return _consultation(world)


def _matrix_program(world):
    """Trung Mỹ's program with an objective, an indicator and a task led by the cell, answered by its member (once
    per test)."""
    import datetime as dt
    from decimal import Decimal

    from dongthuan.programs import services
    from dongthuan.programs.models import Field, Program

    found = Program.objects.filter(organization=world.trung_my).first()
    if found is None:
        today = timezone.localdate()
        found = services.program_create(
            actor=None,
            organization=world.trung_my,
            title="Chương trình hành động",
            starts_on=today - dt.timedelta(days=100),
            ends_on=today + dt.timedelta(days=1000),
        )
        objective = services.objective_add(
            actor=None, program=found, field=Field.objects.get(abbreviation="KT-XH"), title="Nông thôn mới"
        )
        services.indicator_add(
            actor=None,
            objective=objective,
            name="Thu nhập bình quân",
            unit="triệu đồng",
            baseline=Decimal(60),
            target=Decimal(80),
            deadline=today + dt.timedelta(days=900),
        )
        services.task_create(
            actor=None,
            program=found,
            title="Sinh hoạt chuyên đề",
            organization=world.cell,
            responsible=world.people["member"],
            starts_on=today,
            due_on=today + dt.timedelta(days=90),
        )
    return found


def _sealed_poll(world):
    """A secret electronic poll of the committee sealed by three tellers (secretary, deputy, committee member),
    voted and closed: waiting for its tellers to unseal the count."""
    from dongthuan.meetings import services

    meeting = _meeting(world)
    tellers = [world.people[r] for r in ("secretary", "deputy", "committee_member")]
    for person in tellers:
        services.attendance_set(actor=None, meeting=meeting, person=person, status="present")
    item = services.item_add(actor=None, meeting=meeting, title="Nhân sự", kind="personnel")
    poll = services.poll_create(actor=None, item=item, question="Đồng ý", kind="secret", tellers=tellers)
    for person in tellers:
        services.teller_code_take(actor=None, poll=poll, teller=person)
    poll = services.poll_open(actor=None, poll=poll)
    services.vote_cast(actor=None, poll=poll, person=tellers[0], choice="approve")
    return services.poll_close(actor=None, poll=poll, confirm_few=True)


def _target(world, name):
    committee_post = Position.objects.get(person=world.people["committee_member"])
    if name == "meeting":
        return reverse("meetings:detail", args=[_meeting(world).pk])
    if name == "minutes":
        return reverse("meetings:minutes", args=[_meeting(world).pk])
    if name == "minutes_draft_docx":
        from dongthuan.meetings.services import minutes_generate

        meeting = _meeting(world)
        minutes_generate(actor=None, meeting=meeting)
        return reverse("meetings:minutes_export", args=[meeting.pk, "docx"])
    if name == "paper_ballots":
        return reverse("meetings:ballots", args=[_paper_poll(world).pk])
    if name == "tally":
        return reverse("meetings:tally", args=[_paper_poll(world).pk])
    if name == "unseal":
        return reverse("meetings:unseal", args=[_sealed_poll(world).pk])
    if name == "seal_bulletin":
        return reverse("meetings:bulletin", args=[_sealed_poll(world).pk])
    if name == "document_draft":
        return reverse("documents:detail", args=[_document(world).pk])
    if name == "document_issued":
        return reverse("documents:detail", args=[_document(world, issued=True).pk])
    if name == "document_edit":
        return reverse("documents:edit", args=[_document(world).pk])
    if name == "dissemination":
        from dongthuan.documents.services import dissemination_create

        found = dissemination_create(actor=None, document=_document(world, issued=True), organization=world.trung_my)
        return reverse("documents:dissemination", args=[found.pk])
    if name == "consultation":
        return reverse("consultations:detail", args=[_consultation(world).pk])
    if name == "consultation_create":
        return reverse("consultations:create", args=[_document(world).pk])
    if name == "program":
        return reverse("programs:detail", args=[_matrix_program(world).pk])
    if name == "program_tracking":
        return reverse("programs:tracking", args=[_matrix_program(world).pk])
    if name == "evidence":
        from dongthuan.programs import periods
        from dongthuan.programs.services import task_report_progress

        task = _matrix_program(world).tasks.get()
        report = task_report_progress(
            actor=None,
            task=task,
            period_end=periods.bounds("quarter", timezone.localdate())[1],
            progress=Decimal(10),
            narrative="Đã họp",
            evidence=[("bien-ban.pdf", b"%PDF-1.4 ...")],
        )
        return reverse("programs:evidence", args=[report.evidence.get().pk])
    if name == "program_review":
        return reverse("programs:review", args=[_matrix_program(world).pk])
    if name == "task":
        return reverse("programs:task", args=[_matrix_program(world).tasks.get().pk])
    if name == "import_batch":
        return reverse("exchange:batch", args=[_batch(world).pk])
    if name == "consultation_register":
        return reverse("consultations:register", args=[_consultation(world).pk, "xlsx"])
    if name == "document_export":
        return reverse("documents:export", args=[_document(world, issued=True).pk, "docx"])
    if name == "document_compare":
        return reverse("documents:compare", args=[_document(world).pk]) + "?a=1&b=1"
    if name == "restructuring":
        return reverse("restructuring:detail", args=[_renamed(world).pk])
    if name == "article_edit":
        return reverse("portal:article_edit", args=[_portal_article(world).pk])
    if name == "desk_petition":
        return reverse("portal:desk_petition", args=[_portal_petition(world).pk])
    if name == "petition_file":
        return reverse("portal:petition_file", args=[_portal_petition(world).files.get().pk])
    return {
        "home": reverse("home"),
        "tree": reverse("organizations:tree"),
        "tree_search": reverse("organizations:tree") + "?q=trung+my",
        "org": reverse("organizations:detail", args=[world.trung_my.pk]),
        "org_children": reverse("organizations:children", args=[world.trung_my.pk]),
        "org_members": reverse("people:members", args=[world.trung_my.pk]),
        "cell_members": reverse("people:members", args=[world.cell.pk]),
        "org_history": reverse("organizations:history", args=[world.trung_my.pk]),
        "org_edit": reverse("organizations:edit", args=[world.trung_my.pk]),
        "position_add": reverse("people:position_add", args=[world.trung_my.pk]),
        "position_end": reverse("organizations:position_end", args=[committee_post.pk]),
        "position_change": reverse("organizations:position_change", args=[committee_post.pk]),
        "body": reverse("organizations:body", args=[world.committee.pk]),
        "body_history": reverse("organizations:body_history", args=[world.committee.pk]),
        "term_next": reverse("organizations:term_next", args=[world.committee.pk]),
        "child_create": reverse("organizations:child_create", args=[world.trung_my.pk]),
        "people_search": reverse("people:search") + "?q=nam",
        "person": reverse("people:detail", args=[world.people["member"].pk]),
        "person_edit": reverse("people:edit", args=[world.people["member"].pk]),
        "person_history": reverse("people:history", args=[world.people["member"].pk]),
        "person_create": reverse("people:create", args=[world.trung_my.pk]),
        "exchange_hub": reverse("exchange:hub", args=[world.trung_my.pk]),
        "meeting_list": reverse("meetings:list", args=[world.committee.pk]),
        "meeting_create": reverse("meetings:create", args=[world.committee.pk]),
        "document_library": reverse("documents:library"),
        "document_create": reverse("documents:create", args=[world.trung_my.pk]),
        "exchange_template": reverse("exchange:template", args=[world.trung_my.pk, "people", "xlsx"]),
        "export_people": reverse("exchange:export", args=[world.trung_my.pk, "people", "csv"]),
        "export_organizations": reverse("exchange:export", args=[world.trung_my.pk, "organizations", "xlsx"]),
        "export_positions": reverse("exchange:export", args=[world.trung_my.pk, "positions", "csv"]),
        "programs_dashboard": reverse("programs:dashboard", args=[world.trung_my.pk]),
        "program_create": reverse("programs:create", args=[world.trung_my.pk]),
        "portal_desk": reverse("portal:desk"),
        "portal_comments": reverse("portal:comments"),
        "portal_petitions": reverse("portal:desk_petitions"),
        "article_new": reverse("portal:article_new", args=[world.trung_my.pk]),
        "disclosure_new": reverse("portal:disclosure_new", args=[world.trung_my.pk]),
        "export_members": reverse("exchange:members", args=[world.cell.pk, "csv"]),
        "restructuring_list": reverse("restructuring:list"),
        "restructuring_start": reverse("restructuring:start", args=["rename", world.cell.pk]),
    }[name]


def _renamed(world):
    """The cell renamed by a restructuring event (once per test)."""
    import datetime as dt

    from dongthuan.restructuring import services as rs
    from dongthuan.restructuring.models import Restructuring

    found = Restructuring.objects.first()
    if found is None:
        plan = rs.plan_rename(org=world.cell, name="Chi bộ thôn Thanh Lanh 1", short_name="", on=dt.date(2026, 1, 1))
        found = rs.restructuring_apply(actor=None, plan=plan, reason="Sắp xếp", legal_basis="Nghị quyết 1/NQ-ĐU")
    return found


def _election(world, status="draft"):
    """A secret nomination with one person on its list (once per test and status), drafted or opened."""
    from dongthuan.meetings import services
    from dongthuan.meetings.models import Poll

    question = "Bầu" if status == "draft" else "Bầu (đang mở)"
    found = Poll.objects.filter(question=question).first()
    if found is None:  # its own meeting: a meeting has one open vote at a time
        meeting = services.meeting_create(actor=None, body=world.committee, title=question, starts_at=timezone.now())
        for role in ("secretary", "committee_member"):  # two of the three: a quorum
            services.attendance_set(actor=None, meeting=meeting, person=world.people[role], status="present")
        item = services.item_add(actor=None, meeting=meeting, title="Giới thiệu nhân sự", kind="nomination")
        found = services.poll_create(actor=None, item=item, question=question, kind="secret", method="nomination")
        services.candidate_add(actor=None, poll=found, person=world.people["secretary"])
        if status != "draft":
            found = services.poll_open(actor=None, poll=found)
    return found


def _article_image(world):
    from dongthuan.portal import services
    from dongthuan.portal.models import ArticleImage

    found = ArticleImage.objects.first()
    if found is None:
        found = services.article_image_add(
            actor=None, article=_portal_article(world), name="anh.png", content=_png_bytes()
        )
    return found


def _candidate_pk() -> int:
    return Candidate.objects.get(poll__question="Bầu (đang mở)").pk


def _png_bytes() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _portal_article(world, title="Hội nghị"):
    """A draft article of Trung Mỹ (made once per test)."""
    from dongthuan.portal import services
    from dongthuan.portal.models import Article, Section

    found = Article.objects.filter(title=title).first()
    if found is None:
        found = services.article_save(
            actor=None,
            organization=world.trung_my,
            section=Section.objects.first(),
            title=title,
            lead="Sa-pô",
            body="Nội dung",
        )
    return found


def _portal_petition(world):
    """A petition to Trung Mỹ with a picture (made once per test)."""
    import io

    from PIL import Image

    from dongthuan.portal import services
    from dongthuan.portal.models import Petition, Topic

    found = Petition.objects.first()
    if found is None:
        picture = io.BytesIO()
        Image.new("RGB", (8, 8)).save(picture, "PNG")
        found = services.petition_submit(
            topic=Topic.objects.first(),
            commune=world.trung_my,
            title="Đèn đường hỏng",
            text="Đèn đường thôn Thanh Lanh hỏng.",
            name="Trần Dân",
            phone="0912345678",
            attachments=[("anh.png", picture.getvalue())],
        )
    return found


def _portal_comment(world):
    from dongthuan.portal import services
    from dongthuan.portal.models import Comment

    found = Comment.objects.first()
    if found is None:
        article = services.article_publish(actor=None, article=_portal_article(world, "Tin có ý kiến"))
        from dongthuan.core.citizens import confirmation_token

        found = services.comment_give(target=article, name="Lan", email="lan@example.vn", text="Hay", confirm_url=str)
        services.comment_confirm(token=confirmation_token(found.pk, services.CONFIRM_SALT))
    return found


GET_ALLOWED = {
    "home": SIGNED_IN,
    "tree": INSIDE | {"other_secretary"},
    "tree_search": INSIDE | {"other_secretary"},
    "org": INSIDE,
    "org_children": INSIDE,
    "org_members": OFFICERS,
    "cell_members": INSIDE,
    "org_history": OFFICERS,
    "org_edit": MANAGERS,
    "position_add": MANAGERS,
    "position_end": MANAGERS,
    "position_change": MANAGERS,
    "body": INSIDE,
    "body_history": OFFICERS,
    "term_next": MANAGERS,  # closing a term and opening the next: the secretary, deputies and office
    "child_create": MANAGERS,
    "people_search": OFFICERS | {"other_secretary"},
    "person": INSIDE,  # the member is the person themself
    "person_edit": MANAGERS,
    "person_history": MANAGERS,
    "person_create": MANAGERS,
    "exchange_hub": INSIDE,  # a member sees the organisations' list only
    "exchange_template": MANAGERS,
    "export_people": OFFICERS,
    "export_organizations": INSIDE,
    "export_positions": OFFICERS,
    "import_batch": MANAGERS,
    "meeting_list": INSIDE,
    "meeting_create": MANAGERS,
    "meeting": OFFICERS | {"admin"},  # the body's members are invited; officers of the commune see it too
    "minutes": OFFICERS | {"admin"},  # a draft's text only for managers (tested in tests/meetings)
    "minutes_draft_docx": MANAGERS,
    "paper_ballots": MANAGERS,
    "tally": {"secretary", "deputy"},  # the poll's two tellers
    "unseal": {"secretary", "deputy", "committee_member"},  # the poll's three tellers
    "seal_bulletin": OFFICERS | {"admin"},  # whoever sees the meeting
    "document_library": SIGNED_IN,  # each sees the documents they may (tested in tests/documents)
    "document_create": MANAGERS,
    "document_draft": MANAGERS,  # a draft is its drafters'
    "document_issued": INSIDE,  # where Trung Mỹ is seen: its officers and members, and admin
    "document_edit": MANAGERS,
    "dissemination": INSIDE,  # where the document is seen
    "consultation": INSIDE,  # the drafters, the committee and the cell's members it asks
    "consultation_create": MANAGERS,
    "programs_dashboard": OFFICERS,  # the results of Trung Mỹ: its officers (and those above)
    "program_create": MANAGERS,
    "program": OFFICERS,  # officers of the commune, above it and below it
    "program_tracking": OFFICERS,
    "program_review": OFFICERS,
    "evidence": OFFICERS | {"member"},  # whoever sees the task: the member answers for it
    "task": OFFICERS | {"member"},  # the member answers for it
    # The newsroom: anyone holding an officer's post somewhere (each sees their own organisations' work).
    "portal_desk": OFFICERS | {"other_secretary"},
    "portal_comments": OFFICERS | {"other_secretary"},
    "portal_petitions": OFFICERS | {"other_secretary"},
    "article_new": OFFICERS,  # officers write Trung Mỹ's articles; its managers publish them
    "article_edit": OFFICERS,
    "desk_petition": OFFICERS,  # the handling organisation's officers, with the citizen's contact
    "petition_file": OFFICERS,
    "disclosure_new": MANAGERS,
    "consultation_register": MANAGERS,  # the drafting team's working register
    "document_export": INSIDE,
    "document_compare": MANAGERS,
    "export_members": INSIDE,
    "restructuring_list": OFFICERS | {"other_secretary"},  # each sees the events of their organisations
    "restructuring": OFFICERS,
    "restructuring_start": MANAGERS,
}


@pytest.mark.django_db
@pytest.mark.parametrize("view", sorted(GET_ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_get_matrix(client, world, view, role):
    response = _client(client, world, role).get(_target(world, view))
    if role == "anonymous" and view == "home":
        assert response["Location"] == reverse("portal:home")  # a visitor lands on the public portal
    elif role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif role in GET_ALLOWED[view]:
        assert response.status_code == 200
    else:
        assert response.status_code == 404


def _state(world):
    """Everything a write in the matrix could change."""
    return (
        AuditEvent.objects.count(),
        Organization.objects.get(pk=world.trung_my.pk).name,
        Organization.objects.get(pk=world.cell.pk).status,
        list(Position.objects.order_by("pk").values_list("pk", "title", "end")),
        list(Person.objects.order_by("pk").values_list("pk", "full_name", "phone")),
        Organization.objects.count(),
        list(ImportBatch.objects.order_by("pk").values_list("pk", "status")),
        list(Meeting.objects.order_by("pk").values_list("pk", "status")),
        Minutes.objects.count(),
        Opinion.objects.count(),
        list(Document.objects.order_by("pk").values_list("pk", "status", "number")),
        Version.objects.count(),
        Dissemination.objects.count(),
        list(ConsultationOpinion.objects.order_by("pk").values_list("pk", "status", "answer__decision")),
        Notice.objects.count(),
        list(Program.objects.order_by("pk").values_list("pk", "title")),
        Objective.objects.count(),
        list(Indicator.objects.order_by("pk").values_list("pk", "current")),
        list(Task.objects.order_by("pk").values_list("pk", "status", "progress")),
        list(PortalArticle.objects.order_by("pk").values_list("pk", "status", "title")),
        list(Comment.objects.order_by("pk").values_list("pk", "status", "answer")),
        list(Petition.objects.order_by("pk").values_list("pk", "status", "handler")),
        PetitionEvent.objects.count(),
        Disclosure.objects.count(),
        list(Term.objects.order_by("pk").values_list("pk", "name", "end")),
        list(Attendance.objects.order_by("pk").values_list("pk", "status")),
        AgendaItem.objects.count(),
        list(Poll.objects.order_by("pk").values_list("pk", "status")),
        Candidate.objects.count(),
        VoterMark.objects.count(),
        Relation.objects.count(),
        ArticleImage.objects.count(),
        list(Restructuring.objects.order_by("pk").values_list("pk", "status")),
    )


def _section():
    from dongthuan.portal.models import Section

    return Section.objects.first().pk


def _field():
    from dongthuan.programs.models import Field

    return Field.objects.get(abbreviation="QP-AN").pk


def _period_end(program):
    from dongthuan.programs import periods

    return periods.bounds(program.report_every, timezone.localdate())[1].isoformat()


def _present_meeting(world):
    """The committee's meeting with the secretary present and one item (made once per test)."""
    from dongthuan.meetings import services

    found = Meeting.objects.filter(title="Hội nghị có mặt").first()
    if found is None:
        found = services.meeting_create(
            actor=None, body=world.committee, title="Hội nghị có mặt", starts_at=timezone.now()
        )
        services.attendance_set(actor=None, meeting=found, person=world.people["secretary"], status="present")
        services.item_add(actor=None, meeting=found, title="Nghị quyết", kind="document")
    return found


def _nq():
    from dongthuan.documents.models import DocumentType

    return DocumentType.objects.get(name="Nghị quyết")


def _document_with_term(world):
    import datetime as dt

    from dongthuan.organizations.services import term_create

    if not world.trung_my.terms.exists():
        term_create(actor=None, organization=world.trung_my, name="2025 - 2030", start=dt.date(2025, 7, 1))
    return _document(world)


def _answered_round(world):
    """A round with one opinion of the cell's member (made once per test)."""
    from dongthuan.consultations.models import Round
    from dongthuan.consultations.services import opinion_give

    found = Round.objects.filter(opinions__person__isnull=False).first()
    if found is None:
        found = _consultation(world)
        opinion_give(actor=None, consultation=found, person=world.people["member"], text="Ý kiến")
    return found


def _issued_once(world):
    from dongthuan.documents.models import Document

    found = Document.objects.filter(status="issued").first()
    return found or _document(world, issued=True)


def _open_term(world):
    """Trung Mỹ's current term (made once per test)."""
    import datetime as dt

    from dongthuan.organizations.services import term_create

    if not world.trung_my.terms.exists():
        term_create(actor=None, organization=world.trung_my, name="2025 - 2030", start=dt.date(2025, 7, 1))


def _writes(world):
    start = "01/09/2025"
    _open_term(world)
    post = Position.objects.get(person=world.people["committee_member"])
    newcomer = world.people["member"]
    return {
        "org_edit": (
            reverse("organizations:edit", args=[world.trung_my.pk]),
            {"name": "Đảng bộ xã Trung Mỹ (mới)", "valid_from": "01/07/2025"},
        ),
        "activate": (reverse("organizations:activate", args=[world.cell.pk]), {}),
        "term_next": (
            reverse("organizations:term_next", args=[world.committee.pk]),
            {"congress_closed_on": "30/06/2030", "name": "2030 - 2035"},
        ),
        "position_add": (
            reverse("people:position_add", args=[world.trung_my.pk]),
            {"person": newcomer.pk, "title": PositionTitle.STAFF, "start": start},
        ),
        "position_end": (
            reverse("organizations:position_end", args=[post.pk]),
            {"end": start, "reason": "Chuyển công tác"},
        ),
        "position_change": (
            reverse("organizations:position_change", args=[post.pk]),
            {"title": PositionTitle.STANDING_MEMBER, "on": start},
        ),
        "person_edit": (
            reverse("people:edit", args=[newcomer.pk]),
            {
                "full_name": newcomer.full_name,
                "phone": "0912000111",
                "party_status": "full",
                "cell": world.cell.pk,
                "joined_on": "19/05/2010",
                "full_on": "19/05/2011",
                "party_card_number": newcomer.party_card_number,
            },
        ),
        "person_create": (reverse("people:create", args=[world.trung_my.pk]), {"full_name": "Trịnh Thị Mai"}),
        "import_upload": (
            reverse("exchange:hub", args=[world.trung_my.pk]),
            {
                "kind": "people",
                "file": SimpleUploadedFile("ds.csv", _people_csv(["Trịnh Văn Sơn,,,,"]), "text/csv"),
            },
        ),
        "import_confirm": (reverse("exchange:confirm", args=[_batch(world).pk]), {}),
        "meeting_create": (
            reverse("meetings:create", args=[world.committee.pk]),
            {"title": "Hội nghị tháng 12", "kind": "regular", "starts_at": "05/12/2026 08:00", "place": "Hội trường"},
        ),
        "meeting_close": (reverse("meetings:close", args=[_present_meeting(world).pk]), {}),
        "dissemination_create": (
            reverse("documents:dissemination_create", args=[_issued_once(world).pk]),
            {"organization": world.trung_my.pk},
        ),
        "opinion_give": (
            reverse("consultations:opinion_add", args=[_consultation(world).pk]),
            {"text": "Đề nghị làm rõ mục tiêu."},
        ),
        "opinion_moderate": (
            reverse(
                "consultations:moderate",
                args=[_public_round(world).pk, _public_round(world).opinions.get(audience="public").pk],
            ),
            {"accept": "1"},
        ),
        "consultation_remind": (reverse("consultations:step", args=[_round_with_email(world).pk, "remind"]), {}),
        "opinion_answer": (
            reverse("consultations:answer", args=[_answered_round(world).pk, _answered_round(world).opinions.get().pk]),
            {"decision": "accepted", "reasoning": "Đã sửa."},
        ),
        "document_create": (
            reverse("documents:create", args=[world.trung_my.pk]),
            {
                "doc_type": _nq().pk,
                "title": "về công tác dân vận",
                "key": [""],
                "heading": ["I."],
                "text": ["Nội dung"],
            },
        ),
        "document_issue": (
            reverse("documents:issue", args=[_document_with_term(world).pk]),
            {
                "issued_on": "05/12/2026",
                "place": "Trung Mỹ",
                "signer": world.people["secretary"].pk,
                "signer_title": "Bí thư",
            },
        ),
        "minutes_generate": (reverse("meetings:minutes", args=[_meeting(world).pk]), {"action": "generate"}),
        "opinion_add": (
            reverse("meetings:opinion_add", args=[_present_meeting(world).pk, _present_meeting(world).items.get().pk]),
            {"person": world.people["secretary"].pk, "text": "Đồng ý với dự thảo."},
        ),
        "program_create": (
            reverse("programs:create", args=[world.trung_my.pk]),
            {"title": "Chương trình mới", "starts_on": "01/01/2026", "ends_on": "31/12/2030", "report_every": "year"},
        ),
        "objective_add": (
            reverse("programs:objective_add", args=[_matrix_program(world).pk]),
            {"field": _field(), "title": "Quốc phòng toàn dân"},
        ),
        "indicator_add": (
            reverse("programs:indicator_add", args=[_matrix_program(world).pk]),
            {
                "objective": _matrix_program(world).objectives.get().pk,
                "name": "Tỷ lệ hộ nghèo",
                "unit": "%",
                "baseline": "4,2",
                "target": "1,5",
                "deadline": "31/12/2028",
                "direction": "lower",
                "computation": "latest",
            },
        ),
        "indicator_record": (
            reverse("programs:indicator_record", args=[_matrix_program(world).objectives.get().indicators.get().pk]),
            {"period_end": _period_end(_matrix_program(world)), "value": "65,5"},
        ),
        "task_add": (
            reverse("programs:task_add", args=[_matrix_program(world).pk]),
            {
                "title": "Tuyên truyền",
                "organization": world.trung_my.pk,
                "responsible": world.people["deputy"].pk,
                "starts_on": "01/12/2026",
                "due_on": "31/12/2026",
                "weight": 1,
            },
        ),
        "task_report": (
            reverse("programs:task_report", args=[_matrix_program(world).tasks.get().pk]),
            {"period_end": _period_end(_matrix_program(world)), "progress": "30", "narrative": "Đã họp"},
        ),
        "task_status": (
            reverse("programs:task_status", args=[_matrix_program(world).tasks.get().pk]),
            {"status": "at_risk", "reason": "Thiếu kinh phí"},
        ),
        "article_new": (
            reverse("portal:article_new", args=[world.trung_my.pk]),
            {"section": _section(), "title": "Tin mới", "lead": "Sa-pô", "body": "Nội dung"},
        ),
        "article_submit": (reverse("portal:article_step", args=[_portal_article(world).pk, "submit"]), {}),
        "article_publish": (reverse("portal:article_step", args=[_portal_article(world).pk, "publish"]), {}),
        "comment_moderate": (
            reverse("portal:comment_moderate", args=[_portal_comment(world).pk]),
            {"action": "answer", "answer": "Cảm ơn"},
        ),
        "petition_note": (
            reverse("portal:desk_petition", args=[_portal_petition(world).pk]),
            {"action": "note", "text": "Giao cán bộ kiểm tra"},
        ),
        "disclosure_post": (
            reverse("portal:disclosure_new", args=[world.trung_my.pk]),
            {"category": "planning", "title": "Quy hoạch", "year": 2026, "posted_on": "01/11/2026"},
        ),
        "attendance": (
            reverse("meetings:attendance", args=[_present_meeting(world).pk, world.people["deputy"].pk]),
            {"status": "present"},
        ),
        "item_add": (
            reverse("meetings:item_add", args=[_present_meeting(world).pk]),
            {"title": "Mục", "kind": "topic"},
        ),
        "poll_add": (
            reverse("meetings:poll_add", args=[_present_meeting(world).pk, _present_meeting(world).items.get().pk]),
            {"kind": "open", "question": "Thông qua"},
        ),
        "candidate_add": (
            reverse("meetings:candidate_add", args=[_election(world).pk]),
            {"person": world.people["deputy"].pk},
        ),
        "poll_open": (reverse("meetings:poll_open", args=[_election(world).pk]), {}),
        "poll_void": (
            reverse("meetings:poll_void", args=[_sealed_poll(world).pk]),
            {"reason": "Hai người kiểm phiếu mất mã"},
        ),
        "poll_close": (
            reverse("meetings:poll_close", args=[_election(world, "open").pk]),
            {"confirm_few": "on"},  # the chair confirms: this election has fewer ballots than the least
        ),
        "poll_runoff": (reverse("meetings:poll_runoff", args=[_election(world, "open").pk]), {}),
        "vote": (reverse("meetings:vote", args=[_election(world, "open").pk]), {"candidate": _candidate_pk()}),
        "relation_add": (
            reverse("documents:relation_add", args=[_document(world).pk]),
            {"target": _issued_once(world).pk, "kind": "implements"},
        ),
        "import_cancel": (reverse("exchange:cancel", args=[_batch(world).pk]), {}),
        "article_image": (
            reverse("portal:article_image", args=[_portal_article(world).pk]),
            {"image": SimpleUploadedFile("anh.png", _png_bytes()), "caption": "Ảnh", "after_paragraph": "1"},
        ),
        "article_image_remove": (reverse("portal:article_image_remove", args=[_article_image(world).pk]), {}),
        "restructuring_revert": (reverse("restructuring:revert", args=[_renamed(world).pk]), {}),
        "child_create": (
            reverse("organizations:child_create", args=[world.trung_my.pk]),
            {"name": "Chi bộ thôn Mới", "kind": "cell", "level": world.trung_my.level_id, "valid_from": start},
        ),
    }


WRITE_ALLOWED_BY = {
    "opinion_give": {"secretary", "deputy", "committee_member", "member"},  # those the round asks
    "task_report": MANAGERS | {"member"},  # the answerable person, or the managers of the lead organisation
    "task_status": MANAGERS | {"member"},
    "article_new": OFFICERS,
    "article_submit": OFFICERS,
    "petition_note": OFFICERS,
    "article_image": OFFICERS,
    "article_image_remove": OFFICERS,
    "vote": {"secretary", "committee_member"},  # those present at the meeting
    "poll_runoff": MANAGERS,
}
# Allowed, but this write has nothing to do in the matrix's world (a runoff needs a tie): it answers with a message
# and changes nothing; that it is refused to the others is what the matrix checks here.
UNCHANGED_WHEN_ALLOWED = {"poll_runoff"}
# Refused to a reader of the meeting who may not vote with a message on the meeting's page (not a 404: they see
# the meeting); nothing changes, as for every refusal.
REFUSED_WITH_A_MESSAGE = {"vote"}
ANSWERED_IN_PLACE = {"vote"}
WRITE_ALLOWED = (
    dict.fromkeys(
        (
            "org_edit",
            "activate",
            "term_next",
            "position_add",
            "position_end",
            "position_change",
            "person_edit",
            "person_create",
            "import_upload",
            "import_confirm",
            "meeting_create",
            "meeting_close",
            "document_create",
            "document_issue",
            "opinion_answer",
            "opinion_moderate",
            "consultation_remind",
            "program_create",
            "objective_add",
            "indicator_add",
            "indicator_record",
            "task_add",
            "dissemination_create",
            "minutes_generate",
            "opinion_add",
            "article_publish",
            "comment_moderate",
            "disclosure_post",
            "attendance",
            "item_add",
            "poll_add",
            "candidate_add",
            "poll_open",
            "poll_close",
            "poll_void",
            "relation_add",
            "import_cancel",
            "restructuring_revert",
        ),
        MANAGERS,
    )
    | WRITE_ALLOWED_BY
)


@pytest.mark.django_db
@pytest.mark.parametrize("write", sorted(WRITE_ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_write_matrix(client, world, write, role):
    # The cell has 3 full members in the world (secretary, deputy, committee member, member): activation passes.
    url, data = _writes(world)[write]
    before = _state(world)
    response = _client(client, world, role).post(url, data)
    # A vote is answered in place (the voter's receipt is shown, kept in no session): 200, or 400 with the reason.
    done, refused = (200, 400) if write in ANSWERED_IN_PLACE else (302, 302)
    if role in WRITE_ALLOWED[write]:
        assert response.status_code == done, response.content.decode()[:2000]
        assert (_state(world) == before) == (write in UNCHANGED_WHEN_ALLOWED)
    else:
        assert response.status_code in (302, refused, 404)
        if response.status_code == 302 and write not in REFUSED_WITH_A_MESSAGE:
            assert response["Location"].startswith("/accounts/login/")
        assert _state(world) == before


@pytest.mark.django_db
def test_other_commune_secretary_cannot_reach_trung_my_people_in_search(client, world):
    client.force_login(world.users["other_secretary"])
    response = client.get(reverse("people:search") + "?q=pham van binh")
    assert response.status_code == 200
    assert list(response.context["page"]) == []
    client.force_login(world.users["secretary"])
    found = client.get(reverse("people:search") + "?q=pham van binh").context["page"]
    assert [p.full_name for p in found] == ["Phạm Văn Bình"]


@pytest.mark.django_db
def test_classified_person_visible_only_to_named_readers(client, world):
    from django.contrib.contenttypes.models import ContentType

    from dongthuan.core.models import AccessGrant
    from dongthuan.people import services

    person = services.person_update(actor=None, person=world.people["committee_member"], classification="mat")
    url = reverse("people:detail", args=[person.pk])
    for role in ("secretary", "admin", "deputy"):
        client.force_login(world.users[role])
        assert client.get(url).status_code == 404, role
    AccessGrant.objects.create(
        content_type=ContentType.objects.get_for_model(person), object_id=str(person.pk), user=world.users["deputy"]
    )
    client.force_login(world.users["deputy"])
    assert client.get(url).status_code == 200
    client.force_login(world.users["admin"])
    assert client.get(f"/admin/people/person/{person.pk}/change/").status_code == 302  # not in the admin's queryset
    assert person.full_name not in client.get("/admin/people/person/").content.decode()


# Pages about one's own account. The password reset pages answer everyone (someone who forgot their password is
# not signed in); a reset link that is not valid shows a refusal, never the form.
ACCOUNT_PAGES = {
    "password_reset": (lambda world: reverse("password_reset"), set(ROLES)),
    "password_reset_done": (lambda world: reverse("password_reset_done"), set(ROLES)),
    "password_reset_complete": (lambda world: reverse("password_reset_complete"), set(ROLES)),
    "password_reset_confirm": (
        lambda world: reverse("password_reset_confirm", args=["MQ", "set-password"]),
        set(ROLES),
    ),
    "sessions": (lambda world: reverse("accounts:sessions"), SIGNED_IN),  # each sees only their own
    "second_factor": (lambda world: reverse("accounts:second_factor"), SIGNED_IN),
    "second_factor_setup": (lambda world: reverse("accounts:setup"), SIGNED_IN),  # one's own new app
    # Asked for only right after the password; a session that gave it (or needs none) goes on to the home page.
    "second_factor_verify": (lambda world: reverse("accounts:verify"), set()),
}


@pytest.mark.django_db
@pytest.mark.parametrize("page", sorted(ACCOUNT_PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_account_pages_matrix(client, world, page, role):
    url_of, allowed = ACCOUNT_PAGES[page]
    response = _client(client, world, role).get(url_of(world))
    if page == "second_factor_verify" and role != "anonymous":
        assert response.status_code == 302
        assert response["Location"] == reverse("home")
    elif role in allowed:
        assert response.status_code == 200
        if page == "password_reset_confirm":
            assert response.context["validlink"] is False
    elif role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("write", ["session_end", "sessions_end_others"])
@pytest.mark.parametrize("role", ROLES)
def test_account_writes_matrix(client, world, write, role):
    """Signing out a session: only one's own. The member's other session stays for everyone else."""
    from django.test import Client

    from dongthuan.accounts.models import SignIn

    member = world.users["member"]
    member.set_password("mat-khau-dung-9")
    member.save()
    other = Client()
    other.post(reverse("login"), {"username": "member", "password": "mat-khau-dung-9"})
    row = SignIn.objects.get()
    url = (
        reverse("accounts:session_end", args=[row.pk])
        if write == "session_end"
        else reverse("accounts:sessions_end_others")
    )
    response = _client(client, world, role).post(url)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif write == "session_end" and role != "member":
        assert response.status_code == 404
    else:
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:sessions")
    ended = role == "member"
    assert SignIn.objects.filter(pk=row.pk).exists() is not ended
    assert (other.get(reverse("accounts:sessions")).status_code == 200) is not ended


@pytest.mark.django_db
@pytest.mark.parametrize("write", ["second_factor_off", "recovery_codes"])
@pytest.mark.parametrize("role", ROLES)
def test_second_factor_writes_matrix(client, world, write, role):
    """Each acts on their own second factor only; turning it off is refused to officers and administrators."""
    from django_otp.plugins.otp_static.models import StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for user in world.users.values():
        TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    before = sorted(StaticToken.objects.values_list("token", flat=True))
    response = _client(client, world, role).post(reverse(f"accounts:{write}"))
    apps = set(TOTPDevice.objects.values_list("user__username", flat=True))
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert apps == set(world.users)
    elif write == "recovery_codes":
        assert response.status_code == 200
        assert set(StaticToken.objects.values_list("device__user__username", flat=True)) == {role}
        assert sorted(StaticToken.objects.values_list("token", flat=True)) != before
    else:
        assert response.status_code == 302
        off = {"member", "citizen"}
        assert apps == set(world.users) - ({role} if role in off else set())


PASSKEY_WRITES = ["passkey_add_options", "passkey_add", "passkey_sign_in_options", "passkey_sign_in", "passkey_remove"]


@pytest.mark.django_db
@pytest.mark.parametrize("write", PASSKEY_WRITES)
@pytest.mark.parametrize("role", ROLES)
def test_passkey_writes_matrix(client, world, write, role):
    """Passkeys: each acts on their own account only, by POST. Removing another account's passkey finds none (404);
    a ceremony's options are for one's own account; a signed-in session has no sign-in waiting for a passkey; an
    answer without its ceremony adds nothing. The member's passkey stays for everyone but the member."""
    from dongthuan.accounts.models import Passkey

    passkey = Passkey.objects.create(
        user=world.users["member"], name="Điện thoại", credential_id=b"m" * 32, public_key=b"k", confirmed=True
    )
    url = reverse(f"accounts:{write}", args=[passkey.pk] if write == "passkey_remove" else [])
    signed = _client(client, world, role)
    if role != "anonymous":
        assert signed.get(url).status_code == 405
    response = signed.post(url, data="{}", content_type="application/json")
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif write == "passkey_remove":
        assert response.status_code == (302 if role == "member" else 404)
    elif write == "passkey_add_options":
        assert response.status_code == 200
        assert response.json()["user"]["name"] == role
    else:
        assert response.status_code == 400
    removed = role == "member" and write == "passkey_remove"
    assert Passkey.objects.filter(pk=passkey.pk).exists() is not removed
    assert Passkey.objects.count() == (0 if removed else 1)


def _own_matrix_writes(world):
    """Writes whose matrix is a test of its own (what they change is not in ``_state``): the account's sessions,
    second factor and passkeys (test_account_writes_matrix, test_second_factor_writes_matrix,
    test_passkey_writes_matrix) and a teller's seal code (test_seal_code_matrix)."""
    return [
        reverse("accounts:session_end", args=[1]),
        reverse("accounts:sessions_end_others"),
        reverse("accounts:second_factor_off"),
        reverse("accounts:recovery_codes"),
        *(reverse(f"accounts:{name}", args=[1] if name == "passkey_remove" else []) for name in PASSKEY_WRITES),
        reverse("meetings:seal_code", args=[_draft_sealed_poll(world).pk]),
    ]


def _draft_sealed_poll(world):
    """A secret electronic poll of the committee with three tellers (secretary, deputy, committee member), not
    yet open: its tellers take their seal codes."""
    from dongthuan.meetings import services

    meeting = _meeting(world)
    tellers = [world.people[r] for r in ("secretary", "deputy", "committee_member")]
    for person in tellers:
        services.attendance_set(actor=None, meeting=meeting, person=person, status="present")
    item = services.item_add(actor=None, meeting=meeting, title="Nhân sự", kind="personnel")
    return services.poll_create(actor=None, item=item, question="Đồng ý", kind="secret", tellers=tellers)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_seal_code_matrix(client, world, role):
    """Only the poll's tellers take a seal code (shown once, on a page of its own); for anyone else the poll is not
    there and nothing changes."""
    from dongthuan.meetings.models import SealShare

    poll = _draft_sealed_poll(world)
    response = _client(client, world, role).post(reverse("meetings:seal_code", args=[poll.pk]))
    takers = set(SealShare.objects.filter(seal__poll=poll).values_list("teller__account__username", flat=True))
    if role in {"secretary", "deputy", "committee_member"}:
        assert response.status_code == 200 and response["Cache-Control"] == "no-store"
        assert takers == {role}
    elif role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        assert takers == set()
    else:
        assert response.status_code == 404
        assert takers == set()


class _Undo(Exception):
    pass


def _undone(make):
    """What ``make()`` returns, with what it wrote rolled back (each entry of the matrix makes its own objects)."""
    from django.db import transaction

    try:
        with transaction.atomic():
            raise _Undo(make())
    except _Undo as done:
        return done.args[0]


def _route_of(url: str) -> str:
    from urllib.parse import urlsplit

    from django.urls import resolve

    return resolve(urlsplit(url).path).route


@pytest.mark.django_db
def test_every_route_of_the_resolver_is_in_the_matrix(world):
    """A new route without an entry here (in GET_ALLOWED, WRITE_ALLOWED or PUBLIC_GET) fails: the routes are read
    from the URL resolver (tests/routes.py), the admin's excepted by the rule written there."""
    from tests.routes import all_routes

    covered = {_route_of(_undone(lambda view=view: _target(world, view))) for view in GET_ALLOWED}
    covered |= {_route_of(url) for url, _data in _undone(lambda: _writes(world)).values()}
    covered |= {_route_of(url) for url in _undone(lambda: _public_urls(world))} | {_route_of(reverse("login"))}
    covered |= {_route_of(url_of(world)) for url_of, _allowed in ACCOUNT_PAGES.values()}
    covered |= {_route_of(url) for url in _undone(lambda: _own_matrix_writes(world))}
    missing = sorted(r.pattern for r in all_routes() if r.pattern not in covered)
    assert missing == [], "\n".join(missing)


def _public_urls(world):
    """Routes open to everyone, each with what every role gets (the same answer whoever asks)."""
    from dongthuan.portal import services as portal
    from dongthuan.portal.models import Tag

    article = portal.article_publish(actor=None, article=_portal_article(world, "Tin công khai"))
    picture = portal.article_image_add(actor=None, article=article, name="anh.png", content=_png_bytes())
    petition = _portal_petition(world)
    public_round = _public_round(world)
    return {
        reverse("healthz"): 200,
        reverse("set_language"): 302,  # a GET changes nothing and goes back
        reverse("logout"): 405,  # signing out is a POST
        "/sitemap.xml": 200,
        reverse("sitemap", args=["articles"]): 200,
        reverse("portal:home"): 200,
        reverse("portal:section", args=[article.section.slug]): 200,
        reverse("portal:section_rss", args=[article.section.slug]): 200,
        reverse("portal:tag", args=[Tag.objects.get_or_create(name="dân vận", slug="dan-van")[0].slug]): 200,
        reverse("portal:search") + "?q=tin": 200,
        article.get_absolute_url(): 200,
        reverse("portal:image", args=[picture.pk, "png"]): 200,
        reverse("portal:documents"): 200,
        reverse("portal:document", args=[_issued_once(world).pk]): 200,  # an issued, unclassified document
        reverse("portal:document_file", args=[_issued_once(world).pk, "pdf"]): 200,
        reverse("portal:comment_confirm", args=["sai"]): 400,
        reverse("portal:disclosures"): 200,
        reverse("portal:board", args=[world.trung_my.pk]): 200,
        reverse("portal:board_file", args=[999999]): 404,
        reverse("portal:petition_new"): 200,
        reverse("portal:track"): 200,
        reverse("portal:track_code", args=[petition.code]): 200,
        reverse("portal:statistics"): 200,
        reverse("portal:rss"): 200,
        reverse("portal:atom"): 200,
        reverse("consultations:public_list"): 200,
        reverse("consultations:public_detail", args=[public_round.pk]): 200,
        reverse("consultations:public_register", args=[public_round.pk, "xlsx"]): 404,  # until synthesised
        reverse("consultations:public_confirm", args=["sai"]): 400,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_public_routes_answer_everyone_alike(client, world, role):
    client = _client(client, world, role)
    for url, status in _public_urls(world).items():
        assert client.get(url).status_code == status, url
    # Signing in: the form for a visitor, home for whoever is signed in already.
    assert client.get(reverse("login")).status_code == (200 if role == "anonymous" else 302)
