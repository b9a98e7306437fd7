"""The cascade tree and its reach against a small tree worked out by hand.

    TOT            graduates A, B, C; D did not complete; E cancelled
    ├─ X (lead A)  P1, P2, P3 and B completed; P4 did not complete
    │  └─ W (lead P1)  Q1, Q2 and A completed
    ├─ Y (lead B)  P3 (again) and P5 completed
    └─ Z (lead C)  cancelled cohort: P6 completed there, not counted

Reached, each member once at the first generation that reached them: generation 0 A, B, C
(3); generation 1 P1, P2, P3, P5 (4; B is already counted); generation 2 Q1, Q2 (2; A is
already counted). 9 in all; 6 by cascades for 3 TOT graduates: multiplier 2.0; A and B
ran a cascade that counts (C's was cancelled): 2 of 3."""

import pytest

from cohorts.models import Cohort, Enrollment
from cohorts.selectors.cascade import cascade_reach, cascade_tree
from tests.cohorts.factories import CohortFactory, EnrollmentFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db

COMPLETED, INCOMPLETE, CANCELLED = (
    Enrollment.Status.COMPLETED,
    Enrollment.Status.INCOMPLETE,
    Enrollment.Status.CANCELLED,
)


def _cohort(title, parent=None, lead=None, status=Cohort.Status.COMPLETED):
    kind = Cohort.Kind.CASCADE if parent else Cohort.Kind.TOT
    cohort = CohortFactory(title=title, kind=kind, parent=parent, status=status)
    if lead:
        cohort.lead_trainers.set([lead])
    return cohort


def _seat(cohort, member, status=COMPLETED):
    EnrollmentFactory(cohort=cohort, member=member, status=status)


@pytest.fixture
def tree():
    people = {
        name: MemberFactory(full_name=name)
        for name in ["A", "B", "C", "D", "E", "P1", "P2", "P3", "P4", "P5", "P6", "Q1", "Q2"]
    }
    tot = _cohort("TOT")
    for name in "ABC":
        _seat(tot, people[name])
    _seat(tot, people["D"], INCOMPLETE)
    _seat(tot, people["E"], CANCELLED)
    x = _cohort("X", parent=tot, lead=people["A"])
    for name in ("P1", "P2", "P3", "B"):
        _seat(x, people[name])
    _seat(x, people["P4"], INCOMPLETE)
    y = _cohort("Y", parent=tot, lead=people["B"])
    _seat(y, people["P3"])
    _seat(y, people["P5"])
    z = _cohort("Z", parent=tot, lead=people["C"], status=Cohort.Status.CANCELLED)
    _seat(z, people["P6"])
    w = _cohort("W", parent=x, lead=people["P1"])
    for name in ("Q1", "Q2", "A"):
        _seat(w, people[name])
    return tot


def test_the_reach_per_generation_counts_each_member_once(tree):
    reach = cascade_reach(root=tree)

    per_generation = [(g.generation, g.cohorts, g.members_reached) for g in reach.generations]
    assert per_generation == [(0, 1, 3), (1, 2, 4), (2, 1, 2)]
    assert reach.members_reached == 9
    assert reach.tot_graduates == 3
    assert reach.reached_by_cascades == 6
    assert reach.multiplier == 2.0
    assert reach.graduates_who_cascaded == 2
    assert reach.share_who_cascaded == pytest.approx(2 / 3)


def test_the_tree_lists_each_cohort_with_its_generation_lead_and_counts(tree):
    nodes = {node.title: node for node in cascade_tree(root=tree)}

    assert set(nodes) == {"TOT", "X", "Y", "W"}  # Z was cancelled
    assert [(t, nodes[t].generation) for t in ("TOT", "X", "Y", "W")] == [
        ("TOT", 0),
        ("X", 1),
        ("Y", 1),
        ("W", 2),
    ]
    assert nodes["W"].parent_id == nodes["X"].cohort_id
    assert [name for _pk, name in nodes["X"].lead_trainers] == ["A"]
    assert (nodes["TOT"].participants, nodes["TOT"].completed) == (4, 3)
    assert (nodes["X"].participants, nodes["X"].completed) == (5, 4)


def test_a_tot_without_graduates_has_no_multiplier():
    reach = cascade_reach(root=_cohort("TOT kosong"))

    assert reach.members_reached == 0
    assert reach.multiplier is None
    assert reach.share_who_cascaded is None


def _chain(depth: int) -> Cohort:
    root = parent = _cohort("TOT")
    for level in range(depth):
        lead = MemberFactory()
        _seat(parent, lead)
        parent = _cohort(f"Cascade {level}", parent=parent, lead=lead)
        EnrollmentFactory.create_batch(3, cohort=parent, status=COMPLETED)
    return root


@pytest.mark.parametrize("depth", [2, 6])
def test_the_tree_and_the_reach_take_the_same_queries_at_any_depth(
    depth, django_assert_num_queries
):
    root = _chain(depth)

    with django_assert_num_queries(2):  # the walk with its counts; the lead trainers
        nodes = cascade_tree(root=root)
    with django_assert_num_queries(1):
        reach = cascade_reach(root=root)

    assert max(node.generation for node in nodes) == depth
    assert len(reach.generations) == depth + 1
