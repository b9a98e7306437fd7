"""A graduate's plan and the cascade training they start from it: who may, what is
checked, and what the new cohort takes over from its parent."""

import contextlib
import datetime as dt
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from cohorts.models import CascadePlan, Cohort, Enrollment
from cohorts.permissions import can_change_cohort, cohorts_managed_by
from cohorts.selectors import trainer_candidates
from cohorts.selectors.cascade import cascade_reach
from cohorts.selectors.reach_report import reach_report
from cohorts.services import cascade as cascade_services
from cohorts.services.cascade import (
    cascade_cohort_start,
    cascade_plan_mark_done,
    cascade_plan_save,
)
from cohorts.services.cohorts import cohort_update
from tests.cohorts.factories import CohortFactory, EnrollmentFactory
from tests.curriculum.factories import CurriculumFactory, DraftCurriculumFactory
from tests.members.factories import (
    MemberFactory,
    OrganizationFactory,
    OrganizationRoleFactory,
    RegencyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
User = get_user_model()

TODAY = dt.date(2026, 12, 6)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)


@pytest.fixture
def kspi():
    return OrganizationFactory(short_name="KSPI", kind="confederation", parent=None)


@pytest.fixture
def tot(kspi):
    return CohortFactory(
        status=Cohort.Status.COMPLETED,
        organizers=[kspi],
        starts_on=dt.date(2026, 10, 1),
        min_attendance_percent=75,
        post_test_required=True,
        reminder_hours=[48],
    )


@pytest.fixture
def graduate(tot):
    member = MemberFactory(user=UserFactory())
    EnrollmentFactory(cohort=tot, member=member, status=Enrollment.Status.COMPLETED)
    return member


def _plan(member, cohort, **changes):
    values = {
        "trainings_planned": 2,
        "expected_participants": 40,
        "due_on": TODAY + dt.timedelta(days=90),
    }
    return cascade_plan_save(member=member, cohort=cohort, by=member.user, **{**values, **changes})


def _start(plan, **changes):
    values = {
        "title": "Pelatihan PUK PT Sinar",
        "curriculum": plan.cohort.curriculum,
        "starts_on": TODAY + dt.timedelta(days=14),
        "ends_on": TODAY + dt.timedelta(days=15),
        "region": RegencyFactory(),
        "capacity": 25,
    }
    return cascade_cohort_start(plan=plan, by=plan.member.user, **{**values, **changes})


def test_a_graduate_plans_once_and_changes_the_same_plan(graduate, tot, kspi):
    target = OrganizationFactory(short_name="PUK Sinar", parent=kspi, kind="workplace")
    plan = _plan(graduate, tot, target_organization=target, note="  Dua pelatihan  ")
    again = _plan(graduate, tot, trainings_planned=3)

    assert again.pk == plan.pk
    assert CascadePlan.objects.count() == 1
    again.refresh_from_db()
    assert (again.trainings_planned, again.expected_participants) == (3, 40)
    assert again.target_organization is None  # the second save said so


@pytest.mark.parametrize(
    ("status", "kind_of_refusal"),
    [
        (Enrollment.Status.INCOMPLETE, PermissionDenied),
        (Enrollment.Status.CONFIRMED, PermissionDenied),
        (Enrollment.Status.CANCELLED, PermissionDenied),
    ],
)
def test_only_a_graduate_of_the_training_may_plan(tot, status, kind_of_refusal):
    member = MemberFactory(user=UserFactory())
    EnrollmentFactory(cohort=tot, member=member, status=status)

    with pytest.raises(kind_of_refusal):
        _plan(member, tot)
    assert not CascadePlan.objects.exists()


def test_nobody_plans_for_a_graduate(graduate, tot):
    someone_else = UserFactory()
    with pytest.raises(PermissionDenied):
        cascade_plan_save(
            member=graduate,
            cohort=tot,
            by=someone_else,
            trainings_planned=1,
            expected_participants=10,
            due_on=TODAY + dt.timedelta(days=30),
        )


