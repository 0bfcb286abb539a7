"""The audit history is a hash chain: rows deleted, changed or inserted behind the application's back are found by
``manage.py audit_verify`` at the right row, on SQLite and PostgreSQL."""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import io
import threading
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from dongthuan.audit import chain
from dongthuan.audit.models import AuditEvent
from dongthuan.audit.services import audit_record, audit_record_many
from dongthuan.core.bulk import reserve_ids
from dongthuan.organizations import services as org_services
from dongthuan.organizations.models import Organization
from tests.conftest import restore_migration_data

SQLITE_TRIGGER = (
    "CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;"
)


def tamper(sql: str, params: list | None = None) -> None:
    """What someone who can write to the database does: the append-only trigger out of the way, then ``sql``."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE waits for no deferred check
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_no_update")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_no_update")
        else:
            cursor.execute("DROP TRIGGER audit_auditevent_no_update")
            cursor.execute(sql, params)
            cursor.execute(SQLITE_TRIGGER)


def insert_raw(at: dt.datetime, pk: int | None = None) -> int:
    """A row written with raw SQL, the way a forger who skips the application would."""
    content_type_id = AuditEvent.objects.order_by("id").values_list("content_type_id", flat=True).first()
    columns = "at, actor_name, action, content_type_id, object_id, object_repr, changes, note, prev_hash, row_hash"
    values = [connection.ops.adapt_datetimefield_value(at), "", "update", content_type_id, "1", "x", "{}", "", "", ""]
    if pk is not None:
        columns, values = f"id, {columns}", [pk, *values]
    marks = ", ".join(["%s"] * len(values))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO audit_auditevent ({columns}) VALUES ({marks})", values)  # noqa: S608
    return pk or AuditEvent.objects.order_by("-id").values_list("id", flat=True)[0]


def verify(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit_verify", *args, stdout=out, stderr=err)
    except SystemExit as exit:
        return int(exit.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def ids() -> list[int]:
    return list(AuditEvent.objects.order_by("id").values_list("id", flat=True))


@pytest.mark.django_db
def test_every_row_carries_the_hash_of_the_one_before(world):
    rows = list(AuditEvent.objects.order_by("id").values_list("prev_hash", "row_hash"))
    assert len(rows) > 10
    assert rows[0][0] == ""
    assert all(prev == before for (prev, _h), (_p, before) in zip(rows[1:], rows, strict=False))
    assert len({h for _p, h in rows}) == len(rows)
    assert all(len(h) == 64 for _p, h in rows)
    code, out, err = verify()
    last = AuditEvent.objects.order_by("-id").first()
    assert (code, err) == (0, "")
    assert out == f"Audit chain intact: {len(rows)} row(s), last row {last.pk} {last.row_hash}\n"


@pytest.mark.django_db
def test_bulk_rows_join_the_chain(world):
    before = AuditEvent.objects.order_by("-id").first()
    cells = [world.cell, world.cell_two, world.other_cell]
    audit_record_many(
        actor=world.users["secretary"],
        action="transfer",
        model=Organization,
        rows=[(c.pk, str(c), {"note": [None, 1.0]}) for c in cells],
    )
    audit_record(actor=None, action="update", obj=world.cell, changes={"short_name": ["a", "b"]})
    added = list(AuditEvent.objects.filter(id__gt=before.pk).order_by("id"))
    assert [e.action for e in added] == ["transfer", "transfer", "transfer", "update"]
    assert [e.prev_hash for e in added] == [before.row_hash, *(e.row_hash for e in added[:3])]
    assert verify()[0] == 0


@pytest.mark.django_db
def test_recording_costs_one_query_more_than_the_insert(world, django_assert_num_queries):
    with transaction.atomic(), django_assert_num_queries(2):
        audit_record(actor=None, action="update", obj=world.cell, changes={"short_name": ["a", "b"]})


def test_one_function_appends_to_the_chain_and_hashes_its_rows():
    """Every row of the history is stamped, linked, hashed and inserted by ``chain.append``: no other module of the
    application takes the chain's lock, computes a row's hash, sets a row's hashes or inserts audit rows itself
    (migrations carry their own frozen copy)."""
    source = Path(chain.__file__).resolve().parents[1]
    found = []
    for path in sorted(source.rglob("*.py")):
        if "migrations" in path.parts or path == Path(chain.__file__).resolve():
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {  # digest or lock_head imported from the chain under any name
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "dongthuan.audit.chain"
            for alias in node.names
            if alias.name in ("digest", "lock_head")
        }
        for node in ast.walk(tree):
            where = f"{path.relative_to(source.parent)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call):
                func, called = node.func, ast.unparse(node.func)
                args = [ast.unparse(a) for a in node.args]
                if called in ("chain.digest", "chain.lock_head") or (
                    isinstance(func, ast.Name) and func.id in imported
                ):
                    found.append(f"{where} {called}")
                if called.split(".")[-1] in ("insert_values", "insert_many") and "AuditEvent" in args[:1]:
                    found.append(f"{where} {called}")
                if called.startswith("AuditEvent.objects.") and called.endswith(("create", "bulk_create")):
                    found.append(f"{where} {called}")
            is_store = isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store)
            if is_store and node.attr in ("row_hash", "prev_hash"):  # type: ignore[union-attr]
                found.append(f"{where} {node.attr}")  # type: ignore[union-attr]
    assert found == []


@pytest.mark.django_db
def test_append_chains_one_row_or_many_and_writes_nothing_when_rolled_back(world):
    head = AuditEvent.objects.order_by("-id").first()
    chain.append([])
    assert AuditEvent.objects.order_by("-id").first() == head
    content_type = ContentType.objects.get_for_model(Organization)
    made = [
        AuditEvent(action="update", content_type=content_type, object_id=str(world.cell.pk), object_repr=str(n))
        for n in range(3)
    ]
    chain.append(made[:1])
    chain.append(made[1:])
    stored = list(AuditEvent.objects.filter(id__gt=head.pk).order_by("id"))
    assert [e.pk for e in stored] == [e.pk for e in made]
    assert [(e.object_repr, e.prev_hash, e.row_hash) for e in stored] == [
        ("0", head.row_hash, made[0].row_hash),
        ("1", made[0].row_hash, made[1].row_hash),
        ("2", made[1].row_hash, made[2].row_hash),
    ]
    assert stored[1].at == stored[2].at  # the rows of one append share its instant
    assert verify()[0] == 0
    with pytest.raises(RuntimeError), transaction.atomic():
        chain.append([AuditEvent(action="update", content_type=content_type, object_id="1", object_repr="x")])
        raise RuntimeError
    assert AuditEvent.objects.order_by("-id").first() == stored[-1]
    assert verify()[0] == 0


@pytest.mark.django_db
def test_a_deleted_row_is_reported_where_the_chain_breaks(world):
    rows = ids()
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [rows[5]])
    code, out, err = verify()
    assert (code, out) == (1, "")
    assert err == (
        f"Audit chain broken after 5 intact row(s): row {rows[6]} deleted — rows are missing between row {rows[4]}"
        f" and row {rows[6]} (or row {rows[4]} was changed and its hash recomputed)\n"
    )


@pytest.mark.django_db
def test_the_first_row_deleted_is_reported(world):
    rows = ids()
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [rows[0]])
    code, _out, err = verify()
    assert code == 1
    assert (
        err
        == f"Audit chain broken after 0 intact row(s): row {rows[1]} deleted — rows are missing before row {rows[1]}\n"
    )


@pytest.mark.django_db
def test_a_changed_row_is_reported(world):
    rows = ids()
    tamper("UPDATE audit_auditevent SET object_repr = %s WHERE id = %s", ["Chi bộ khác", rows[7]])
    code, _out, err = verify()
    assert code == 1
    assert err == (
        f"Audit chain broken after 7 intact row(s): row {rows[7]} changed — its fields no longer match its hash\n"
    )


@pytest.mark.django_db
def test_a_changed_row_whose_hash_was_recomputed_is_reported(world):
    event = AuditEvent.objects.order_by("id")[3]
    forged = chain.digest(event.prev_hash, [*[getattr(event, n) for n in chain.HASHED_FIELDS[:-1]], "sửa"])
    tamper("UPDATE audit_auditevent SET note = %s, row_hash = %s WHERE id = %s", ["sửa", forged, event.pk])
    code, _out, err = verify()
    assert code == 1
    assert err.startswith(f"Audit chain broken after 4 intact row(s): row {event.pk} changed — ")


@pytest.mark.django_db
def test_a_backdated_row_inserted_with_raw_sql_is_reported(world):
    pk = insert_raw(dt.datetime(2020, 1, 1, 8, tzinfo=dt.UTC))
    count = AuditEvent.objects.count()
    code, _out, err = verify()
    assert code == 1
    assert err == (
        f"Audit chain broken after {count - 1} intact row(s): row {pk} inserted — it neither links to the row "
        "before it nor hashes right\n"
    )


@pytest.mark.django_db
def test_a_row_slipped_into_the_middle_is_reported(world):
    """The forged row takes the next id (a gap left by a rolled-back transaction on PostgreSQL); the application
    then appends after it, so the chain goes on past it."""
    count = AuditEvent.objects.count()
    pk = insert_raw(dt.datetime(2020, 1, 1, 8, tzinfo=dt.UTC), pk=reserve_ids(AuditEvent, 1)[0])
    org_services.organization_update(actor=world.users["secretary"], organization=world.cell, short_name="CB TL")
    assert ids()[-2:] == [pk, pk + 1]
    code, _out, err = verify()
    assert code == 1
    assert err.startswith(f"Audit chain broken after {count} intact row(s): row {pk} inserted — ")


@pytest.mark.django_db
def test_a_forged_row_with_a_right_hash_in_the_middle_is_reported(world):
    """Someone who knows the algorithm links a row to the one before and hashes it; the next row still links to
    the real one."""
    rows = list(AuditEvent.objects.order_by("id"))
    gap_after = rows[-1]
    org_services.organization_update(actor=world.users["secretary"], organization=world.cell, short_name="CB TL")
    last = AuditEvent.objects.order_by("-id").first()
    pk = last.pk + 1
    forged_at = dt.datetime(2020, 1, 1, 8, tzinfo=dt.UTC)
    values = [forged_at, None, "", "update", last.content_type_id, "1", "x", {}, ""]
    forged = chain.digest(gap_after.row_hash, values)
    # Move the last real row after the forged one, as a forger filling a gap in the ids would find it.
    tamper("UPDATE audit_auditevent SET id = %s WHERE id = %s", [pk + 1, last.pk])
    tamper(
        "INSERT INTO audit_auditevent (id, at, actor_name, action, content_type_id, object_id, object_repr, changes,"
        " note, prev_hash, row_hash) VALUES (%s, %s, '', 'update', %s, '1', 'x', '{}', '', %s, %s)",
        [pk, connection.ops.adapt_datetimefield_value(forged_at), last.content_type_id, gap_after.row_hash, forged],
    )
    code, _out, err = verify()
    assert code == 1
    assert err.startswith(f"Audit chain broken after {len(rows)} intact row(s): row {pk} inserted — ")


@pytest.mark.django_db
def test_rows_cut_from_the_end_are_found_with_the_anchor(world, tmp_path):
    anchor = tmp_path / "audit-anchor"
    assert verify("--anchor", str(anchor))[0] == 0
    last = AuditEvent.objects.order_by("-id").first()
    assert anchor.read_text() == f"{last.pk} {last.row_hash}\n"
    assert verify("--anchor", str(anchor))[0] == 0
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
    assert verify()[0] == 0  # the chain alone cannot tell
    code, _out, err = verify("--anchor", str(anchor))
    assert code == 1
    assert err.endswith(f"row {last.pk} deleted — the last row seen at the last check is gone\n")
    assert anchor.read_text() == f"{last.pk} {last.row_hash}\n"


@pytest.mark.django_db
def test_the_migration_chains_rows_written_before_the_chain(world):
    expected = list(AuditEvent.objects.order_by("id").values_list("prev_hash", "row_hash"))
    tamper("UPDATE audit_auditevent SET prev_hash = '', row_hash = ''")
    assert verify()[0] == 1
    migration = importlib.import_module("dongthuan.audit.migrations.0004_chain_existing_rows")
    migration.chain(apps, SimpleNamespace(connection=connection))
    assert list(AuditEvent.objects.order_by("id").values_list("prev_hash", "row_hash")) == expected
    assert verify()[0] == 0
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET note = 'x'")


@pytest.mark.django_db
def test_postgresql_application_role_cannot_truncate_update_or_delete_the_history(world):
    """The grants in README's security section: the application's role does not own the audit table and has
    SELECT and INSERT on it only, yet the services still record."""
    if connection.vendor != "postgresql":
        pytest.skip("roles and grants are PostgreSQL's")
    role = f"dongthuan_app_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        for sql in (
            f"CREATE ROLE {role} NOLOGIN",
            f"GRANT USAGE ON SCHEMA public TO {role}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
            f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_auditevent FROM {role}",
            f"SET ROLE {role}",
        ):
            cursor.execute(sql)
    try:
        count = AuditEvent.objects.count()
        for sql in (
            "TRUNCATE audit_auditevent",
            "UPDATE audit_auditevent SET note = 'x'",
            "DELETE FROM audit_auditevent",
            "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_no_update",
            "DROP TRIGGER audit_auditevent_no_update ON audit_auditevent",
        ):
            with pytest.raises(DatabaseError) as refused, transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)
            assert "permission denied" in str(refused.value) or "must be owner" in str(refused.value), sql
        org_services.organization_update(actor=world.users["secretary"], organization=world.cell, short_name="CB TL")
        assert AuditEvent.objects.count() == count + 1
        assert AuditEvent.objects.order_by("-id").first().action == "update"
        assert verify()[0] == 0
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


@pytest.fixture
def levels(transactional_db):
    """The levels a data migration wrote, put back after an earlier transactional test's flush."""
    restore_migration_data()


@pytest.mark.django_db(transaction=True)
def test_writers_at_the_same_instant_keep_one_chain_on_postgresql(levels, world):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL")
    before = AuditEvent.objects.count()
    barrier = threading.Barrier(4)
    errors: list[Exception] = []

    def write(n: int) -> None:
        barrier.wait()
        try:
            for i in range(10):
                with transaction.atomic():
                    audit_record(actor=None, action="update", obj=world.cell, changes={"n": [n, i]})
                    if i % 5 == 0:
                        audit_record_many(
                            actor=None, action="transfer", model=Organization, rows=[(n, "x", {}), (i, "y", {})]
                        )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEvent.objects.count() == before + 4 * (10 + 2 * 2)
    prevs = list(AuditEvent.objects.values_list("prev_hash", flat=True))
    assert len(set(prevs)) == len(prevs)  # no two rows follow the same one: the chain never forked
    assert verify()[0] == 0
