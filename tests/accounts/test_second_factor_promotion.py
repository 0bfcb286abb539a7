"""The second factor is required of anyone holding an officer's post or named on a classified record. A session
that began without it — a party member's, signed in with the password alone — must not carry on into officer pages
or a classified record once its account is given a post or named: that session never gave a second factor."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from dongthuan.core.models import AccessGrant
from dongthuan.documents import services as documents
from dongthuan.documents.models import Document, DocumentType
from dongthuan.organizations import services as organizations
from dongthuan.organizations.models import PositionTitle


def _password_session(user):
    user.set_password("mat-khau-dung-9")
    user.save()
    client = Client()
    assert client.post(reverse("login"), {"username": user.username, "password": "mat-khau-dung-9"}).status_code == 302
    return client


@pytest.mark.django_db
def test_a_members_session_given_an_office_post_is_asked_for_the_second_factor(world):
    client = _password_session(world.users["member"])
    members = reverse("people:members", args=[world.trung_my.pk])
    assert client.get(members).status_code == 404  # a member does not read the commune's list
    organizations.position_assign(
        actor=None,
        person=world.people["member"],
        organization=world.trung_my,
        title=PositionTitle.OFFICE_STAFF,
        start=dt.date(2025, 7, 1),
    )
    response = client.get(members)
    assert (response.status_code, response.get("Location")) == (
        302,
        reverse("accounts:setup") + "?next=" + members.replace("/", "%2F"),
    )


@pytest.mark.django_db
def test_a_members_session_named_on_a_classified_document_is_asked_for_the_second_factor(world):
    client = _password_session(world.users["member"])
    secret = documents.document_create(
        actor=world.users["secretary"],
        organization=world.trung_my,
        doc_type=DocumentType.objects.get(name="Nghị quyết"),
        title="về phương án nhân sự khóa mới",
        sections=[{"heading": "I.", "text": "Nội dung."}],
        classification="mat",
    )
    AccessGrant.objects.create(
        content_type=ContentType.objects.get_for_model(Document),
        object_id=str(secret.pk),
        user=world.users["member"],
        granted_by=world.users["secretary"],
    )
    response = client.get(reverse("home"))
    assert (response.status_code, response.get("Location")) == (302, reverse("accounts:setup") + "?next=%2F")
