"""The paper fallback and the session report on a phone: a trainer uploads the photo of a
signed sheet, marks a person from it, then writes the report with a photo and submits it;
the session is held. Screenshots go to test-artifacts/."""

import datetime as dt

import pytest
from django.utils import timezone
from PIL import Image

from cohorts.models import Attendance, Cohort, Session, SessionReport
from tests.browser.test_roll_call import _log_in
from tests.cohorts.factories import CohortFactory, EnrollmentFactory, SessionFactory
from tests.curriculum.factories import DraftCurriculumFactory, ModuleFactory
from tests.members.factories import (
    MemberFactory,
    OrganizationFactory,
    OrganizationRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


def _photo(tmp_path, name: str) -> str:
    path = tmp_path / name
    Image.new("RGB", (1200, 900), (240, 240, 230)).save(path, "JPEG")
    return str(path)


def test_trainer_marks_from_the_sheet_and_submits_the_report(
    site_url, page, artifacts_dir, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    organization = OrganizationFactory()
    user = UserFactory()
    OrganizationRoleFactory(user=user, organization=organization, role="trainer")
    curriculum = DraftCurriculumFactory()
    module = ModuleFactory(curriculum=curriculum, title="Dialog sosial")
    cohort = CohortFactory(
        organizers=[organization],
        status=Cohort.Status.RUNNING,
        curriculum=curriculum,
        starts_on=timezone.localdate() - dt.timedelta(days=1),
    )
    session = SessionFactory(
        cohort=cohort,
        trainers=[MemberFactory(user=user, organization=organization)],
        modules=[module],
    )
    seats = [
        EnrollmentFactory(cohort=cohort, member__full_name=name)
        for name in ("Ni Luh Putu Ayu", "Andi Saputra")
    ]
    _log_in(page, site_url, user.email)

    page.goto(f"{site_url}/sessions/{session.pk}/sheets/")
    page.set_input_files("input[name=files]", _photo(tmp_path, "daftar-hadir.jpg"))
    page.locator("main form[enctype] button[type=submit]").click()
    page.locator("#sheet-list").wait_for()
    page.screenshot(path=str(artifacts_dir / "session-log-0-sheets.png"), full_page=True)

    page.goto(f"{site_url}/sessions/{session.pk}/roll-call/?from=sheet")
    page.locator("#signed-sheets img").wait_for()
    page.locator(f"#person-{seats[0].pk} .roll-mark button[value=present]").click()
    page.locator(
        f"#person-{seats[0].pk} .roll-mark button[value=present][aria-pressed=true]"
    ).wait_for()
    page.screenshot(path=str(artifacts_dir / "session-log-1-from-sheet.png"), full_page=True)
    assert Attendance.objects.get().method == Attendance.Method.PAPER

    page.goto(f"{site_url}/sessions/{session.pk}/report/")
    page.check(f"input[name=modules_covered][value='{module.pk}']")
    page.fill("textarea[name=went_well]", "Peserta aktif berdiskusi.")
    page.locator("button[name=action][value=save]").click()
    page.locator("#photos input[name=photos]").wait_for()
    page.set_input_files("#photos input[name=photos]", _photo(tmp_path, "kelas.jpg"))
    page.locator("#photos button[type=submit]").click()
    page.locator("#photos img.report-photo").wait_for()
    page.screenshot(path=str(artifacts_dir / "session-log-2-report-draft.png"), full_page=True)
    page.locator("button[name=action][value=submit]").click()
    page.locator("#report-text").wait_for()
    page.screenshot(path=str(artifacts_dir / "session-log-3-submitted.png"), full_page=True)

    report = SessionReport.objects.get()
    assert report.status == SessionReport.Status.SUBMITTED
    assert report.went_well == "Peserta aktif berdiskusi."
    assert list(report.modules_covered.all()) == [module]
    assert report.photos.count() == 1
    session.refresh_from_db()
    assert session.status == Session.Status.HELD
    assert page.locator("#photos img.report-photo").evaluate("img => img.naturalWidth") > 0
