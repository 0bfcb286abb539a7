"""Who may draft, issue and read party documents, and what the library shows each reader.

Drafting, editing and issuing an organisation's documents: its office and leaders. A draft is its drafters'; an
issued document is seen where its issuer is seen — by the officers of the issuer's subtree and by everyone below it
(a higher committee's documents reach down), and by the officers of what took the issuer over in a reorganisation.
A classified document reaches only the people named on it (``core.access``). Decided with the roles of
``organizations.roles`` and the checks of ``organizations.permissions``.

Views load what a browser names with ``document_for_user(user, id)`` (or ``_for_editor``): a missing document and a
forbidden one both raise ``Http404``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404

from dongthuan.core.access import can_see_classified
from dongthuan.core.http import get_or_404
from dongthuan.core.models import AccessGrant
from dongthuan.documents.models import Dissemination, Document
from dongthuan.organizations import succession
from dongthuan.organizations.models import Organization
from dongthuan.organizations.permissions import can_manage_organization, can_view_organization, organization_for_manager
from dongthuan.organizations.roles import Access, Account, access_for


def can_draft_document(user: Account, org: Organization) -> bool:
    """Drafting, editing and issuing an organisation's documents: its office and leaders."""
    return can_manage_organization(user, org)


def can_view_document(user: Account, document: Document) -> bool:
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


def _document_reach(access: Access) -> _Reach:
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


def _granted_documents(user: Account) -> list[int]:
    granted = AccessGrant.objects.filter(
        content_type=ContentType.objects.get_for_model(Document), user_id=getattr(user, "pk", None) or 0
    ).values_list("object_id", flat=True)
    return [int(pk) for pk in granted if pk.isdigit()]


def visible_documents(user: Account) -> models.QuerySet[Document]:
    """Issued documents ``user`` may see, as one query (the library's)."""
    return document_scope(user).documents


@dataclass(frozen=True)
class DocumentScope:
    """What the library may show a reader: the documents (a query), the issuers whose unclassified documents they
    see (None: all), and the classified documents they were granted."""

    documents: models.QuerySet[Document]
    issuers: list[int] | None
    granted: list[int]


def document_scope(user: Account) -> DocumentScope:
    """The library's reach for ``user``: the issued documents they may see, with the issuers named by id (which the
    search index tags, documents/search.py) — or None when they reach every organisation — and the classified
    documents granted to them."""
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


def organization_for_drafter(user: Account, organization_id: int | str) -> Organization:
    """An organisation ``user`` may draft a new document of (``can_draft_document``)."""
    return organization_for_manager(user, organization_id)


def document_for_user(user: Account, document_id: int | str) -> Document:
    document = get_or_404(Document.objects.select_related("organization__parent", "doc_type", "signer"), document_id)
    if not can_view_document(user, document):
        raise Http404
    return document


def document_for_editor(user: Account, document_id: int | str) -> Document:
    document = document_for_user(user, document_id)
    if not can_draft_document(user, document.organization):
        raise Http404
    return document


def dissemination_for_user(user: Account, dissemination_id: int | str) -> Dissemination:
    """A study of a document, for whoever may see the document."""
    found = get_or_404(Dissemination.objects.select_related("document__doc_type", "organization"), dissemination_id)
    if not can_view_document(user, found.document):
        raise Http404
    return found
