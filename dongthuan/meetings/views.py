"""Meeting pages: convene a meeting of a body; the meeting itself with attendance and the live quorum, agenda,
opinions and votes — members vote from their phones, the chair's screen shows turnout live and the result after
closing (htmx polling, no reloads)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dongthuan.core.forms import handle_form
from dongthuan.core.http import HtmxHttpRequest, file_response, file_stem
from dongthuan.meetings import selectors, services
from dongthuan.meetings.agenda import minutes_sections, stored_title
from dongthuan.meetings.ballots import ballots_pdf
from dongthuan.meetings.forms import (
    AttendanceForm,
    CandidateForm,
    ItemForm,
    MeetingForm,
    MinutesForm,
    OpinionForm,
    PollCloseForm,
    PollForm,
    PollVoidForm,
    TallyForm,
    UnsealForm,
    VoteForm,
)
from dongthuan.meetings.minutes import minutes_document
from dongthuan.meetings.models import Choice, Confidence, MinutesStatus, Poll, PollKind, PollMethod, PollStatus
from dongthuan.meetings.permissions import (
    body_for_convener,
    body_for_meeting_list,
    can_convene,
    can_manage_meeting,
    can_tally,
    can_view_meeting,
    meeting_for_manager,
    meeting_for_user,
    poll_for_manager,
    poll_for_user,
    poll_for_voter,
)
from dongthuan.people.models import Person
from dongthuan.writer.official import to_docx, to_pdf


@login_required
def meeting_list(request: HtmxHttpRequest, body_pk: int) -> HttpResponse:
    body = body_for_meeting_list(request.user, body_pk)
    meetings = [m for m in selectors.meetings_of(body) if can_view_meeting(request.user, m)]
    can_manage = can_convene(request.user, body)
    return render(request, "meetings/list.html", {"body": body, "meetings": meetings, "can_manage": can_manage})


@login_required
def meeting_create(request: HtmxHttpRequest, body_pk: int) -> HttpResponse:
    body = body_for_convener(request.user, body_pk)
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
    context = selectors.meeting_page(meeting, _person(request), request.user)
    context["can_manage"] = can_manage_meeting(request.user, meeting)
    context["item_form"] = ItemForm(meeting=meeting, user=request.user)
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
    row = selectors.attendance_row(meeting, person_pk)
    if row is None:
        raise Http404
    form = AttendanceForm(request.POST)
    if _valid(request, form):
        status = form.cleaned_data["status"]
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
    form = ItemForm(request.POST, meeting=meeting, user=request.user)
    if form.is_valid():
        d = form.cleaned_data
        _run(
            request,
            lambda: services.item_add(
                actor=request.user, meeting=meeting, title=d["title"], kind=d["kind"], document=d["document"]
            ),
            _("Đã thêm nội dung."),
        )
    else:
        messages.error(request, _("Hãy ghi nội dung và chọn loại."))
    return redirect(meeting.get_absolute_url() + "#agenda")


def _valid(request: HtmxHttpRequest, form: forms.Form) -> bool:
    """Whether ``form`` is valid; if not, its messages are shown on the page the view goes back to."""
    if form.is_valid():
        return True
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, str(message))
    return False


def _one(person_id: int | None) -> list[int]:
    return [person_id] if person_id is not None else []


@login_required
@require_POST
def poll_add(request: HtmxHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = meeting_for_manager(request.user, pk)
    item = selectors.agenda_item(meeting, item_pk)
    if item is None:
        raise Http404
    form = PollForm(request.POST)
    if _valid(request, form):
        d = form.cleaned_data
        question = d["question"] or stored_title(item)  # as anyone at the meeting may read it
        tellers = selectors.attendees(meeting, d["tellers"])
        _run(
            request,
            lambda: services.poll_create(
                actor=request.user,
                item=item,
                question=question,
                kind=d["kind"],
                method=d["method"],
                seats=d["seats"],
                paper=d["paper"],
                tellers=tellers,
                cell_secretary=d["cell_secretary"],
                elects=d["elects"],
            ),
            _("Đã tạo cuộc biểu quyết."),
        )
    return redirect(meeting.get_absolute_url() + f"#item-{item.pk}")


@login_required
@require_POST
def opinion_add(request: HtmxHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """The meeting's secretary records an opinion stated on an item (R-DEC-2: reserved opinions are kept)."""
    meeting = meeting_for_manager(request.user, pk)
    item = selectors.agenda_item(meeting, item_pk)
    if item is None:
        raise Http404
    form = OpinionForm(request.POST)
    if _valid(request, form):
        d = form.cleaned_data
        people = selectors.attendees(meeting, _one(d["person"]))
        if not people or not d["text"]:
            messages.error(request, _("Hãy chọn người phát biểu và ghi ý kiến."))
        else:
            _run(
                request,
                lambda: services.opinion_add(
                    actor=request.user, item=item, person=people[0], text=d["text"], reserved=d["reserved"]
                ),
                _("Đã ghi ý kiến."),
            )
    return redirect(meeting.get_absolute_url() + f"#item-{item.pk}")


