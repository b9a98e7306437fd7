import os
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.test.testcases import LiveServerThread

from members.models import Region

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI needs Debian's chromium at /usr/bin/chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; the ORM work
    # of the test itself is still synchronous, so Django's async guard is lifted here.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    # A phone-sized screen: most participants register from a phone.
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def site_url(transactional_db):
    """A live server whose static files come through WhiteNoise, as in production.

    pytest-django's ``live_server`` serves static files with Django's finders, which do
    not know the hashed names of the manifest storage; here nothing intercepts them.
    """
    _restore_regions()
    server = LiveServerThread("localhost", static_handler=lambda application: application)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    yield f"http://localhost:{server.port}"
    server.terminate()


def _restore_regions() -> None:
    """An earlier transactional test's flush took the regions the migrations loaded (and
    pytest-django's serialized rollback did not bring them back for these tests): load
    them again, as the migration does, for the demo data."""
    if not Region.objects.exists():
        import_module("members.migrations.0003_load_regions").load_regions(apps, None)


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
