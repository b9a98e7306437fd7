"""An organizer reads the reach report on a phone, without any script: every TOT of their
confederation, then one TOT chosen in the filters. The page never scrolls sideways.
Screenshots go to test-artifacts/."""

import pytest

from tests.cohorts.reach_scene import reach_scene
from tests.members.factories import PASSWORD, OrganizationRoleFactory, UserFactory

pytestmark = pytest.mark.browser


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_organizer_reads_the_reach_report_on_a_phone(site_url, browser, artifacts_dir):
    scene = reach_scene()
    user = UserFactory()
    OrganizationRoleFactory(user=user, organization=scene.organizations["KSPI"])
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="id-ID", java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto(f"{site_url}/accounts/login/")
        page.fill("input[name=login]", user.email)
        page.fill("input[name=password]", PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/dashboard/")
        page.goto(f"{site_url}/en/cohorts/reach/")

        assert page.locator("#reach-total").inner_text() == "13"
        assert _fits_the_screen(page)
        page.screenshot(path=str(artifacts_dir / "reach-report-0-all.png"), full_page=True)
        page.locator("summary", has_text="Filters").click()
        page.select_option("select[name=tot]", scene.tot.slug)
        page.locator("#reach-filters button[type=submit]").click()
        page.wait_for_url(f"**/cohorts/reach/?tot={scene.tot.slug}*")

        assert page.locator("#reach-total").inner_text() == "9"
        assert _fits_the_screen(page)
        page.screenshot(path=str(artifacts_dir / "reach-report-1-one-tot.png"), full_page=True)
    finally:
        context.close()
