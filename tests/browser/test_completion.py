"""An organizer decides completion on a phone: the completion page of a finished cohort,
an override with a note for someone the rule left out, and the public verify page of the
certificate that override issued; screenshots saved."""

import datetime as dt

import pytest
from django.utils import timezone

from cohorts.models import Attendance, Certificate, Cohort, Enrollment
from cohorts.services.cohorts import cohort_transition
from tests.cohorts.factories import CohortFactory, EnrollmentFactory, SessionFactory
from tests.members.factories import (
    PASSWORD,
    OrganizationFactory,
    OrganizationRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


def _log_in(page, site_url: str, email: str) -> None:
    page.goto(f"{site_url}/en/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/dashboard/")


def test_organizer_overrides_a_decision_and_the_certificate_verifies(site_url, page, artifacts_dir):
    organization = OrganizationFactory()
    user = UserFactory()
    OrganizationRoleFactory(user=user, organization=organization, role="organizer")
    cohort = CohortFactory(
        organizers=[organization],
        status=Cohort.Status.RUNNING,
        starts_on=timezone.localdate() - dt.timedelta(days=5),
    )
    start = timezone.now() - dt.timedelta(days=4)
    sessions = [
        SessionFactory(
            cohort=cohort,
            status="held",
            starts_at=start + dt.timedelta(hours=2 * n),
            ends_at=start + dt.timedelta(hours=2 * n, minutes=90),
        )
        for n in range(4)
    ]
    names = ["Ni Luh Putu Ayu Ṣāliḥah Dewi", "Andi Saputra", "Yohanes Wenda"]
    ayu, andi, yohanes = (EnrollmentFactory(cohort=cohort, member__full_name=n) for n in names)
    for person, statuses in ((ayu, "PPPE"), (andi, "PLPA"), (yohanes, "PAAA")):
        for session, letter in zip(sessions, statuses, strict=True):
            status = {"P": "present", "L": "late", "A": "absent", "E": "excused"}[letter]
            Attendance.objects.create(
                enrollment=person, session=session, status=status, method="roll_call"
            )
    cohort_transition(cohort=cohort, to_status=Cohort.Status.COMPLETED, by=user)
    _log_in(page, site_url, user.email)

    page.goto(f"{site_url}/en/cohorts/{cohort.slug}/completion/")
    page.screenshot(path=str(artifacts_dir / "completion-0-decided.png"), full_page=True)
    row = page.locator(f"#person-{yohanes.pk}")
    assert row.get_attribute("data-status") == "incomplete"
    row.locator("summary", has_text="Change the decision").click()
    row.locator("input[value=completed]").check()
    row.locator("textarea[name=note]").fill("Sakit; tugas pengganti diserahkan.")
    row.locator("button", has_text="Save the decision").click()
    page.wait_for_load_state()
    page.screenshot(path=str(artifacts_dir / "completion-1-overridden.png"), full_page=True)

    assert page.locator(f"#person-{yohanes.pk}").get_attribute("data-status") == "completed"
    assert Enrollment.objects.get(pk=yohanes.pk).completion_reason == "overridden"
    certificate = Certificate.objects.get(enrollment=yohanes)
    page.context.clear_cookies()
    page.goto(f"{site_url}/en/verify/")
    page.fill("#verify-code", certificate.verification_code.lower())
    page.locator("main form button[type=submit]").click()
    page.locator("#verify-result").wait_for()
    page.screenshot(path=str(artifacts_dir / "certificate-verify-valid.png"), full_page=True)
    assert page.locator("#verify-result").get_attribute("data-valid") == "yes"
    assert "Yohanes Wenda" in page.locator("#verify-result").inner_text()
