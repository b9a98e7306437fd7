"""The trainer path (participant › co-facilitator › trainer) on a member's own profile
and on the organizer's member page: each step reached or not, with its evidence linked
when that training's page is public; the same queries whatever the member's history."""

import pytest
from django.urls import reverse
from django.utils import translation

from cohorts.models import Session
from tests.cohorts import cascade_scene
from tests.cohorts.factories import SessionFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    return cascade_scene.build()


def _url(name, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def _log_in_as(client, member):
    member.user = UserFactory()
    member.save(update_fields=["user"])
    client.force_login(member.user)


def _step(page: str, stage: int) -> str:
    """The part of the page that shows one step, up to the next one."""
    after = page.split(f'id="progression-{stage}"')[1]
    return after.split('id="progression-')[0].split("</ol>")[0]


def _detail(cohort) -> str:
    return _url("cohorts:detail", slug=cohort.slug)


def test_a_co_facilitator_sees_two_steps_reached_on_their_profile(client, scene):
    _log_in_as(client, scene.people.Fajar)

    response = client.get(_url("members:profile"))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-stage="2"' in page
    assert 'class="progression-step is-reached"\n          id="progression-1"' in page
    assert 'class="progression-step is-reached"\n          id="progression-2"' in page
    assert 'class="progression-step"\n          id="progression-3"' in page
    participant_step, co_facilitator_step = _step(page, 1), _step(page, 2)
    assert f'<a href="{_detail(scene.tot)}">{scene.tot.title}</a>' in participant_step
    assert f'<a href="{_detail(scene.x)}">{scene.x.title}</a>' in co_facilitator_step
    assert "1 held session" in co_facilitator_step


def test_a_draft_cascade_is_no_evidence_and_the_trainer_step_stays_open(client, scene):
    _log_in_as(client, scene.people.Budi)

    page = client.get(_url("members:profile")).content.decode()

    assert 'data-stage="1"' in page
    assert scene.y.title not in page
    assert 'class="progression-step"\n          id="progression-3"' in page


def test_a_training_whose_page_is_not_public_is_named_without_a_link(client, scene):
    _log_in_as(client, scene.people.P6)  # completed the cancelled cascade Z

    page = client.get(_url("members:profile")).content.decode()

    assert scene.z.title in _step(page, 1)
    assert _detail(scene.z) not in page


def test_the_organizer_sees_a_trainer_s_path_with_the_cascade_they_led(
    client, scene, organizer, organization
):
    ani = scene.people.Ani
    ani.organization = organization
    ani.save(update_fields=["organization"])
    client.force_login(organizer)

    response = client.get(_url("members:member_detail", pk=ani.pk))

    page = response.content.decode()
    assert 'data-stage="3"' in page
    trainer_step = _step(page, 3)
    assert f'<a href="{_detail(scene.x)}">{scene.x.title}</a>' in trainer_step
    assert "Completed" in trainer_step
    assert 'class="progression-step"\n          id="progression-2"' in page  # she led, not assisted


def test_someone_with_no_training_sees_three_open_steps(client, participant):
    client.force_login(participant)

    page = client.get(_url("members:profile")).content.decode()

    assert 'data-stage="0"' in page
    assert page.count('class="progression-step"\n') == 3


@pytest.mark.parametrize("depth", [2, 6])
def test_the_profile_takes_the_same_queries_whatever_the_history(
    client, depth, django_assert_max_num_queries
):
    cohorts, leads = cascade_scene.chain(depth)
    busy = leads[0]
    for training in cohorts[2:]:
        cascade_scene.graduate(training, busy)
        SessionFactory(cohort=training, status=Session.Status.HELD, trainers=[busy])
    _log_in_as(client, busy)

    # session + user (2), own member record (1), the form's regencies (1), trainer path:
    # completed, co-facilitated, led (3), navbar: reach (1) + member record (1)
    with django_assert_max_num_queries(9):
        response = client.get(_url("members:profile"))

    assert len(response.context["progression"].completed) == depth
