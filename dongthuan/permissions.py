"""Who may do what: the one place where access is decided.

A role comes from a post a person holds (``organizations.Position``) and reaches down the subtree of the
organisation where it is held: the secretary of Trung Mỹ commune's party committee acts on Trung Mỹ and every
cell under it, and on nothing in another commune. Party members reach their own cell; citizens only their own
record. Administrators (``is_superuser``) reach everything except classified records, which only the people named
on them may see (``core.AccessGrant``).

Views use ``<entity>_for_user(user, id)``: a missing object and a forbidden one both raise ``Http404``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404

from dongthuan.core.access import can_see_classified
from dongthuan.core.http import get_or_404
from dongthuan.core.models import AccessGrant, Classification
from dongthuan.organizations import succession
from dongthuan.organizations.models import Body, Organization, Position
from dongthuan.organizations.roles import MANAGER_ROLES, OFFICER_ROLES, access_for
from dongthuan.people.models import Person

# --- organisations ------------------------------------------------------------------------------------------


def can_view_organization(user: Any, org: Organization) -> bool:
    """Officers see their subtree and the organisations above it; members their cell and above it."""
    access = access_for(user)
    if access.is_admin:
        return True
    for g in access.grants:
        if g.reaches(org) and g.role in OFFICER_ROLES:
            return True
        if g.path.startswith(org.path):  # an ancestor of (or the same as) an organisation the account belongs to
            return True
    if org.status != "dissolved":
        return False
    # The history of a dissolved organisation is read by the officers of what took it over — or, for one that
    # ended with its level (the districts in 2025), of what took over the organisation above it.
    chain: Organization | None = org
    step = 0
    while chain is not None and chain.status == "dissolved" and step < 6:
        if _succeeded_into_reach(user, chain):
            return True
        chain, step = chain.parent, step + 1
    return False


def _succeeded_into_reach(user: Any, org: Organization) -> bool:
    """Officers of an organisation may read the pages of the organisations it took over (their history)."""
    frontier = {org.pk}
    seen: set[int] = set()
    for _step in range(6):
        successors = list(Organization.objects.filter(pk__in=succession.successor_ids(frontier)))
        if not successors:
            return False
        if any(access_for(user).reaches(s, OFFICER_ROLES) for s in successors):
            return True
        seen |= frontier
        frontier = {s.pk for s in successors} - seen
    return False


def can_view_members(user: Any, org: Organization) -> bool:
    access = access_for(user)
    if access.reaches(org, OFFICER_ROLES):
        return True
    return access.cell_id is not None and access.cell_id == org.pk


def can_manage_organization(user: Any, org: Organization) -> bool:
    """Change an organisation, its bodies, the posts held in it and the people registered in it."""
    return access_for(user).reaches(org, MANAGER_ROLES)


def can_view_history(user: Any, org: Organization) -> bool:
    return access_for(user).reaches(org, OFFICER_ROLES)


def can_use_tree(user: Any) -> bool:
    access = access_for(user)
    return access.is_admin or bool(access.grants)


def organization_for_user(user: Any, organization_id: Any) -> Organization:
    org = get_or_404(Organization.objects.select_related("level", "parent"), organization_id)
    if not can_view_organization(user, org):
        raise Http404
    return org


def organization_for_manager(user: Any, organization_id: Any) -> Organization:
    org = organization_for_user(user, organization_id)
    if not can_manage_organization(user, org):
        raise Http404
    return org


def body_for_user(user: Any, body_id: Any) -> Body:
    body = get_or_404(Body.objects.select_related("organization", "term"), body_id)
    if not can_view_organization(user, body.organization):
        raise Http404
    return body


def term_body_for_manager(user: Any, body_id: Any) -> Body:
    """A body whose organisation's terms ``user`` may close and open: its secretary, deputies and office."""
    body = body_for_user(user, body_id)
    if not can_manage_organization(user, body.organization):
        raise Http404
    return body


def position_for_manager(user: Any, position_id: Any) -> Position:
    position = get_or_404(Position.objects.select_related("organization", "body", "person"), position_id)
    if not can_manage_organization(user, position.organization):
        raise Http404
    return position


# --- people -------------------------------------------------------------------------------------------------


def _person_orgs(person: Person) -> list[Organization]:
    orgs = [o for o in (person.cell, person.home_organization) if o is not None]
    orgs.extend(p.organization for p in person.positions.current().select_related("organization"))
    return orgs


