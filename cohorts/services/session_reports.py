"""The trainers' report of a session: written as a draft, submitted once, reopened only by
the cohort's organizers.

Submitting marks the session held (what completion and training hours count); reopening
puts it back to scheduled until the report is submitted again. Every write locks the
session row first, so two trainers saving at once cannot both submit or both add the last
photo. Who may call which service is the views' check (``cohorts.permissions``).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Cohort, Session, SessionReport, SessionReportPhoto
from cohorts.uploads import photo_from_upload
from curriculum.models import Module

_WRITABLE_COHORT = (Cohort.Status.OPEN, Cohort.Status.RUNNING)


@dataclass(frozen=True)
class ReportContent:
    modules_covered: Sequence[Module]
    went_well: str = ""
    challenges: str = ""
    participant_questions: str = ""
    follow_up_actions: str = ""


def _check_session(session: Session) -> None:
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("This session was cancelled; it gets no report."))
    if session.cohort.status not in _WRITABLE_COHORT:
        raise ValidationError(
            _("The training is “%(status)s”: its session reports can no longer be changed.")
            % {"status": session.cohort.get_status_display()}
        )


def _check_draft(report: SessionReport) -> None:
    if report.status == SessionReport.Status.SUBMITTED:
        raise ValidationError(
            _("This report was submitted. An organizer must reopen it before it can change.")
        )


def _locked_draft(session: Session) -> SessionReport:
    """The session's report (a new draft if it has none), with the session row locked for
    the rest of the transaction; refused unless it may still be written."""
    Session.objects.select_for_update().filter(pk=session.pk).first()
    _check_session(session)
    report, _created = SessionReport.objects.get_or_create(session=session)
    _check_draft(report)
    return report


def _checked_modules(session: Session, modules: Iterable[Module]) -> list[Module]:
    modules = list(modules)
    allowed = set(session.modules.values_list("pk", flat=True))
    if any(module.pk not in allowed for module in modules):
        raise ValidationError(_("Tick only modules planned for this session."))
    return modules


def _write(report: SessionReport, content: ReportContent, by: AbstractBaseUser) -> None:
    report.modules_covered.set(_checked_modules(report.session, content.modules_covered))
    report.went_well = content.went_well.strip()
    report.challenges = content.challenges.strip()
    report.participant_questions = content.participant_questions.strip()
    report.follow_up_actions = content.follow_up_actions.strip()
    report.written_by = by
    report.save()


@transaction.atomic
def session_report_save(
    *, session: Session, content: ReportContent, by: AbstractBaseUser
) -> SessionReport:
    """Keep the report as a draft: nothing is required yet, the session stays as it is."""
    report = _locked_draft(session)
    _write(report, content, by)
    return report


def _check_submittable(session: Session, content: ReportContent) -> None:
    if session.starts_at > timezone.now():
        raise ValidationError(
            _("This session has not started yet. Submit its report once it has taken place.")
        )
    if not content.modules_covered and not content.challenges.strip():
        raise ValidationError(
            _(
                "Tick the modules that were covered. If none was, explain why under "
                "“Challenges” before submitting."
            )
        )


@transaction.atomic
def session_report_submit(
    *, session: Session, content: ReportContent, by: AbstractBaseUser
) -> SessionReport:
    """Save and submit the report; the session becomes held in the same transaction."""
    report = _locked_draft(session)
    _check_submittable(session, content)
    _write(report, content, by)
    report.status = SessionReport.Status.SUBMITTED
    report.submitted_at = timezone.now()
    report.save(update_fields=["status", "submitted_at", "updated_at"])
    # Only the status: a held session is the same event to a calendar (no new SEQUENCE).
    Session.objects.filter(pk=session.pk).update(status=Session.Status.HELD)
    session.status = Session.Status.HELD
    return report


@transaction.atomic
def session_report_reopen(*, session: Session, note: str, by: AbstractBaseUser) -> SessionReport:
    """Back to a draft the trainers can change; the session is scheduled again until the
    report is resubmitted. For the cohort's organizers (the view checks)."""
    Session.objects.select_for_update().filter(pk=session.pk).first()
    if session.cohort.status not in _WRITABLE_COHORT:
        raise ValidationError(
            _("The training is “%(status)s”: its session reports can no longer be reopened.")
            % {"status": session.cohort.get_status_display()}
        )
    report = SessionReport.objects.filter(session=session).first()
    if report is None or report.status != SessionReport.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be reopened."))
    if not note.strip():
        raise ValidationError(_("Say why the report is reopened."))
    report.status = SessionReport.Status.DRAFT
    report.submitted_at = None
    report.reopened_by = by
    report.reopened_at = timezone.now()
    report.reopen_note = note.strip()
    report.save(
        update_fields=[
            "status",
            "submitted_at",
            "reopened_by",
            "reopened_at",
            "reopen_note",
            "updated_at",
        ]
    )
    Session.objects.filter(pk=session.pk, status=Session.Status.HELD).update(
        status=Session.Status.SCHEDULED
    )
    session.refresh_from_db(fields=["status"])
    return report


def _photo_contents(files: Sequence[File]) -> list[ContentFile]:
    contents = []
    for file in files:
        try:
            contents.append(photo_from_upload(file))
        except ValidationError as error:
            raise ValidationError(
                _("“%(name)s”: %(problem)s") % {"name": file.name, "problem": error.messages[0]}
            ) from error
    return contents


@transaction.atomic
def session_report_photos_add(
    *, session: Session, files: Sequence[File], by: AbstractBaseUser
) -> list[SessionReportPhoto]:
    """Resize and keep the photos, all or none: one bad file refuses the whole upload."""
    if not files:
        raise ValidationError(_("Choose at least one photo."))
    report = _locked_draft(session)
    limit = settings.SESSION_REPORT_MAX_PHOTOS
    already = report.photos.count()
    if already + len(files) > limit:
        raise ValidationError(
            _("A report holds at most %(limit)s photos; this one has %(count)s already.")
            % {"limit": limit, "count": already}
        )
    photos = []
    for content in _photo_contents(files):
        photo = SessionReportPhoto(report=report, uploaded_by=by)
        photo.image.save(content.name, content, save=False)
        # Django leaves width_field/height_field empty after FieldFile.save(): set them here.
        photo.width, photo.height = photo.image.width, photo.image.height
        photo.save()
        photos.append(photo)
    return photos


@transaction.atomic
def session_report_photo_delete(*, photo: SessionReportPhoto) -> None:
    """The row goes now and the stored file once the deletion is committed."""
    _locked_draft(photo.report.session)
    name, storage = photo.image.name, photo.image.storage
    photo.delete()
    transaction.on_commit(lambda: storage.delete(name))
