import pytest
from django.urls import reverse

from cohorts.models import Cohort
from tests.cohorts.factories import CohortFactory
from tests.members.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_home_lists_only_cohorts_open_for_registration(client):
    open_cohort = CohortFactory(title="Terbuka", status=Cohort.Status.OPEN)
    CohortFactory(title="Masih draf", status=Cohort.Status.DRAFT)
    CohortFactory(title="Sudah selesai", status=Cohort.Status.COMPLETED)

    response = client.get(reverse("cohorts:home"))

    assert list(response.context["cohorts"]) == [open_cohort]
    assert "Masih draf" not in response.content.decode()


def test_cohort_detail_shows_every_organizer(client):
    kspi = OrganizationFactory(short_name="KSPI", name="Konfederasi Serikat Pekerja Indonesia")
    ksbsi = OrganizationFactory(short_name="KSBSI", name="Konfederasi Serikat Buruh SI")
    cohort = CohortFactory(organizers=[kspi, ksbsi])

    page = client.get(reverse("cohorts:detail", kwargs={"slug": cohort.slug})).content.decode()

    assert "Konfederasi Serikat Pekerja Indonesia (KSPI)" in page
    assert "Konfederasi Serikat Buruh SI (KSBSI)" in page


def test_manage_lists_only_cohorts_of_the_organizers_organizations(client, organizer, organization):
    own = CohortFactory(title="Kohort sendiri", organizers=[organization])
    CohortFactory(title="Kohort organisasi lain", organizers=[OrganizationFactory()])
    client.force_login(organizer)

    response = client.get(reverse("cohorts:manage"))

    assert list(response.context["cohorts"]) == [own]
    assert "Kohort organisasi lain" not in response.content.decode()


def test_home_filters_open_cohorts_by_province(client):
    south_sumatra = CohortFactory(title="Di Sumatera Selatan", region__parent__code="16")
    CohortFactory(title="Di Sulawesi Selatan", region__parent__code="73")

    response = client.get(reverse("cohorts:home"), {"province": "16"})

    assert list(response.context["cohorts"]) == [south_sumatra]
    assert {province.code for province in response.context["provinces"]} == {"16", "73"}


def test_the_next_page_of_open_cohorts_keeps_the_province(client):
    for _ in range(21):
        CohortFactory(region__parent__code="16")

    page = client.get(reverse("cohorts:home"), {"province": "16"}).content.decode()

    assert 'href="?province=16&amp;page=2"' in page