def can_view_person(user: Any, person: Person) -> bool:
    access = access_for(user)
    if not can_see_classified(user, person):
        return False
    if access.person_id is not None and access.person_id == person.pk:
        return True
    if access.is_admin:
        return True
    orgs = _person_orgs(person)
    if any(access.reaches(o, OFFICER_ROLES) for o in orgs):
        return True
    return access.cell_id is not None and person.cell_id == access.cell_id and person.is_party_member


def can_edit_person(user: Any, person: Person) -> bool:
    if not can_see_classified(user, person):
        return False
    access = access_for(user)
    if access.is_admin:
        return True
    return any(access.reaches(o, MANAGER_ROLES) for o in _person_orgs(person))


# A person's private details — birth date, phone, email, home address, account — are shown (on the person's page
# and in every export) to the person and to those who may edit the record, not to everyone who may see it.
PRIVATE_PERSON_FIELDS = ("birth_date", "phone", "email", "address")


def can_see_private_details(user: Any, person: Person) -> bool:
    access = access_for(user)
    if access.person_id is not None and access.person_id == person.pk:
        return True
    return can_edit_person(user, person)


def private_details_reader(user: Any) -> Callable[[Person], bool]:
    """``can_see_private_details`` for the rows of a list (people with their cell and home organisation loaded),
    decided in memory: the reader themselves, administrators, and the managers of the person's cell or home."""
    access = access_for(user)

    def sees(person: Person) -> bool:
        if access.is_admin or (access.person_id is not None and access.person_id == person.pk):
            return True
        orgs = [o for o in (person.cell, person.home_organization) if o is not None]
        return any(access.reaches(o, MANAGER_ROLES) for o in orgs)

    return sees


def person_for_user(user: Any, person_id: Any) -> Person:
    person = get_or_404(Person.objects.select_related("cell", "home_organization", "account"), person_id)
    if not can_view_person(user, person):
        raise Http404
    return person


def person_for_editor(user: Any, person_id: Any) -> Person:
    person = person_for_user(user, person_id)
    if not can_edit_person(user, person):
        raise Http404
    return person


def visible_people(user: Any) -> models.QuerySet[Person]:
    """People an account may list and search: those registered in a subtree it reads as an officer."""
    access = access_for(user)
    qs = Person.objects.filter(classification=Classification.NONE)
    if access.is_admin:
        return qs
    paths = access.officer_paths()
    if not paths:
        return qs.none()
    # Scoped through the organisations' paths (joined per row) rather than a list of thousands of ids, so that
    # a search reads the people table once, filtered by name first.
    scope = models.Q(pk__in=[])
    for p in paths:
        scope |= models.Q(cell__path__startswith=p) | models.Q(home_organization__path__startswith=p)
    return qs.filter(scope)


# --- reorganisation ------------------------------------------------------------------------------------------


def can_restructure(user: Any, org: Organization) -> bool:
    """Reorganising an organisation is decided one level up: by those who manage its parent (administrators for
    a root). Every other organisation an operation touches must be managed by the same account."""
    if org.parent_id is None:
        return access_for(user).is_admin
    parent = org.parent
    assert parent is not None
    return can_manage_organization(user, parent)


def organization_for_restructuring(user: Any, organization_id: Any) -> Organization:
    org = organization_for_user(user, organization_id)
    if not can_restructure(user, org):
        raise Http404
    return org


def can_view_restructuring(user: Any, event: Any) -> bool:
    access = access_for(user)
    return access.is_admin or any(access.reaches(o, OFFICER_ROLES) for o in event.organizations.all())


def restructuring_for_user(user: Any, event_id: Any) -> Any:
    from dongthuan.restructuring.models import Restructuring

    event = get_or_404(Restructuring.objects.all(), event_id)
    if not can_view_restructuring(user, event):
        raise Http404
    return event


def can_revert_restructuring(user: Any, event: Any) -> bool:
    return all(can_restructure(user, o) for o in event.organizations.all())


# --- lists in and out as files ---------------------------------------------------------------------------------


def can_import(user: Any, org: Organization) -> bool:
    """Importing a list into an organisation's subtree is managing it."""
    return can_manage_organization(user, org)


def can_export(user: Any, org: Organization, kind: str) -> bool:
    """Organisations are listed to whoever sees the organisation; people and posts to those who see its members;
    tasks and indicator values to those who follow its results."""
    if kind == "organizations":
        return can_view_organization(user, org)
    if kind in ("tasks", "indicator_values"):
        return can_view_dashboard(user, org)
    return can_view_members(user, org)


def organization_for_importer(user: Any, organization_id: Any) -> Organization:
    org = organization_for_user(user, organization_id)
    if not can_import(user, org):
        raise Http404
    return org


