"""Reads of the public portal: published articles by section and tag, comments shown under a page, the moderation
queue and the petitions desk of an account, a commune's disclosure board, and how each organisation answers
petitions."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from dongthuan.consultations.models import AudienceKind, Round, RoundStatus
from dongthuan.core.text import fold
from dongthuan.core.types import Actor
from dongthuan.documents.models import Document
from dongthuan.organizations.models import Organization, OrganizationKind
from dongthuan.organizations.roles import MANAGER_ROLES, OFFICER_ROLES, access_for
from dongthuan.portal.models import (
    OPEN_PETITION,
    Article,
    ArticleImage,
    ArticleStatus,
    Comment,
    CommentStatus,
    Disclosure,
    Petition,
    PetitionStatus,
    Section,
    Tag,
    Topic,
)
from dongthuan.rules import publicity

ARTICLES_PER_PAGE = 12


def published() -> QuerySet[Article]:
    return (
        Article.objects.filter(status=ArticleStatus.PUBLISHED)
        .select_related("section", "organization")
        .order_by("-published_at", "-id")
    )


def article_list(
    *, section: Section | None = None, tag: Tag | None = None, query: str = "", page: int = 1
) -> Page[Article]:
    qs = published()
    if section is not None:
        qs = qs.filter(section=section)
    if tag is not None:
        qs = qs.filter(tags=tag)
    words = fold(query).split()[:8]
    for word in words:
        qs = qs.filter(search_text__contains=word)
    return Paginator(qs.defer("body", "search_text"), ARTICLES_PER_PAGE).get_page(page)


def article_public(pk: int) -> Article | None:
    pictures = Prefetch("images", queryset=ArticleImage.objects.defer("content"))
    return published().filter(pk=pk).prefetch_related("tags", pictures).defer("search_text").first()


def related(article: Article, limit: int = 5) -> list[Article]:
    return list(
        published().filter(section_id=article.section_id).exclude(pk=article.pk).defer("body", "search_text")[:limit]
    )


def comments_shown(target: Article | Document) -> list[Comment]:
    """The published comments of a page, oldest first, with their answers (no email is read)."""
    key = {"article": target} if isinstance(target, Article) else {"document": target}
    return list(
        Comment.objects.filter(status=CommentStatus.PUBLISHED, **key)
        .select_related("answer_organization")
        .only("name", "text", "created_at", "answer", "answered_at", "answer_organization__name")
        .order_by("created_at", "id")
    )


def public_documents(query: str = "", page: int = 1) -> Page[Document]:
    qs = (
        Document.objects.filter(status="issued", classification="")
        .select_related("doc_type", "organization")
        .only("title", "symbol", "issued_on", "doc_type__name", "organization__name")
        .order_by("-issued_on", "-id")
    )
    for word in fold(query).split()[:8]:
        qs = qs.filter(search_title__contains=word)
    return Paginator(qs, 25).get_page(page)


def public_document(pk: int) -> Document | None:
    return (
        Document.objects.filter(pk=pk, status="issued", classification="")
        .select_related("doc_type", "organization", "issued_version", "signer")
        .first()
    )


def open_consultations(limit: int = 5) -> list[Round]:
    today = timezone.localdate()
    return list(
        Round.objects.filter(
            audiences__kind=AudienceKind.PUBLIC,
            document__classification="",
            status=RoundStatus.OPEN,
            opens_on__lte=today,
            closes_on__gte=today,
        )
        .select_related("document__doc_type", "document__organization")
        .distinct()
        .order_by("closes_on", "id")[:limit]
    )


# --- the newsroom --------------------------------------------------------------------------------------------------


def _reach(user: Actor, roles: frozenset[str]) -> Q | None:
    """Organisations in the account's reach for ``roles`` as a filter on the organisation's path; None: all."""
    access = access_for(user)
    if access.is_admin:
        return None
    paths = sorted({g.path for g in access.grants if g.role in roles}, key=len)
    roots: list[str] = []
    for p in paths:
        if not any(p.startswith(r) for r in roots):
            roots.append(p)
    q = Q(pk__in=[])
    for root in roots:
        q |= Q(path__startswith=root)
    return q


def _orgs(user: Actor, roles: frozenset[str]) -> QuerySet[Organization]:
    q = _reach(user, roles)
    return Organization.objects.all() if q is None else Organization.objects.filter(q)


def writable_organizations(user: Actor) -> list[Organization]:
    """Organisations whose articles the account may write: the ones it holds a post in, first (not their whole
    subtrees, which would list every cell of a province)."""
    access = access_for(user)
    if access.is_admin:
        return list(Organization.objects.filter(depth__lte=1, kind__in=[OrganizationKind.PARTY, "grassroots"])[:50])
    ids = [g.organization_id for g in access.grants if g.role in OFFICER_ROLES]
    return list(Organization.objects.filter(pk__in=ids).order_by("path"))


def desk_articles(user: Actor, status: str = "") -> QuerySet[Article]:
    orgs = _orgs(user, OFFICER_ROLES)
    qs = Article.objects.filter(organization__in=orgs).select_related("organization", "section")
    if status in ArticleStatus.values:
        qs = qs.filter(status=status)
    return qs.defer("body", "search_text").order_by("-updated_at", "-id")


def desk_counts(user: Actor) -> dict[str, int]:
    orgs = _orgs(user, OFFICER_ROLES)
    articles = Article.objects.filter(organization__in=orgs).values("status").annotate(n=Count("id"))
    counts = {row["status"]: row["n"] for row in articles}
    managed = _orgs(user, MANAGER_ROLES)
    counts["comments"] = Comment.objects.filter(
        Q(article__organization__in=managed) | Q(document__organization__in=managed), status=CommentStatus.PENDING
    ).count()
    counts["petitions"] = Petition.objects.filter(handler__in=orgs, status__in=OPEN_PETITION).count()
    return counts


def moderation_queue(user: Actor, status: str = CommentStatus.PENDING, page: int = 1) -> Page[Comment]:
    managed = _orgs(user, MANAGER_ROLES)
    qs = Comment.objects.filter(Q(article__organization__in=managed) | Q(document__organization__in=managed))
    if status in CommentStatus.values:
        qs = qs.filter(status=status)
    qs = qs.select_related("article__organization", "document__organization", "document__doc_type")
    return Paginator(qs.order_by("-created_at", "-id"), 25).get_page(page)


def petitions_desk(user: Actor, status: str = "", late: bool = False, query: str = "", page: int = 1) -> Page[Petition]:
    orgs = _orgs(user, OFFICER_ROLES)
    qs = Petition.objects.filter(handler__in=orgs).select_related("handler", "commune", "topic")
    if status in PetitionStatus.values:
        qs = qs.filter(status=status)
    if late:
        qs = qs.filter(status__in=OPEN_PETITION, due_on__lt=timezone.localdate())
    query = query.strip()
    if query:
        words = Q()
        for word in fold(query).split()[:8]:
            words &= Q(search_text__contains=word)
        qs = qs.filter(Q(code__iexact=query) | words)
    # Open petitions first, the most urgent at the top; then the answered ones, latest first.
    still_open = Case(When(status__in=OPEN_PETITION, then=Value(0)), default=Value(1))
    ordered = qs.defer("text", "search_text").order_by(still_open, "due_on", "-answered_at", "id")
    return Paginator(ordered, 25).get_page(page)


def reassign_choices(petition: Petition) -> QuerySet[Organization]:
    """Where a petition can be sent: the organisations of its commune (the commune, its government, front and mass
    organisations) and the commune's parent."""
    commune = petition.commune
    return (
        Organization.objects.filter(Q(path__startswith=commune.path) | Q(pk=commune.parent_id))
        .exclude(kind=OrganizationKind.CELL)
        .exclude(status="dissolved")
        .order_by("path")
    )


