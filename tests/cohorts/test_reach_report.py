"""The reach report against the scene of tests/cohorts/reach_scene.py, worked out by hand.

Both TOTs, no filter
    Reached, each member once at the first generation (then the earliest end) that reached
    them, across both TOTs: generation 0 A, B, C, R1, R2 (5: C graduated from both TOTs,
    D did not complete, E cancelled); generation 1 P1, P2, P3 (first at X, which ends
    before Y), P5, S1, T1 (6: B is already counted; P6's Z was cancelled); generation 2
    Q1, Q2 (2: A is already counted). 13 in all, 8 by cascades for 5 TOT graduates:
    multiplier 1.6. Trainings per generation: 2 (TOT, TOT2), 4 (X, Y, V, U), 1 (W).
    Ran a cascade: A (X from 1 Feb: 22 days after 10 Jan; Y from 1 May comes later), B (Y:
    111 days), R1 (V from 9 May: 60 days after 10 Mar), C (U from 1 Oct: 205 days after
    TOT2; C's Z from TOT was cancelled) — 4 of 5 (R2 ran none). Median (60 + 111) / 2 =
    85.5 days, average 398 / 4 = 99.5; buckets ≤30: 1, 31–90: 1, 91–180: 1, >180: 1.
    Places — own region, else the region of the cohort where first reached:
        Sumatera Selatan 9: Kota Lubuklinggau 4 (B by TOT, P2 own, Q1 own, Q2 by W: 2 by
        training), Kota Palembang 4 (A own, P1 by X, P3 by X, S1 own: 2 by training),
        regency not known 1 (C, a province-level own region);
        DKI Jakarta 4: Jakarta Selatan 4 (R1 own, R2 by TOT2, P5 by Y, T1 by U: 3).
        7 placed by training in all.
    Organizations: KSPI 7 = FSPMI 5 (A, P1, Q1 via PUK Sinar; B, Q2) + FSP KEP 2 (P2, P3);
        KSBSI 5 = HUKATAN 3 (R1, R2, S1) + no federation 2 (C, T1); outside any
        confederation 1 = FSP Mandiri 1 (P5).
    Knowledge (registrations with both tests; best post): generation 0 A 40→80, B 50→60,
        D 30→50, R1 50→90: 4, pre 170/4 = 42.5, post 280/4 = 70.0, gain 27.5 (C has no
        post-test, E cancelled); generation 1 P1 40→60, P2 20→50, P3 at X 30→50, P3 at Y
        50→60: 4, pre 35.0, post 55.0, gain 20.0 (P4 has no pre-test); generation 2 Q1
        20→30: 1, pre 20.0, post 30.0, gain 10.0.

TOT only: generations 3, 4 (P1, P2, P3, P5), 2 — as cascade_reach counts; multiplier 2.0;
    ran a cascade A and B: 2 of 3.

Cohorts ending 1 March – 30 June 2025 (TOT2, Y, V, W; the walk passes through TOT and X)
    Generation 0 C, R1, R2 (3); generation 1 P3 and P5 (Y), S1 and B (V) (4: B's TOT is out
    of range); generation 2 Q1, Q2, A (3). 10 in all, multiplier 7/3. Ran a cascade: R1 and
    C (U runs in October, outside the range, but a graduate's cascade counts whenever it
    runs): 2 of 3. Trainings per generation 1, 2, 1. Knowledge: generation 0 R1 50→90;
    generation 1 P3 at Y 50→60; generation 2 Q1 20→30. Places: P3 is now first reached at Y,
    so Jakarta Selatan has R1, R2, P3, P5 (4, 3 by training); Kota Palembang S1, B (by V),
    A (3, 1 by training); Kota Lubuklinggau Q1, Q2 (2, 1); not known C (1).

Members of KSPI only (both TOTs): generation 0 A, B; 1 P1, P2, P3; 2 Q1, Q2 — 7, multiplier
    5/2 = 2.5; both graduates ran a cascade. Knowledge generation 0: A, B only (D is
    KSBSI): pre 45.0, post 70.0, gain 25.0. Trainings are not filtered: 2, 4, 1.
Members of FSPMI (with PUK Sinar): A, B; P1; Q1, Q2.

Trainer path of the 13 reached (both TOTs): trainers A (X, Y), B (Y), C (U; her Z was
    cancelled), P1 (W), R1 (V) — 5; nobody co-facilitated in the scene, so participants 8.
    With Q2 trainer of a held session of W (led by P1): co-facilitator 1, participants 7;
    with a scheduled (not held) one, nothing changes. KSPI only: A, B, P1 trainers; P2, P3,
    Q1, Q2 participants.
"""

import datetime as dt
from decimal import Decimal

import pytest

