"""A participant takes the pre-test on a 360px-wide phone without any script: from "my
training" to the questions, one tap per answer on the whole row, send, the score. The page
never scrolls sideways. Screenshots go to test-artifacts/."""

import datetime as dt

import pytest
from django.utils import timezone

from cohorts.models import AssessmentAttempt
from tests.cohorts.assessments_scene import cohort_with_test, seat
from tests.members.factories import PASSWORD

pytestmark = pytest.mark.browser


def _log_in(page, site_url: str, email: str) -> None:
    page.goto(f"{site_url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/dashboard/")


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_participant_takes_the_pre_test_on_a_small_phone(site_url, browser, artifacts_dir):
    cohort = cohort_with_test(questions=8, pre_test_closes_at=timezone.now() + dt.timedelta(days=2))
    enrollment = seat(cohort)
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="id-ID", java_script_enabled=False
    )
    page = context.new_page()
    try:
        _log_in(page, site_url, enrollment.member.user.email)
        page.goto(f"{site_url}/en/trainings/{enrollment.pk}/")
        page.screenshot(path=str(artifacts_dir / "pre-test-0-my-training.png"), full_page=True)
        page.locator("#my-test-pre a.btn").click()
        page.wait_for_url(f"**/trainings/{enrollment.pk}/test/pre/")
        assert _fits_the_screen(page)
        questions = page.locator("#test-form fieldset")
        assert questions.count() == 8
        for number in range(8):
            # Tap the answer's text: the whole row is the radio's label.
            right_or_wrong = 0 if number < 6 else 1
            questions.nth(number).locator("label").nth(right_or_wrong).locator("span").click()
        page.screenshot(path=str(artifacts_dir / "pre-test-1-answered.png"), full_page=True)
        page.locator("#test-submit").click()
        page.wait_for_url(f"**/trainings/{enrollment.pk}/test/pre/1/")

        assert page.locator("#test-score").get_attribute("data-score") == "75.0"
        assert _fits_the_screen(page)
        page.screenshot(path=str(artifacts_dir / "pre-test-2-score.png"), full_page=True)
        attempt = AssessmentAttempt.objects.get()
        assert (attempt.kind, attempt.correct_count, attempt.question_count) == ("pre", 6, 8)
    finally:
        context.close()
