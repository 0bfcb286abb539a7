"""Every write on people. Each is atomic, stores text in NFC and leaves an audit record."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from dongthuan.audit.services import audit_record, diff, snapshot
from dongthuan.core.errors import DomainError
from dongthuan.core.services import apply_fields, normalize_text_fields, validate
from dongthuan.core.text import fold, given_name_sort_key
from dongthuan.organizations.models import OrganizationKind, OrganizationStatus
from dongthuan.people.models import PartyStatus, Person

PERSON_FIELDS = (
    "full_name",
    "gender",
    "birth_date",
    "phone",
    "email",
    "address",
    "home_organization",
    "party_status",
    "party_card_number",
    "joined_on",
    "full_on",
    "cell",
    "classification",
)


def _prepare(person: Person) -> None:
    normalize_text_fields(person)
    if person.party_card_number == "":
        person.party_card_number = None
    person.search_name = fold(person.full_name)
    person.sort_key = given_name_sort_key(person.full_name)
    if person.party_status == PartyStatus.NONE and person.cell_id is not None:
        raise DomainError({"cell": [_("Chỉ đảng viên mới sinh hoạt tại chi bộ.")]})
    if person.party_status in (PartyStatus.PROBATIONARY, PartyStatus.FULL):
        if person.cell is None:
            raise DomainError({"cell": [_("Đảng viên phải sinh hoạt tại một chi bộ.")]})
        if person.cell.kind != OrganizationKind.CELL:
            raise DomainError({"cell": [_("Hãy chọn một chi bộ.")]})
        if person.cell.status == OrganizationStatus.DISSOLVED:
            raise DomainError({"cell": [_("Chi bộ này đã giải thể.")]})
    if person.party_status == PartyStatus.PROBATIONARY and person.full_on is not None:
        raise DomainError({"full_on": [_("Đảng viên dự bị không được có ngày chính thức.")]})
    validate(person, exclude=["search_name", "sort_key", "account"])


@transaction.atomic
def person_create(*, actor: Any, full_name: str, **fields: Any) -> Person:
    """Register a person (party member, cadre or citizen)."""
    person = Person(full_name=full_name)
    apply_fields(person, fields, PERSON_FIELDS)
    _prepare(person)
    person.save()
    audit_record(actor=actor, action="create", obj=person, changes=diff({}, snapshot(person, PERSON_FIELDS)))
    return person


@transaction.atomic
def person_update(*, actor: Any, person: Person, **fields: Any) -> Person:
    """Change a person's record; returns it. Nothing is saved if any field is invalid."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = snapshot(person, PERSON_FIELDS)
    apply_fields(person, fields, PERSON_FIELDS)
    _prepare(person)
    changes = diff(before, snapshot(person, PERSON_FIELDS))
    if changes:
        person.save()
        audit_record(actor=actor, action="update", obj=person, changes=changes)
    return person


@transaction.atomic
def person_link_account(*, actor: Any, person: Person, account: Any) -> Person:
    """Link a login account to a person (one account, one person)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if account is not None and Person.objects.filter(account=account).exclude(pk=person.pk).exists():
        raise DomainError({"account": [_("Tài khoản này đã gắn với một người khác.")]})
    before = {"account": str(person.account) if person.account_id else None}
    person.account = account
    person.save(update_fields=["account"])
    audit_record(
        actor=actor,
        action="link_account",
        obj=person,
        changes=diff(before, {"account": str(account) if account is not None else None}),
    )
    return person