def import_batch_for_user(user: Any, batch_id: Any) -> Any:
    """An import is seen (and confirmed, cancelled) by those who may import into its organisation."""
    from dongthuan.exchange.models import ImportBatch

    batch = get_or_404(ImportBatch.objects.select_related("organization", "created_by"), batch_id)
    if not can_import(user, batch.organization):
        raise Http404
    return batch


# --- meetings and votes -----------------------------------------------------------------------------------------


def can_manage_meeting(user: Any, meeting: Any) -> bool:
    """Convening, attendance, agenda and opening or closing votes: the office and leaders of the organisation."""
    return can_manage_organization(user, meeting.body.organization)


def can_view_meeting(user: Any, meeting: Any) -> bool:
    """A meeting is seen by those invited to it and by the officers of its organisation."""
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    if person is not None and meeting.attendance.filter(person=person).exists():
        return True
    return can_view_history(user, meeting.body.organization)


def can_tally(user: Any, poll: Any) -> bool:
    """Entering a paper poll's count: only its tellers (ban kiểm phiếu), each for themselves."""
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    return person is not None and poll.tellers.filter(pk=person.pk).exists()


def poll_for_voter(user: Any, poll_id: Any) -> Any:
    """A poll for a person invited to its meeting (the only ones who may vote; the service checks the rest), loaded
    with its meeting and body in one query; 404 otherwise."""
    from dongthuan.meetings.models import Poll

    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    if person is None:
        raise Http404
    invited = Poll.objects.filter(item__meeting__attendance__person=person).select_related(
        "item__meeting__body", "seal"
    )
    return get_or_404(invited, poll_id)


def meeting_for_user(user: Any, meeting_id: Any) -> Any:
    from dongthuan.meetings.models import Meeting

    meeting = get_or_404(Meeting.objects.select_related("body__organization", "chair", "clerk"), meeting_id)
    if not can_view_meeting(user, meeting):
        raise Http404
    return meeting


def meeting_for_manager(user: Any, meeting_id: Any) -> Any:
    meeting = meeting_for_user(user, meeting_id)
    if not can_manage_meeting(user, meeting):
        raise Http404
    return meeting


# --- party documents ---------------------------------------------------------------------------------------------


def can_draft_document(user: Any, org: Organization) -> bool:
    """Drafting, editing and issuing an organisation's documents: its office and leaders."""
    return can_manage_organization(user, org)


def can_view_document(user: Any, document: Any) -> bool:
    """A draft is its drafters'; an issued document is seen where its issuer is seen (officers of the subtree, and
    everyone below: a higher committee's documents reach down). A classified document, only by those named on it."""
    if not can_see_classified(user, document):
        return False
    if document.status != "issued":
        return can_draft_document(user, document.organization)
    return can_view_organization(user, document.organization)


@dataclass(frozen=True)
class _Reach:
    """Whose documents a reader sees: every organisation under ``subtrees`` (paths) and the organisations at
    ``exact`` paths. ``everything`` for administrators."""

    subtrees: list[str]
    exact: list[str]
    everything: bool = False

    def q(self) -> models.Q:
        """The organisations reached, as a condition on Organization."""
        reach = models.Q(pk__in=[])
        for path in self.subtrees:
            reach |= models.Q(path__startswith=path)
        if self.exact:
            reach |= models.Q(path__in=self.exact)
        return reach


def _document_reach(access: Any) -> _Reach:
    """The subtree of each organisation the reader is an officer of, every organisation above any they belong to,
    and what their organisations took over in a reorganisation (its subtree)."""
    if access.is_admin:
        return _Reach([], [], everything=True)
    subtrees = list(access.officer_paths())
    above = access.paths_above()
    roots = Organization.objects.filter(path__in=subtrees).values_list("pk", flat=True)
    subtrees += Organization.objects.filter(pk__in=succession.predecessors_of(list(roots))).values_list(
        "path", flat=True
    )
    return _Reach(subtrees, sorted(above))


def _granted_documents(user: Any) -> list[int]:
    from dongthuan.documents.models import Document

    granted = AccessGrant.objects.filter(
        content_type=ContentType.objects.get_for_model(Document), user_id=getattr(user, "pk", None) or 0
    ).values_list("object_id", flat=True)
    return [int(pk) for pk in granted if pk.isdigit()]


def visible_documents(user: Any) -> models.QuerySet[Any]:
    """Issued documents ``user`` may see, as one query (the library's)."""
    return document_scope(user).documents


