"""The organizer's cascade page: the tree and the reach per generation, the same number
of queries at any depth, and lead trainers' names only within the organizer's reach."""

import pytest
from django.urls import reverse
from django.utils import translation

from cohorts.models import Cohort, Enrollment
from tests.cohorts.factories import CohortFactory, EnrollmentFactory
from tests.members.factories import MemberFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

COMPLETED = Enrollment.Status.COMPLETED


def _url(cohort) -> str:
    with translation.override("en"):
        return reverse("cohorts:cascade", kwargs={"slug": cohort.slug})


def _cascade(parent, lead, title, graduates=2):
    cohort = CohortFactory(
        title=title, kind=Cohort.Kind.CASCADE, parent=parent, status=Cohort.Status.COMPLETED
    )
    cohort.lead_trainers.set([lead])
    EnrollmentFactory.create_batch(graduates, cohort=cohort, status=COMPLETED)
    return cohort


def test_the_organizer_sees_the_tree_and_the_reach(client, organizer, organization):
    tot = CohortFactory(title="TOT Lubuklinggau", organizers=[organization], status="completed")
    rudi = MemberFactory(full_name="Rudi Hartono", organization=organization)
    EnrollmentFactory(cohort=tot, member=rudi, status=COMPLETED)
    EnrollmentFactory(cohort=tot, status=COMPLETED)
    first = _cascade(tot, rudi, "Cascade PUK Sinar", graduates=3)
    second_lead = first.enrollments.first().member
    _cascade(first, second_lead, "Cascade generasi 2", graduates=2)
    client.force_login(organizer)

    response = client.get(_url(tot))

    page = response.content.decode()
    assert response.status_code == 200
    for title in ("TOT Lubuklinggau", "Cascade PUK Sinar", "Cascade generasi 2"):
        assert title in page
    assert 'id="reach-total">7<' in page.replace("\n", "").replace(" ", "")
    assert "Rudi Hartono" in page
    generations = [g.members_reached for g, _width in response.context["generations"]]
    assert generations == [2, 3, 2]
    assert response.context["reach"].multiplier == 2.5


def test_a_partner_organizer_sees_a_joint_tot_but_not_names_outside_their_reach(
    client, organizer, organization
):
    partner = OrganizationFactory(short_name="KSBSI", parent=None)
    tot = CohortFactory(organizers=[organization, partner], status="completed")
    outside = MemberFactory(full_name="Dewi Lestari", organization=partner)
    EnrollmentFactory(cohort=tot, member=outside, status=COMPLETED)
    _cascade(tot, outside, "Cascade KSBSI")
    client.force_login(organizer)

    response = client.get(_url(tot))

    page = response.content.decode()
    assert "Cascade KSBSI" in page
    assert "Dewi Lestari" not in page
    assert "a trainer outside your organizations" in page


@pytest.mark.parametrize("depth", [2, 6])
def test_the_page_takes_the_same_queries_at_any_depth(
    client, organizer, organization, depth, django_assert_max_num_queries
):
    tot = parent = CohortFactory(organizers=[organization], status="completed")
    for level in range(depth):
        lead = MemberFactory(organization=organization)
        EnrollmentFactory(cohort=parent, member=lead, status=COMPLETED)
        parent = _cascade(parent, lead, f"Cascade {level}")
    client.force_login(organizer)

    # session, user, roles, cohort (+ organizers, lead trainers), the tree, its lead
    # trainers, who of them is in reach, the reach
    with django_assert_max_num_queries(11):
        response = client.get(_url(tot))

    assert response.status_code == 200
    assert len(response.context["generations"]) == depth + 1
