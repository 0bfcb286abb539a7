"""Core records its own writes through the recorder the audit app registers (core imports no app); without one, a
write is refused rather than left out of the history."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from dongthuan.audit import services as audit_services
from dongthuan.audit.models import AuditEvent
from dongthuan.core import history
from dongthuan.core.access import access_grant
from dongthuan.core.models import AccessGrant
from tests.core.test_classified import _drafts, _name


def test_the_audit_app_is_cores_recorder():
    recorder = history.recorder()
    assert (recorder.record, recorder.snapshot, recorder.diff) == (
        audit_services.audit_record,
        audit_services.snapshot,
        audit_services.diff,
    )


@pytest.mark.django_db
def test_a_core_write_without_a_recorder_is_refused_and_changes_nothing(world, monkeypatch):
    secret, _plain = _drafts(world)
    secretary, deputy = world.users["secretary"], world.users["deputy"]
    _name(secret, secretary)
    grants, events = AccessGrant.objects.count(), AuditEvent.objects.count()
    monkeypatch.setattr(history, "_recorder", None)
    with pytest.raises(ImproperlyConfigured):
        access_grant(actor=secretary, target=secret, user=deputy)
    assert (AccessGrant.objects.count(), AuditEvent.objects.count()) == (grants, events)
    assert not AccessGrant.objects.filter(user=deputy).exists()
