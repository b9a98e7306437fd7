import os
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent
SOURCE_FOLDERS = ["tot_platform", "members", "curriculum", "cohorts", "templates"]


def test_home_is_in_indonesian_by_default_whatever_the_browser_asks(client):
    response = client.get("/", headers={"accept-language": "en-US,en;q=0.9"})

    page = response.content.decode()
    assert '<html lang="id">' in page
    assert "Pelatihan terbuka" in page
    assert "Open trainings" not in page


def test_switching_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.status_code == 302
    assert response["Location"] == "/en/"
    page = client.get(response["Location"]).content.decode()
    assert '<html lang="en">' in page
    assert "Open trainings" in page

    response = client.post("/en/i18n/setlang/", {"language": "id", "next": "/en/"})

    assert response["Location"] == "/"
    assert "Pelatihan terbuka" in client.get("/").content.decode()


def test_allauth_pages_follow_the_language(client):
    assert "Masuk" in client.get("/accounts/login/").content.decode()
    assert "Sign In" in client.get("/en/accounts/login/").content.decode()


def test_indonesian_catalogue_is_complete_and_compiled(tmp_path, settings, monkeypatch):
    """Re-extract every string into a copy of the catalogue: none may be left untranslated.

    makemessages writes into the nearest ``locale`` folder above each source file, so the
    sources are linked into a scratch folder that holds the copy; the real catalogue is
    never touched.
    """
    if not shutil.which("xgettext"):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI needs GNU gettext (xgettext) to check the catalogue")
        pytest.skip("GNU gettext is not installed")
    for source in SOURCE_FOLDERS:
        (tmp_path / source).symlink_to(BASE_DIR / source)
    shutil.copytree(BASE_DIR / "locale", tmp_path / "locale")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    real_catalogue = BASE_DIR / "locale/id/LC_MESSAGES/django.po"
    before = real_catalogue.read_bytes()

    call_command("makemessages", locale=["id"], symlinks=True, no_location=True, verbosity=0)

    assert real_catalogue.read_bytes() == before
    catalogue = polib.pofile(str(tmp_path / "locale/id/LC_MESSAGES/django.po"))
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    compiled = polib.mofile(str(BASE_DIR / "locale/id/LC_MESSAGES/django.mo"))
    assert {entry.msgid for entry in compiled} >= {
        entry.msgid for entry in catalogue.translated_entries()
    }, "run `make messages` to compile the catalogue"
