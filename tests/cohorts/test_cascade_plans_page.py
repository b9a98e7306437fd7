"""The organizers' page of a training's cascade plans: each graduate's plan with its
progress (overdue ones flagged), the graduates with no plan yet, names outside the
organizer's reach withheld, and the same queries however many plans there are."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cohorts.models import CascadePlan, Cohort, Enrollment, Session
from tests.cohorts.factories import CohortFactory, EnrollmentFactory, SessionFactory
from tests.curriculum.factories import CurriculumFactory
from tests.members.factories import MemberFactory, OrganizationFactory, RegencyFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
COMPLETED = Enrollment.Status.COMPLETED


def _url(cohort) -> str:
    with translation.override("en"):
        return reverse("cohorts:cascade_plans", kwargs={"slug": cohort.slug})


def _graduate(tot, organization, name=None):
    fields = {"full_name": name} if name else {}
    member = MemberFactory(organization=organization, **fields)
    EnrollmentFactory(cohort=tot, member=member, status=COMPLETED)
    return member


def _plan(member, tot, **fields) -> CascadePlan:
    values = {"trainings_planned": 2, "expected_participants": 40, "due_on": TODAY}
    return CascadePlan.objects.create(member=member, cohort=tot, **{**values, **fields})


def _cascade(plan, *, held=1, completed=2):
    cascade = CohortFactory(
        kind=Cohort.Kind.CASCADE,
        parent=plan.cohort,
        cascade_plan=plan,
        organizers=list(plan.cohort.organizers.all()),
        status=Cohort.Status.RUNNING,
    )
    cascade.lead_trainers.set([plan.member])
    for _ in range(held):
        SessionFactory(cohort=cascade, status=Session.Status.HELD)
    SessionFactory(cohort=cascade)  # planned, not held
    EnrollmentFactory.create_batch(completed, cohort=cascade, status=COMPLETED)
    EnrollmentFactory(cohort=cascade)  # confirmed, not completed
    return cascade


@pytest.fixture
def tot(organization):
    return CohortFactory(
        title="TOT Lubuklinggau", organizers=[organization], status=Cohort.Status.COMPLETED
    )


def test_the_organizer_sees_every_plan_and_who_has_none(client, organizer, organization, tot):
    regency = RegencyFactory(name="Kota Lubuklinggau")
    rudi = _graduate(tot, organization, "Rudi Hartono")
    late = _plan(
        rudi,
        tot,
        target_organization=organization,
        target_region=regency,
        due_on=TODAY - dt.timedelta(days=3),
    )
    cascade = _cascade(late, held=2, completed=3)
    done = _plan(_graduate(tot, organization, "Sari Dewi"), tot, done_at=timezone.now())
    waiting = _plan(
        _graduate(tot, organization, "Yohanes Wenda"), tot, due_on=TODAY + dt.timedelta(days=30)
    )
    nobody = _graduate(tot, organization, "Andi Saputra")
    EnrollmentFactory(cohort=tot, status=Enrollment.Status.INCOMPLETE)  # not a graduate
    client.force_login(organizer)

    response = client.get(_url(tot))

    page = response.content.decode()
    assert response.status_code == 200
    states = {progress.plan.pk: progress for progress in response.context["plans"]}
    assert set(states) == {late.pk, done.pk, waiting.pk}
    shown = dict(re.findall(r'id="cascade-plan-(\d+)"\s+data-state="(\w+)"', page))
    assert shown == {str(late.pk): "overdue", str(done.pk): "done", str(waiting.pk): "open"}
    assert (states[late.pk].held_sessions, states[late.pk].completed_participants) == (2, 3)
    assert f"{organization.short_name} · Kota Lubuklinggau" in page
    assert reverse("cohorts:manage_detail", kwargs={"slug": cascade.slug}) in page
    assert [m.pk for m in response.context["without_plan"]] == [nobody.pk]
    assert f'id="graduate-without-plan-{nobody.pk}"' in page
    for name in ("Rudi Hartono", "Sari Dewi", "Yohanes Wenda", "Andi Saputra"):
        assert name in page


def test_names_outside_the_organizers_reach_are_withheld(client, organizer, organization):
    partner = OrganizationFactory(short_name="KSBSI", parent=None)
    tot = CohortFactory(organizers=[organization, partner], status=Cohort.Status.COMPLETED)
    _plan(_graduate(tot, partner, "Dewi Lestari"), tot)
    _graduate(tot, partner, "Budi Santoso")
    _graduate(tot, organization, "Rudi Hartono")
    client.force_login(organizer)

    page = client.get(_url(tot)).content.decode()

    assert "Dewi Lestari" not in page
    assert "Budi Santoso" not in page
    assert "Rudi Hartono" in page
    assert page.count("a graduate outside your organizations") == 2


def test_a_training_whose_graduates_do_not_train_says_so(client, organizer, organization):
    cascade = CohortFactory(
        organizers=[organization],
        kind=Cohort.Kind.CASCADE,
        parent=CohortFactory(organizers=[organization]),
        curriculum=CurriculumFactory(graduates_may_train=False),
        status=Cohort.Status.COMPLETED,
    )
    _graduate(cascade, organization, "Andi Saputra")
    client.force_login(organizer)

    response = client.get(_url(cascade))

    assert 'id="cascade-plans-not-offered"' in response.content.decode()
    assert response.context["without_plan"] == []


def test_the_cascade_pages_link_each_other(client, organizer, organization, tot):
    client.force_login(organizer)
    with translation.override("en"):
        tree = reverse("cohorts:cascade", kwargs={"slug": tot.slug})
        manage = reverse("cohorts:manage_detail", kwargs={"slug": tot.slug})

    assert _url(tot) in client.get(tree).content.decode()
    assert _url(tot) in client.get(manage).content.decode()
    assert tree in client.get(_url(tot)).content.decode()


@pytest.mark.parametrize("graduates", [3, 24])
def test_the_page_takes_the_same_queries_at_any_size(
    client, organizer, organization, tot, graduates, django_assert_max_num_queries
):
    partner = OrganizationFactory()
    for number in range(graduates):
        member = _graduate(tot, partner if number % 3 == 0 else organization)
        if number % 4:
            plan = _plan(member, tot, target_region=RegencyFactory())
            _cascade(plan)
    client.force_login(organizer)

    # session + user (2), the cohort (1) with organizers and lead trainers (2), managed?
    # (1), plans (1) with their cascades (1), graduates without a plan (1), who of them is
    # in reach (1), which cascades the user manages (1), navbar: reach + member record (2)
    with django_assert_max_num_queries(13):
        response = client.get(_url(tot))

    assert len(response.context["plans"]) + len(response.context["without_plan"]) == graduates
