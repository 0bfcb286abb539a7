"""Every write on people. Each is atomic, stores text in NFC and leaves an audit record."""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from dongthuan.audit.services import audit_record, diff, snapshot
from dongthuan.core.access import access_name_author
from dongthuan.core.bulk import insert_many
from dongthuan.core.errors import DomainError
from dongthuan.core.services import apply_fields, normalize_text_fields, validate
from dongthuan.core.text import fold, given_name_sort_key
from dongthuan.core.types import Actor
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


def person_problems(person: Person) -> dict[str, list[str]]:
    """What is inconsistent in the record itself, without reading the database (also used by the bulk import,
    which checks uniqueness for a whole file at once)."""
    problems: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        problems.setdefault(name, []).append(message)

    if person.party_status == PartyStatus.NONE and person.cell_id is not None:
        add("cell", _("Chỉ đảng viên mới sinh hoạt tại chi bộ."))
    if person.party_status in (PartyStatus.PROBATIONARY, PartyStatus.FULL):
        if person.cell is None:
            add("cell", _("Đảng viên phải sinh hoạt tại một chi bộ."))
        elif person.cell.kind != OrganizationKind.CELL:
            add("cell", _("Hãy chọn một chi bộ."))
        elif person.cell.status == OrganizationStatus.DISSOLVED:
            add("cell", _("Chi bộ này đã giải thể."))
    if person.party_status == PartyStatus.PROBATIONARY and person.full_on is not None:
        add("full_on", _("Đảng viên dự bị không được có ngày chính thức."))
    return problems


def _prepare(person: Person) -> None:
    normalize_text_fields(person)
    if person.party_card_number == "":
        person.party_card_number = None
    person.search_name = fold(person.full_name)
    person.sort_key = given_name_sort_key(person.full_name)
    problems = person_problems(person)
    if problems:
        raise DomainError(problems)
    validate(person, exclude=["search_name", "sort_key", "account"])


def _sqlite_trigger_sql(cursor: Any, name: str) -> str | None:
    cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [name])
    row = cursor.fetchone()
    return str(row[0]) if row else None


FTS_INSERT_TRIGGER = "people_person_fts_ai"  # migration people/0004


@transaction.atomic
def person_insert_many(persons: list[Person]) -> None:
    """Insert many prepared people at once (imports); ids are set on the objects. On SQLite, indexing each name
    from the FTS5 insert trigger costs ten times more than one statement indexing them all, so the trigger is
    set aside for the insert and put back, all inside this transaction (other connections never see it gone)."""
    if not persons:
        return
    if connection.vendor != "sqlite":
        insert_many(Person, persons)
        return
    with connection.cursor() as cursor:
        trigger = _sqlite_trigger_sql(cursor, FTS_INSERT_TRIGGER)
        if trigger is None:
            insert_many(Person, persons)
            return
        cursor.execute(f"DROP TRIGGER {FTS_INSERT_TRIGGER}")
        insert_many(Person, persons)
        ids = [p.pk for p in persons]
        cursor.execute(
            "INSERT INTO people_person_fts(rowid, search_name) "
            "SELECT id, search_name FROM people_person WHERE id BETWEEN %s AND %s",
            [min(ids), max(ids)],
        )
        cursor.execute(trigger)


@transaction.atomic
def person_create(*, actor: Actor, full_name: str, **fields: Any) -> Person:
    """Register a person (party member, cadre or citizen)."""
    person = Person(full_name=full_name)
    apply_fields(person, fields, PERSON_FIELDS)
    _prepare(person)
    person.save()
    audit_record(actor=actor, action="create", obj=person, changes=diff({}, snapshot(person, PERSON_FIELDS)))
    access_name_author(actor=actor, target=person)
    return person


@transaction.atomic
def person_update(*, actor: Actor, person: Person, **fields: Any) -> Person:
    """Change a person's record; returns it. Nothing is saved if any field is invalid."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    before = snapshot(person, PERSON_FIELDS)
    apply_fields(person, fields, PERSON_FIELDS)
    _prepare(person)
    changes = diff(before, snapshot(person, PERSON_FIELDS))
    if changes:
        person.save()
        audit_record(actor=actor, action="update", obj=person, changes=changes)
        access_name_author(actor=actor, target=person)  # whoever classifies a record is named on it first
    return person


@transaction.atomic
def person_link_account(*, actor: Actor, person: Person, account: Any) -> Person:
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
