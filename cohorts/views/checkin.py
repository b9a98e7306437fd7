"""Check-in at the door.

- The trainer's screen shows the session's changing QR and six digits (``checkin_code``);
  a small script fetches the next code before the old one stops working, and without the
  script the page reloads itself.
- A participant's camera opens ``checkin``: the page shows the session and a button (a
  link preview or prefetch must not check anyone in); the button checks them in.
  ``checkin_typed`` takes the six digits instead.
- A trainer scans participants' e-tickets (``checkin_scan``, camera and vendored jsQR)
  or types a ticket's code; ``checkin_scan_check`` answers each with a name and a result.

The screen and the scanner belong to the session's takers (its trainers and the cohort's
organizers): everyone else gets a 404, as on the roll call.
"""

from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cohorts.forms.checkin import CheckinCodeForm, TicketCodeForm
from cohorts.models import Attendance
from cohorts.ratelimits import checkin_rate_limited
from cohorts.selectors.checkin import (
    checkin_screen,
    enrollment_from_ticket_code,
    session_for_checkin_token,
)
from cohorts.services.checkin import (
    NOT_ON_THE_ROLL,
    CheckIn,
    CheckinError,
    attendance_self_check_in,
    attendance_self_check_in_by_code,
    attendance_ticket_check_in,
    self_check_in_enrollment,
)
from cohorts.views.attendance import _session_or_404, _wants_json


def _too_many() -> str:
    return _("Too many check-in attempts. Please wait a minute and try again.")


# --- the trainer's screen --------------------------------------------------------------------


@login_required
@require_GET
@never_cache
def checkin_code(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole page, or with ``?part=code`` only the part that changes (for the script)."""
    session = _session_or_404(request, pk)
    screen = checkin_screen(session=session, now=timezone.now())
    template = "cohorts/_checkin_code.html" if request.GET.get("part") == "code" else None
    with timezone.override(session.cohort.time_zone):
        return render(request, template or "cohorts/checkin_code.html", {"screen": screen})


# --- the participant -------------------------------------------------------------------------


def _refused(request: HttpRequest, refusal: CheckinError, template: str, **context):
    status = HTTPStatus.FORBIDDEN if refusal.code == NOT_ON_THE_ROLL else HTTPStatus.BAD_REQUEST
    context["refusal"] = " ".join(refusal.messages)
    return render(request, template, context, status=status)


def _checked_in(request: HttpRequest, check_in: CheckIn) -> HttpResponse:
    attendance = check_in.attendance
    with timezone.override(attendance.session.cohort.time_zone):
        return render(request, "cohorts/checkin.html", {"check_in": check_in})


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def checkin(request: HttpRequest, token: str) -> HttpResponse:
    now = timezone.now()
    if request.method == "POST" and checkin_rate_limited(request):
        return render(
            request,
            "cohorts/checkin.html",
            {"refusal": _too_many()},
            status=HTTPStatus.TOO_MANY_REQUESTS,
        )
    try:
        session = session_for_checkin_token(token=token, now=now)
        if request.method == "POST":
            return _checked_in(
                request, attendance_self_check_in(session=session, user=request.user, now=now)
            )
        enrollment = self_check_in_enrollment(session=session, user=request.user, now=now)
    except CheckinError as refusal:
        return _refused(request, refusal, "cohorts/checkin.html")
    existing = Attendance.objects.filter(session=session, enrollment=enrollment).first()
    context = {"session": session, "enrollment": enrollment, "existing": existing}
    with timezone.override(session.cohort.time_zone):
        return render(request, "cohorts/checkin.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@never_cache
def checkin_typed(request: HttpRequest) -> HttpResponse:
    """The six digits from the trainer's screen, for a phone that cannot scan."""
    form = CheckinCodeForm(request.POST if request.method == "POST" else None)
    template = "cohorts/checkin_typed.html"
    if request.method == "GET" or not form.is_valid():
        status = HTTPStatus.BAD_REQUEST if form.is_bound else HTTPStatus.OK
        return render(request, template, {"form": form}, status=status)
    if checkin_rate_limited(request):
        return render(
            request,
            template,
            {"form": form, "refusal": _too_many()},
            status=HTTPStatus.TOO_MANY_REQUESTS,
        )
    try:
        check_in = attendance_self_check_in_by_code(
            code=form.cleaned_data["code"], user=request.user, now=timezone.now()
        )
    except CheckinError as refusal:
        return _refused(request, refusal, template, form=form)
    return _checked_in(request, check_in)


# --- the trainer's ticket scanner ------------------------------------------------------------


@login_required
@require_GET
def checkin_scan(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session_or_404(request, pk)
    screen = checkin_screen(session=session, now=timezone.now())
    with timezone.override(session.cohort.time_zone):
        return render(
            request, "cohorts/checkin_scan.html", {"screen": screen, "form": TicketCodeForm()}
        )


def _scan_answer(request: HttpRequest, pk: int, *, ok: bool, message: str, **extra):
    if _wants_json(request):
        status = HTTPStatus.OK if ok else HTTPStatus.BAD_REQUEST
        return JsonResponse({"ok": ok, "message": message, **extra}, status=status)
    (messages.success if ok else messages.error)(request, message)
    return redirect("cohorts:checkin_scan", pk=pk)


def _scan_result(check_in: CheckIn) -> tuple[str, dict]:
    attendance = check_in.attendance
    name = check_in.enrollment.member.full_name
    values = {"name": name, "status": attendance.get_status_display()}
    if check_in.recorded:
        message = _("%(name)s: %(status)s.") % values
    else:
        message = _("%(name)s was already marked %(status)s; the mark was kept.") % values
    return message, {
        "name": name,
        "status": attendance.status,
        "recorded": check_in.recorded,
    }


@login_required
@require_POST
def checkin_scan_check(request: HttpRequest, pk: int) -> HttpResponse:
    """One scanned or typed ticket: JSON for the scanner's script, else a message."""
    session = _session_or_404(request, pk)
    form = TicketCodeForm(request.POST)
    enrollment = enrollment_from_ticket_code(form.cleaned_data["code"]) if form.is_valid() else None
    if enrollment is None:
        return _scan_answer(request, pk, ok=False, message=_("This ticket code is not valid."))
    try:
        check_in = attendance_ticket_check_in(
            session=session, enrollment=enrollment, by=request.user, now=timezone.now()
        )
    except CheckinError as refusal:
        message = " ".join(refusal.messages)
        return _scan_answer(
            request, pk, ok=False, message=message, name=enrollment.member.full_name
        )
    message, extra = _scan_result(check_in)
    return _scan_answer(request, pk, ok=True, message=message, **extra)
