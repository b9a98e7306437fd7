"""The trainer's roll call on a phone: one tap marks one person, saved at once.

With ``?from=sheet`` the same page shows the signed paper sheets beside the list and its
marks are saved as taken from the paper sheet (the ``method`` every form carries).

Every button is a real form: without the script a tap posts and comes back to the page;
with ``static/js/roll-call.js`` the same form is sent in the background (asking for JSON)
and the row shows what the server saved. Only the session's trainers and the cohort's
organizers reach any of it; everyone else gets a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from cohorts.forms.attendance import NOTE_MAX_LENGTH, RollCallMarkForm
from cohorts.models import Attendance, Session
from cohorts.permissions import can_take_attendance
from cohorts.selectors.attendance import roll_call as build_roll_call
from cohorts.selectors.attendance import session_for_roll_call
from cohorts.selectors.session_log import attendance_sheets_of
from cohorts.services.attendance import attendance_mark, attendance_mark_all_present

# One colour per status, in the order the buttons stand.
STATUS_COLOURS = {
    Attendance.Status.PRESENT: "success",
    Attendance.Status.LATE: "warning",
    Attendance.Status.ABSENT: "danger",
    Attendance.Status.EXCUSED: "secondary",
}


def _session_or_404(request: HttpRequest, pk: int) -> Session:
    try:
        session = session_for_roll_call(pk=pk)
    except Session.DoesNotExist as missing:
        raise Http404 from missing
    if not can_take_attendance(request.user, session):
        raise Http404
    return session


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


FROM_SHEET = "sheet"


def _method(request: HttpRequest) -> str:
    """Marks posted from the sheet view are paper marks; all others are a roll call."""
    if request.POST.get("method") == Attendance.Method.PAPER:
        return Attendance.Method.PAPER
    return Attendance.Method.ROLL_CALL


def _back(
    session: Session, enrollment_id: int | None = None, method: str = Attendance.Method.ROLL_CALL
) -> HttpResponse:
    url = reverse("cohorts:roll_call", kwargs={"pk": session.pk})
    if method == Attendance.Method.PAPER:
        url += f"?from={FROM_SHEET}"
    return redirect(f"{url}#person-{enrollment_id}" if enrollment_id else url)


@login_required
@require_GET
def roll_call(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(request, pk)
    from_sheet = request.GET.get("from") == FROM_SHEET
    context = {
        "roll_call": build_roll_call(session=session),
        "from_sheet": from_sheet,
        "method": Attendance.Method.PAPER if from_sheet else Attendance.Method.ROLL_CALL,
        "sheets": attendance_sheets_of(session=session) if from_sheet else [],
        "statuses": [
            (status.value, status.label, colour) for status, colour in STATUS_COLOURS.items()
        ],
        "note_max_length": NOTE_MAX_LENGTH,
    }
    return render(request, "cohorts/roll_call.html", context)


def _refuse(request: HttpRequest, session: Session, message: str, enrollment_id: int | None):
    if _wants_json(request):
        return JsonResponse({"error": message}, status=400)
    messages.error(request, message)
    return _back(session, enrollment_id, _method(request))


def _saved(request: HttpRequest, session: Session, attendance: Attendance) -> HttpResponse:
    """``attendance.method`` is what this request wrote, so the page it returns to matches."""
    if _wants_json(request):
        return JsonResponse(
            {
                "status": attendance.status,
                "saved_at": attendance.recorded_at.isoformat(),
                "note": attendance.note,
            }
        )
    return _back(session, attendance.enrollment_id, attendance.method)


@login_required
@require_POST
def roll_call_mark(request: HttpRequest, pk: int) -> HttpResponse:
    """One person's status (and, when the note field is sent, their note)."""
    session = _session_or_404(request, pk)
    form = RollCallMarkForm(request.POST)
    enrollment_id = request.POST.get("enrollment", "")
    enrollment_id = int(enrollment_id) if enrollment_id.isdigit() else None
    if not form.is_valid():
        message = next(iter(form.errors.values()))[0]
        return _refuse(request, session, message, enrollment_id)
    try:
        attendance = attendance_mark(
            session=session,
            enrollment=form.cleaned_data["enrollment"],
            status=form.cleaned_data["status"],
            by=request.user,
            method=_method(request),
            note=form.cleaned_data["note"] if "note" in request.POST else None,
        )
    except ValidationError as error:
        return _refuse(request, session, " ".join(error.messages), enrollment_id)
    return _saved(request, session, attendance)


@login_required
@require_POST
def roll_call_all_present(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone not yet marked becomes present; marks already given stay."""
    session = _session_or_404(request, pk)
    try:
        count = attendance_mark_all_present(
            session=session, by=request.user, method=_method(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext("%(count)d person marked present.", "%(count)d people marked present.", count)
            % {"count": count},
        )
    return _back(session, method=_method(request))