from cohorts.models import Cohort, Session
from cohorts.selectors.cascade import cascade_reach
from cohorts.selectors.reach_report import ReachFilters, reach_report, tots_in_reach
from members.models import Member
from tests.cohorts.factories import (
    AssessmentAttemptFactory,
    CohortFactory,
    EnrollmentFactory,
    SessionFactory,
)
from tests.cohorts.reach_scene import reach_scene
from tests.members.factories import OrganizationRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene():
    return reach_scene()


def _both(scene, filters=None):
    return reach_report(root_ids=[scene.tot.pk, scene.tot2.pk], filters=filters)


def _generations(report):
    return [(g.generation, g.cohorts, g.members_reached) for g in report.generations]


def _knowledge(report):
    return [
        (
            g.generation,
            g.knowledge.took_both,
            g.knowledge.average_pre,
            g.knowledge.average_post,
            g.knowledge.average_gain,
        )
        for g in report.generations
    ]


def _places(report):
    return [
        (p.name, p.members, p.by_training, [(r.name, r.members, r.by_training) for r in p.parts])
        for p in report.provinces
    ]


def _organizations(report):
    return [
        (c.short_name, c.members, [(f.short_name, f.members) for f in c.parts])
        for c in report.confederations
    ]


def test_two_tots_count_each_member_once_per_generation(scene):
    report = _both(scene)

    assert report.root_count == 2
    assert _generations(report) == [(0, 2, 5), (1, 4, 6), (2, 1, 2)]
    assert report.members_reached == 13
    assert report.tot_graduates == 5
    assert report.reached_by_cascades == 8
    assert report.multiplier == pytest.approx(1.6)


def test_the_share_who_ran_a_cascade_and_how_soon(scene):
    report = _both(scene)

    first = report.first_cascades
    assert report.graduates_who_cascaded == 4
    assert report.share_who_cascaded == pytest.approx(0.8)
    assert first.days == [22, 60, 111, 205]
    assert first.median_days == 85.5
    assert first.average_days == Decimal("99.5")
    assert [bucket.graduates for bucket in first.buckets] == [1, 1, 1, 1]


def test_places_use_the_members_region_else_the_training_where_they_were_reached(scene):
    report = _both(scene)

    assert _places(report) == [
        (
            "Sumatera Selatan",
            9,
            4,
            [("Kota Lubuklinggau", 4, 2), ("Kota Palembang", 4, 2), ("", 1, 0)],
        ),
        ("DKI Jakarta", 4, 3, [("Kota Administrasi Jakarta Selatan", 4, 3)]),
    ]
    assert report.provinces[0].parts[-1].region_id is None
    assert report.by_training_region == 7


def test_confederations_and_federations_walk_up_the_organization_tree(scene):
    report = _both(scene)

    assert _organizations(report) == [
        ("KSPI", 7, [("FSPMI", 5), ("FSP KEP", 2)]),
        ("KSBSI", 5, [("HUKATAN", 3), ("", 2)]),
        ("", 1, [("FSP Mandiri", 1)]),
    ]
    assert report.confederations[-1].organization_id is None
    assert report.confederations[1].parts[-1].organization_id is None


def test_knowledge_gain_per_generation(scene):
    report = _both(scene)

    assert _knowledge(report) == [
        (0, 4, Decimal("42.5"), Decimal("70.0"), Decimal("27.5")),
        (1, 4, Decimal("35.0"), Decimal("55.0"), Decimal("20.0")),
        (2, 1, Decimal("20.0"), Decimal("30.0"), Decimal("10.0")),
    ]


def test_one_tot_agrees_with_the_cascade_page(scene):
    report = reach_report(root_ids=[scene.tot.pk])
    reach = cascade_reach(root=scene.tot)

    assert _generations(report) == [(0, 1, 3), (1, 2, 4), (2, 1, 2)]
    assert [g.members_reached for g in report.generations] == [
        g.members_reached for g in reach.generations
    ]
    assert report.multiplier == reach.multiplier == 2.0
    assert report.graduates_who_cascaded == reach.graduates_who_cascaded == 2


def test_a_date_range_counts_cohorts_ending_in_it_and_still_walks_through_the_others(scene):
    report = _both(
        scene, ReachFilters(ends_from=dt.date(2025, 3, 1), ends_until=dt.date(2025, 6, 30))
    )

    assert _generations(report) == [(0, 1, 3), (1, 2, 4), (2, 1, 3)]
    assert report.members_reached == 10
    assert report.multiplier == pytest.approx(7 / 3)
    assert report.graduates_who_cascaded == 2
    assert report.first_cascades.days == [60, 205]
    assert [k[1:] for k in _knowledge(report)] == [
        (1, Decimal("50.0"), Decimal("90.0"), Decimal("40.0")),
        (1, Decimal("50.0"), Decimal("60.0"), Decimal("10.0")),
        (1, Decimal("20.0"), Decimal("30.0"), Decimal("10.0")),
    ]
    assert _places(report) == [
        (
            "Sumatera Selatan",
            6,
            2,
            [("Kota Palembang", 3, 1), ("Kota Lubuklinggau", 2, 1), ("", 1, 0)],
        ),
        ("DKI Jakarta", 4, 3, [("Kota Administrasi Jakarta Selatan", 4, 3)]),
    ]