# --- the disclosure board and communes -----------------------------------------------------------------------------


def communes(on: dt.date | None = None) -> QuerySet[Organization]:
    """The commune-level party organisations in force: where petitions and disclosure boards belong."""
    on = on or timezone.localdate()
    return (
        Organization.objects.in_force(on)
        .filter(level__code="commune", kind__in=[OrganizationKind.PARTY, OrganizationKind.GRASSROOTS])
        .exclude(status="dissolved")
        .select_related("parent")
        .order_by("parent__name", "name")
    )


@dataclass
class Board:
    commune: Organization
    year: int
    disclosed: dict[str, list[Disclosure]] = field(default_factory=dict)
    decided: dict[str, list[Disclosure]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)


def board(commune: Organization, year: int) -> Board:
    """R-PUB-1 and R-PUB-2: what the commune disclosed in the year by category, what its residents decided, and the
    yearly items not yet disclosed."""
    items = list(
        Disclosure.objects.filter(organization=commune, year=year)
        .select_related("document__doc_type")
        .defer("file_content")
        .order_by("-posted_on", "-id")
    )
    found = Board(commune=commune, year=year)
    for item in items:
        kind = publicity.disclosure_kind(item.category)
        target = found.disclosed if kind == "disclosed" else found.decided
        target.setdefault(item.category, []).append(item)
    found.missing = publicity.missing_disclosures(set(found.disclosed))
    found.years = sorted(
        set(Disclosure.objects.filter(organization=commune).values_list("year", flat=True)) | {year}, reverse=True
    )
    return found


