"""An organizer plans a TOT on a phone: create, plan from the curriculum, assign trainers,
meet a clash, fix it, publish."""

import re

import pytest

from cohorts.demo import DEMO_PASSWORD, demo_data_load
from cohorts.models import Cohort

pytestmark = pytest.mark.browser


def _log_in(page, site_url: str) -> None:
    page.goto(f"{site_url}/accounts/login/")
    page.fill("input[name=login]", "penyelenggara@example.org")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/dashboard/")


def _create_cohort(page, site_url: str, seed_tot: Cohort) -> None:
    page.goto(f"{site_url}/cohorts/new/")
    page.fill("#id_title", "TOT Dialog Sosial Palembang")
    page.select_option("#id_curriculum", str(seed_tot.curriculum_id))
    page.get_by_label("KSPI", exact=True).check()
    page.get_by_label("KSBSI", exact=True).check()
    page.select_option("#id_region", label="Kota Palembang, Sumatera Selatan")
    # The same days as the seed's TOT in Lubuklinggau, where both demo trainers teach.
    page.fill("#id_starts_on", seed_tot.starts_on.isoformat())
    page.fill("#id_ends_on", seed_tot.ends_on.isoformat())
    page.fill("#id_capacity", "25")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/cohorts/tot-dialog-sosial-palembang/manage/$"))


def _plan_sessions(page, artifacts_dir) -> None:
    page.get_by_role("link", name="Rencanakan sesi dari kurikulum").click()
    page.fill("#id_breaks", "12:00-13:00")
    page.locator("button[name=action][value=propose]").click()
    page.locator("button[name=action][value=save]").wait_for()
    page.screenshot(path=str(artifacts_dir / "scheduling-0-proposal.png"), full_page=True)
    page.locator("button[name=action][value=save]").click()
    page.wait_for_url(re.compile(r".*/manage/$"))


def _assign_trainer(page, session_title: str, trainer: str) -> None:
    page.locator(".list-group-item", has_text=session_title).get_by_role(
        "link", name="Ubah"
    ).click()
    page.locator("input[name=trainers]:checked").evaluate_all(
        "boxes => boxes.forEach(box => { box.checked = false; })"
    )
    page.get_by_label(re.compile(trainer)).check()
    page.locator("main form button[type=submit]").click()


def test_organizer_plans_assigns_meets_a_clash_fixes_it_and_publishes(
    site_url, page, artifacts_dir
):
    demo_data_load()
    seed_tot = Cohort.objects.get(slug="tot-dialog-sosial-lubuklinggau")
    _log_in(page, site_url)

    _create_cohort(page, site_url, seed_tot)
    _plan_sessions(page, artifacts_dir)
    cohort = Cohort.objects.get(slug="tot-dialog-sosial-palembang")
    assert cohort.sessions.count() == seed_tot.sessions.count()

    # In Lubuklinggau, Dewi Lestari opens the first day at the same hour.
    _assign_trainer(page, "Dialog sosial dalam hubungan industrial", "Dewi Lestari")
    clash = page.locator(".alert-danger, .invalid-feedback, .errorlist").first
    clash.wait_for()
    assert "Dewi Lestari" in clash.inner_text()
    assert "TOT KSPI–KSBSI Lubuklinggau" in clash.inner_text()
    page.screenshot(path=str(artifacts_dir / "scheduling-1-clash.png"), full_page=True)

    page.get_by_label(re.compile("Dewi Lestari")).uncheck()
    page.get_by_label(re.compile("Rudi Hartono")).check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/manage/$"))
    assert "Rudi Hartono" in page.locator(".list-group-item").first.inner_text()

    page.get_by_role("button", name="Terbitkan: buka pendaftaran").click()
    page.wait_for_url(re.compile(r".*/manage/$"))
    assert page.locator("#cohort-status").inner_text() == "Pendaftaran dibuka"
    page.screenshot(path=str(artifacts_dir / "scheduling-2-published.png"), full_page=True)
    cohort.refresh_from_db()
    assert cohort.status == Cohort.Status.OPEN
    assert cohort.sessions.filter(trainers__full_name="Rudi Hartono").count() == 1
