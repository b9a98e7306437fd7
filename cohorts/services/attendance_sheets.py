"""Signed paper sign-in sheets: photos or scans kept as the evidence behind paper marks.

A sheet can be added or removed while attendance may still be changed (the same rule as
the roll call). Photos are stored as resized JPEGs, PDFs as they came
(``cohorts.uploads``); several files make the pages of one session's sheet.
"""

from collections.abc import Sequence

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from cohorts.models import AttendanceSheet, Session
from cohorts.services.attendance import ensure_session_takes_attendance
from cohorts.uploads import sheet_from_upload

MAX_SHEETS_PER_SESSION = 20


def _sheet_contents(files: Sequence[File]) -> list[ContentFile]:
    contents = []
    for file in files:
        try:
            contents.append(sheet_from_upload(file))
        except ValidationError as error:
            raise ValidationError(
                _("“%(name)s”: %(problem)s") % {"name": file.name, "problem": error.messages[0]}
            ) from error
    return contents


@transaction.atomic
def attendance_sheets_add(
    *, session: Session, files: Sequence[File], by: AbstractBaseUser, note: str = ""
) -> list[AttendanceSheet]:
    """Keep the uploaded pages, all or none: one bad file refuses the whole upload."""
    if not files:
        raise ValidationError(_("Choose at least one photo or scan of the signed sheet."))
    Session.objects.select_for_update().filter(pk=session.pk).first()
    ensure_session_takes_attendance(session)
    already = session.attendance_sheets.count()
    if already + len(files) > MAX_SHEETS_PER_SESSION:
        raise ValidationError(
            _("A session holds at most %(limit)s sheet files; this one has %(count)s already.")
            % {"limit": MAX_SHEETS_PER_SESSION, "count": already}
        )
    sheets = []
    for content in _sheet_contents(files):
        sheet = AttendanceSheet(session=session, note=note.strip(), uploaded_by=by)
        sheet.file.save(content.name, content, save=False)
        sheet.save()
        sheets.append(sheet)
    return sheets


@transaction.atomic
def attendance_sheet_delete(*, sheet: AttendanceSheet) -> None:
    """The row goes now and the stored file once the deletion is committed."""
    ensure_session_takes_attendance(sheet.session)
    name, storage = sheet.file.name, sheet.file.storage
    sheet.delete()
    transaction.on_commit(lambda: storage.delete(name))
