"""Check-in at the door, on phone-sized screens.

- The trainer's screen shows the QR and six digits and, without a reload, swaps them for
  the next code when the period ends (the period is shortened to a few seconds here).
- A participant without a camera types the six digits and is checked in.
- The trainer scans a participant's e-ticket with the camera: Chromium's fake camera plays
  a picture of the ticket's QR, the vendored jsQR reads it, the person shows up green.

Elements are found by ids and classes, not by their (translated) text."""

import datetime as dt
import io

import pytest
import segno
from django.utils import timezone
from PIL import Image

from cohorts.checkin_tokens import checkin_code_at
from cohorts.models import Attendance, Cohort
from cohorts.tickets import ticket_token_for
from tests.browser.conftest import CHROMIUM
from tests.cohorts.factories import CohortFactory, EnrollmentFactory, SessionFactory
from tests.members.factories import (
    PASSWORD,
    MemberFactory,
    OrganizationFactory,
    OrganizationRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _log_in(page, site_url: str, email: str) -> None:
    page.goto(f"{site_url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/dashboard/")


@pytest.fixture
def scene():
    """A running cohort with a session that started five minutes ago, its trainer, and
    Siti, a confirmed participant."""
    organization = OrganizationFactory()
    trainer = UserFactory()
    OrganizationRoleFactory(user=trainer, organization=organization, role="trainer")
    cohort = CohortFactory(
        organizers=[organization], status=Cohort.Status.RUNNING, starts_on=timezone.localdate()
    )
    starts_at = timezone.now() - dt.timedelta(minutes=5)
    session = SessionFactory(
        cohort=cohort,
        title="Dialog sosial",
        trainers=[MemberFactory(user=trainer, organization=organization)],
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
    )
    participant = UserFactory()
    siti = MemberFactory(user=participant, organization=organization, full_name="Siti Nurhaliza")
    seat = EnrollmentFactory(cohort=cohort, member=siti)
    return {"trainer": trainer, "participant": participant, "session": session, "seat": seat}


def test_the_screen_changes_its_code_without_a_reload(
    settings, site_url, page, scene, artifacts_dir
):
    settings.CHECKIN_QR_ROTATION_SECONDS = 4
    session = scene["session"]
    _log_in(page, site_url, scene["trainer"].email)

    page.goto(f"{site_url}/sessions/{session.pk}/check-in-code/")
    page.evaluate("window.notReloaded = true")
    first = page.locator("#checkin-short-code").inner_text()
    assert page.locator("#checkin-code svg.checkin-qr").is_visible()
    page.screenshot(path=str(artifacts_dir / "checkin-0-screen.png"), full_page=True)

    page.wait_for_function(
        "code => document.getElementById('checkin-short-code').innerText !== code",
        arg=first,
        timeout=15_000,
    )

    assert page.evaluate("window.notReloaded") is True
    assert page.locator("#checkin-code svg.checkin-qr").count() == 1


def test_a_participant_types_the_six_digits_and_is_checked_in(site_url, page, scene, artifacts_dir):
    session = scene["session"]
    _log_in(page, site_url, scene["participant"].email)

    page.goto(f"{site_url}/check-in/")
    code = checkin_code_at(session_id=session.pk, now=timezone.now()).short_code
    page.fill("#id_code", f"{code[:3]} {code[3:]}")
    page.screenshot(path=str(artifacts_dir / "checkin-1-typed.png"), full_page=True)
    page.locator("#checkin-confirm").click()

    result = page.locator("#checkin-result")
    result.wait_for()
    assert result.get_attribute("data-status") == "present"
    page.screenshot(path=str(artifacts_dir / "checkin-2-checked-in.png"), full_page=True)
    attendance = Attendance.objects.get()
    assert (attendance.enrollment, attendance.method) == (scene["seat"], "qr_self")


def _ticket_video(token: str, path) -> None:
    """A few seconds of a still picture of the ticket's QR, in the raw Y4M format Chromium's
    fake camera plays."""
    width, height = 640, 480
    qr = segno.make(token, error="m")
    picture = Image.new("RGB", (width, height), "white")
    png = io.BytesIO()
    qr.save(png, kind="png", scale=8, border=4)
    code = Image.open(png).convert("RGB")
    picture.paste(code, ((width - code.width) // 2, (height - code.height) // 2))
    y, cb, cr = picture.convert("YCbCr").split()
    half = (width // 2, height // 2)
    frame = y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()
    with path.open("wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(10):
            video.write(b"FRAME\n" + frame)


@pytest.fixture
def camera_page(browser, tmp_path, scene):
    video = tmp_path / "ticket.y4m"
    _ticket_video(ticket_token_for(scene["seat"]), video)
    with_camera = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    context = with_camera.new_context(viewport=PHONE, locale="id-ID")
    context.grant_permissions(["camera"])
    yield context.new_page()
    context.close()
    with_camera.close()


def test_the_trainer_scans_a_ticket_with_the_camera(site_url, camera_page, scene, artifacts_dir):
    page = camera_page
    session = scene["session"]
    _log_in(page, site_url, scene["trainer"].email)

    page.goto(f"{site_url}/sessions/{session.pk}/scan/")
    page.locator("#scan-start").click()

    result = page.locator("#scan-result.alert-success")
    result.wait_for(timeout=20_000)
    assert "Siti Nurhaliza" in result.inner_text()
    assert page.locator("#checkin-count b").inner_text() == "1"
    page.screenshot(path=str(artifacts_dir / "checkin-3-ticket-scanned.png"), full_page=True)
    page.wait_for_timeout(1500)  # the same ticket stays in view: it is not sent again
    attendance = Attendance.objects.get()
    assert (attendance.enrollment, attendance.method) == (scene["seat"], "ticket_scan")
    assert page.locator("#scan-result").get_attribute("class").count("alert-success") == 1
