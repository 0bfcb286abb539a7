from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone

from dongthuan.organizations import selectors as org_selectors
from dongthuan.organizations.roles import access_for
from dongthuan.people.selectors import own_record
from dongthuan.programs import selectors as program_selectors


def home(request: HttpRequest) -> HttpResponse:
    """The signed-in person's organisations and posts, and what needs their attention; visitors get the portal."""
    if not request.user.is_authenticated:
        return redirect("portal:home")
    access = access_for(request.user)
    person, positions = own_record(request.user)
    return render(
        request,
        "site/home.html",
        {
            "access": access,
            "person": person,
            "positions": positions,
            "roots": org_selectors.with_child_counts(org_selectors.visible_roots(request.user)),
            "attention": org_selectors.attention(request.user),
            "my_tasks": program_selectors.my_tasks(access.person_id),
            "late_in_reach": program_selectors.late_in_reach(access.officer_paths()),
            "soon": timezone.localdate() + dt.timedelta(days=settings.TASK_REMINDER_DAYS),
            "today": timezone.localdate(),
        },
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponseServerError(loader.get_template("500.html").render())
