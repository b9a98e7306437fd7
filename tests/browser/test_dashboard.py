"""The organizer reads the cohort dashboard on a 360px phone: nothing runs off the side of
the screen, long names wrap, and the bars are drawn as wide as their share."""

import datetime as dt
from decimal import Decimal

import pytest

from cohorts.models import Cohort, Session
from tests.cohorts.factories import (
    AssessmentAttemptFactory,
    AttendanceFactory,
    CohortFactory,
    EnrollmentFactory,
    SessionFactory,
)
from tests.members.factories import (
    PASSWORD,
    OrganizationFactory,
    OrganizationRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

NAMES = [
    "Ni Luh Putu Ayu Kusumawardhani Pratiwi",
    "Andi Saputra",
    "Siti Nurhaliza",
    "Yohanes Wenda",
]
MARKS = ["present", "late", "absent", "excused"]


def _scene(organization) -> Cohort:
    cohort = CohortFactory(organizers=[organization], status=Cohort.Status.RUNNING)
    sessions = [
        SessionFactory(
            cohort=cohort,
            title=f"Sesi {number}: Strategi dialog sosial dan perundingan bersama",
            status=Session.Status.HELD,
            starts_at=dt.datetime(2026, 12, 14, 2 + 2 * number, tzinfo=dt.UTC),
        )
        for number in range(3)
    ]
    for index, name in enumerate(NAMES):
        seat = EnrollmentFactory(cohort=cohort, member__full_name=name)
        for number, session in enumerate(sessions):
            AttendanceFactory(
                enrollment=seat, session=session, status=MARKS[(index + number) % len(MARKS)]
            )
        AssessmentAttemptFactory(enrollment=seat, score_percent=Decimal(30 + 10 * index))
        AssessmentAttemptFactory(
            enrollment=seat, kind="post", score_percent=Decimal(60 + 10 * index), passed=True
        )
    return cohort


def test_the_dashboard_fits_a_360px_phone(site_url, browser, artifacts_dir):
    organization = OrganizationFactory()
    user = UserFactory()
    OrganizationRoleFactory(user=user, organization=organization, role="organizer")
    cohort = _scene(organization)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = context.new_page()
    page.goto(f"{site_url}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/dashboard/")

    page.goto(f"{site_url}/en/cohorts/{cohort.slug}/dashboard/")
    page.screenshot(path=str(artifacts_dir / "cohort-dashboard-360.png"), full_page=True)

    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    track = page.locator("#sessions-chart .dash-bar .bar-track").first.bounding_box()
    present = page.locator("#sessions-chart .dash-bar .bar-present").first.bounding_box()
    assert track["width"] > 250  # the bar takes the phone's width
    assert present["width"] == pytest.approx(track["width"] / 4, abs=1)  # 1 of 4 present
    assert page.locator("#participants-chart li").count() == len(NAMES)
    assert page.locator("#knowledge-chart li .bar-post").count() == len(NAMES)
    context.close()