@login_required
@require_POST
def candidate_add(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    poll = poll_for_manager(request.user, pk)
    form = CandidateForm(request.POST)
    if _valid(request, form):
        d = form.cleaned_data
        people = selectors.attendees(poll.item.meeting, _one(d["person"]))
        if not people:
            messages.error(request, _("Hãy chọn một người dự hội nghị."))
        else:
            _run(
                request,
                lambda: services.candidate_add(
                    actor=request.user, poll=poll, person=people[0], write_in=d["write_in"], agree=d["agree"]
                ),
                _("Đã thêm vào danh sách."),
            )
    return redirect(poll.item.meeting.get_absolute_url() + f"#item-{poll.item_id}")


def _poll_step(request: HtmxHttpRequest, pk: int, step: Callable[[Poll], object], done: str) -> HttpResponse:
    """Open, close or start the next round of a poll (the office), then back to its item."""
    poll = poll_for_manager(request.user, pk)
    _run(request, lambda: step(poll), done)
    return redirect(poll.item.meeting.get_absolute_url() + f"#item-{poll.item_id}")


@login_required
@require_POST
def poll_open(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _poll_step(
        request, pk, lambda poll: services.poll_open(actor=request.user, poll=poll), _("Đã mở biểu quyết.")
    )


@login_required
@require_POST
def poll_runoff(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _poll_step(
        request, pk, lambda poll: services.poll_runoff(actor=request.user, poll=poll), _("Đã tạo vòng bầu lại.")
    )


@login_required
@require_POST
def poll_close(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    form = PollCloseForm(request.POST)
    confirm_few = form.is_valid() and bool(form.cleaned_data["confirm_few"])
    return _poll_step(
        request,
        pk,
        lambda poll: services.poll_close(actor=request.user, poll=poll, confirm_few=confirm_few),
        _("Đã kết thúc biểu quyết."),
    )


@login_required
@require_POST
def poll_void(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Annul a poll that cannot be finished (its tellers cannot unseal it), with the reason; the meeting may vote
    again."""
    form = PollVoidForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _poll_step(
        request,
        pk,
        lambda poll: services.poll_void(actor=request.user, poll=poll, reason=reason),
        _("Đã hủy cuộc bỏ phiếu; hội nghị có thể bỏ phiếu lại."),
    )


def _teller_poll(request: HtmxHttpRequest, pk: int) -> tuple[Poll, Person]:
    """A poll of a meeting the user sees, for one of its tellers; 404 for anyone else."""
    poll = poll_for_user(request.user, pk)
    person = _person(request)
    if person is None or not can_tally(request.user, poll):
        raise Http404
    return poll, person


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def seal_code(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A teller takes the code that unseals the count. It is shown on this page once and stored nowhere."""
    poll, person = _teller_poll(request, pk)
    try:
        code = services.teller_code_take(actor=request.user, poll=poll, teller=person)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(poll.item.meeting.get_absolute_url() + f"#item-{poll.item_id}")
    context = {"poll": poll, "meeting": poll.item.meeting, "code": code}
    return _no_store(render(request, "meetings/seal_code.html", context))


@login_required
def unseal(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A teller enters their code to unseal their share of the count; the count is made when enough have."""
    poll, person = _teller_poll(request, pk)
    errors: list[str] = []
    if request.method == "POST":
        form = UnsealForm(request.POST)
        code = form.cleaned_data["code"] if form.is_valid() else ""
        try:
            services.poll_unseal(actor=request.user, poll=poll, teller=person, code=code)
        except ValidationError as error:
            errors = error.messages
        else:
            poll.refresh_from_db()
            if poll.status == PollStatus.CLOSED:
                messages.success(request, _("Đã mở niêm phong và kiểm xong phiếu."))
            else:
                messages.success(request, _("Đã mở phần niêm phong của đồng chí; chờ người kiểm phiếu khác."))
            return redirect(poll.item.meeting.get_absolute_url() + f"#item-{poll.item_id}")
    context = {"poll": poll, "meeting": poll.item.meeting, "errors": errors}
    return _no_store(render(request, "meetings/unseal.html", context, status=400 if errors else 200))


@login_required
def bulletin(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The sealed box of a secret electronic poll, for anyone at the meeting to check its count (JSON), once
    voting has ended."""
    poll = poll_for_user(request.user, pk)
    if poll.kind != PollKind.SECRET or poll.paper or poll.status not in (PollStatus.COUNTING, PollStatus.CLOSED):
        raise Http404
    body = json.dumps(selectors.seal_bulletin(poll), ensure_ascii=False, indent=1).encode()
    return file_response(body, "json", file_stem(f"kiem tra {poll.question}"))


@login_required
@require_POST
def vote(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    person = _person(request)
    poll = poll_for_voter(request.user, pk)  # one query: the poll, its meeting and body, if the person is invited
    form = VoteForm(request.POST)
    form.is_valid()  # every field takes what was sent: the service checks the ballot
    choice = form.cleaned_data["choice"]
    selection: Any = form.cleaned_data["candidate"]
    if poll.method == PollMethod.CONFIDENCE:
        selection = form.cleaned_data["levels"]
    # The answer is rendered in place (no redirect, no message kept in a session): a secret vote's receipt is
    # shown to the voter and stored nowhere with their name.
    try:
        receipt = services.vote_cast(actor=request.user, poll=poll, person=person, choice=choice, selection=selection)
    except ValidationError as error:
        answer: dict[str, Any] = {"ok": False, "messages_": error.messages}
    else:
        answer = {"ok": True, "messages_": [_("Đã ghi nhận phiếu của đồng chí.")], "receipt": receipt}
    if request.htmx:  # from the phone's page: a small answer in place of the ballot, no reload
        return _no_store(HttpResponse(render_to_string("meetings/_vote_result.html", answer)))
    answer.update({"poll": poll, "meeting": poll.item.meeting})
    return _no_store(render(request, "meetings/vote_done.html", answer, status=200 if answer["ok"] else 400))


@login_required
@require_POST
def meeting_close(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_manager(request.user, pk)
    _run(request, lambda: services.meeting_close(actor=request.user, meeting=meeting), _("Hội nghị đã kết thúc."))
    return redirect(meeting.get_absolute_url())


@login_required
def minutes(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The minutes: drafted from the record, edited section by section, signed and frozen; Word and PDF."""
    meeting = meeting_for_user(request.user, pk)
    can_manage = can_manage_meeting(request.user, meeting)
    record = selectors.minutes_of(meeting)
    if request.method == "POST":
        if not can_manage:
            raise Http404
        form = MinutesForm(request.POST)
        form.is_valid()  # every field takes what was sent: the service checks the texts and the version
        action = form.cleaned_data["action"]
        if action == "generate":
            _run(
                request,
                lambda: services.minutes_generate(actor=request.user, meeting=meeting),
                _("Đã lập dự thảo biên bản từ diễn biến hội nghị."),
            )
        elif record is not None and action == "save":
            texts, version = form.cleaned_data["texts"], form.cleaned_data["version"]
            _run(
                request,
                lambda: services.minutes_save(actor=request.user, minutes=record, texts=texts, version=version),
                _("Đã lưu biên bản."),
            )
        elif record is not None and action == "sign":
            _run(
                request,
                lambda: services.minutes_sign(actor=request.user, minutes=record),
                _("Biên bản đã được ký và khóa."),
            )
        return redirect("meetings:minutes", pk=meeting.pk)
    if record is not None and record.status == MinutesStatus.DRAFT and not can_manage:
        record = None  # a draft is the office's until it is signed
    sections = minutes_sections(record, request.user) if record is not None else []
    context = {"meeting": meeting, "minutes": record, "sections": sections, "can_manage": can_manage}
    return render(request, "meetings/minutes.html", context)


@login_required
def minutes_export(request: HtmxHttpRequest, pk: int, fmt: str) -> HttpResponse:
    meeting = meeting_for_user(request.user, pk)
    record = selectors.minutes_to_export(meeting)
    if fmt not in ("docx", "pdf") or record is None:
        raise Http404
    if record.status == MinutesStatus.DRAFT and not can_manage_meeting(request.user, meeting):
        raise Http404
    document = minutes_document(record, request.user)
    try:
        body = to_docx(document) if fmt == "docx" else to_pdf(document)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("meetings:minutes", pk=meeting.pk)
    return file_response(body, fmt, file_stem(f"bien ban {meeting.title} {meeting.starts_at:%Y%m%d}"))


@login_required
def ballots(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Paper ballots to print: one for each serving member of the body."""
    poll = poll_for_manager(request.user, pk)
    if not poll.paper:
        raise Http404
    meeting = poll.item.meeting
    copies = poll.serving or len(selectors.serving_member_ids(meeting.body, selectors.meeting_day(meeting)))
    try:
        body = ballots_pdf(poll, copies)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(poll.item.meeting.get_absolute_url() + f"#item-{poll.item_id}")
    return file_response(body, "pdf", file_stem(f"phieu {poll.question}"))


@login_required
def tally(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A teller enters the count of a paper poll; when two tellers agree, the poll closes with that count."""
    poll = poll_for_user(request.user, pk)
    person = _person(request)
    if person is None or not can_tally(request.user, poll):
        raise Http404
    candidates = selectors.tally_candidates(poll)
    counts: dict[str, Any] = {}
    differences: list[str] = []
    errors: list[str] = []
    if request.method == "POST":
        form = TallyForm(request.POST)
        form.is_valid()  # the fields are the poll's own: the service checks the counts
        counts = form.cleaned_data["counts"]
        try:
            differences = services.tally_enter(actor=request.user, poll=poll, teller=person, counts=counts)
        except ValidationError as error:
            errors = error.messages
        else:
            poll.refresh_from_db()
            if poll.status == "closed":
                messages.success(request, _("Hai bản kiểm phiếu khớp nhau: đã có kết quả."))
                return redirect(poll.item.meeting.get_absolute_url() + f"#item-{poll.item_id}")
            if not differences:
                messages.success(request, _("Đã ghi số liệu kiểm phiếu; chờ người kiểm phiếu thứ hai."))
    mine = selectors.teller_tally(poll, person)
    context = {
        "poll": poll,
        "meeting": poll.item.meeting,
        "candidates": candidates,
        "values": counts or (mine.counts if mine else {}),
        "differences": differences,
        "errors": errors,
        "levels": Confidence.choices,
        "choices": Choice.choices,
    }
    return render(request, "meetings/tally.html", context)
