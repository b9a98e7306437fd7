"""The paper fallback: print the sign-in sheet, keep photos or scans of the signed sheet,
then mark attendance from them on the roll call (``?from=sheet``).

Only the session's trainers and the cohort's organizers reach any of it; everyone else
gets a 404. Stored sheets are served only here, never from MEDIA_URL.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from cohorts.forms.session_log import AttendanceSheetForm
from cohorts.models import AttendanceSheet, Session
from cohorts.permissions import can_take_attendance
from cohorts.selectors.schedule import CalendarEvent
from cohorts.selectors.session_log import (
    attendance_sheet_get,
    attendance_sheets_of,
    session_for_log,
    sign_in_sheet,
)
from cohorts.services.attendance_sheets import attendance_sheet_delete, attendance_sheets_add
from cohorts.sign_in_sheets import sign_in_sheet_pdf


def session_for_taker_or_404(request: HttpRequest, pk: int) -> Session:
    try:
        session = session_for_log(pk=pk)
    except Session.DoesNotExist as missing:
        raise Http404 from missing
    if not can_take_attendance(request.user, session):
        raise Http404
    return session


def _sheet_or_404(session: Session, pk: int) -> AttendanceSheet:
    try:
        sheet = attendance_sheet_get(session=session, pk=pk)
    except AttendanceSheet.DoesNotExist as missing:
        raise Http404 from missing
    sheet.session = session
    return sheet


@login_required
@require_GET
def sign_in_sheet_download(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_for_taker_or_404(request, pk)
    sheet = sign_in_sheet(session=session)
    filename = f"sign-in-sheet-{session.cohort.slug}-{sheet.event.day:%Y-%m-%d}-{session.pk}.pdf"
    return HttpResponse(
        sign_in_sheet_pdf(sheet),
        content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@login_required
def attendance_sheets(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed sheets of a session, and the form that adds pages to them."""
    session = session_for_taker_or_404(request, pk)
    posted = request.method == "POST"
    form = AttendanceSheetForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            added = attendance_sheets_add(
                session=session,
                files=form.cleaned_data["files"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                ngettext("%(count)d file kept.", "%(count)d files kept.", len(added))
                % {"count": len(added)},
            )
            return redirect("cohorts:attendance_sheets", pk=session.pk)
    context = {
        "session": session,
        "event": CalendarEvent.of(session),
        "sheets": attendance_sheets_of(session=session),
        "form": form,
    }
    return render(request, "cohorts/attendance_sheets.html", context)


@login_required
@require_GET
def attendance_sheet_file(request: HttpRequest, pk: int, sheet_pk: int) -> FileResponse:
    """An image shows in the page; a PDF downloads (a viewer of its own opens it)."""
    session = session_for_taker_or_404(request, pk)
    sheet = _sheet_or_404(session, sheet_pk)
    try:
        handle = sheet.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    is_pdf = sheet.file.name.endswith(".pdf")
    response = FileResponse(
        handle,
        as_attachment=is_pdf,
        filename=f"sheet-{session.pk}-{sheet.pk}.{'pdf' if is_pdf else 'jpg'}",
        content_type="application/pdf" if is_pdf else "image/jpeg",
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def attendance_sheet_remove(request: HttpRequest, pk: int, sheet_pk: int) -> HttpResponse:
    session = session_for_taker_or_404(request, pk)
    sheet = _sheet_or_404(session, sheet_pk)
    try:
        attendance_sheet_delete(sheet=sheet)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The file was removed."))
    return redirect("cohorts:attendance_sheets", pk=session.pk)
