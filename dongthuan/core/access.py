"""Naming people on a classified record (``core.AccessGrant``): the one place a name is given, used by the admin
and by the services that classify a record, and the one place the names given are read — who may see a
classified record (``can_see_classified``, ``unclassified_or_named``) is decided here, for every app.

Only someone already named on a record names others, and nobody names themselves — administrators included: being
an administrator gives no way into a classified record. The first name is the author's: whoever creates a record
as classified (or classifies it) is named on it by the same service.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.apps import apps
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.translation import gettext as _

from dongthuan.core import history
from dongthuan.core.errors import AccessError, ErrorCode
from dongthuan.core.models import AccessGrant, Classification, ClassifiedModel
from dongthuan.core.types import Actor

M = TypeVar("M", bound=models.Model)


def _named(target: models.Model) -> models.QuerySet[AccessGrant]:
    return AccessGrant.objects.filter(
        content_type=ContentType.objects.get_for_model(target, for_concrete_model=True), object_id=str(target.pk)
    )


def access_grant_problem(*, actor: Actor, target: models.Model | None, user: Any) -> str | None:
    """Why ``actor`` may not name ``user`` on ``target`` (None: they may). A missing record and one the actor is not
    named on get the same answer."""
    if not isinstance(actor, User) or not actor.is_authenticated:
        return _("Chỉ người đã có tên trên hồ sơ mật mới được cấp quyền xem cho người khác.")
    if user is not None and user.pk == actor.pk:
        return _("Không ai tự cấp quyền xem hồ sơ mật cho chính mình.")
    if target is None or not _named(target).filter(user_id=actor.pk).exists():
        return _("Chỉ người đã có tên trên hồ sơ mật mới được cấp quyền xem cho người khác.")
    if getattr(target, "classification", Classification.NONE) == Classification.NONE:
        return _("Hồ sơ này không mật; mọi người có thẩm quyền đều xem được, không cần cấp quyền.")
    if user is None:
        return _("Hãy chọn tài khoản được cấp quyền.")
    if _named(target).filter(user_id=user.pk).exists():
        return _("Tài khoản %(user)s đã có tên trên hồ sơ này.") % {"user": user}
    return None


@transaction.atomic
def access_grant(*, actor: Actor, target: models.Model, user: Any) -> AccessGrant:
    """Name ``user`` on the classified record ``target``; ``actor`` must be named on it already, and not be ``user``."""
    problem = access_grant_problem(actor=actor, target=target, user=user)
    if problem is not None or not isinstance(actor, User):  # no problem means a signed-in user
        raise AccessError(problem, code=ErrorCode.ACCESS_GRANT)
    grant = AccessGrant.objects.create(
        content_type=ContentType.objects.get_for_model(target, for_concrete_model=True),
        object_id=str(target.pk),
        user=user,
        granted_by=actor,
    )
    history.record(actor=actor, action="grant_access", obj=target, changes={"named": [None, str(user)]})
    return grant


def access_name_author(*, actor: Actor, target: models.Model) -> AccessGrant | None:
    """Called by a service that has just created or changed ``target`` inside its transaction: when the record is
    classified and nobody is named on it yet, its author (``actor``) is named, so that someone can read it and name
    others. Nothing happens for the system (no account) or when someone is named already."""
    if getattr(target, "classification", Classification.NONE) == Classification.NONE:
        return None
    if not isinstance(actor, User) or not actor.pk or _named(target).exists():
        return None
    grant = AccessGrant.objects.create(
        content_type=ContentType.objects.get_for_model(target, for_concrete_model=True),
        object_id=str(target.pk),
        user=actor,
        granted_by=actor,
    )
    history.record(actor=actor, action="grant_access", obj=target, changes={"named": [None, str(actor)]})
    return grant


def named_record_ids(user: Any, model: type[models.Model]) -> list[int]:
    """The ids of the records of ``model`` that ``user`` is named on (``core.AccessGrant``)."""
    if user is None or not user.is_authenticated:
        return []
    granted = AccessGrant.objects.filter(
        content_type=ContentType.objects.get_for_model(model), user_id=user.pk
    ).values_list("object_id", flat=True)
    return [int(pk) for pk in granted if pk.isdigit()]


def classified_models() -> list[type[models.Model]]:
    """Every model whose records may be classified (documents, people)."""
    return [m for m in apps.get_models() if issubclass(m, ClassifiedModel)]


def is_named_reader(user: Any, obj: models.Model) -> bool:
    """``user`` is named on ``obj`` (``core.AccessGrant``)."""
    if user is None or not user.is_authenticated:
        return False
    return AccessGrant.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk), user_id=user.pk
    ).exists()


def can_see_classified(user: Any, obj: models.Model) -> bool:
    """A classified record (Mật, Tối mật, Tuyệt mật) is visible only to the people named on it."""
    if getattr(obj, "classification", Classification.NONE) == Classification.NONE:
        return True
    return is_named_reader(user, obj)


def unclassified_or_named(user: Any, qs: models.QuerySet[M], through: str = "") -> models.QuerySet[M]:
    """``qs`` without the classified records ``user`` is not named on — administrators included. ``through`` names
    the foreign key to the classified record when ``qs`` holds rows about it (a document's versions: "document"; a
    round's opinions: "round__document")."""
    model: Any = qs.model
    for name in through.split("__") if through else []:
        model = model._meta.get_field(name).related_model
    prefix = f"{through}__" if through else ""
    named = named_record_ids(user, model)  # type: ignore[arg-type]
    return qs.filter(
        models.Q(**{f"{prefix}classification": Classification.NONE}) | models.Q(**{f"{prefix}pk__in": named})
    )


def hidden_classified_ids(user: Any, model: type[models.Model]) -> list[int]:
    """The classified records of ``model`` that ``user`` is not named on (few: classification is rare)."""
    named = named_record_ids(user, model)
    hidden = model._default_manager.exclude(classification=Classification.NONE).exclude(pk__in=named)
    return list(hidden.values_list("pk", flat=True))
