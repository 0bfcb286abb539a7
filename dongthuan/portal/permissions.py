"""Who may write and publish the public site's articles, moderate comments, post disclosures and handle petitions.

The newsroom is for whoever holds an officer's post. An organisation's articles are written and sent to review by
its officers (and those above), published, returned and withdrawn — and the comments under its articles and
documents moderated and answered — by its office and leaders (and those above), who also post its disclosures. A
petition, with its contact details, is handled by the officers of the organisation handling it and of those above.
Visitors' comments and petitions are confirmed by email, not checked here. Decided with the roles of
``organizations.roles``.

Views load what a browser names with ``<entity>_for_writer(user, id)`` (or ``_for_moderator``, ``_for_handler``):
a missing object and a forbidden one both raise ``Http404``.
"""

from __future__ import annotations

from django.http import Http404

from dongthuan.core.http import get_or_404
from dongthuan.organizations.models import Organization
from dongthuan.organizations.roles import MANAGER_ROLES, OFFICER_ROLES, Account, access_for
from dongthuan.portal.models import Article, ArticleImage, ArticleStatus, Comment, Petition, PetitionFile


def can_use_newsroom(user: Account) -> bool:
    """The newsroom (articles, comments to moderate, petitions to handle): whoever holds an officer's post."""
    access = access_for(user)
    return access.is_admin or bool(access.officer_paths())


def can_write_articles(user: Account, org: Organization) -> bool:
    """Writing an organisation's articles and sending them to review: its officers and those above."""
    return access_for(user).reaches(org, OFFICER_ROLES)


def can_publish_articles(user: Account, org: Organization) -> bool:
    """Publishing, returning and withdrawing an organisation's articles, and moderating and answering the comments
    under its articles and documents: its office and leaders (and those above)."""
    return access_for(user).reaches(org, MANAGER_ROLES)


def can_handle_petition(user: Account, petition: Petition) -> bool:
    """Seeing a petition with its contact details, noting, reassigning and answering it: the officers of the
    organisation handling it and of those above."""
    return access_for(user).reaches(petition.handler, OFFICER_ROLES)


def can_post_disclosure(user: Account, org: Organization) -> bool:
    return access_for(user).reaches(org, MANAGER_ROLES)


def organization_for_writer(user: Account, organization_id: int | str) -> Organization:
    org = get_or_404(Organization.objects.all(), organization_id)
    if not can_write_articles(user, org):
        raise Http404
    return org


def organization_for_disclosure(user: Account, organization_id: int | str) -> Organization:
    org = get_or_404(Organization.objects.select_related("level"), organization_id)
    if not can_post_disclosure(user, org):
        raise Http404
    return org


def article_for_writer(user: Account, article_id: int | str) -> Article:
    article = get_or_404(Article.objects.select_related("organization", "section"), article_id)
    if not can_write_articles(user, article.organization):
        raise Http404
    return article


def image_for_reader(user: Account, image_id: int | str, kind: str) -> ArticleImage:
    """An article's image of the kind asked (jpg, png): anyone's once the article is published, before that only
    its writers'."""
    image = get_or_404(ArticleImage.objects.select_related("article__organization").filter(kind=kind), image_id)
    if image.article.status != ArticleStatus.PUBLISHED and not can_write_articles(user, image.article.organization):
        raise Http404
    return image


def image_for_writer(user: Account, image_id: int | str) -> ArticleImage:
    image = get_or_404(ArticleImage.objects.select_related("article__organization"), image_id)
    if not can_write_articles(user, image.article.organization):
        raise Http404
    return image


def comment_for_moderator(user: Account, comment_id: int | str) -> Comment:
    comment = get_or_404(Comment.objects.select_related("article__organization", "document__organization"), comment_id)
    if not can_publish_articles(user, comment.target.organization):
        raise Http404
    return comment


def petition_for_handler(user: Account, petition_id: int | str) -> Petition:
    petition = get_or_404(Petition.objects.select_related("handler", "commune", "topic"), petition_id)
    if not can_handle_petition(user, petition):
        raise Http404
    return petition


def petition_file_for_handler(user: Account, file_id: int | str) -> PetitionFile:
    found = get_or_404(PetitionFile.objects.select_related("petition__handler"), file_id)
    if not can_handle_petition(user, found.petition):
        raise Http404
    return found
