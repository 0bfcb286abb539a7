"""Meeting pages: convene a meeting of a body; the meeting itself with attendance and the live quorum, agenda,
opinions and votes — members vote from their phones, the chair's screen shows turnout live and the result after
closing (htmx polling, no reloads)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dongthuan.core.forms import BootstrapFormMixin, handle_form
from dongthuan.core.http import HtmxHttpRequest
from dongthuan.meetings import selectors, services
from dongthuan.meetings.models import ItemKind, MeetingKind, Poll
from dongthuan.people.models import Person
from dongthuan.permissions import (
    body_for_user,
    can_manage_meeting,
    can_manage_organization,
    can_view_meeting,
    meeting_for_manager,
    meeting_for_user,
)


class MeetingForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("Tên hội nghị"), max_length=255)
    kind = forms.ChoiceField(label=gettext_lazy("Loại"), choices=MeetingKind.choices)
    starts_at = forms.DateTimeField(
        label=gettext_lazy("Thời gian"),
        input_formats=["%d/%m/%Y %H:%M"],
        help_text=gettext_lazy("dd/mm/yyyy hh:mm, ví dụ 05/12/2026 08:00"),
    )
    place = forms.CharField(label=gettext_lazy("Địa điểm"), max_length=255, required=False)
    chair = forms.ModelChoiceField(label=gettext_lazy("Chủ trì"), queryset=Person.objects.none(), required=False)
    clerk = forms.ModelChoiceField(
        label=gettext_lazy("Thư ký hội nghị"), queryset=Person.objects.none(), required=False
    )
    guests = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Khách mời"),
        queryset=Person.objects.none(),
        required=False,
        help_text=gettext_lazy("Người giữ chức vụ trong tổ chức nhưng không thuộc cơ quan này."),
    )

    def __init__(self, *args: Any, body: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = selectors.people_of_organization(body.organization)
        for name in ("chair", "clerk", "guests"):
            cast(forms.ModelChoiceField, self.fields[name]).queryset = people


class ItemForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Nội dung"),
        max_length=255,
        widget=forms.TextInput(
            attrs={"placeholder": gettext_lazy("Nội dung mới"), "aria-label": gettext_lazy("Nội dung mới")}
        ),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Loại"),
        choices=ItemKind.choices,
        widget=forms.Select(attrs={"aria-label": gettext_lazy("Loại")}),
    )


@login_required
def meeting_list(request: HtmxHttpRequest, body_pk: int) -> HttpResponse:
    body = body_for_user(request.user, body_pk)
    meetings = [m for m in selectors.meetings_of(body) if can_view_meeting(request.user, m)]
    can_manage = can_manage_organization(request.user, body.organization)
    return render(request, "meetings/list.html", {"body": body, "meetings": meetings, "can_manage": can_manage})


@login_required
def meeting_create(request: HtmxHttpRequest, body_pk: int) -> HttpResponse:
    body = body_for_user(request.user, body_pk)
    if not can_manage_organization(request.user, body.organization):
        raise Http404
    form = MeetingForm(request.POST or None, body=body)
    return handle_form(
        request,
        form,
        template="meetings/form.html",
        context={"body": body},
        write=lambda d: services.meeting_create(
            actor=request.user,
            body=body,
            title=d["title"],
            kind=d["kind"],
            starts_at=d["starts_at"],
            place=d["place"],
            chair=d["chair"],
            clerk=d["clerk"],
            guests=list(d["guests"]),
        ),
        done=lambda m: (_("Đã triệu tập hội nghị."), m.get_absolute_url()),
    )


def _person(request: HtmxHttpRequest) -> Any:
    return getattr(request.user, "person", None)


@login_required
def meeting_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_user(request.user, pk)
    context = selectors.meeting_page(meeting, _person(request))
    context["can_manage"] = can_manage_meeting(request.user, meeting)
    context["item_form"] = ItemForm()
    if request.htmx and request.GET.get("part") == "live":
        return render(request, "meetings/_live.html", context)
    return render(request, "meetings/detail.html", context)


def _run(request: HtmxHttpRequest, write: Any, done: str) -> None:
    try:
        write()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if done:
            messages.success(request, done)


@login_required
@require_POST
def attendance(request: HtmxHttpRequest, pk: int, person_pk: int) -> HttpResponse:
    meeting = meeting_for_manager(request.user, pk)
    row = meeting.attendance.select_related("person").filter(person_id=person_pk).first()
    if row is None:
        raise Http404
    status = request.POST.get("status", "")
    _run(
        request,
        lambda: services.attendance_set(actor=request.user, meeting=meeting, person=row.person, status=status),
        "",
    )
    return redirect(meeting.get_absolute_url() + "#attendance")


@login_required
@require_POST
def item_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_manager(request.user, pk)
    form = ItemForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.item_add(
                actor=request.user, meeting=meeting, title=form.cleaned_data["title"], kind=form.cleaned_data["kind"]
            ),
            _("Đã thêm nội dung."),
        )
    else:
        messages.error(request, _("Hãy ghi nội dung và chọn loại."))
    return redirect(meeting.get_absolute_url() + "#agenda")


def _poll_for(request: HtmxHttpRequest, pk: int, manager: bool) -> Poll:
    poll = Poll.objects.select_related("item__meeting__body__organization").filter(pk=pk).first()
    if poll is None:
        raise Http404
    (meeting_for_manager if manager else meeting_for_user)(request.user, poll.item.meeting_id)
    return poll


@login_required
@require_POST
def poll_add(request: HtmxHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = meeting_for_manager(request.user, pk)
    item = meeting.items.filter(pk=item_pk).first()
    if item is None:
        raise Http404
    kind = request.POST.get("kind", "")
    question = request.POST.get("question", "").strip() or item.title
    method = request.POST.get("method", "choice")
    seats_text = request.POST.get("seats", "").strip()
    seats = int(seats_text) if seats_text.isdigit() else None
    _run(
        request,
        lambda: services.poll_create(
            actor=request.user, item=item, question=question, kind=kind, method=method, seats=seats
        ),
        _("Đã tạo cuộc biểu quyết."),
    )
    return redirect(meeting.get_absolute_url() + f"#item-{item.pk}")


@login_required
@require_POST
def candidate_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    poll = _poll_for(request, pk, manager=True)
    chosen = request.POST.get("person", "")
    person = Person.objects.filter(pk=int(chosen)).first() if chosen.isdigit() and len(chosen) <= 18 else None
    allowed = set(poll.item.meeting.attendance.values_list("person_id", flat=True))
    if person is None or person.pk not in allowed:
        messages.error(request, _("Hãy chọn một người dự hội nghị."))
    else:
        _run(
            request,
            lambda: services.candidate_add(actor=request.user, poll=poll, person=person),
            _("Đã thêm vào danh sách."),
        )
    return redirect(poll.item.meeting.get_absolute_url() + f"#item-{poll.item_id}")


def _poll_step(request: HtmxHttpRequest, pk: int, step: Any, done: str) -> HttpResponse:
    """Open, close or start the next round of a poll (the office), then back to its item."""
    poll = _poll_for(request, pk, manager=True)
    _run(request, lambda: step(actor=request.user, poll=poll), done)
    return redirect(poll.item.meeting.get_absolute_url() + f"#item-{poll.item_id}")


@login_required
@require_POST
def poll_open(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _poll_step(request, pk, services.poll_open, _("Đã mở biểu quyết."))


@login_required
@require_POST
def poll_runoff(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _poll_step(request, pk, services.poll_runoff, _("Đã tạo vòng bầu lại."))


@login_required
@require_POST
def poll_close(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _poll_step(request, pk, services.poll_close, _("Đã kết thúc biểu quyết."))


@login_required
@require_POST
def vote(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    poll = _poll_for(request, pk, manager=False)
    person = _person(request)
    if person is None:
        raise Http404
    choice = request.POST.get("choice", "")
    selection = request.POST.getlist("candidate")
    _run(
        request,
        lambda: services.vote_cast(actor=request.user, poll=poll, person=person, choice=choice, selection=selection),
        _("Đã ghi nhận phiếu của đồng chí."),
    )
    return redirect(poll.item.meeting.get_absolute_url() + f"#item-{poll.item_id}")
