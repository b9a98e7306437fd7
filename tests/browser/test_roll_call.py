"""A trainer takes the roll call on a phone: three taps and a note are saved in the
background (the page does not reload), the counts follow, and a reload shows them saved."""

import pytest

from cohorts.models import Attendance, Cohort
from tests.cohorts.factories import CohortFactory, EnrollmentFactory, SessionFactory
from tests.members.factories import (
    PASSWORD,
    MemberFactory,
    OrganizationFactory,
    OrganizationRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


def _log_in(page, site_url: str, email: str) -> None:
    page.goto(f"{site_url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/dashboard/")


def _tap(page, seat, status: str) -> None:
    button = page.locator(f"#person-{seat.pk} .roll-mark button[value={status}]")
    button.click()
    page.locator(
        f"#person-{seat.pk} .roll-mark button[value={status}][aria-pressed=true]"
    ).wait_for()


def test_trainer_marks_three_people_reloads_and_sees_them_saved(site_url, page, artifacts_dir):
    organization = OrganizationFactory()
    user = UserFactory()
    OrganizationRoleFactory(user=user, organization=organization, role="trainer")
    cohort = CohortFactory(organizers=[organization], status=Cohort.Status.RUNNING)
    session = SessionFactory(
        cohort=cohort, trainers=[MemberFactory(user=user, organization=organization)]
    )
    names = ["Ni Luh Putu Ayu", "Andi Saputra", "Siti Nurhaliza", "Yohanes Wenda"]
    seats = [EnrollmentFactory(cohort=cohort, member__full_name=name) for name in names]
    andi, ayu, siti, yohanes = sorted(seats, key=lambda seat: seat.member.full_name)
    _log_in(page, site_url, user.email)

    page.goto(f"{site_url}/sessions/{session.pk}/roll-call/")
    page.evaluate("window.notReloaded = true")
    page.screenshot(path=str(artifacts_dir / "roll-call-0-empty.png"), full_page=True)
    _tap(page, andi, "present")
    _tap(page, siti, "late")
    _tap(page, ayu, "absent")
    _tap(page, ayu, "excused")
    page.fill(f"#note-{ayu.pk}", "Sakit, ada surat dokter")
    with page.expect_response(lambda response: "/roll-call/mark/" in response.url) as saved:
        page.locator(f"#person-{ayu.pk} .roll-note button").click()
    assert saved.value.ok
    page.screenshot(path=str(artifacts_dir / "roll-call-1-marked.png"), full_page=True)

    assert page.evaluate("window.notReloaded") is True
    assert page.locator('#roll-counts [data-count=""] .roll-count').inner_text() == "1"
    assert page.locator('#roll-counts [data-count="excused"] .roll-count').inner_text() == "1"
    marks = {a.enrollment_id: (a.status, a.note) for a in Attendance.objects.all()}
    assert marks == {
        andi.pk: ("present", ""),
        siti.pk: ("late", ""),
        ayu.pk: ("excused", "Sakit, ada surat dokter"),
    }

    page.reload()
    for seat, status in ((andi, "present"), (siti, "late"), (ayu, "excused")):
        pressed = page.locator(f"#person-{seat.pk} .roll-mark button[aria-pressed=true]")
        assert pressed.get_attribute("value") == status
    assert page.input_value(f"#note-{ayu.pk}") == "Sakit, ada surat dokter"
    assert page.locator(f"#person-{yohanes.pk} .roll-mark button[aria-pressed=true]").count() == 0
    page.screenshot(path=str(artifacts_dir / "roll-call-2-reloaded.png"), full_page=True)
