"""A participant's place in the cascade on their "My trainings" page: the path with
generations and the lead trainers they met, the reach of their own cascades, no other
participant's name, and the same queries at any depth."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from cohorts.models import Enrollment
from tests.cohorts import cascade_scene
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def _page(client, member, cohort):
    member.user = member.user or UserFactory()
    member.save(update_fields=["user"])
    enrollment = Enrollment.objects.get(member=member, cohort=cohort)
    client.force_login(member.user)
    with translation.override("en"):
        url = reverse("cohorts:my_training", kwargs={"pk": enrollment.pk})
    return client.get(url)


def _text(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.fixture
def scene():
    return cascade_scene.build()


def test_a_graduate_sees_the_path_from_the_tot_and_what_their_cascade_reached(client, scene):
    response = _page(client, scene.people.Dedi, scene.x)

    page = _text(response)
    assert response.status_code == 200
    assert 'id="cascade-place"' in page
    assert 'TOT KSPI-KSBSI Lubuklinggau</a> <span class="text-muted"> (generation 0)' in page
    assert 'Pelatihan PUK X</a> <span class="text-muted"> (generation 1, you)' in page
    assert "Lead trainers: Tutor" in page  # the TOT's, who trained his trainer
    assert "Lead trainers: Ani" in page  # his own trainer
    assert "Through your cascades: <strong> 3 members reached </strong> in 1 training" in page
    assert "Pelatihan PUK W" in page  # his own cascade


def test_the_page_names_nobody_else_but_the_lead_trainers_on_the_path(client, scene):
    response = _page(client, scene.people.Dedi, scene.x)

    page = response.content.decode()
    section = page.split('id="cascade-place"')[1].split("</section>")[0]
    # his fellow participants, those his cascade reached, the TOT's other graduates
    # Whole words: a random CSRF token or static hash may well contain "Q1".
    for other in ("Gita", "P1", "P2", "Eka", "Q1", "Budi", "Citra", "Fajar", "Dedi"):
        assert not re.search(rf"\b{other}\b", section)
    for other in ("Gita", "Eka", "Q1", "Budi", "Citra", "Fajar"):
        assert not re.search(rf"\b{other}\b", page)
    assert "Tutor" in section
    assert "Ani" in section


def test_a_cancelled_own_cascade_reads_as_no_cascade_yet(client, scene):
    response = _page(client, scene.people.Eka, scene.w)

    page = _text(response)
    assert "(generation 2, you)" in page
    assert 'id="cascade-place-none"' in page
    assert "Pelatihan PUK V" not in page


def test_an_unfinished_registration_shows_no_place(client, scene):
    response = _page(client, scene.people.P3, scene.x)

    assert response.status_code == 200
    assert response.context["place"] is None
    assert 'id="cascade-place"' not in response.content.decode()


def test_another_member_s_completed_registration_stays_404(client, scene, participant):
    dedi = Enrollment.objects.get(member=scene.people.Dedi, cohort=scene.x)
    client.force_login(participant)

    response = client.get(reverse("cohorts:my_training", kwargs={"pk": dedi.pk}))

    assert response.status_code == 404


@pytest.mark.parametrize("depth", [2, 6])
def test_the_page_takes_the_same_queries_at_any_depth(client, depth, django_assert_max_num_queries):
    cohorts, leads = cascade_scene.chain(depth)
    member = leads[0]  # a TOT graduate with the whole chain below them
    member.user = UserFactory()
    member.save(update_fields=["user"])
    enrollment = Enrollment.objects.get(member=member, cohort=cohorts[0])
    client.force_login(member.user)

    # session + user (2), the enrollment with cohort, member and place in line (1), the
    # tests: assessment, session window, attempts (3), the place: walk up, lead trainers,
    # walk down (3), navbar: reach (1) + member record (1)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("cohorts:my_training", kwargs={"pk": enrollment.pk}))

    place = response.context["place"]
    assert place.trainings == depth
    assert 'id="cascade-place"' in response.content.decode()