def test_a_cascade_graduate_plans_only_when_its_curriculum_trains_trainers(graduate, tot):
    plan = _plan(graduate, tot)
    cascade = _start(plan)
    Cohort.objects.filter(pk=cascade.pk).update(status=Cohort.Status.COMPLETED)
    second = MemberFactory(user=UserFactory())
    EnrollmentFactory(cohort=cascade, member=second, status=Enrollment.Status.COMPLETED)

    with pytest.raises(PermissionDenied):
        _plan(second, cascade)

    cascade.curriculum.__class__.objects.filter(pk=cascade.curriculum_id).update(
        graduates_may_train=True
    )
    assert _plan(second, cascade).cohort == cascade


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"trainings_planned": 0}, "trainings_planned"),
        ({"trainings_planned": 21}, "trainings_planned"),
        ({"expected_participants": 0}, "expected_participants"),
        ({"due_on": None}, "due_on"),
        ({"due_on": TODAY - dt.timedelta(days=1)}, "due_on"),
        ({"due_on": TODAY + dt.timedelta(days=4 * 365)}, "due_on"),
    ],
)
def test_a_bad_plan_is_refused_and_nothing_is_written(graduate, tot, changes, field):
    with pytest.raises(ValidationError) as refused:
        _plan(graduate, tot, **changes)
    assert field in refused.value.message_dict
    assert not CascadePlan.objects.exists()


def test_the_target_is_in_the_organizers_trees_or_the_graduates_own(graduate, tot, kspi):
    federation = OrganizationFactory(parent=kspi, kind="federation")
    in_organizers_tree = OrganizationFactory(parent=federation, kind="workplace")
    below_own = OrganizationFactory(parent=graduate.organization, kind="workplace")
    unrelated = OrganizationFactory(kind="workplace")

    for target in (in_organizers_tree, below_own, graduate.organization):
        assert _plan(graduate, tot, target_organization=target).target_organization == target
    with pytest.raises(ValidationError) as refused:
        _plan(graduate, tot, target_organization=unrelated)
    assert "target_organization" in refused.value.message_dict
    assert CascadePlan.objects.get().target_organization == graduate.organization


def test_a_province_is_not_a_target_region(graduate, tot):
    province = RegencyFactory().parent
    with pytest.raises(ValidationError) as refused:
        _plan(graduate, tot, target_region=province)
    assert "target_region" in refused.value.message_dict


def test_an_old_plan_keeps_its_past_date_when_only_the_note_changes(graduate, tot):
    plan = _plan(graduate, tot)
    CascadePlan.objects.filter(pk=plan.pk).update(due_on=TODAY - dt.timedelta(days=5))

    kept = _plan(graduate, tot, due_on=TODAY - dt.timedelta(days=5), note="sudah lewat")
    assert kept.note == "sudah lewat"


def test_the_graduate_marks_the_plan_done_and_undone(graduate, tot):
    plan = _plan(graduate, tot)
    assert cascade_plan_mark_done(plan=plan, by=graduate.user, done=True).done_at
    assert cascade_plan_mark_done(plan=plan, by=graduate.user, done=False).done_at is None


def test_the_cascade_takes_over_from_its_parent(graduate, tot, kspi):
    target = OrganizationFactory(short_name="PUK Sinar", parent=kspi, kind="workplace")
    plan = _plan(graduate, tot, target_organization=target)

    cascade = _start(plan, venue_name="Kantor PUK")

    assert cascade.kind == Cohort.Kind.CASCADE
    assert cascade.parent == tot
    assert cascade.cascade_plan == plan
    assert cascade.status == Cohort.Status.DRAFT
    assert list(cascade.lead_trainers.all()) == [graduate]
    assert set(cascade.organizers.all()) == {kspi, target}
    assert (cascade.min_attendance_percent, cascade.post_test_required) == (75, True)
    assert cascade.reminder_hours == [48]
    assert cascade.venue_name == "Kantor PUK"


def test_the_graduate_runs_their_cascade_and_the_parents_organizers_see_it(graduate, tot, kspi):
    cascade = _start(_plan(graduate, tot))
    organizer = UserFactory()
    OrganizationRoleFactory(user=organizer, organization=kspi, role="organizer")
    stranger = UserFactory()
    OrganizationRoleFactory(user=stranger, organization=OrganizationFactory(), role="organizer")

    assert can_change_cohort(graduate.user, cascade)
    assert can_change_cohort(organizer, cascade)
    assert not can_change_cohort(stranger, cascade)
    # Leading a cascade does not open its parent TOT.
    assert not cohorts_managed_by(graduate.user).filter(pk=tot.pk).exists()


def test_the_last_lead_trainer_cannot_be_removed_from_a_cascade(graduate, tot):
    cascade = _start(_plan(graduate, tot))
    with pytest.raises(ValidationError) as refused:
        cohort_update(cohort=cascade, by=graduate.user, lead_trainers=[])
    assert "lead_trainers" in refused.value.message_dict
    assert list(cascade.lead_trainers.all()) == [graduate]


