"""Reorganisation pages: the list of events, a form per kind with a preview before anything is written, an
event's page with its revert."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dongthuan.core.forms import add_service_errors
from dongthuan.core.http import HtmxHttpRequest
from dongthuan.restructuring import selectors, services
from dongthuan.restructuring.forms import FORMS, MoveForm
from dongthuan.restructuring.models import RestructuringKind
from dongthuan.restructuring.permissions import (
    can_list_restructurings,
    can_revert_restructuring,
    organization_for_restructuring,
    restructuring_for_user,
)


@login_required
def event_list(request: HtmxHttpRequest) -> HttpResponse:
    if not can_list_restructurings(request.user):
        raise Http404
    page = Paginator(selectors.visible_events(request.user), settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "restructuring/list.html", {"page": page})


@login_required
def start(request: HtmxHttpRequest, kind: str, org_pk: int) -> HttpResponse:
    """Fill in the operation, see exactly what it will do, then confirm: one transaction."""
    org = organization_for_restructuring(request.user, org_pk)
    form_class = FORMS.get(kind)
    if form_class is None:
        raise Http404
    extra = {"parents": selectors.move_targets(request.user, org)} if form_class is MoveForm else {}
    form = form_class(request.POST or None, org=org, **extra)
    sections = None
    if request.method == "POST" and form.is_valid():
        try:
            plan = form.plan_for(request.user)
            if form.cleaned_data["confirm"]:
                event = services.restructuring_apply(
                    actor=request.user,
                    plan=plan,
                    reason=form.cleaned_data["reason"],
                    legal_basis=form.cleaned_data["legal_basis"],
                )
                messages.success(request, _("Đã thực hiện: %(title)s.") % {"title": event.title})
                return redirect("restructuring:detail", pk=event.pk)
            sections = services.preview(plan)
        except ValidationError as error:
            add_service_errors(form, error)
    return render(
        request,
        "restructuring/form.html",
        {"org": org, "form": form, "kind": kind, "kind_label": RestructuringKind(kind).label, "sections": sections},
        status=400 if form.errors else 200,
    )


@login_required
def detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    event = restructuring_for_user(request.user, pk)
    return render(
        request,
        "restructuring/detail.html",
        {
            "event": event,
            "successions": event.successions.select_related("predecessor", "successor"),
            "organizations": event.organizations.order_by("depth", "search_name"),
            "blocked": services.can_revert(event),
            "can_revert": can_revert_restructuring(request.user, event),
        },
    )


@login_required
@require_POST
def revert(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    event = restructuring_for_user(request.user, pk)
    if not can_revert_restructuring(request.user, event):
        raise Http404
    try:
        services.restructuring_revert(actor=request.user, event=event)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã hoàn tác đợt sắp xếp."))
    return redirect("restructuring:detail", pk=event.pk)
