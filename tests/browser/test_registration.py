"""Two new visitors register for the demo TOT on their phones as its last seat goes; each
is asked to check their e-mail, and opens the mailed link: the first is confirmed, the
second waits. The first cancels from "my trainings", and the second is confirmed at once.

Elements are found by ids, classes and URLs, not by their (translated) text."""

import re

import pytest
from django.core import mail

from cohorts.demo import demo_data_load
from cohorts.models import Cohort, Enrollment
from members.models import Organization, Region
from tests.members.factories import PASSWORD

pytestmark = pytest.mark.browser

CONFIRM_PATH = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)")
RESULT_URL = re.compile(r".*/trainings/(\d+)/$")
SENT_URL = re.compile(r".*/cohorts/[^/]+/register/sent/$")


@pytest.fixture
def second_page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    yield page
    context.close()


def _register(
    page, site_url: str, cohort: Cohort, *, email: str, name: str, phone: str, shot=None
) -> None:
    page.goto(f"{site_url}/cohorts/{cohort.slug}/")
    page.locator("#cohort-register-button").click()
    page.wait_for_url(f"**/cohorts/{cohort.slug}/register/")
    page.fill("#id_email", email)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.fill("#id_full_name", name)
    page.fill("#id_phone", phone)
    organization = Organization.objects.get(short_name="PUK Sinar Logam")
    page.select_option("#id_organization", str(organization.pk))
    page.select_option("#id_region", str(Region.objects.get(code="16.73").pk))
    page.fill("#id_motivation", "Agar bisa melatih kawan-kawan di PUK tentang dialog sosial.")
    page.fill("#id_workplace", "PT Sinar Logam")
    page.locator("#id_consent").check()
    if shot:
        page.screenshot(path=str(shot), full_page=True)
    page.locator("#registration-submit").click()
    page.wait_for_url(SENT_URL)
    assert page.locator("#registration-sent").is_visible()


def _result(page) -> tuple[str, str]:
    result = page.locator("#enrollment-result")
    position = result.locator(".waitlist-position")
    return result.get_attribute("data-status"), position.inner_text() if position.count() else ""


def _verify_email(page, site_url: str, email: str) -> int:
    """Open the mailed link: allauth logs them in and brings them to their registration."""
    message = next(m for m in mail.outbox if m.to == [email] and CONFIRM_PATH.search(m.body))
    page.goto(f"{site_url}{CONFIRM_PATH.search(message.body).group(1)}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(RESULT_URL)
    return int(RESULT_URL.match(page.url).group(1))


def test_last_seat_waiting_list_and_promotion_on_phones(site_url, page, second_page, artifacts_dir):
    demo_data_load()
    cohort = Cohort.objects.get(slug="tot-dialog-sosial-lubuklinggau")
    confirmed = cohort.enrollments.filter(status=Enrollment.Status.CONFIRMED).count()
    assert not cohort.enrollments.filter(status=Enrollment.Status.WAITLISTED).exists()
    Cohort.objects.filter(pk=cohort.pk).update(capacity=confirmed + 1)  # one seat left

    _register(
        page,
        site_url,
        cohort,
        email="ani@example.org",
        name="Ani Rahayu",
        phone="0812-9900-0001",
        shot=artifacts_dir / "registration-0-form.png",
    )
    page.screenshot(path=str(artifacts_dir / "registration-1-check-email.png"), full_page=True)
    _register(
        second_page,
        site_url,
        cohort,
        email="budi@example.org",
        name="Budi Santoso",
        phone="0812-9900-0002",
    )

    first = _verify_email(page, site_url, "ani@example.org")
    assert _result(page) == ("confirmed", "")
    page.screenshot(path=str(artifacts_dir / "registration-1-confirmed.png"), full_page=True)
    second = _verify_email(second_page, site_url, "budi@example.org")
    status, position = _result(second_page)
    assert status == "waitlisted"
    assert re.search(r"\b1\b", position)
    second_page.screenshot(
        path=str(artifacts_dir / "registration-2-waitlisted.png"), full_page=True
    )

    # The first fetches their ticket, then cancels.
    assert Enrollment.objects.get(pk=first).member.full_name == "Ani Rahayu"
    page.locator(".enrollment-ticket").click()
    page.locator("svg.ticket-qr").wait_for()
    page.screenshot(path=str(artifacts_dir / "registration-ticket.png"), full_page=True)
    page.goto(f"{site_url}/trainings/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"#enrollment-{first} .enrollment-cancel button").click()
    page.wait_for_url("**/trainings/")
    assert page.locator(f"#enrollment-{first} .enrollment-status").get_attribute("data-status") == (
        "cancelled"
    )

    second_page.reload()
    assert _result(second_page) == ("confirmed", "")
    second_page.screenshot(path=str(artifacts_dir / "registration-3-promoted.png"), full_page=True)
    assert Enrollment.objects.get(pk=second).status == Enrollment.Status.CONFIRMED
    cohort.refresh_from_db()
    seats = cohort.enrollments.filter(status=Enrollment.Status.CONFIRMED).count()
    assert seats == cohort.capacity
    promoted = [m for m in mail.outbox if m.to == ["budi@example.org"]]
    assert len(promoted) == 3  # confirm your e-mail, you are waiting, a seat is yours