@dataclass(frozen=True)
class DocumentScope:
    """What the library may show a reader: the documents (a query), the issuers whose unclassified documents they
    see (None: all), and the classified documents they were granted."""

    documents: models.QuerySet[Any]
    issuers: list[int] | None
    granted: list[int]


def document_scope(user: Any) -> DocumentScope:
    """The library's reach for ``user``: the issued documents they may see, with the issuers named by id (which the
    search index tags, documents/search.py) — or None when they reach every organisation — and the classified
    documents granted to them."""
    from dongthuan.documents.models import Document

    reach = _document_reach(access_for(user))
    issuers = None
    tops = Organization.objects.filter(parent__isnull=True).values_list("path", flat=True)
    if not reach.everything and not all(any(t.startswith(s) for s in reach.subtrees) for t in tops):
        issuers = list(Organization.objects.filter(reach.q()).values_list("pk", flat=True))
    granted = _granted_documents(user)
    documents = Document.objects.filter(status="issued")
    if issuers is not None:
        documents = documents.filter(organization_id__in=issuers)
    documents = documents.filter(models.Q(classification="") | models.Q(pk__in=granted))
    return DocumentScope(documents, issuers, granted)


def document_for_user(user: Any, document_id: Any) -> Any:
    from dongthuan.documents.models import Document

    document = get_or_404(Document.objects.select_related("organization__parent", "doc_type", "signer"), document_id)
    if not can_view_document(user, document):
        raise Http404
    return document


def document_for_editor(user: Any, document_id: Any) -> Any:
    document = document_for_user(user, document_id)
    if not can_draft_document(user, document.organization):
        raise Http404
    return document


# --- consultations ------------------------------------------------------------------------------------------------


def can_run_consultation(user: Any, consultation: Any) -> bool:
    """Opening, answering, closing and synthesising a round, and its register: the drafters of the document."""
    return can_draft_document(user, consultation.document.organization)


def consultation_for_user(user: Any, round_id: Any) -> tuple[Any, str | None]:
    """A round for its drafters, or for someone it asks (with the audience they belong to); 404 otherwise."""
    from dongthuan.consultations.models import Round
    from dongthuan.consultations.selectors import audience_of

    consultation = get_or_404(
        Round.objects.select_related("document__organization__parent", "document__doc_type", "version"), round_id
    )
    if not can_see_classified(user, consultation.document):
        raise Http404
    if can_run_consultation(user, consultation):
        return consultation, None
    person = access_for(user).person
    found = audience_of(consultation, person) if person is not None else None
    if found is None:
        raise Http404
    return consultation, found[0]


# --- action programs ----------------------------------------------------------------------------------------------


def _officer_on_line(user: Any, org: Organization) -> bool:
    """An officer of ``org``, of an organisation above it, or of one below it (which carries out its tasks)."""
    access = access_for(user)
    if access.is_admin:
        return True
    return any(
        g.role in OFFICER_ROLES and (org.path.startswith(g.path) or g.path.startswith(org.path)) for g in access.grants
    )


def can_view_dashboard(user: Any, org: Organization) -> bool:
    """The results of an organisation's subtree: its officers and those above."""
    return access_for(user).reaches(org, OFFICER_ROLES)


def can_view_program(user: Any, program: Any) -> bool:
    return _officer_on_line(user, program.organization)


def can_manage_program(user: Any, program: Any) -> bool:
    """Objectives, indicators and tasks of a program: the managers of its organisation."""
    return access_for(user).reaches(program.organization, MANAGER_ROLES)


def can_report_task(user: Any, task: Any) -> bool:
    """Report progress and change the status: the answerable person, or the managers of the lead organisation."""
    access = access_for(user)
    if access.person_id is not None and access.person_id == task.responsible_id:
        return True
    return access.reaches(task.organization, MANAGER_ROLES)


def can_view_task(user: Any, task: Any) -> bool:
    """A task, its reports and their evidence: its answerable person, the officers on the lead unit's line (its
    subtree, which carries it out, and the organisations above it) and the officers of the program's owner. Not
    the officers of a sibling unit under the same program: a commune does not read another commune's reports."""
    return (
        can_report_task(user, task)
        or _officer_on_line(user, task.organization)
        or access_for(user).reaches(task.program.organization, OFFICER_ROLES)
    )


def organization_for_dashboard(user: Any, organization_id: Any) -> Organization:
    org = get_or_404(Organization.objects.select_related("level", "parent"), organization_id)
    if not can_view_dashboard(user, org):
        raise Http404
    return org


