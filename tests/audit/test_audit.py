from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from dongthuan.audit.models import AuditEvent
from dongthuan.organizations import services


@pytest.mark.django_db
def test_every_service_write_leaves_an_audit_row(world):
    before = AuditEvent.objects.count()
    services.organization_update(actor=world.users["secretary"], organization=world.cell, short_name="CB Thanh Lanh")
    assert AuditEvent.objects.count() == before + 1


@pytest.mark.django_db
def test_audit_rows_cannot_be_changed_through_the_orm(world):
    event = AuditEvent.objects.first()
    event.note = "sửa"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().update(note="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


@pytest.mark.django_db
def test_database_refuses_update_of_audit_rows(world):
    event = AuditEvent.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET note = %s WHERE id = %s", ["sửa", event.pk])
    event.refresh_from_db()
    assert event.note == ""


@pytest.mark.django_db
def test_database_refuses_delete_on_postgresql(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's test flush deletes rows; DELETE is refused by the model and admin there")
    count = AuditEvent.objects.count()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.count() == count


@pytest.mark.django_db
def test_admin_offers_no_add_change_or_delete(client, world):
    client.force_login(world.users["admin"])
    event = AuditEvent.objects.first()
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    page = client.get(f"/admin/audit/auditevent/{event.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
