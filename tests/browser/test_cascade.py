"""A graduate makes their cascade plan on a phone and runs a cascade training from it,
landing on their new training's page; then an organizer of the TOT opens its cascade
tree and finds the new training there. Screenshots saved."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from cohorts.models import CascadePlan, Cohort, Enrollment
from members.models import Region
from tests.cohorts.factories import CohortFactory, EnrollmentFactory
from tests.members.factories import (
    PASSWORD,
    MemberFactory,
    OrganizationFactory,
    OrganizationRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


def _log_in(page, site_url: str, email: str) -> None:
    page.goto(f"{site_url}/en/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/dashboard/")


def _scene():
    kspi = OrganizationFactory(name="Konfederasi KSPI", short_name="KSPI", kind="confederation")
    puk = OrganizationFactory(
        name="PUK SPAI PT Sinar Lubuklinggau",
        short_name="PUK Sinar",
        kind="workplace",
        parent=kspi,
    )
    lubuklinggau = Region.objects.get(code="16.73")
    today = timezone.localdate()
    tot = CohortFactory(
        title="TOT Dialog Sosial Lubuklinggau",
        organizers=[kspi],
        region=lubuklinggau,
        status=Cohort.Status.COMPLETED,
        starts_on=today - dt.timedelta(days=20),
        ends_on=today - dt.timedelta(days=18),
    )
    graduate = MemberFactory(user=UserFactory(), organization=puk, full_name="Rudi Hartono")
    EnrollmentFactory(cohort=tot, member=graduate, status=Enrollment.Status.COMPLETED)
    organizer = UserFactory()
    OrganizationRoleFactory(user=organizer, organization=kspi, role="organizer")
    return tot, graduate, organizer


def _make_the_plan(page, site_url: str, tot: Cohort, artifacts_dir) -> None:
    page.goto(f"{site_url}/en/trainings/")
    card = page.locator(f"#cascade-{tot.slug}")
    page.screenshot(path=str(artifacts_dir / "cascade-plan-0-my-trainings.png"), full_page=True)
    card.get_by_role("link", name="Make your cascade plan").click()
    page.fill("#id_trainings_planned", "2")
    page.select_option("#id_target_organization", label="PUK Sinar · KSPI")
    page.select_option("#id_target_region", label="Kota Lubuklinggau, Sumatera Selatan")
    page.fill("#id_expected_participants", "40")
    page.fill("#id_due_on", (timezone.localdate() + dt.timedelta(days=90)).isoformat())
    page.fill("#id_note", "Dua pelatihan untuk anggota PUK di Lubuklinggau.")
    page.screenshot(path=str(artifacts_dir / "cascade-plan-1-form.png"), full_page=True)
    page.locator("#cascade-plan-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/trainings/(#[\w-]+)?$"))
    page.screenshot(path=str(artifacts_dir / "cascade-plan-2-saved.png"), full_page=True)


def _run_a_cascade(page, tot: Cohort, artifacts_dir) -> None:
    page.locator(f"#cascade-{tot.slug}").get_by_role("link", name="Run a cascade training").click()
    assert page.input_value("#id_title") == (
        "Cascade training: TOT Dialog Sosial Lubuklinggau — PUK Sinar"
    )
    assert page.input_value("#id_capacity") == "20"  # 40 participants in 2 trainings
    start = timezone.localdate() + dt.timedelta(days=21)
    page.fill("#id_starts_on", start.isoformat())
    page.fill("#id_ends_on", (start + dt.timedelta(days=1)).isoformat())
    page.fill("#id_venue_name", "Sekretariat PUK Sinar")
    page.screenshot(path=str(artifacts_dir / "cascade-start-0-form.png"), full_page=True)
    page.locator("#cascade-start-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/cohorts/[\w-]+/manage/$"))
    page.screenshot(path=str(artifacts_dir / "cascade-start-1-new-cohort.png"), full_page=True)


def test_a_graduate_runs_a_cascade_and_the_organizer_sees_it_in_the_tree(
    site_url, page, artifacts_dir
):
    tot, graduate, organizer = _scene()
    _log_in(page, site_url, graduate.user.email)

    _make_the_plan(page, site_url, tot, artifacts_dir)
    plan = CascadePlan.objects.get(member=graduate, cohort=tot)
    assert (plan.trainings_planned, plan.expected_participants) == (2, 40)
    assert plan.target_region.name == "Kota Lubuklinggau"
    assert "0 of 2" in page.locator(f"#cascade-{tot.slug}").inner_text()

    _run_a_cascade(page, tot, artifacts_dir)
    cascade = Cohort.objects.get(kind=Cohort.Kind.CASCADE)
    assert page.url.endswith(f"/cohorts/{cascade.slug}/manage/")
    assert "plan its sessions, then publish it" in page.locator("main").inner_text()
    assert (cascade.parent, cascade.cascade_plan, cascade.status) == (tot, plan, "draft")
    assert list(cascade.lead_trainers.all()) == [graduate]

    page.context.clear_cookies()
    _log_in(page, site_url, organizer.email)
    page.goto(f"{site_url}/en/cohorts/{tot.slug}/cascade/")
    node = page.locator(f"#cascade-node-{cascade.pk}")
    node.wait_for()
    assert "Generation 1" in node.inner_text()
    assert cascade.title in node.inner_text()
    assert "Rudi Hartono" in node.inner_text()
    page.screenshot(path=str(artifacts_dir / "cascade-tree-0-tree.png"), full_page=True)

    page.locator("#cascade-plans-link").click()
    page.wait_for_url(re.compile(r".*/cascade/plans/$"))
    row = page.locator(f"#cascade-plan-{plan.pk}")
    assert "Rudi Hartono" in row.inner_text()
    assert cascade.title in row.inner_text()
    page.screenshot(path=str(artifacts_dir / "cascade-tree-1-plans.png"), full_page=True)
