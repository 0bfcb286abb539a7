"""Organisation pages: the tree, an organisation, its members, its history, and managing posts."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dongthuan.audit.selectors import history_page
from dongthuan.core.forms import handle_form
from dongthuan.core.http import HtmxHttpRequest
from dongthuan.organizations import pages, selectors, services
from dongthuan.organizations.forms import (
    OrganizationCreateForm,
    OrganizationForm,
    PositionChangeForm,
    PositionEndForm,
    TermNextForm,
)
from dongthuan.organizations.models import POSITION_ORDER, OrganizationKind, rank_of
from dongthuan.organizations.permissions import (
    body_for_user,
    can_manage_organization,
    can_use_tree,
    can_view_history,
    can_view_members,
    organization_for_manager,
    organization_for_user,
    position_for_manager,
    term_body_for_manager,
)
from dongthuan.rules import organization as org_rules


@login_required
def tree(request: HtmxHttpRequest) -> HttpResponse:
    """The organisation tree (children load on demand) with diacritic-insensitive search."""
    if not can_use_tree(request.user):
        raise Http404
    query = request.GET.get("q", "").strip()
    on = _as_of(request)
    roots = selectors.with_child_counts(selectors.visible_roots(request.user))
    if on is not None:
        roots = (
            selectors.roots_as_of(on) if request.user.is_superuser else selectors.visible_roots_as_of(request.user, on)
        )
    context = {
        "query": query,
        "on": on,
        "roots": roots,
        "results": selectors.search(request.user, query) if query else None,
    }
    if request.htmx and request.GET.get("partial") == "results":
        return render(request, "organizations/_search_results.html", context)
    return render(request, "organizations/tree.html", context)


@login_required
def tree_children(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    org = organization_for_user(request.user, pk)
    on = _as_of(request)
    nodes = selectors.children(org) if on is None else selectors.children_as_of(org, on)
    return render(request, "organizations/_tree_nodes.html", {"nodes": nodes, "on": on})


def _as_of(request: HtmxHttpRequest) -> dt.date | None:
    """The date of ``?on=dd/mm/yyyy`` (the tree as it stood then), or None for today's tree."""
    value = request.GET.get("on", "").strip()
    try:
        return dt.datetime.strptime(value, "%d/%m/%Y").date() if value else None  # noqa: DTZ007 - a date, no time
    except ValueError:
        return None


@login_required
def detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    org = organization_for_user(request.user, pk)
    child_page = Paginator(selectors.children(org), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "org": org,
        "ancestors": selectors.ancestors(org),
        "bodies": selectors.bodies_with_positions(org),
        "other_positions": selectors.positions_without_body(org),
        "terms": list(org.terms.all()),
        "child_page": child_page,
        "can_manage": can_manage_organization(request.user, org),
        "can_members": can_view_members(request.user, org),
        "can_history": can_view_history(request.user, org),
        "parent_history": selectors.parent_history(org),
    }
    context.update(pages.detail_context(request.user, org))  # the reorganisations (restructuring registers them)
    if org.kind == OrganizationKind.CELL:
        full = services.cell_full_member_count(org)
        context["full_members"] = full
        if not org_rules.cell_has_minimum_members(full):
            context["cell_warning"] = org_rules.cell_minimum_message(full)
    return render(request, "organizations/detail.html", context)


@login_required
def history(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    org = organization_for_user(request.user, pk)
    if not can_view_history(request.user, org):
        raise Http404
    return render(
        request,
        "audit/history.html",
        {
            "object": org,
            "back_url": org_url(org.pk),
            "page": history_page(
                org, request.GET.get("page"), related=[org.positions.all(), org.bodies.all(), org.terms.all()]
            ),
        },
    )


def org_url(pk: int) -> str:
    return reverse("organizations:detail", args=[pk])


@login_required
def edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    org = organization_for_manager(request.user, pk)
    return handle_form(
        request,
        OrganizationForm(request.POST or None, initial=OrganizationForm.initial_for(org)),
        template="organizations/edit.html",
        context={"org": org},
        write=lambda data: services.organization_update(actor=request.user, organization=org, **data),
        done=lambda o: (_("Đã lưu thông tin tổ chức."), org_url(o.pk)),
    )


@login_required
def child_create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Add an organisation under this one (a new cell, a department…). R-ORG-4 checks the levels."""
    parent = organization_for_manager(request.user, pk)
    initial = {"level": parent.level_id, "valid_from": timezone.localdate()}
    return handle_form(
        request,
        OrganizationCreateForm(request.POST or None, initial=initial),
        template="organizations/child_create.html",
        context={"org": parent},
        write=lambda data: services.organization_create(actor=request.user, parent=parent, **data),
        done=lambda child: (_("Đã thêm %(name)s.") % {"name": child.name}, org_url(child.pk)),
    )


@login_required
def body_history(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    body = body_for_user(request.user, pk)
    if not can_view_history(request.user, body.organization):
        raise Http404
    return render(
        request,
        "audit/history.html",
        {
            "object": body,
            "back_url": reverse("organizations:body", args=[pk]),
            "page": history_page(body, request.GET.get("page")),
        },
    )


@login_required
@require_POST
def activate(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    org = organization_for_manager(request.user, pk)
    try:
        services.organization_activate(actor=request.user, organization=org)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Tổ chức đã được đánh dấu đang hoạt động."))
    return redirect("organizations:detail", pk=org.pk)


@login_required
def position_end(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    position = position_for_manager(request.user, pk)
    return handle_form(
        request,
        PositionEndForm(request.POST or None),
        template="organizations/position_form.html",
        context={"position": position, "action": "end"},
        write=lambda data: services.position_end(actor=request.user, position=position, **data),
        done=lambda ended: (_("Đã kết thúc chức vụ."), org_url(ended.organization_id)),
    )


@login_required
def position_change(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    position = position_for_manager(request.user, pk)
    return handle_form(
        request,
        PositionChangeForm(request.POST or None, initial={"title": position.title}),
        template="organizations/position_form.html",
        context={"position": position, "action": "change"},
        write=lambda data: services.position_change(actor=request.user, position=position, **data),
        done=lambda new: (_("Đã chuyển chức vụ."), org_url(new.organization_id)),
    )


@login_required
def body_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    body = body_for_user(request.user, pk)
    positions = body.positions.select_related("person").order_by(rank_of("title", POSITION_ORDER), "person__sort_key")
    return render(
        request,
        "organizations/body_detail.html",
        {
            "body": body,
            "org": body.organization,
            "current": [p for p in positions if p.end is None],
            "former": [p for p in positions if p.end is not None],
            "can_manage": can_manage_organization(request.user, body.organization),
            "can_history": can_view_history(request.user, body.organization),
        },
    )


@login_required
def term_next(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Close the organisation's current term on the day its congress closed and open the next (from a body's page:
    the secretary, deputies and office of the organisation)."""
    body = term_body_for_manager(request.user, pk)
    current = body.organization.terms.filter(end__isnull=True).order_by("-start").first()
    return handle_form(
        request,
        TermNextForm(request.POST or None),
        template="organizations/term_next.html",
        context={"body": body, "org": body.organization, "current": current},
        write=lambda data: services.term_close_and_open(actor=request.user, organization=body.organization, **data),
        done=lambda term: (
            _("Đã kết thúc nhiệm kỳ trước và mở %(term)s từ ngày %(day)s.")
            % {"term": term, "day": term.start.strftime("%d/%m/%Y")},
            reverse("organizations:body", args=[body.pk]),
        ),
    )
