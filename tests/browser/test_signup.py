import re

import pytest
from django.core import mail

from tests.members.factories import PASSWORD

pytestmark = pytest.mark.browser

CONFIRM_PATH = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)")


def test_sign_up_verify_by_mailed_link_and_land_logged_in(site_url, page, artifacts_dir):
    page.goto(f"{site_url}/accounts/signup/")
    navbar_colour = page.locator("nav.navbar").evaluate(
        "element => getComputedStyle(element).backgroundColor"
    )
    assert navbar_colour == "rgb(220, 53, 69)", "Bootstrap did not load from static/"
    page.fill("input[name=email]", "aktivis@example.org")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("main form button[type=submit]").click()

    page.wait_for_url("**/accounts/confirm-email/")
    assert "Verifikasi Alamat E-mail Anda" in page.content()
    assert len(mail.outbox) == 1
    confirm_path = CONFIRM_PATH.search(mail.outbox[0].body).group(1)

    page.goto(f"{site_url}{confirm_path}")
    page.locator("main form button[type=submit]").click()

    page.wait_for_url("**/dashboard/")
    page.screenshot(path=str(artifacts_dir / "signup-verified-dashboard.png"), full_page=True)
    assert page.locator("h1").inner_text() == "Dasbor saya"
    page.locator(".navbar-toggler").click()
    assert page.get_by_role("link", name="Keluar").is_visible()
    assert page.get_by_role("link", name="aktivis@example.org").is_visible()
