"""Paper fallback and session report rows for the permission table in
tests/test_permissions.py (same shape).

All of it belongs to the session's trainers and the cohort's organizers (the trainer and
organizer roles here are both, for the same session). A session of another
organization's cohort answers 404 to all, and so do its stored files. Writes take POST
only; their refusals (and reopen being for organizers only) are in
tests/cohorts/test_session_reports.py and test_sign_in_sheets.py.
"""

from django.core.files.base import ContentFile

from cohorts.models import AttendanceSheet, SessionReport, SessionReportPhoto
from tests.cohorts.factories import CohortFactory, SessionFactory
from tests.cohorts.images import image_bytes
from tests.members.factories import MemberFactory, OrganizationFactory

LOGIN = "login"
TAKERS = {"anonymous": LOGIN, "participant": 404, "trainer": 200, "organizer": 200}
NOBODY = {"anonymous": LOGIN, "participant": 404, "trainer": 404, "organizer": 404}
POST_ONLY = {"anonymous": LOGIN, "participant": 405, "trainer": 405, "organizer": 405}

REPORTS_PERMISSIONS = [
    ("cohorts:sign_in_sheet", "log_session", TAKERS),
    ("cohorts:sign_in_sheet", "other_log_session", NOBODY),
    ("cohorts:attendance_sheets", "log_session", TAKERS),
    ("cohorts:attendance_sheets", "other_log_session", NOBODY),
    ("cohorts:attendance_sheet_file", "log_sheet", TAKERS),
    ("cohorts:attendance_sheet_file", "other_log_sheet", NOBODY),
    ("cohorts:attendance_sheet_delete", "log_sheet", POST_ONLY),
    ("cohorts:session_report", "log_session", TAKERS),
    ("cohorts:session_report", "other_log_session", NOBODY),
    ("cohorts:session_report_photos", "log_session", POST_ONLY),
    ("cohorts:session_report_photo", "log_photo", TAKERS),
    ("cohorts:session_report_photo", "other_log_photo", NOBODY),
    ("cohorts:session_report_photo_delete", "log_photo", POST_ONLY),
    ("cohorts:session_report_reopen", "log_session", POST_ONLY),
]
REPORTS_TARGETS = {
    "log_session",
    "other_log_session",
    "log_sheet",
    "other_log_sheet",
    "log_photo",
    "other_log_photo",
}


def _session(target: str, organization, request):
    if target.startswith("other_"):
        cohort = CohortFactory(organizers=[OrganizationFactory()])
        return SessionFactory(cohort=cohort, trainers=[MemberFactory()])
    trainer = MemberFactory(user=request.getfixturevalue("trainer"), organization=organization)
    return SessionFactory(cohort=CohortFactory(organizers=[organization]), trainers=[trainer])


def reports_kwargs(target: str, *, organization, request) -> dict:
    session = _session(target, organization, request)
    if target.endswith("session"):
        return {"pk": session.pk}
    settings = request.getfixturevalue("settings")
    settings.MEDIA_ROOT = request.getfixturevalue("tmp_path") / "media"
    if target.endswith("sheet"):
        sheet = AttendanceSheet(session=session)
        sheet.file.save("sheet.jpg", ContentFile(image_bytes()), save=True)
        return {"pk": session.pk, "sheet_pk": sheet.pk}
    photo = SessionReportPhoto(report=SessionReport.objects.create(session=session))
    photo.image.save("photo.jpg", ContentFile(image_bytes()), save=False)
    photo.width, photo.height = photo.image.width, photo.image.height
    photo.save()
    return {"pk": session.pk, "photo_pk": photo.pk}