def test_a_range_with_no_tot_has_no_multiplier(scene):
    report = _both(
        scene, ReachFilters(ends_from=dt.date(2025, 4, 1), ends_until=dt.date(2025, 6, 30))
    )

    # Y, V (generation 1: P3, P5, S1, B) and W (generation 2: Q1, Q2, A); no TOT ends then.
    assert _generations(report) == [(1, 2, 4), (2, 1, 3)]
    assert report.tot_graduates == 0
    assert report.multiplier is None
    assert report.share_who_cascaded is None


def test_an_organization_counts_only_members_of_its_subtree(scene):
    report = _both(scene, ReachFilters(organization=scene.organizations["KSPI"]))

    assert _generations(report) == [(0, 2, 2), (1, 4, 3), (2, 1, 2)]
    assert report.multiplier == 2.5
    assert report.share_who_cascaded == 1.0
    assert _knowledge(report)[0] == (0, 2, Decimal("45.0"), Decimal("70.0"), Decimal("25.0"))
    assert _organizations(report) == [("KSPI", 7, [("FSPMI", 5), ("FSP KEP", 2)])]


def test_a_federation_filter_takes_its_workplace_unions_along(scene):
    report = _both(scene, ReachFilters(organization=scene.organizations["FSPMI"]))

    assert [g.members_reached for g in report.generations] == [2, 1, 2]


def _path(report):
    counts = report.progression
    return (counts.members, counts.participants, counts.co_facilitators, counts.trainers)


def test_the_trainer_path_of_the_members_reached(scene):
    assert _path(_both(scene)) == (13, 8, 0, 5)
    assert _both(scene).progression.ever_led == 5
    assert _path(_both(scene, ReachFilters(organization=scene.organizations["KSPI"]))) == (
        7,
        4,
        0,
        3,
    )


def test_a_held_session_in_someone_elses_cascade_makes_a_co_facilitator(scene):
    q2 = Member.objects.get(full_name="Anggota Q2")
    SessionFactory(cohort=scene.cohorts["W"], status=Session.Status.SCHEDULED, trainers=[q2])
    assert _path(_both(scene)) == (13, 8, 0, 5)

    SessionFactory(cohort=scene.cohorts["W"], status=Session.Status.HELD, trainers=[q2])
    assert _path(_both(scene)) == (13, 7, 1, 5)


def test_no_roots_means_an_empty_report_without_queries(django_assert_num_queries):
    with django_assert_num_queries(0):
        report = reach_report(root_ids=[])

    assert report.is_empty
    assert report.multiplier is None


def test_the_roots_are_the_tots_organized_in_the_users_reach(scene):
    user = UserFactory()
    OrganizationRoleFactory(user=user, organization=scene.organizations["KSPI"])
    stranger = UserFactory()
    OrganizationRoleFactory(user=stranger, organization=scene.organizations["KSBSI"])

    assert set(tots_in_reach(user=user)) == {scene.tot, scene.tot2}
    assert not tots_in_reach(user=stranger).exists()


def _chain(depth: int, organization):
    """A TOT and ``depth`` cascades below one another, three graduates each with tests."""
    root = parent = CohortFactory(kind=Cohort.Kind.TOT, status=Cohort.Status.COMPLETED)
    for level in range(depth + 1):
        seats = EnrollmentFactory.create_batch(
            3, cohort=parent, status="completed", member__organization=organization
        )
        for seat in seats:
            AssessmentAttemptFactory(enrollment=seat, score_percent=Decimal(40))
            AssessmentAttemptFactory(enrollment=seat, kind="post", score_percent=Decimal(70))
        if level < depth:
            lead = seats[0].member
            parent = CohortFactory(
                kind=Cohort.Kind.CASCADE, parent=parent, status=Cohort.Status.COMPLETED
            )
            parent.lead_trainers.set([lead])
    return root


@pytest.mark.parametrize("depth", [2, 6])
def test_the_report_takes_five_queries_at_any_depth(depth, organization, django_assert_num_queries):
    root = _chain(depth, organization)
    filters = ReachFilters(ends_from=dt.date(2020, 1, 1), organization=organization)

    # generations with knowledge; places; organizations; first cascades; trainer path
    with django_assert_num_queries(5):
        report = reach_report(root_ids=[root.pk], filters=filters)

    assert len(report.generations) == depth + 1
    assert report.members_reached == 3 * (depth + 1)
    assert report.graduates_who_cascaded == 1
