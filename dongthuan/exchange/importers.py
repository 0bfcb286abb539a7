"""Checking and writing the rows of an uploaded list, one importer per kind of list.

Each importer has two steps over the same rows: ``check`` fills every row's result (what it will do, its
errors) without leaving anything written; ``apply`` writes them, and is only called inside the import's single
transaction after a fresh ``check`` found no error. People come in bulk (a province's 200,000 members at a
time), so their importer checks a whole file with a few queries and writes with bulk statements; organisations
and posts are few, so their importers run each row through the same services as the screens, in a savepoint,
and a check is that same run rolled back: whatever a screen would refuse, the preview refuses too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dongthuan.audit.services import audit_record_many
from dongthuan.core.access import hidden_classified_ids
from dongthuan.core.bulk import new_instance, set_related
from dongthuan.core.errors import ErrorCode, ImportRowError, InputError
from dongthuan.core.text import date_text, fold, given_name_sort_key, nfc
from dongthuan.core.types import Actor
from dongthuan.exchange.layouts import Column, column_map, match_headers, missing_required
from dongthuan.exchange.models import ImportKind, RowAction
from dongthuan.exchange.reading import FORMULA_REFUSED, FORMULA_STARTS, Table, is_nfc
from dongthuan.organizations.models import (
    Body,
    Level,
    Organization,
    OrganizationKind,
    OrganizationStatus,
    Position,
    PositionTitle,
)
from dongthuan.people.models import Gender, PartyStatus, Person
from dongthuan.people.services import PERSON_FIELDS, person_insert_many, person_problems

# --- one row ---------------------------------------------------------------------------------------------------


@dataclass
class Row:
    line: int
    cells: dict[str, str]
    action: str = RowAction.CREATE
    target: int | None = None
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column key or "", message)
    notes: list[str] = field(default_factory=list)
    changes: dict[str, list[str]] = field(default_factory=dict)  # header → [before, after], as text

    def error(self, key: str, message: str) -> None:
        self.errors.append((key, message))

    def reset(self) -> None:
        self.action, self.target, self.errors, self.changes = RowAction.CREATE, None, [], {}

    def as_json(self, keys: list[str]) -> dict[str, Any]:
        """The row as stored in a chunk: its values in the order of ``keys`` (the batch's columns); empty parts
        left out, so that a 200,000-row file stays small."""
        data: dict[str, Any] = {
            "line": self.line,
            "values": [self.cells.get(k, "") for k in keys],
            "action": RowAction.ERROR if self.errors else self.action,
        }
        for name in ("target", "errors", "notes", "changes"):
            value = getattr(self, name)
            if value:
                data[name] = value
        return data

    checked: str = ""  # the action the preview showed, when the rows come back for the import

    @classmethod
    def from_json(cls, data: dict[str, Any], keys: list[str]) -> Row:
        return cls(
            line=data["line"],
            cells=dict(zip(keys, data["values"], strict=True)),
            notes=list(data.get("notes", ())),
            checked=data["action"],
        )


def rows_from_table(kind: str, table: Table) -> tuple[list[str], list[Row], list[str]]:
    """The column keys found, one ``Row`` per data line and file-level notes; DomainError when the header does
    not fit the template (no known column, a required column missing)."""
    keys = match_headers(kind, table.headers)
    known = [k for k in keys if k]
    if not known:
        raise ImportRowError(
            _(
                "Dòng đầu tiên của tệp không có tiêu đề cột nào của mẫu «%(kind)s». Hãy tải tệp mẫu và dùng đúng tiêu đề."
            )
            % {"kind": ImportKind(kind).label},
            code=ErrorCode.IMPORT_NO_KNOWN_COLUMN,
            row=1,
        )
    missing = missing_required(kind, keys)
    if missing:
        raise ImportRowError(
            _("Thiếu cột bắt buộc: %(columns)s.") % {"columns": ", ".join(f"«{c.header}»" for c in missing)},
            code=ErrorCode.IMPORT_MISSING_COLUMNS,
            data={"columns": [c.key for c in missing]},
            row=1,
        )
    duplicated = sorted({k for k in known if known.count(k) > 1})
    if duplicated:
        by_key = column_map(kind)
        raise ImportRowError(
            _("Cột «%(column)s» xuất hiện hai lần.") % {"column": ", ".join(by_key[k].header for k in duplicated)},
            code=ErrorCode.IMPORT_DUPLICATE_COLUMN,
            data={"columns": duplicated},
            row=1,
        )
    notes = list(table.notes)
    ignored = [h for h, k in zip(table.headers, keys, strict=False) if h and not k]
    if ignored:
        notes.append(_("Bỏ qua các cột không có trong mẫu: %(columns)s.") % {"columns": ", ".join(ignored)})
    by_key = column_map(kind)
    positions = [(i, k) for i, k in enumerate(keys) if k]
    rows = []
    for line, cells in table.rows:
        values: dict[str, str] = {}
        row = Row(line, values)
        for i, key in positions:
            text = cells[i] if i < len(cells) else ""
            if text and not is_nfc(text):
                text = nfc(text)
                row.notes.append(
                    _("Cột «%(column)s»: chữ tiếng Việt được chuẩn hóa về dạng NFC.") % {"column": by_key[key].header}
                )
            values[key] = text
        rows.append(row)
    return [k for _i, k in positions], rows, notes


# --- reading values --------------------------------------------------------------------------------------------

SPECIAL_STARTS = frozenset("'=@")
_DATES: dict[str, dt.date] = {}  # text → date, for the few thousand distinct dates of a large file
DATE_RE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


def choice_index(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """Folded Vietnamese label, English label and code → value."""
    index: dict[str, str] = {}
    pairs = list(choices)
    for lang in ("en", "vi"):
        with translation.override(lang):
            for value, label in pairs:
                index[fold(str(label))] = value
                index[str(label)] = value
    for value, _label in pairs:
        if value:
            index[fold(value)] = value
    return index


def choice_labels(choices: Iterable[tuple[str, Any]]) -> str:
    with translation.override("vi"):
        return ", ".join(str(label) for value, label in choices if value)


class Cells:
    """Reads typed values from a row, recording an error against the column for each bad cell."""

    def __init__(self, row: Row, layout: dict[str, Column], today: dt.date | None = None) -> None:
        self.row = row
        self.layout = layout
        self.today = today or timezone.localdate()

    def has(self, key: str) -> bool:
        return key in self.row.cells

    def text(self, key: str, max_length: int | None = None) -> str:
        value = self.row.cells.get(key, "")
        if not value:
            return ""
        if value[0] not in SPECIAL_STARTS:
            if max_length is not None and len(value) > max_length:
                self.fail(key, _("dài quá %(max)s ký tự.") % {"max": max_length})
                return ""
            return value
        if value.startswith("'") and value[1:2] in FORMULA_STARTS:
            value = value[1:]
        elif value.startswith(FORMULA_REFUSED):
            self.fail(key, _("chứa công thức («%(value)s»); chỉ nhập giá trị.") % {"value": value[:40]})
            return ""
        if max_length is not None and len(value) > max_length:
            self.fail(key, _("dài quá %(max)s ký tự.") % {"max": max_length})
            return ""
        return value

    def fail(self, key: str, message: str) -> None:
        self.row.error(key, f"{self.layout[key].header}: {message}")

    def required(self, key: str, max_length: int | None = None) -> str:
        value = self.text(key, max_length)
        if not value and not any(k == key for k, _m in self.row.errors):
            self.fail(key, _("bắt buộc, đang để trống."))
        return value

    def id(self, key: str) -> int | None:
        value = self.text(key)
        if not value:
            return None
        if not value.isdigit() or len(value) > 18:
            self.fail(key, _("«%(value)s» không phải một mã số.") % {"value": value})
            return None
        return int(value)

    def date(self, key: str, not_after_today: bool = True) -> dt.date | None:
        value = self.text(key)
        if not value:
            return None
        parsed = _DATES.get(value)
        if parsed is not None and (not not_after_today or parsed <= self.today):
            return parsed
        match = DATE_RE.match(value)
        parsed = None
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                parsed = dt.date(year, month, day)
            except ValueError:
                parsed = None
        if parsed is None or parsed.year < 1900:
            self.fail(key, _("«%(value)s» không phải ngày đúng dạng dd/mm/yyyy.") % {"value": value})
            return None
        if not_after_today and parsed > self.today:
            self.fail(key, _("«%(value)s» là ngày trong tương lai.") % {"value": value})
            return None
        if len(_DATES) < 100_000:
            _DATES[value] = parsed
        return parsed

    def choice(self, key: str, index: dict[str, str], allowed: str) -> str | None:
        value = self.text(key)
        if not value:
            return ""
        found = index.get(value)
        if found is None:
            found = index.get(fold(value))
        if found is None:
            self.fail(
                key, _("«%(value)s» không hợp lệ; chọn một trong: %(allowed)s.") % {"value": value, "allowed": allowed}
            )
        return found


class OrgIndex:
    """The organisations of the importing subtree, found by id or by (folded) name."""

    def __init__(self, root: Organization) -> None:
        self.root = root
        self.by_id: dict[int, Organization] = {}
        self.by_name: dict[str, list[Organization]] = defaultdict(list)
        for org in Organization.objects.subtree_of(root).select_related("level"):
            self.add(org)

    def add(self, org: Organization) -> None:
        self.by_id[org.pk] = org
        self.by_name[fold(org.name)].append(org)
        if org.short_name and fold(org.short_name) != fold(org.name):
            self.by_name[fold(org.short_name)].append(org)

    def find(
        self,
        cells: Cells,
        id_key: str | None,
        name_key: str,
        *,
        only: Callable[[Organization], bool] = lambda o: True,
        within: Organization | None = None,
        what: str = "",
    ) -> Organization | None:
        """The organisation a row names by id (preferred) or by name; None with an error when it is unknown,
        outside the subtree or ambiguous; None without error when both cells are empty."""
        pk = cells.id(id_key) if id_key else None
        name = cells.text(name_key)
        if pk is not None:
            org = self.by_id.get(pk)
            if org is None or not only(org):
                cells.fail(
                    id_key or name_key,
                    _("không có %(what)s mang mã %(id)s trong %(root)s.")
                    % {"what": what, "id": pk, "root": self.root.name},
                )
                return None
            return org
        if not name:
            return None
        found = [o for o in self.by_name.get(fold(name), []) if only(o)]
        if within is not None:
            found = [o for o in found if o.path.startswith(within.path)]
        active = [o for o in found if o.status != OrganizationStatus.DISSOLVED]
        found = active or found
        if not found:
            cells.fail(
                name_key,
                _("không tìm thấy %(what)s «%(name)s» trong %(root)s.")
                % {"what": what, "name": name, "root": self.root.name},
            )
            return None
        if len(found) > 1:
            cells.fail(
                name_key,
                _("có %(count)s %(what)s cùng tên «%(name)s» (mã %(ids)s); hãy ghi mã.")
                % {"count": len(found), "what": what, "name": name, "ids": ", ".join(str(o.pk) for o in found)},
            )
            return None
        return found[0]


def _chunks(values: Sequence[Any], size: int = 900) -> Iterable[Sequence[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


class Importer:
    kind: str = ""

    def __init__(self, organization: Organization, actor: Actor) -> None:
        self.organization = organization
        self.actor = actor
        self.layout = column_map(self.kind)

    def check(self, rows: list[Row]) -> None:
        raise NotImplementedError

    def apply(self, rows: list[Row]) -> None:
        raise NotImplementedError


# --- people (bulk) ---------------------------------------------------------------------------------------------

PERSON_COLUMN_FIELDS = {
    "full_name": "full_name",
    "gender": "gender",
    "birth_date": "birth_date",
    "party_status": "party_status",
    "party_card_number": "party_card_number",
    "joined_on": "joined_on",
    "full_on": "full_on",
    "phone": "phone",
    "email": "email",
    "address": "address",
}


def _person_text(person: Person, name: str) -> str:
    value = getattr(person, name)
    if name in ("gender", "party_status"):
        with translation.override("vi"):
            return str(getattr(person, f"get_{name}_display")()) if value else ""
    if isinstance(value, dt.date):
        return date_text(value)
    if name in ("cell", "home_organization"):
        return getattr(person, name).name if getattr(person, f"{name}_id") else ""
    return "" if value is None else str(value)


class PeopleImport(Importer):
    kind = ImportKind.PEOPLE

    def check(self, rows: list[Row]) -> None:
        orgs = OrgIndex(self.organization)
        self.names = {pk: org.name for pk, org in orgs.by_id.items()}
        genders = choice_index(Gender.choices)
        statuses = choice_index(PartyStatus.choices)
        gender_labels, status_labels = choice_labels(Gender.choices), choice_labels(PartyStatus.choices)
        existing = self._existing(rows)
        by_card = {p.party_card_number: p for p in existing.values() if p.party_card_number}
        in_scope = set(orgs.by_id)
        hidden = set(hidden_classified_ids(self.actor, Person))

        def visible(person: Person) -> bool:
            """Whether the importer may see ``person``: in the subtree, and not a classified record they are not
            named on. Nobody else is named, nor shown, in the preview."""
            in_tree = person.cell_id in in_scope or person.home_organization_id in in_scope
            return in_tree and person.pk not in hidden

        someone_else = _("«%(card)s» đã là số thẻ của một người khác.")
        cards_seen: dict[str, int] = {}
        ids_seen: dict[int, int] = {}
        self.planned: dict[int, Person] = {}
        max_len = {f.name: f.max_length for f in Person._meta.fields if getattr(f, "max_length", None)}
        fields_present = [k for k in PERSON_COLUMN_FIELDS if rows and k in rows[0].cells]
        today = timezone.localdate()
        what_cell, what_unit = _("chi bộ"), _("đơn vị")
        root = self.organization.name
        for index, row in enumerate(rows):
            row.reset()
            c = Cells(row, self.layout, today)
            pk = c.id("id")
            card = c.text("party_card_number", max_len["party_card_number"])
            target: Person | None = None
            if pk is not None:
                target = existing.get(pk)
                if target is not None and not visible(target):
                    c.fail("id", _("không có người mang mã %(id)s trong %(root)s.") % {"id": pk, "root": root})
                    target = None
                elif target is None:
                    c.fail("id", _("không có người mang mã %(id)s.") % {"id": pk})
                elif pk in ids_seen:
                    c.fail("id", _("mã %(id)s trùng với dòng %(line)s.") % {"id": pk, "line": ids_seen[pk]})
                ids_seen.setdefault(pk, row.line)
            elif card and card in by_card:
                target = by_card[card]
                if not visible(target):
                    c.fail("party_card_number", someone_else % {"card": card})
                    target = None
                elif fold(target.full_name) != fold(row.cells.get("full_name", "")):
                    c.fail(
                        "party_card_number",
                        _("«%(card)s» đã là số thẻ của %(name)s (mã %(id)s), không phải người có tên trong dòng này.")
                        % {"card": card, "name": target.full_name, "id": target.pk},
                    )
                    target = None
            if card:
                if card in cards_seen:
                    c.fail(
                        "party_card_number",
                        _("«%(card)s» trùng với dòng %(line)s.") % {"card": card, "line": cards_seen[card]},
                    )
                else:
                    cards_seen[card] = row.line
                owner = by_card.get(card)
                if owner is not None and target is not None and owner.pk != target.pk:
                    c.fail(
                        "party_card_number",
                        _("«%(card)s» đã là số thẻ của %(name)s (mã %(id)s).")
                        % {"card": card, "name": owner.full_name, "id": owner.pk}
                        if visible(owner)
                        else someone_else % {"card": card},
                    )
            person = new_instance(Person, {}) if target is None else _copy(target)
            person.full_name = c.required("full_name", max_len["full_name"])
            if c.has("gender"):
                person.gender = c.choice("gender", genders, gender_labels) or ""
            if c.has("birth_date"):
                person.birth_date = c.date("birth_date")
            if c.has("party_status"):
                person.party_status = c.choice("party_status", statuses, status_labels) or ""
            if c.has("party_card_number"):
                person.party_card_number = card or None
            for key in ("joined_on", "full_on"):
                if c.has(key):
                    setattr(person, key, c.date(key))
            for key in ("phone", "email", "address"):
                if c.has(key):
                    setattr(person, key, c.text(key, max_len[key]))
            if person.email:
                try:
                    validate_email(person.email)
                except ValidationError:
                    c.fail("email", _("«%(value)s» không phải địa chỉ thư điện tử.") % {"value": person.email})
            if c.has("cell") or c.has("cell_id"):
                cell = orgs.find(c, "cell_id" if c.has("cell_id") else None, "cell", only=_is_cell, what=what_cell)
                set_related(person, "cell", cell)
            if c.has("home") or c.has("home_id"):
                home = orgs.find(c, "home_id" if c.has("home_id") else None, "home", what=what_unit)
                set_related(person, "home_organization", home)
            if target is None and person.home_organization_id is None and not (person.cell_id and person.party_status):
                set_related(person, "home_organization", self.organization)
            if person.birth_date and person.joined_on and person.joined_on < person.birth_date:
                c.fail("joined_on", _("trước ngày sinh."))
            if person.joined_on and person.full_on and person.full_on < person.joined_on:
                c.fail("full_on", _("trước ngày vào Đảng."))
            bad = {k for k, _m in row.errors}  # a date already refused is not also reported as missing
            is_member = person.party_status in (PartyStatus.PROBATIONARY, PartyStatus.FULL)
            if is_member and not person.joined_on and "joined_on" not in bad:
                row.error("joined_on", _("Đảng viên phải có ngày vào Đảng."))
            if person.party_status == PartyStatus.FULL and not person.full_on and "full_on" not in bad:
                row.error("full_on", _("Đảng viên chính thức phải có ngày chính thức."))
            if not any(k in ("cell", "cell_id") for k, _m in row.errors):
                for name, messages in person_problems(person).items():
                    for message in messages:
                        row.error(name, message)
            person.search_name = fold(person.full_name)
            person.sort_key = given_name_sort_key(person.full_name, person.search_name)
            if target is not None:
                row.target = target.pk
                before = {name: _person_text(target, name) for name in (*fields_present, "cell", "home_organization")}
                after = {name: _person_text(person, name) for name in before}
                labels = {f: str(getattr(Person._meta.get_field(f), "verbose_name", f)) for f in before}
                row.changes = {labels[f]: [before[f], after[f]] for f in before if before[f] != after[f]}
                row.action = RowAction.UPDATE if row.changes else RowAction.UNCHANGED
            self.planned[index] = person

    def _existing(self, rows: list[Row]) -> dict[int, Person]:
        ids = sorted({int(r.cells["id"]) for r in rows if r.cells.get("id", "").isdigit() and len(r.cells["id"]) <= 18})
        cards = sorted({r.cells["party_card_number"] for r in rows if r.cells.get("party_card_number")})
        found: dict[int, Person] = {}
        qs = Person.objects.select_related("cell", "home_organization")
        for part in _chunks(ids):
            found.update((p.pk, p) for p in qs.filter(pk__in=part))
        for part in _chunks(cards):
            found.update((p.pk, p) for p in qs.filter(party_card_number__in=part))
        return found

    def apply(self, rows: list[Row]) -> None:
        now = timezone.now()
        new: list[Person] = []
        changed: list[Person] = []
        for index, row in enumerate(rows):
            person = self.planned[index]
            if row.action == RowAction.CREATE:
                person.created_at = person.updated_at = now
                new.append(person)
            elif row.action == RowAction.UPDATE:
                person.updated_at = now
                changed.append(person)
        person_insert_many(new)
        fields = [f for f in PERSON_FIELDS if f != "classification"] + ["search_name", "sort_key", "updated_at"]
        Person.objects.bulk_update(changed, fields, batch_size=1000)
        note = _("Nhập từ tệp")
        audit_record_many(
            actor=self.actor,
            action="create",
            model=Person,
            rows=[(p.pk, p.full_name, _created_changes(p, self.names)) for p in new],
            note=note,
        )
        audit_record_many(
            actor=self.actor,
            action="update",
            model=Person,
            rows=[
                (rows[i].target, p.full_name, {header: [*pair] for header, pair in rows[i].changes.items()})
                for i, p in self.planned.items()
                if rows[i].action == RowAction.UPDATE
            ],
            note=note,
        )
        for index, row in enumerate(rows):
            if row.action == RowAction.CREATE:
                row.target = self.planned[index].pk


def _is_cell(org: Organization) -> bool:
    return org.kind == OrganizationKind.CELL


def _copy(person: Person) -> Person:
    clone = new_instance(Person, {f.attname: getattr(person, f.attname) for f in Person._meta.concrete_fields})
    clone._state.adding = False
    set_related(clone, "cell", person.cell)
    set_related(clone, "home_organization", person.home_organization)
    return clone


def _created_changes(person: Person, names: dict[int, str]) -> dict[str, list[Any]]:
    """What ``person_create`` would record (``diff({}, snapshot(...))``) for a new person, without its per-field
    lookups: related organisations by name (``names``: id → name), dates in ISO form, empty values left out."""
    values = person.__dict__
    changes = {name: [None, values[attname]] for name, attname in PERSON_ATTNAMES if values[attname]}
    for name in ("birth_date", "joined_on", "full_on"):
        if name in changes:
            changes[name][1] = changes[name][1].isoformat()
    for name in ("cell", "home_organization"):
        if name in changes:
            changes[name][1] = names[changes[name][1]]
    return changes


PERSON_ATTNAMES = [(name, Person._meta.get_field(name).attname) for name in PERSON_FIELDS]  # type: ignore[union-attr]


# --- organisations and posts (through the services, one savepoint per row) -------------------------------------


class ServiceImport(Importer):
    """Runs each row through the screens' services; ``check`` is the same run, rolled back."""

    def check(self, rows: list[Row]) -> None:
        with transaction.atomic():
            self._run(rows)
            transaction.set_rollback(True)

    def apply(self, rows: list[Row]) -> None:
        """Write the rows; a row that now fails keeps its errors (the caller then rolls everything back)."""
        self._run(rows)

    def _run(self, rows: list[Row]) -> None:
        self.orgs = OrgIndex(self.organization)
        self.prepare()
        for row in rows:
            row.reset()
            cells = Cells(row, self.layout)
            try:
                with transaction.atomic():
                    self.row(row, cells)
                    if row.errors:
                        raise _RowFailed
            except _RowFailed:
                pass
            except ValidationError as exc:
                found = exc.message_dict.items() if hasattr(exc, "error_dict") else [("", exc.messages)]
                for key, messages in found:
                    for message in messages:
                        row.error(key if key in self.layout else "", str(message))

    def prepare(self) -> None:
        pass

    def row(self, row: Row, cells: Cells) -> None:
        raise NotImplementedError


class _RowFailed(Exception):
    pass


def changes(before: dict[str, Any], after: dict[str, Any], labels: dict[str, str]) -> dict[str, list[str]]:
    return {labels[k]: [_text(before[k]), _text(after[k])] for k in before if before[k] != after[k]}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return date_text(value)
    return str(value)


class OrganizationImport(ServiceImport):
    kind = ImportKind.ORGANIZATIONS
    EDITABLE = ("name", "short_name", "doc_code", "valid_from", "address")

    def prepare(self) -> None:
        self.kinds = choice_index(OrganizationKind.choices)
        self.kind_labels = choice_labels(OrganizationKind.choices)
        self.levels = {fold(lv.name): lv for lv in Level.objects.all()}

    def _same_parent(self, org: Organization, c: Cells) -> bool:
        """Whether the row names the organisation's current parent (which may lie outside the subtree)."""
        return _same_parent_cells(org, c.text("parent_id"), c.text("parent"))

    def row(self, row: Row, c: Cells) -> None:
        from dongthuan.organizations.services import organization_create, organization_update

        pk = c.id("id")
        values: dict[str, Any] = {"name": c.required("name", 255)}
        for key in ("short_name", "doc_code", "address"):
            if c.has(key):
                values[key] = c.text(key, 255)
        if c.has("valid_from"):
            values["valid_from"] = c.date("valid_from", not_after_today=False)
        kind = c.choice("kind", self.kinds, self.kind_labels) if c.has("kind") else None
        level = None
        if c.text("level"):
            level = self.levels.get(fold(c.text("level")))
            if level is None:
                c.fail("level", _("«%(value)s» không phải một cấp đã khai báo.") % {"value": c.text("level")})
        org = self.orgs.by_id.get(pk) if pk is not None else None
        parent = None
        if org is None or not self._same_parent(org, c):
            grand = self.orgs.find(c, None, "grandparent", what=_("tổ chức")) if c.text("grandparent") else None
            parent_id_key = "parent_id" if c.has("parent_id") else None
            parent = self.orgs.find(c, parent_id_key, "parent", within=grand, what=_("tổ chức"))
        if row.errors:
            return
        labels = {k: self.layout[k].header for k in self.layout}
        if pk is not None:
            if org is None:
                c.fail(
                    "id",
                    _("không có tổ chức mang mã %(id)s trong %(root)s.") % {"id": pk, "root": self.organization.name},
                )
                return
            if kind and kind != org.kind:
                c.fail("kind", _("không đổi được loại tổ chức khi nhập; hãy dùng «Sắp xếp tổ chức»."))
            if parent is not None and org.parent_id != parent.pk:
                c.fail("parent", _("không đổi được tổ chức cấp trên khi nhập; hãy dùng «Sắp xếp tổ chức»."))
            if row.errors:
                return
            before = {k: getattr(org, k) for k in values}
            updated = organization_update(actor=self.actor, organization=org, **values)
            row.target = org.pk
            row.changes = changes(before, {k: getattr(updated, k) for k in values}, labels)
            row.action = RowAction.UPDATE if row.changes else RowAction.UNCHANGED
            return
        if not kind:
            c.fail("kind", _("bắt buộc khi thêm mới."))
        if parent is None:
            row.error("parent", _("Tổ chức cấp trên: bắt buộc khi thêm mới (ghi mã hoặc tên)."))
        if row.errors or parent is None or not kind:
            return
        same = [o for o in self.orgs.by_name.get(fold(values["name"]), []) if o.parent_id == parent.pk]
        if same:
            existing = same[0]
            row.target = existing.pk
            row.action = RowAction.UNCHANGED
            row.notes.append(_("Đã có tổ chức này (mã %(id)s); dòng được bỏ qua.") % {"id": existing.pk})
            return
        org = organization_create(actor=self.actor, kind=kind, parent=parent, level=level or parent.level, **values)
        self.orgs.add(org)
        row.target = org.pk


def _same_parent_cells(org: Organization, parent_id: str, parent_name: str) -> bool:
    if parent_id:
        return parent_id == str(org.parent_id)
    if parent_name:
        return org.parent is not None and fold(parent_name) == fold(org.parent.name)
    return True


class PositionImport(ServiceImport):
    kind = ImportKind.POSITIONS

    def prepare(self) -> None:
        self.titles = choice_index(PositionTitle.choices)
        self.title_labels = choice_labels(PositionTitle.choices)
        self.bodies: dict[int, dict[str, Body]] = defaultdict(dict)
        for body in Body.objects.filter(organization__path__startswith=self.organization.path):
            self.bodies[body.organization_id][fold(body.name)] = body

    def _person(self, c: Cells) -> Person | None:
        scope = models.Q(cell__path__startswith=self.organization.path) | models.Q(
            home_organization__path__startswith=self.organization.path
        )
        # Classified records the importer is not named on are nobody to them, as on every page.
        people = Person.objects.filter(scope).exclude(pk__in=hidden_classified_ids(self.actor, Person))
        pk = c.id("person_id") if c.has("person_id") else None
        card = c.text("party_card_number")
        name = c.text("full_name")
        if pk is not None:
            found = people.filter(pk=pk).first()
            if found is None:
                c.fail(
                    "person_id",
                    _("không có người mang mã %(id)s trong %(root)s.") % {"id": pk, "root": self.organization.name},
                )
            return found
        if card:
            found = people.filter(party_card_number=card).first()
            if found is None:
                c.fail(
                    "party_card_number",
                    _("không có đảng viên mang số thẻ «%(card)s» trong %(root)s.")
                    % {"card": card, "root": self.organization.name},
                )
            return found
        if not name:
            c.fail("full_name", _("hãy ghi mã người, số thẻ đảng viên hoặc họ và tên."))
            return None
        matches = list(people.filter(search_name=fold(name))[:5])
        if len(matches) != 1:
            if matches:
                c.fail(
                    "full_name",
                    _("có %(count)s người tên «%(name)s»; hãy ghi mã người hoặc số thẻ.")
                    % {"count": len(matches), "name": name},
                )
            else:
                c.fail(
                    "full_name",
                    _("không tìm thấy «%(name)s» trong %(root)s.") % {"name": name, "root": self.organization.name},
                )
            return None
        return matches[0]

    def row(self, row: Row, c: Cells) -> None:
        from dongthuan.organizations.services import position_assign, position_end

        pk = c.id("id")
        title = c.choice("title", self.titles, self.title_labels)
        if not title and not row.errors:
            c.fail("title", _("bắt buộc, đang để trống."))
        start = c.date("start", not_after_today=False)
        if start is None and not any(k == "start" for k, _m in row.errors):
            c.fail("start", _("bắt buộc, đang để trống."))
        end = c.date("end", not_after_today=False) if c.has("end") else None
        reason = c.text("end_reason", 255) if c.has("end_reason") else ""
        person = self._person(c)
        org = self.orgs.find(
            c, "organization_id" if c.has("organization_id") else None, "organization", what=_("tổ chức")
        )
        if org is None and not row.errors:
            row.error("organization", _("Tổ chức: bắt buộc (ghi mã hoặc tên)."))
        body = None
        body_name = c.text("body") if c.has("body") else ""
        if org is not None and body_name:
            body = self.bodies[org.pk].get(fold(body_name))
            if body is None:
                c.fail("body", _("%(org)s không có cơ quan «%(name)s».") % {"org": org.name, "name": body_name})
        if row.errors or person is None or org is None or start is None or not title:
            return
        if end is not None and end < start:
            c.fail("end", _("trước ngày bắt đầu."))
            return
        existing = None
        if pk is not None:
            existing = Position.objects.filter(pk=pk, organization__path__startswith=self.organization.path).first()
            if existing is None:
                c.fail(
                    "id",
                    _("không có chức vụ mang mã %(id)s trong %(root)s.") % {"id": pk, "root": self.organization.name},
                )
                return
            same = (existing.person_id, existing.organization_id, existing.body_id, existing.title, existing.start)
            if same != (person.pk, org.pk, body.pk if body else None, title, start):
                row.error(
                    "",
                    _(
                        "Chỉ có thể thêm ngày thôi giữ cho một chức vụ đã có; muốn đổi người, tổ chức, chức vụ hay ngày bắt đầu hãy thêm dòng mới (để trống mã)."
                    ),
                )
                return
        else:
            existing = Position.objects.filter(
                person=person, organization=org, body=body, title=title, start=start
            ).first()
        labels = {k: self.layout[k].header for k in self.layout}
        if existing is not None:
            row.target = existing.pk
            if existing.end == end and (existing.end_reason or "") == reason:
                row.action = RowAction.UNCHANGED
                return
            if existing.end is not None:
                row.error(
                    "end",
                    _("Chức vụ này đã kết thúc ngày %(date)s; không sửa được ngày thôi giữ.")
                    % {"date": date_text(existing.end)},
                )
                return
            if end is None:
                row.action = RowAction.UNCHANGED
                return
            position_end(actor=self.actor, position=existing, end=end, reason=reason)
            row.action = RowAction.UPDATE
            row.changes = changes({"end": None, "end_reason": ""}, {"end": end, "end_reason": reason}, labels)
            return
        position = position_assign(
            actor=self.actor, person=person, organization=org, title=title, start=start, body=body
        )
        if end is not None:
            position_end(actor=self.actor, position=position, end=end, reason=reason)
        row.target = position.pk


# What each kind of list is: its importer, the rows its export reads back and who may take it out. The kinds of
# the apps below exchange (organisations, people, posts) are known here; an app above it registers its own from its
# AppConfig.ready (programs: tasks and indicator values), so exchange never imports the apps whose lists it carries.
_importers: dict[str, type[Importer]] = {}
_rows: dict[str, Callable[[Organization], Iterator[dict[str, str]]]] = {}
_may_export: dict[str, Callable[[Any, Organization], bool]] = {}


def register(
    kind: str,
    importer: type[Importer],
    rows: Callable[[Organization], Iterator[dict[str, str]]],
    *,
    may_export: Callable[[Any, Organization], bool],
) -> None:
    """Declare the importer of a kind of list, the function giving its rows going out (one organisation's
    subtree, as the import reads them back) and the check of who may take them out of an organisation (the
    registering app's own, from its permissions.py)."""
    _importers[kind] = importer
    _rows[kind] = rows
    _may_export[kind] = may_export


def registered_rows(kind: str) -> Callable[[Organization], Iterator[dict[str, str]]] | None:
    return _rows.get(kind)


def registered_export_check(kind: str) -> Callable[[Any, Organization], bool] | None:
    return _may_export.get(kind)


def importer_for(kind: str, organization: Organization, actor: Actor) -> Importer:
    builtin: dict[str, type[Importer]] = {
        ImportKind.ORGANIZATIONS: OrganizationImport,
        ImportKind.PEOPLE: PeopleImport,
        ImportKind.POSITIONS: PositionImport,
    }
    importer = builtin.get(kind) or _importers.get(kind)
    if importer is None:
        raise InputError(_("Không nhận loại danh sách này."), code=ErrorCode.IMPORT_UNKNOWN_KIND)
    return importer(organization, actor)
