"""Trainer progression against the hand-built tree of ``tests.cohorts.cascade_scene``:
each member's stage and evidence, the counts at each stage in one query, and the same
queries whatever the history."""

import pytest

from cohorts.models import Enrollment, Session
from cohorts.selectors.progression import (
    Stage,
    member_progression,
    progression_counts,
    with_progression_flags,
)
from members.models import Member
from tests.cohorts import cascade_scene
from tests.cohorts.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    return cascade_scene.build()


EXPECTED_STAGES = {
    "Ani": Stage.TRAINER,
    "Dedi": Stage.TRAINER,
    "Fajar": Stage.CO_FACILITATOR,
    "Budi": Stage.PARTICIPANT,  # led a draft cascade: does not count yet
    "Citra": Stage.PARTICIPANT,  # led a cancelled cascade
    "Gita": Stage.PARTICIPANT,  # co-facilitated only in a cancelled cascade
    "Eka": Stage.PARTICIPANT,
    "P1": Stage.PARTICIPANT,
    "P6": Stage.PARTICIPANT,  # completed a cancelled cascade: still a completed registration
    "P3": Stage.NONE,  # did not complete
    "Hana": Stage.CO_FACILITATOR,  # helped in the TOT's held session (her cascade's: not held)
    "Tutor": Stage.TRAINER,  # led the TOT
}


@pytest.mark.parametrize(("name", "stage"), EXPECTED_STAGES.items())
def test_each_member_is_at_their_highest_stage(scene, name, stage):
    assert member_progression(member=getattr(scene.people, name)).stage == stage


def test_the_evidence_names_the_trainings_with_their_dates(scene):
    ani = member_progression(member=scene.people.Ani)
    fajar = member_progression(member=scene.people.Fajar)

    assert [(e.title, e.on) for e in ani.completed] == [(scene.tot.title, scene.tot.ends_on)]
    assert ani.co_facilitated == []  # she leads X, so her own sessions there are leading
    assert [(e.title, e.on) for e in ani.led] == [(scene.x.title, scene.x.starts_on)]
    assert [(e.title, e.sessions, e.on) for e in fajar.co_facilitated] == [
        (scene.x.title, 1, scene.x.starts_on)
    ]
    assert [(step.stage, step.reached) for step in fajar.steps] == [
        (Stage.PARTICIPANT, True),
        (Stage.CO_FACILITATOR, True),
        (Stage.TRAINER, False),
    ]


def test_a_lead_who_never_registered_is_a_trainer_without_the_lower_steps(scene):
    organizer_made_lead = cascade_scene.MemberFactory()
    cascade_scene.cohort("PUK U", parent=scene.x, lead=organizer_made_lead, status="running")

    progression = member_progression(member=organizer_made_lead)

    assert progression.stage == Stage.TRAINER
    assert [step.reached for step in progression.steps] == [False, False, True]


def test_the_counts_take_each_member_once_at_their_highest_stage(scene, django_assert_num_queries):
    ids = Member.objects.filter(full_name__in=EXPECTED_STAGES).values("pk")

    with django_assert_num_queries(1):
        counts = progression_counts(member_ids=ids)

    assert counts.members == 12
    assert (counts.none, counts.participants, counts.co_facilitators, counts.trainers) == (
        1,
        6,
        2,
        3,
    )
    assert (counts.ever_co_facilitated, counts.ever_led) == (2, 3)


def test_a_trainer_who_also_co_facilitated_counts_once_as_trainer_and_in_ever(scene):
    SessionFactory(cohort=scene.w, status=Session.Status.HELD, trainers=[scene.people.Ani])

    counts = progression_counts(member_ids=Member.objects.filter(full_name="Ani").values("pk"))

    assert (counts.trainers, counts.co_facilitators, counts.ever_co_facilitated) == (1, 0, 1)


def test_the_counts_take_a_subquery_of_a_training_s_graduates(scene):
    graduates = Enrollment.objects.filter(cohort=scene.tot, status="completed").values("member_id")

    counts = progression_counts(member_ids=graduates)

    # Ani trainer; Fajar co-facilitator; Budi and Citra participants
    assert (counts.members, counts.trainers, counts.co_facilitators, counts.participants) == (
        4,
        1,
        1,
        2,
    )


def test_the_flags_mark_each_step_on_a_list_of_members(scene):
    people = with_progression_flags(Member.objects.filter(full_name__in=["Fajar", "Budi"]))

    flags = {m.full_name: (m.has_completed, m.has_co_facilitated, m.has_led) for m in people}
    assert flags == {"Fajar": (True, True, False), "Budi": (True, False, False)}


@pytest.mark.parametrize("depth", [2, 6])
def test_a_member_s_progression_takes_the_same_queries_whatever_their_history(
    depth, django_assert_max_num_queries
):
    cohorts, leads = cascade_scene.chain(depth)
    busy = leads[0]
    for training in cohorts[2:]:  # completed, led and co-facilitated all the way down
        cascade_scene.graduate(training, busy)
        SessionFactory(cohort=training, status=Session.Status.HELD, trainers=[busy])

    with django_assert_max_num_queries(3):  # completed; co-facilitated; led
        progression = member_progression(member=busy)

    assert progression.stage == Stage.TRAINER
    assert len(progression.completed) == 1 + len(cohorts[2:])
    assert len(progression.co_facilitated) == depth - 1