def test_a_cascade_starts_only_after_the_parent_ended(graduate, tot):
    plan = _plan(graduate, tot)
    with pytest.raises(ValidationError) as refused:
        _start(plan, starts_on=tot.ends_on - dt.timedelta(days=1), ends_on=tot.ends_on)
    assert "starts_on" in refused.value.message_dict
    assert not Cohort.objects.filter(kind=Cohort.Kind.CASCADE).exists()


def test_a_cascade_teaches_the_parents_curriculum_or_its_shorter_version(graduate, tot):
    plan = _plan(graduate, tot)
    shorter = CurriculumFactory(cascade_of=tot.curriculum)
    unrelated = CurriculumFactory()
    draft = DraftCurriculumFactory(cascade_of=tot.curriculum)

    assert _start(plan, curriculum=shorter).curriculum == shorter
    for refused_curriculum in (unrelated, draft):
        with pytest.raises(ValidationError) as refused:
            _start(plan, curriculum=refused_curriculum)
        assert "curriculum" in refused.value.message_dict
    assert Cohort.objects.filter(kind=Cohort.Kind.CASCADE).count() == 1


def test_a_graduate_whose_completion_was_withdrawn_starts_nothing(graduate, tot):
    plan = _plan(graduate, tot)
    Enrollment.objects.filter(member=graduate).update(status=Enrollment.Status.INCOMPLETE)

    with pytest.raises(PermissionDenied):
        _start(plan)
    assert not Cohort.objects.filter(kind=Cohort.Kind.CASCADE).exists()


def test_the_same_start_sent_twice_makes_one_cascade(graduate, tot):
    plan = _plan(graduate, tot)
    region = RegencyFactory()

    first = _start(plan, region=region)
    again = _start(plan, region=region)
    other_dates = _start(
        plan, starts_on=TODAY + dt.timedelta(days=30), ends_on=TODAY + dt.timedelta(days=31)
    )

    assert again == first
    assert other_dates != first
    assert plan.cohorts.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_first_saves_of_a_plan_at_once_make_one_plan(graduate, tot):
    """Both requests wait on the member's row; without that lock the second insert hits
    the one-plan-per-graduate constraint and the graduate sees an error page."""
    barrier = threading.Barrier(2, timeout=10)
    original_check = cascade_services._check_plan
    errors: list[BaseException] = []

    def check_then_wait(plan, **kwargs):
        original_check(plan, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=2)  # the second one waits on the lock: the barrier breaks

    def save(trainings):
        try:
            _plan(graduate, tot, trainings_planned=trainings)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    cascade_services._check_plan = check_then_wait
    try:
        threads = [threading.Thread(target=save, args=(n,)) for n in (2, 3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        cascade_services._check_plan = original_check

    assert errors == []
    assert CascadePlan.objects.filter(member=graduate, cohort=tot).count() == 1


def test_a_graduate_leading_a_cascade_does_not_browse_the_confederations_trainers(
    graduate, tot, kspi
):
    cascade = _start(_plan(graduate, tot))
    for _ in range(3):
        OrganizationRoleFactory(
            user=UserFactory(),
            organization=OrganizationFactory(parent=kspi, kind="federation"),
            role="trainer",
        )
    for user in User.objects.filter(organization_roles__isnull=False):
        MemberFactory(user=user, organization=user.organization_roles.get().organization)
    fellow = MemberFactory(user=UserFactory())
    EnrollmentFactory(cohort=tot, member=fellow, status=Enrollment.Status.COMPLETED)
    organizer = UserFactory()
    OrganizationRoleFactory(user=organizer, organization=kspi, role="organizer")

    as_graduate = set(trainer_candidates(user=graduate.user, cohort=cascade))
    as_organizer = set(trainer_candidates(user=organizer, cohort=cascade))

    assert as_graduate == {graduate, fellow}
    assert len(as_organizer) == 3 + 2  # the federations' trainers, the lead, the fellow


def test_a_draft_or_open_cascade_has_not_run_yet(graduate, tot):
    cascade = _start(_plan(graduate, tot))

    for status, ran in [
        (Cohort.Status.DRAFT, 0),
        (Cohort.Status.OPEN, 0),
        (Cohort.Status.RUNNING, 1),
        (Cohort.Status.COMPLETED, 1),
    ]:
        Cohort.objects.filter(pk=cascade.pk).update(status=status)
        assert cascade_reach(root=tot).graduates_who_cascaded == ran
        assert reach_report(root_ids=[tot.pk]).graduates_who_cascaded == ran
