"""A graduate reads their place in the cascade and their trainer path on a 360px phone;
an organizer reads a trainer's path on a laptop, the three steps side by side."""

import pytest

from cohorts.models import Enrollment
from tests.cohorts import cascade_scene
from tests.members.factories import PASSWORD, OrganizationRoleFactory, UserFactory

pytestmark = pytest.mark.browser


def _log_in(browser, site_url, user, width):
    context = browser.new_context(viewport={"width": width, "height": 740}, locale="id-ID")
    page = context.new_page()
    page.goto(f"{site_url}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/dashboard/")
    return context, page


def test_a_graduate_reads_their_place_and_path_on_a_phone(site_url, browser, artifacts_dir):
    scene = cascade_scene.build()
    dedi = scene.people.Dedi
    dedi.user = UserFactory()
    dedi.save(update_fields=["user"])
    enrollment = Enrollment.objects.get(member=dedi, cohort=scene.x)
    context, page = _log_in(browser, site_url, dedi.user, 360)

    page.goto(f"{site_url}/en/trainings/{enrollment.pk}/")
    page.screenshot(path=str(artifacts_dir / "cascade-place-360.png"), full_page=True)

    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    steps = page.locator("#cascade-place .cascade-path-step")
    assert steps.count() == 2
    assert "generation 1, you" in steps.nth(1).inner_text()
    assert "3 members reached" in page.locator("#cascade-place-reach").inner_text()

    page.goto(f"{site_url}/en/profile/")
    page.screenshot(path=str(artifacts_dir / "trainer-path-360.png"), full_page=True)

    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    boxes = [page.locator(f"#progression-{stage}").bounding_box() for stage in (1, 2, 3)]
    assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]  # one under the other on a phone
    context.close()


def test_an_organizer_reads_a_trainer_s_path_side_by_side(site_url, browser, artifacts_dir):
    scene = cascade_scene.build()
    ani = scene.people.Ani
    organizer = UserFactory()
    OrganizationRoleFactory(user=organizer, organization=ani.organization, role="organizer")
    context, page = _log_in(browser, site_url, organizer, 1200)

    page.goto(f"{site_url}/en/members/{ani.pk}/")
    page.screenshot(path=str(artifacts_dir / "trainer-path-member-page.png"), full_page=True)

    boxes = [page.locator(f"#progression-{stage}").bounding_box() for stage in (1, 2, 3)]
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]  # one line on a wide screen
    assert boxes[0]["y"] == boxes[2]["y"]
    assert page.locator("#progression-3 a").inner_text() == scene.x.title
    context.close()
