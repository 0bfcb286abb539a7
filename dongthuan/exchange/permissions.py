"""Who may take an organisation's lists out as files and bring lists in.

Importing a list into an organisation's subtree is managing it. Organisations are listed to whoever sees the
organisation; people and posts to those who see its members; the lists of the apps above exchange (programs' tasks
and indicator values) to whoever that app says, with the check it registers (``importers.register``). Decided with
the checks of ``organizations.permissions``.

Views load what a browser names with ``<entity>_for_user(user, id)``: a missing object and a forbidden one both
raise ``Http404``.
"""

from __future__ import annotations

from django.http import Http404

from dongthuan.core.http import get_or_404
from dongthuan.exchange.importers import registered_export_check
from dongthuan.exchange.models import ImportBatch, ImportKind
from dongthuan.organizations.models import Organization
from dongthuan.organizations.permissions import (
    can_manage_organization,
    can_view_members,
    can_view_organization,
    organization_for_user,
)
from dongthuan.organizations.roles import Account


def can_import(user: Account, org: Organization) -> bool:
    """Importing a list into an organisation's subtree is managing it."""
    return can_manage_organization(user, org)


def can_export(user: Account, org: Organization, kind: str) -> bool:
    """Organisations are listed to whoever sees the organisation; people and posts to those who see its members;
    a registered app's lists as that app says (tasks and indicator values: those who follow its results)."""
    if kind == ImportKind.ORGANIZATIONS:
        return can_view_organization(user, org)
    registered = registered_export_check(kind)
    if registered is not None:
        return registered(user, org)
    return can_view_members(user, org)


def organization_for_exchange(user: Account, organization_id: int | str) -> Organization:
    """An organisation whose lists page ``user`` opens: one they see (each list is then checked by ``can_export``
    and ``can_import``)."""
    return organization_for_user(user, organization_id)


def organization_for_importer(user: Account, organization_id: int | str) -> Organization:
    org = organization_for_user(user, organization_id)
    if not can_import(user, org):
        raise Http404
    return org


def import_batch_for_user(user: Account, batch_id: int | str) -> ImportBatch:
    """An import is seen (and confirmed, cancelled) by those who may import into its organisation."""
    batch = get_or_404(ImportBatch.objects.select_related("organization", "created_by"), batch_id)
    if not can_import(user, batch.organization):
        raise Http404
    return batch
