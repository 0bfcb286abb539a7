"""Person pages: search, a person's record and posts, editing, history, registering a new person; an
organisation's member list and giving someone a post in it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from dongthuan.audit.selectors import history_page
from dongthuan.core.forms import handle_form
from dongthuan.core.http import HtmxHttpRequest
from dongthuan.core.text import fold
from dongthuan.organizations import selectors as org_selectors
from dongthuan.organizations import services as org_services
from dongthuan.organizations.models import Organization, PartyStatus
from dongthuan.people import selectors, services
from dongthuan.people.forms import PERSON_CHOICES_SHOWN, PersonForm, PositionAssignForm
from dongthuan.people.permissions import (
    can_edit_person,
    can_manage_members,
    can_search_people,
    can_see_private_details,
    organization_for_member_list,
    organization_for_post_giver,
    organization_for_registrar,
    person_for_editor,
    person_for_user,
)


@login_required
def search(request: HtmxHttpRequest) -> HttpResponse:
    if not can_search_people(request.user):
        raise Http404
    query = request.GET.get("q", "").strip()
    page = Paginator(selectors.search(request.user, query), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    template = "people/_search_table.html" if request.htmx else "people/search.html"
    too_short = bool(query) and len(fold(query)) < selectors.SEARCH_MIN_LENGTH
    return render(request, template, {"query": query, "page": page, "too_short": too_short})


@login_required
def detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    person = person_for_user(request.user, pk)
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "positions": selectors.positions(person),
            "can_edit": can_edit_person(request.user, person),
            "show_private": can_see_private_details(request.user, person),
        },
    )


@login_required
def edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    person = person_for_editor(request.user, pk)
    scope = person.cell.parent if person.cell and person.cell.parent else person.cell or person.home_organization
    cells = org_selectors.cells_in_subtree(scope)
    form = PersonForm(request.POST or None, initial=PersonForm.initial_for(person), cells=cells)
    return handle_form(
        request,
        form,
        template="people/form.html",
        context={"person": person},
        write=lambda data: services.person_update(actor=request.user, person=person, **form.service_fields()),
        done=lambda p: (_("Đã lưu hồ sơ."), reverse("people:detail", args=[p.pk])),
    )


@login_required
def create(request: HtmxHttpRequest, org_pk: int) -> HttpResponse:
    """Register a new person in an organisation (a party member in one of its cells, or a resident)."""
    org = organization_for_registrar(request.user, org_pk)
    form = PersonForm(request.POST or None, cells=org_selectors.cells_in_subtree(org))
    return handle_form(
        request,
        form,
        template="people/form.html",
        context={"org": org},
        write=lambda data: services.person_create(actor=request.user, home_organization=org, **form.service_fields()),
        done=lambda p: (_("Đã thêm %(name)s.") % {"name": p.full_name}, reverse("people:detail", args=[p.pk])),
    )


@login_required
def history(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    person = person_for_editor(request.user, pk)
    return render(
        request,
        "audit/history.html",
        {
            "object": person,
            "back_url": reverse("people:detail", args=[pk]),
            "page": history_page(person, request.GET.get("page")),
        },
    )


@login_required
def member_list(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A paginated list of the party members in an organisation's subtree, with search."""
    org = organization_for_member_list(request.user, pk)
    query = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    page = Paginator(selectors.members(org, query, status), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "org": org,
        "page": page,
        "query": query,
        "status": status,
        "statuses": [
            (PartyStatus.FULL, PartyStatus.FULL.label),
            (PartyStatus.PROBATIONARY, PartyStatus.PROBATIONARY.label),
        ],
        "can_manage": can_manage_members(request.user, org),
    }
    if request.htmx and request.htmx.target == "member-table":
        return render(request, "people/_member_table.html", context)
    return render(request, "people/members.html", context)


def _assign_form(request: HtmxHttpRequest, org: Organization, data: QueryDict | None = None) -> PositionAssignForm:
    people = selectors.members(org)
    query = request.GET.get("q", "")
    shown = list(selectors.members(org, query)[:PERSON_CHOICES_SHOWN])
    return PositionAssignForm(
        data,
        people=people,
        shown_people=shown,
        bodies=org_selectors.bodies_of(org),
        initial={"body": request.GET.get("body")},
    )


@login_required
def position_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Give a person a post in this organisation (optionally in one of its bodies)."""
    org = organization_for_post_giver(request.user, pk)
    return handle_form(
        request,
        _assign_form(request, org, request.POST or None),
        template="people/position_add.html",
        context={"org": org, "query": request.GET.get("q", "")},
        write=lambda data: org_services.position_assign(actor=request.user, organization=org, **data),
        done=lambda position: (_("Đã giao chức vụ."), reverse("organizations:detail", args=[org.pk])),
    )