# --- petitions in public -------------------------------------------------------------------------------------------


def petition_by_code(code: str) -> Petition | None:
    code = code.strip().upper()
    if not code.startswith("PA-"):
        code = f"PA-{code}"
    return Petition.objects.filter(code=code[:16]).select_related("handler", "topic", "commune").first()


def topics() -> list[Topic]:
    return list(Topic.objects.filter(active=True))


@dataclass
class Listening:
    """How one organisation answers petitions: received, answered, answered on time, median days to answer."""

    organization: Organization
    received: int = 0
    answered: int = 0
    on_time: int = 0
    open_late: int = 0
    median_days: float | None = None

    @property
    def on_time_share(self) -> float | None:
        return round(100 * self.on_time / self.answered) if self.answered else None


def listening(year: int | None = None) -> list[Listening]:
    """Every organisation that received petitions (in a year, by the day of receipt), most received first; an answer
    is on time when given on or before the due date (the organisation's own day). Median days are counted from
    receipt to answer."""
    qs = Petition.objects.all()
    if year is not None:
        qs = qs.filter(received_at__date__gte=dt.date(year, 1, 1), received_at__date__lte=dt.date(year, 12, 31))
    today = timezone.localdate()
    rows = (
        qs.values("handler_id")
        .annotate(
            received=Count("id"),
            answered=Count("id", filter=~Q(status__in=OPEN_PETITION)),
            open_late=Count("id", filter=Q(status__in=OPEN_PETITION, due_on__lt=today)),
        )
        .order_by()
    )
    stats = {row["handler_id"]: row for row in rows}
    durations: dict[int, list[float]] = {}
    on_time: dict[int, int] = {}
    answered = qs.exclude(status__in=OPEN_PETITION).values_list("handler_id", "received_at", "answered_at", "due_on")
    for handler_id, received_at, answered_at, due_on in answered.iterator(chunk_size=5000):
        if answered_at is None:  # pragma: no cover - an answered petition has its moment (a constraint)
            continue
        durations.setdefault(handler_id, []).append((answered_at - received_at).total_seconds() / 86400)
        if timezone.localtime(answered_at).date() <= due_on:
            on_time[handler_id] = on_time.get(handler_id, 0) + 1
    orgs = Organization.objects.in_bulk(list(stats))
    out = [
        Listening(
            organization=orgs[pk],
            received=row["received"],
            answered=row["answered"],
            on_time=on_time.get(pk, 0),
            open_late=row["open_late"],
            median_days=round(statistics.median(durations[pk]), 1) if durations.get(pk) else None,
        )
        for pk, row in stats.items()
        if pk in orgs
    ]
    out.sort(key=lambda r: (-r.received, r.organization.name))
    return out


def disclosures_with_files() -> QuerySet[Disclosure]:
    """Disclosures that carry a file (a board's attachments, downloaded by anyone)."""
    return Disclosure.objects.filter(file_content__isnull=False)