def program_for_user(user: Any, program_id: Any) -> Any:
    from dongthuan.programs.models import Program

    program = get_or_404(Program.objects.select_related("organization", "implements", "carries"), program_id)
    if not can_view_program(user, program):
        raise Http404
    return program


def program_for_manager(user: Any, program_id: Any) -> Any:
    program = program_for_user(user, program_id)
    if not can_manage_program(user, program):
        raise Http404
    return program


def indicator_for_manager(user: Any, indicator_id: Any) -> Any:
    from dongthuan.programs.models import Indicator

    indicator = get_or_404(Indicator.objects.select_related("objective__program__organization"), indicator_id)
    if not can_manage_program(user, indicator.objective.program):
        raise Http404
    return indicator


def task_for_user(user: Any, task_id: Any) -> Any:
    from dongthuan.programs.models import Task

    related = ("organization", "responsible", "program__organization", "objective__field", "parent")
    task = get_or_404(Task.objects.select_related(*related), task_id)
    if not can_view_task(user, task):
        raise Http404
    return task


def evidence_for_user(user: Any, evidence_id: Any) -> Any:
    from dongthuan.programs.models import Evidence

    found = get_or_404(
        Evidence.objects.select_related("report__task__organization", "report__task__program__organization"),
        evidence_id,
    )
    if not can_view_task(user, found.report.task):
        raise Http404
    return found


def task_for_reporter(user: Any, task_id: Any) -> Any:
    task = task_for_user(user, task_id)
    if not can_report_task(user, task):
        raise Http404
    return task


# --- public portal ------------------------------------------------------------------------------------------------


def can_use_newsroom(user: Any) -> bool:
    """The newsroom (articles, comments to moderate, petitions to handle): whoever holds an officer's post."""
    access = access_for(user)
    return access.is_admin or bool(access.officer_paths())


def can_write_articles(user: Any, org: Organization) -> bool:
    """Writing an organisation's articles and sending them to review: its officers and those above."""
    return access_for(user).reaches(org, OFFICER_ROLES)


def can_publish_articles(user: Any, org: Organization) -> bool:
    """Publishing, returning and withdrawing an organisation's articles, and moderating and answering the comments
    under its articles and documents: its office and leaders (and those above)."""
    return access_for(user).reaches(org, MANAGER_ROLES)


def can_handle_petition(user: Any, petition: Any) -> bool:
    """Seeing a petition with its contact details, noting, reassigning and answering it: the officers of the
    organisation handling it and of those above."""
    return access_for(user).reaches(petition.handler, OFFICER_ROLES)


def can_post_disclosure(user: Any, org: Organization) -> bool:
    return access_for(user).reaches(org, MANAGER_ROLES)


def organization_for_writer(user: Any, organization_id: Any) -> Organization:
    org = get_or_404(Organization.objects.all(), organization_id)
    if not can_write_articles(user, org):
        raise Http404
    return org


def organization_for_disclosure(user: Any, organization_id: Any) -> Organization:
    org = get_or_404(Organization.objects.select_related("level"), organization_id)
    if not can_post_disclosure(user, org):
        raise Http404
    return org


def article_for_writer(user: Any, article_id: Any) -> Any:
    from dongthuan.portal.models import Article

    article = get_or_404(Article.objects.select_related("organization", "section"), article_id)
    if not can_write_articles(user, article.organization):
        raise Http404
    return article


def image_for_writer(user: Any, image_id: Any) -> Any:
    from dongthuan.portal.models import ArticleImage

    image = get_or_404(ArticleImage.objects.select_related("article__organization"), image_id)
    if not can_write_articles(user, image.article.organization):
        raise Http404
    return image


def comment_for_moderator(user: Any, comment_id: Any) -> Any:
    from dongthuan.portal.models import Comment

    comment = get_or_404(Comment.objects.select_related("article__organization", "document__organization"), comment_id)
    if not can_publish_articles(user, comment.target.organization):
        raise Http404
    return comment


def petition_for_handler(user: Any, petition_id: Any) -> Any:
    from dongthuan.portal.models import Petition

    petition = get_or_404(Petition.objects.select_related("handler", "commune", "topic"), petition_id)
    if not can_handle_petition(user, petition):
        raise Http404
    return petition


def petition_file_for_handler(user: Any, file_id: Any) -> Any:
    from dongthuan.portal.models import PetitionFile

    found = get_or_404(PetitionFile.objects.select_related("petition__handler"), file_id)
    if not can_handle_petition(user, found.petition):
        raise Http404
    return found
