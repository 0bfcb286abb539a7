"""Chain the rows written before the hash chain, in the order of their ids, and give PostgreSQL the function that
locks the chain and reads its head in one query. SQLite rebuilt the table when 0003 added columns, which dropped
its trigger: it is created again here. The hash is a copy of ``audit/chain.py`` as it was (a migration never
imports the app's code)."""

import datetime as dt
import hashlib
import json

from django.db import migrations

LOCK_KEY = 0x61756469
BATCH = 5000

SQLITE_TRIGGER = """
CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
"""
PG_HEAD = f"""
CREATE OR REPLACE FUNCTION audit_chain_head() RETURNS varchar AS $$
DECLARE head varchar;
BEGIN
    -- Held until the transaction ends; the query below then runs with a fresh snapshot (a VOLATILE function's
    -- statements each take one under READ COMMITTED), so it sees the row the previous holder appended.
    PERFORM pg_advisory_xact_lock({LOCK_KEY});
    SELECT row_hash INTO head FROM audit_auditevent ORDER BY id DESC LIMIT 1;
    RETURN head;
END; $$ LANGUAGE plpgsql VOLATILE;
"""


def _canonical(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def _digest(prev_hash, values):
    at, *rest = values
    instant = at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    payload = json.dumps([instant, *(_canonical(v) for v in rest)], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{payload}".encode()).hexdigest()


def chain(apps, schema_editor):
    connection = schema_editor.connection
    AuditEvent = apps.get_model("audit", "AuditEvent")
    fields = ("at", "actor_id", "actor_name", "action", "content_type_id", "object_id", "object_repr", "changes", "note")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses to run with deferred checks pending
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_no_update")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_update")
        prev_hash, last_id = "", 0
        while True:
            rows = list(
                AuditEvent.objects.filter(id__gt=last_id).order_by("id").values_list("id", *fields)[:BATCH]
            )
            if not rows:
                break
            updates = []
            for pk, *values in rows:
                row_hash = _digest(prev_hash, values)
                updates.append((prev_hash, row_hash, pk))
                prev_hash = row_hash
            cursor.executemany("UPDATE audit_auditevent SET prev_hash = %s, row_hash = %s WHERE id = %s", updates)
            last_id = rows[-1][0]
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_no_update")
            cursor.execute(PG_HEAD)
        else:
            cursor.execute(SQLITE_TRIGGER)


def unchain(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS audit_chain_head()")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_hash_chain")]
    operations = [migrations.RunPython(chain, unchain)]
