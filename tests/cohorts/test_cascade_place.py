"""A member's place in the cascade tree, against the hand-built tree of
``tests.cohorts.cascade_scene`` (worked out in its docstring)."""

import pytest

from cohorts.selectors.cascade_place import cascade_place, cascade_places
from tests.cohorts import cascade_scene

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    return cascade_scene.build()


def _titles(path) -> list[tuple[str, int]]:
    return [(step.title, step.generation) for step in path]


def test_a_tot_graduate_sees_their_cascade_and_what_it_reached_below(scene):
    place = cascade_place(member=scene.people.Ani, cohort=scene.tot)

    assert (place.generation, place.completed, place.leads) == (0, True, False)
    assert _titles(place.path) == [("TOT KSPI-KSBSI Lubuklinggau", 0)]
    assert [c.title for c in place.own_cascades] == ["Pelatihan PUK X"]
    assert (place.trainings, place.members_reached) == (2, 6)
    x = place.own_cascades[0]
    assert (x.trainings, x.members_reached) == (2, 6)


def test_a_second_generation_graduate_sees_the_lineage_with_its_lead_trainers(scene):
    place = cascade_place(member=scene.people.Dedi, cohort=scene.x)

    assert place.generation == 1
    assert _titles(place.path) == [("TOT KSPI-KSBSI Lubuklinggau", 0), ("Pelatihan PUK X", 1)]
    assert [step.lead_trainers for step in place.path] == [["Tutor"], ["Ani"]]
    assert [c.title for c in place.own_cascades] == ["Pelatihan PUK W"]
    assert (place.trainings, place.members_reached) == (1, 3)


def test_a_cancelled_cascade_reaches_nobody_and_is_no_place(scene):
    eka = cascade_places(member=scene.people.Eka)

    assert [(p.cohort.title, p.generation) for p in eka] == [("Pelatihan PUK W", 2)]
    assert _titles(eka[0].path) == [
        ("TOT KSPI-KSBSI Lubuklinggau", 0),
        ("Pelatihan PUK X", 1),
        ("Pelatihan PUK W", 2),
    ]
    assert (eka[0].own_cascades, eka[0].trainings, eka[0].members_reached) == ([], 0, 0)
    citra = cascade_place(member=scene.people.Citra, cohort=scene.tot)
    assert (citra.own_cascades, citra.members_reached) == ([], 0)
    assert cascade_places(member=scene.people.P6) == []
    assert cascade_places(member=scene.people.R1) == []


def test_a_draft_cascade_is_a_training_that_has_reached_nobody_yet(scene):
    place = cascade_place(member=scene.people.Budi, cohort=scene.tot)

    assert [(c.title, c.status) for c in place.own_cascades] == [("Pelatihan PUK Y", "draft")]
    assert (place.trainings, place.members_reached) == (1, 0)


def test_a_lead_has_a_place_at_the_cascade_they_lead_too(scene):
    places = cascade_places(member=scene.people.Ani)

    assert [(p.cohort.title, p.generation, p.completed, p.leads) for p in places] == [
        ("TOT KSPI-KSBSI Lubuklinggau", 0, True, False),
        ("Pelatihan PUK X", 1, False, True),
    ]
    led = places[1]
    assert [c.title for c in led.own_cascades] == ["Pelatihan PUK X"]
    assert (led.trainings, led.members_reached) == (2, 6)


def test_a_member_who_did_not_complete_has_no_place(scene):
    assert cascade_place(member=scene.people.P3, cohort=scene.x) is None
    assert cascade_place(member=scene.people.Dedi, cohort=scene.tot) is None


@pytest.mark.parametrize("depth", [2, 6])
def test_the_places_take_the_same_queries_at_any_depth(depth, django_assert_max_num_queries):
    cohorts, leads = cascade_scene.chain(depth)
    middle = leads[0]  # completed the TOT, leads the first cascade: the whole chain below

    with django_assert_max_num_queries(3):  # the walk up; lead trainers; the walk down
        places = cascade_places(member=middle)
    with django_assert_max_num_queries(3):
        deepest = cascade_place(member=leads[-1], cohort=cohorts[-2])

    assert [p.generation for p in places] == [0, 1]
    assert places[0].trainings == depth
    assert places[0].members_reached == 3 * depth + (depth - 1)  # leads below graduated too
    assert [step.generation for step in deepest.path] == list(range(depth))


def test_no_place_is_one_query(django_assert_num_queries, participant):
    with django_assert_num_queries(1):
        assert cascade_places(member=participant.member) == []
