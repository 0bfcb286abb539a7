"""Classified records (Mật, Tối mật, Tuyệt mật) are seen only by the people named on them: not in another page's
choices, not in the admin's lists (administrators included), and names are given only by those already named."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from dongthuan.audit.models import AuditEvent
from dongthuan.core.models import AccessGrant
from dongthuan.documents import services as document_services
from dongthuan.documents.models import Document, DocumentType
from dongthuan.meetings import services as meeting_services

SECRET_TITLE = "về phương án nhân sự khóa mới"
OPEN_TITLE = "về công tác dân vận"


def _drafts(world):
    kind = DocumentType.objects.filter(abbreviation="NQ").first()
    sections = [{"heading": "I. NỘI DUNG", "text": "Nội dung."}]
    secret = document_services.document_create(
        actor=None,
        organization=world.trung_my,
        doc_type=kind,
        title=SECRET_TITLE,
        sections=sections,
        classification="mat",
    )
    plain = document_services.document_create(
        actor=None, organization=world.trung_my, doc_type=kind, title=OPEN_TITLE, sections=sections
    )
    return secret, plain


def _name(document, user):
    return AccessGrant.objects.create(
        content_type=ContentType.objects.get_for_model(Document), object_id=str(document.pk), user=user
    )


def _meeting(world):
    return meeting_services.meeting_create(
        actor=None,
        body=world.committee,
        title="Hội nghị Ban Chấp hành",
        kind="regular",
        starts_at=dt.datetime(2026, 12, 5, 8, 0, tzinfo=dt.UTC),
    )


@pytest.mark.django_db
def test_a_classified_draft_is_offered_on_the_agenda_only_to_those_named_on_it(client, world):
    secret, plain = _drafts(world)
    meeting = _meeting(world)
    _name(secret, world.users["secretary"])
    client.force_login(world.users["office_staff"])  # manages the meeting, not named on the draft
    response = client.get(meeting.get_absolute_url())
    choices = [d.pk for d in response.context["item_form"].fields["document"].queryset]
    assert choices == [plain.pk]
    assert SECRET_TITLE not in response.content.decode()
    # Posting its id anyway is refused as an unknown choice, and nothing is added.
    response = client.post(reverse("meetings:item_add", args=[meeting.pk]), {"kind": "document", "document": secret.pk})
    assert meeting.items.count() == 0
    client.force_login(world.users["secretary"])
    choices = [d.pk for d in client.get(meeting.get_absolute_url()).context["item_form"].fields["document"].queryset]
    assert sorted(choices) == sorted([secret.pk, plain.pk])


@pytest.mark.django_db
def test_the_admin_lists_no_classified_document_version_or_audit_row_to_an_administrator_not_named(client, world):
    secret, plain = _drafts(world)
    admin = world.users["admin"]
    client.force_login(admin)
    version = secret.versions.get()
    pages = {
        "/admin/documents/document/": SECRET_TITLE,
        "/admin/documents/version/": SECRET_TITLE,
        "/admin/audit/auditevent/": SECRET_TITLE,
    }
    for url, title in pages.items():
        page = client.get(url).content.decode()
        assert title not in page, url
    assert OPEN_TITLE in client.get("/admin/documents/document/").content.decode()
    assert OPEN_TITLE in client.get("/admin/audit/auditevent/").content.decode()
    row = AuditEvent.objects.for_object(secret).get()
    for url in (
        f"/admin/documents/document/{secret.pk}/change/",
        f"/admin/documents/version/{version.pk}/change/",
        f"/admin/audit/auditevent/{row.pk}/change/",
    ):
        assert client.get(url).status_code == 302, url  # not in the admin's queryset: sent back to the index
    assert client.get(f"/admin/documents/document/{plain.pk}/change/").status_code == 200
    _name(secret, admin)
    for url in pages:
        assert SECRET_TITLE in client.get(url).content.decode(), url
    assert client.get(f"/admin/documents/document/{secret.pk}/change/").status_code == 200


def _grant_form(document, user):
    return {
        "content_type": ContentType.objects.get_for_model(Document).pk,
        "object_id": str(document.pk),
        "user": user.pk,
    }


@pytest.mark.django_db
def test_an_administrator_cannot_name_themselves_on_a_classified_record_in_the_admin(client, world):
    secret, plain = _drafts(world)
    admin = world.users["admin"]
    client.force_login(admin)
    response = client.post("/admin/core/accessgrant/add/", _grant_form(secret, admin))
    assert response.status_code == 200
    assert "Không ai tự cấp quyền xem hồ sơ mật cho chính mình." in response.content.decode()
    response = client.post("/admin/core/accessgrant/add/", _grant_form(secret, world.users["deputy"]))
    assert "Chỉ người đã có tên trên hồ sơ mật mới được cấp quyền xem cho người khác." in response.content.decode()
    assert AccessGrant.objects.count() == 0
    assert client.get(reverse("documents:detail", args=[secret.pk])).status_code == 404


@pytest.mark.django_db
def test_only_someone_named_names_others_through_the_admin_and_it_is_audited(client, world):
    secret, _plain = _drafts(world)
    admin, deputy = world.users["admin"], world.users["deputy"]
    _name(secret, admin)  # named by the document's drafter, say
    client.force_login(admin)
    response = client.post("/admin/core/accessgrant/add/", _grant_form(secret, deputy))
    assert response.status_code == 302, response.content.decode()[:2000]
    grant = AccessGrant.objects.get(user=deputy)
    assert (grant.granted_by, grant.object_id) == (admin, str(secret.pk))
    event = AuditEvent.objects.for_object(secret).filter(action="grant_access").get()
    assert (event.actor, event.changes) == (admin, {"named": [None, "deputy"]})
    response = client.post("/admin/core/accessgrant/add/", _grant_form(secret, deputy))
    assert "Tài khoản deputy đã có tên trên hồ sơ này." in response.content.decode()
    assert AccessGrant.objects.filter(user=deputy).count() == 1


@pytest.mark.django_db
def test_the_grant_service_refuses_oneself_and_anyone_not_named(world):
    from dongthuan.core.access import access_grant
    from dongthuan.core.errors import DomainError

    secret, plain = _drafts(world)
    secretary, deputy, admin = world.users["secretary"], world.users["deputy"], world.users["admin"]
    with pytest.raises(DomainError) as error:
        access_grant(actor=admin, target=secret, user=admin)
    assert error.value.messages == ["Không ai tự cấp quyền xem hồ sơ mật cho chính mình."]
    for actor in (admin, None, secretary):
        with pytest.raises(DomainError) as error:
            access_grant(actor=actor, target=secret, user=deputy)
        assert error.value.messages == ["Chỉ người đã có tên trên hồ sơ mật mới được cấp quyền xem cho người khác."]
    _name(secret, secretary)
    _name(plain, secretary)
    with pytest.raises(DomainError) as error:
        access_grant(actor=secretary, target=plain, user=deputy)
    assert error.value.messages == ["Hồ sơ này không mật; mọi người có thẩm quyền đều xem được, không cần cấp quyền."]
    grant = access_grant(actor=secretary, target=secret, user=deputy)
    assert (grant.user, grant.granted_by) == (deputy, secretary)
    assert sorted(AccessGrant.objects.filter(object_id=str(secret.pk)).values_list("user__username", flat=True)) == [
        "deputy",
        "secretary",
    ]


@pytest.mark.django_db
def test_the_drafter_of_a_classified_draft_is_named_on_it_and_can_read_it(client, world):
    client.force_login(world.users["secretary"])
    kind = DocumentType.objects.filter(abbreviation="NQ").first()
    response = client.post(
        reverse("documents:create", args=[world.trung_my.pk]),
        {
            "doc_type": kind.pk,
            "title": SECRET_TITLE,
            "classification": "mat",
            "key": [""],
            "heading": ["I. NỘI DUNG"],
            "text": ["Nội dung."],
        },
    )
    secret = Document.objects.get(title=SECRET_TITLE)
    assert response["Location"] == secret.get_absolute_url()
    assert list(AccessGrant.objects.values_list("user__username", "granted_by__username")) == [
        ("secretary", "secretary")
    ]
    assert client.get(secret.get_absolute_url()).status_code == 200
    client.force_login(world.users["deputy"])  # a drafter of the organisation too, but not named
    assert client.get(secret.get_absolute_url()).status_code == 404
