"""The session report: trainers and organizers write it as a draft and submit it (the
session becomes held); after that it reads only, until one of the cohort's organizers
reopens it with a note. Photos are served only here, after the same permission check."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from cohorts.forms.session_log import ReportPhotosForm, ReportReopenForm, SessionReportForm
from cohorts.models import Session, SessionReportPhoto
from cohorts.permissions import can_change_cohort
from cohorts.selectors.session_log import ReportPage, report_photo_get, session_report_page
from cohorts.services.session_reports import (
    session_report_photo_delete,
    session_report_photos_add,
    session_report_reopen,
    session_report_save,
    session_report_submit,
)
from cohorts.uploads import thumbnail_jpeg
from cohorts.views.sign_in_sheets import session_for_taker_or_404

SUBMIT = "submit"


def _back(session: Session, anchor: str = "") -> HttpResponse:
    response = redirect("cohorts:session_report", pk=session.pk)
    response["Location"] += f"#{anchor}" if anchor else ""
    return response


def _report_form(request: HttpRequest, page: ReportPage) -> SessionReportForm:
    report = page.report
    initial = {}
    if report is not None:
        initial = {
            "modules_covered": [module.pk for module in page.covered],
            "went_well": report.went_well,
            "challenges": report.challenges,
            "participant_questions": report.participant_questions,
            "follow_up_actions": report.follow_up_actions,
        }
    return SessionReportForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        modules=page.session.modules.order_by("position", "id"),
    )


def _save(request: HttpRequest, session: Session, form: SessionReportForm) -> bool:
    submitting = request.POST.get("action") == SUBMIT
    service = session_report_submit if submitting else session_report_save
    try:
        service(session=session, content=form.content(), by=request.user)
    except ValidationError as error:
        form.add_error(None, error.messages)
        return False
    if submitting:
        messages.success(request, _("The report was submitted; the session is marked as held."))
    else:
        messages.success(request, _("The draft was saved."))
    return True


@login_required
def session_report(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_for_taker_or_404(request, pk)
    page = session_report_page(session=session)
    form = _report_form(request, page) if page.is_writable else None
    if request.method == "POST":
        posted = form or _report_form(request, page)
        if posted.is_valid() and _save(request, session, posted):
            return _back(session)
        if form is None:
            # Read-only now: the service's reason (cancelled, submitted, closed) as a message.
            reasons = posted.non_field_errors() or [_("This report can no longer be changed.")]
            messages.error(request, " ".join(reasons))
            return _back(session)
    may_reopen = page.can_be_reopened and can_change_cohort(request.user, session.cohort)
    context = {
        "page": page,
        "session": session,
        "form": form,
        "photos_form": ReportPhotosForm() if page.is_writable else None,
        "reopen_form": ReportReopenForm() if may_reopen else None,
        "photo_limit": settings.SESSION_REPORT_MAX_PHOTOS,
    }
    return render(request, "cohorts/session_report.html", context)


@login_required
@require_POST
def session_report_photos(request: HttpRequest, pk: int) -> HttpResponse:
    session = session_for_taker_or_404(request, pk)
    form = ReportPhotosForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["photos"]))
        return _back(session, "photos")
    try:
        added = session_report_photos_add(
            session=session, files=form.cleaned_data["photos"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext("%(count)d photo added.", "%(count)d photos added.", len(added))
            % {"count": len(added)},
        )
    return _back(session, "photos")


def _photo_or_404(session: Session, pk: int) -> SessionReportPhoto:
    try:
        photo = report_photo_get(session=session, pk=pk)
    except SessionReportPhoto.DoesNotExist as missing:
        raise Http404 from missing
    photo.report.session = session
    return photo


@login_required
@require_GET
def session_report_photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    """The stored photo, or with ``?size=thumb`` a small copy for the report page."""
    session = session_for_taker_or_404(request, pk)
    photo = _photo_or_404(session, photo_pk)
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    if request.GET.get("size") == "thumb":
        with handle:
            response = HttpResponse(thumbnail_jpeg(handle), content_type="image/jpeg")
    else:
        response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def session_report_photo_remove(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    session = session_for_taker_or_404(request, pk)
    photo = _photo_or_404(session, photo_pk)
    try:
        session_report_photo_delete(photo=photo)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The photo was removed."))
    return _back(session, "photos")


@login_required
@require_POST
def session_report_reopen_page(request: HttpRequest, pk: int) -> HttpResponse:
    """For the cohort's organizers only; the session's trainers get a 404 here."""
    session = session_for_taker_or_404(request, pk)
    if not can_change_cohort(request.user, session.cohort):
        raise Http404
    form = ReportReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["note"]))
        return _back(session, "reopen")
    try:
        session_report_reopen(session=session, note=form.cleaned_data["note"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The report was reopened; the session is scheduled again."))
    return _back(session)
