"""The graduate's cascade pages: "Your cascade" on My trainings, the plan form, starting a
cascade training from the plan and marking the plan done. Only a graduate of the
training reaches them, only for their own plan; bad input is answered and writes nothing."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cohorts.models import CascadePlan, Cohort, Enrollment
from tests.cohorts.factories import CohortFactory, EnrollmentFactory
from tests.curriculum.factories import CurriculumFactory
from tests.members.factories import (
    MemberFactory,
    OrganizationFactory,
    RegencyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
COMPLETED = Enrollment.Status.COMPLETED


def _url(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(f"cohorts:{name}", kwargs=kwargs)


@pytest.fixture
def kspi():
    return OrganizationFactory(short_name="KSPI", kind="confederation", parent=None)


@pytest.fixture
def tot(kspi):
    return CohortFactory(
        title="TOT Lubuklinggau",
        organizers=[kspi],
        status=Cohort.Status.COMPLETED,
        starts_on=TODAY - dt.timedelta(days=40),
        ends_on=TODAY - dt.timedelta(days=37),
    )


@pytest.fixture
def graduate(tot, kspi):
    puk = OrganizationFactory(short_name="PUK Sinar", kind="workplace", parent=kspi)
    member = MemberFactory(user=UserFactory(), organization=puk, full_name="Rudi Hartono")
    EnrollmentFactory(cohort=tot, member=member, status=COMPLETED)
    return member


def _plan(member, tot, **fields) -> CascadePlan:
    values = {"trainings_planned": 2, "expected_participants": 45, "due_on": TODAY}
    return CascadePlan.objects.create(member=member, cohort=tot, **{**values, **fields})


def _plan_post(**changes) -> dict:
    values = {
        "trainings_planned": "2",
        "target_organization": "",
        "target_region": "",
        "expected_participants": "40",
        "due_on": (TODAY + dt.timedelta(days=90)).isoformat(),
        "note": "Dua PUK di Lubuklinggau",
    }
    return {**values, **changes}


def _start_post(plan, **changes) -> dict:
    values = {
        "title": "Pelatihan PUK PT Sinar",
        "curriculum": str(plan.cohort.curriculum_id),
        "starts_on": (TODAY + dt.timedelta(days=14)).isoformat(),
        "ends_on": (TODAY + dt.timedelta(days=15)).isoformat(),
        "region": str(plan.cohort.region_id),
        "capacity": "25",
        "venue_name": "Kantor PUK",
        "venue_address": "",
    }
    return {**values, **changes}


# --- "Your cascade" on My trainings -----------------------------------------------------------


def test_a_graduate_without_a_plan_is_asked_to_make_one(client, graduate, tot):
    client.force_login(graduate.user)

    page = client.get(_url("my_trainings")).content.decode()

    assert f'id="cascade-{tot.slug}"' in page
    assert _url("cascade_plan", slug=tot.slug) in page
    assert "Make your cascade plan" in page


def test_the_card_shows_the_plans_progress_and_the_cascades_led(client, graduate, tot, kspi):
    plan = _plan(graduate, tot, due_on=TODAY - dt.timedelta(days=1))
    cascade = CohortFactory(
        title="Pelatihan PUK Sinar",
        kind=Cohort.Kind.CASCADE,
        parent=tot,
        cascade_plan=plan,
        organizers=[kspi],
        status=Cohort.Status.COMPLETED,
    )
    cascade.lead_trainers.set([graduate])
    EnrollmentFactory.create_batch(3, cohort=cascade, status=COMPLETED)
    co_led = CohortFactory(title="Bantu teman", kind=Cohort.Kind.CASCADE, parent=tot)
    co_led.lead_trainers.set([graduate, MemberFactory()])
    client.force_login(graduate.user)

    response = client.get(_url("my_trainings"))

    page = response.content.decode()
    assert 'data-state="overdue"' in page
    assert "1 of 2" in page
    assert "3 of 45 expected" in page
    assert _url("manage_detail", slug=cascade.slug) in page
    assert _url("cascade_start", pk=plan.pk) in page
    assert _url("cascade_plan_done", pk=plan.pk) in page
    assert [c.pk for c in response.context["cascades"].other_led] == [co_led.pk]
    assert f'id="cascade-led-{co_led.pk}"' in page


@pytest.mark.parametrize("status", [Enrollment.Status.CONFIRMED, Enrollment.Status.INCOMPLETE])
def test_no_cascade_card_without_a_completed_training(client, tot, status):
    member = MemberFactory(user=UserFactory())
    EnrollmentFactory(cohort=tot, member=member, status=status)
    client.force_login(member.user)

    page = client.get(_url("my_trainings")).content.decode()

    assert 'id="my-cascades"' not in page


@pytest.mark.parametrize("plans", [1, 8])
def test_my_trainings_with_cascades_takes_the_same_queries(
    client, kspi, plans, django_assert_max_num_queries
):
    member = MemberFactory(user=UserFactory())
    for number in range(plans):
        tot = CohortFactory(organizers=[kspi], status=Cohort.Status.COMPLETED)
        EnrollmentFactory(cohort=tot, member=member, status=COMPLETED)
        plan = _plan(member, tot)
        for _ in range(2):
            cascade = CohortFactory(kind=Cohort.Kind.CASCADE, parent=tot, cascade_plan=plan)
            cascade.lead_trainers.set([member])
            EnrollmentFactory(cohort=cascade, status=COMPLETED)
        if number % 2:
            CohortFactory(kind=Cohort.Kind.CASCADE, parent=tot).lead_trainers.set([member])
    client.force_login(member.user)

    # session + user (2), member (1), enrollments (1), navbar: reach + member (2),
    # trainings to cascade from (1), plans (1) with their cascades (1), cascades led (1)
    with django_assert_max_num_queries(10):
        response = client.get(_url("my_trainings"))

    assert len(response.context["cascades"].trainings) == plans
    assert len(response.context["cascades"].other_led) == plans // 2


# --- the plan form ----------------------------------------------------------------------------


def test_a_graduate_makes_a_plan_then_changes_it(client, graduate, tot, kspi):
    regency = RegencyFactory(name="Kota Lubuklinggau")
    client.force_login(graduate.user)
    url = _url("cascade_plan", slug=tot.slug)

    form_page = client.get(url)
    assert form_page.context["form"].initial["target_organization"] == graduate.organization
    response = client.post(
        url,
        _plan_post(target_organization=graduate.organization_id, target_region=regency.pk),
    )

    assert response.status_code == 302
    assert response["Location"].endswith(f"#cascade-{tot.slug}")
    plan = CascadePlan.objects.get()
    assert (plan.member, plan.cohort, plan.trainings_planned) == (graduate, tot, 2)
    assert (plan.target_organization, plan.target_region) == (graduate.organization, regency)
    assert plan.note == "Dua PUK di Lubuklinggau"

    again = client.get(url)
    assert again.context["form"].initial["expected_participants"] == 40
    client.post(url, _plan_post(trainings_planned="3"))
    plan = CascadePlan.objects.get()
    assert plan.trainings_planned == 3
    assert plan.target_organization is None


def test_the_target_choices_are_the_organizers_trees_and_the_graduates_own(
    client, graduate, tot, kspi
):
    federation = OrganizationFactory(short_name="FSPMI", kind="federation", parent=kspi)
    unrelated = OrganizationFactory(short_name="SPSI Lain", kind="federation")
    client.force_login(graduate.user)

    form = client.get(_url("cascade_plan", slug=tot.slug)).context["form"]
    choices = set(form.fields["target_organization"].queryset)
    assert {kspi, federation, graduate.organization} <= choices
    assert unrelated not in choices

    response = client.post(
        _url("cascade_plan", slug=tot.slug), _plan_post(target_organization=unrelated.pk)
    )
    assert response.status_code == 200
    assert "target_organization" in response.context["form"].errors
    assert not CascadePlan.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"trainings_planned": "0"}, "trainings_planned", "Plan between 1 and 20"),
        ({"trainings_planned": "dua"}, "trainings_planned", "Enter a whole number"),
        ({"expected_participants": "0"}, "expected_participants", "Expect between 1 and"),
        ({"due_on": ""}, "due_on", "This field is required"),
        ({"due_on": "2001-01-01"}, "due_on", "Choose a date that is still ahead"),
    ],
)
def test_a_bad_plan_is_answered_and_nothing_is_written(
    client, graduate, tot, changes, field, message
):
    client.force_login(graduate.user)

    response = client.post(_url("cascade_plan", slug=tot.slug), _plan_post(**changes))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()
    assert not CascadePlan.objects.exists()


@pytest.mark.parametrize(
    "status",
    [
        Enrollment.Status.INCOMPLETE,
        Enrollment.Status.CONFIRMED,
        Enrollment.Status.CANCELLED,
        None,
    ],
)
def test_only_a_graduate_of_the_training_reaches_the_plan_and_start_pages(client, tot, status):
    member = MemberFactory(user=UserFactory())
    if status is not None:
        EnrollmentFactory(cohort=tot, member=member, status=status)
    stray_plan = _plan(member, tot)  # written behind the pages' back: still no entry
    client.force_login(member.user)

    answers = [
        client.get(_url("cascade_plan", slug=tot.slug)).status_code,
        client.post(_url("cascade_plan", slug=tot.slug), _plan_post()).status_code,
        client.get(_url("cascade_start", pk=stray_plan.pk)).status_code,
        client.post(_url("cascade_start", pk=stray_plan.pk), _start_post(stray_plan)).status_code,
        client.post(_url("cascade_plan_done", pk=stray_plan.pk), {"done": "yes"}).status_code,
    ]

    assert answers == [404] * 5
    stray_plan.refresh_from_db()
    assert (stray_plan.trainings_planned, stray_plan.done_at) == (2, None)
    assert not Cohort.objects.filter(kind=Cohort.Kind.CASCADE).exists()


def test_a_training_whose_graduates_do_not_train_has_no_plan_page(client, tot):
    cascade = CohortFactory(kind=Cohort.Kind.CASCADE, parent=tot, status=Cohort.Status.COMPLETED)
    member = MemberFactory(user=UserFactory())
    EnrollmentFactory(cohort=cascade, member=member, status=COMPLETED)
    client.force_login(member.user)

    assert client.get(_url("cascade_plan", slug=cascade.slug)).status_code == 404


def test_another_members_plan_is_a_404(client, graduate, tot):
    other = MemberFactory(user=UserFactory())
    EnrollmentFactory(cohort=tot, member=other, status=COMPLETED)
    plan = _plan(other, tot)
    client.force_login(graduate.user)

    assert client.get(_url("cascade_start", pk=plan.pk)).status_code == 404
    assert client.post(_url("cascade_start", pk=plan.pk), _start_post(plan)).status_code == 404
    assert client.post(_url("cascade_plan_done", pk=plan.pk), {"done": "yes"}).status_code == 404
    plan.refresh_from_db()
    assert plan.done_at is None
    assert not Cohort.objects.filter(kind=Cohort.Kind.CASCADE).exists()


def test_an_account_without_a_member_record_gets_a_404(client, tot, organizer):
    client.force_login(organizer)
    assert client.get(_url("cascade_plan", slug=tot.slug)).status_code == 404


# --- marking the plan done --------------------------------------------------------------------


def test_the_graduate_marks_the_plan_done_and_open_again(client, graduate, tot):
    plan = _plan(graduate, tot, due_on=TODAY + dt.timedelta(days=10))
    client.force_login(graduate.user)
    url = _url("cascade_plan_done", pk=plan.pk)

    assert client.get(url).status_code == 405
    response = client.post(url, {"done": "yes"})
    assert response["Location"].endswith(f"#cascade-{tot.slug}")
    plan.refresh_from_db()
    assert plan.done_at is not None
    page = client.get(_url("my_trainings")).content.decode()
    assert 'data-state="done"' in page
    assert "Mark as not done" in page

    client.post(url, {"done": "no"})
    plan.refresh_from_db()
    assert plan.done_at is None


# --- running a cascade training from the plan -------------------------------------------------


def test_the_start_form_is_prefilled_from_the_plan_and_the_training(client, graduate, tot):
    shorter = CurriculumFactory(cascade_of=tot.curriculum, title="Dialog Sosial (ringkas)")
    regency = RegencyFactory()
    plan = _plan(
        graduate,
        tot,
        trainings_planned=3,
        expected_participants=40,
        target_organization=graduate.organization,
        target_region=regency,
    )
    client.force_login(graduate.user)

    response = client.get(_url("cascade_start", pk=plan.pk))

    form = response.context["form"]
    assert form.initial["title"] == "Cascade training: TOT Lubuklinggau — PUK Sinar"
    assert form.initial["capacity"] == 14  # 40 people in 3 trainings: 14 seats each
    assert form.initial["region"] == regency
    assert form.initial["curriculum"] == shorter
    assert list(form.fields["curriculum"].queryset) == [shorter, tot.curriculum]
    assert 'type="radio"' in response.content.decode()


def test_without_a_target_the_title_and_region_come_from_the_training(client, graduate, tot):
    plan = _plan(graduate, tot, trainings_planned=4, expected_participants=2)
    client.force_login(graduate.user)

    with translation.override("en"):
        form = client.get(_url("cascade_start", pk=plan.pk)).context["form"]

    assert form.initial["title"] == "Cascade training: TOT Lubuklinggau"
    assert form.initial["region"] == tot.region
    assert form.initial["capacity"] == 1


def test_the_graduate_starts_a_cascade_and_lands_on_its_page(client, graduate, tot, kspi):
    plan = _plan(graduate, tot, target_organization=graduate.organization)
    client.force_login(graduate.user)

    response = client.post(_url("cascade_start", pk=plan.pk), _start_post(plan), follow=True)

    cascade = Cohort.objects.get(kind=Cohort.Kind.CASCADE)
    assert response.redirect_chain[-1][0] == _url("manage_detail", slug=cascade.slug)
    assert (cascade.parent, cascade.cascade_plan, cascade.status) == (tot, plan, "draft")
    assert list(cascade.lead_trainers.all()) == [graduate]
    assert set(cascade.organizers.all()) == {kspi, graduate.organization}
    assert cascade.venue_name == "Kantor PUK"
    page = response.content.decode()
    assert "plan its sessions, then publish it" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"starts_on": (TODAY - dt.timedelta(days=38)).isoformat()},
            "starts_on",
            "A cascade starts after the training you graduated from ended.",
        ),
        (
            {"ends_on": (TODAY + dt.timedelta(days=10)).isoformat()},
            "ends_on",
            "The cohort cannot end before it starts.",
        ),
        ({"capacity": "0"}, "capacity", "greater than or equal to 1"),
        ({"title": ""}, "title", "This field is required"),
        ({"region": ""}, "region", "This field is required"),
    ],
)
def test_a_bad_start_is_answered_and_nothing_is_written(
    client, graduate, tot, changes, field, message
):
    plan = _plan(graduate, tot)
    client.force_login(graduate.user)

    response = client.post(_url("cascade_start", pk=plan.pk), _start_post(plan, **changes))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Cohort.objects.filter(kind=Cohort.Kind.CASCADE).exists()


def test_an_unrelated_curriculum_is_not_offered(client, graduate, tot):
    plan = _plan(graduate, tot)
    unrelated = CurriculumFactory()
    client.force_login(graduate.user)

    response = client.post(
        _url("cascade_start", pk=plan.pk), _start_post(plan, curriculum=str(unrelated.pk))
    )

    assert "curriculum" in response.context["form"].errors
    assert not Cohort.objects.filter(kind=Cohort.Kind.CASCADE).exists()
