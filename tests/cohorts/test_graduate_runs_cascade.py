"""A graduate with no organizer's role runs the cascade they started through the cohort's
own pages: change it, plan a session, publish, registrations, roll call, completion. Every
link those pages show them opens; what needs an organizer (the cohort list, copies) is
not offered, and nothing beyond their own cascade opens."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from cohorts.models import CascadePlan, Cohort, Enrollment, Session
from cohorts.services.cascade import cascade_cohort_start, cascade_plan_save
from cohorts.services.cohorts import cohort_transition, cohort_update
from tests.cohorts.factories import CohortFactory, EnrollmentFactory
from tests.curriculum.factories import CurriculumFactory
from tests.members.factories import (
    MemberFactory,
    OrganizationFactory,
    OrganizationRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
COMPLETED = Enrollment.Status.COMPLETED
LINK = re.compile(r'href="(/en/[^"#?]*)')
NOT_PAGES = ("/en/accounts/logout/",)


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
    member = MemberFactory(
        user=UserFactory(), organization=OrganizationFactory(parent=kspi, kind="workplace")
    )
    EnrollmentFactory(cohort=tot, member=member, status=COMPLETED)
    return member


@pytest.fixture
def cascade(graduate, tot):
    plan = cascade_plan_save(
        member=graduate,
        cohort=tot,
        by=graduate.user,
        trainings_planned=1,
        expected_participants=20,
        due_on=TODAY + dt.timedelta(days=90),
    )
    return cascade_cohort_start(
        plan=plan,
        by=graduate.user,
        title="Pelatihan PUK Sinar",
        curriculum=tot.curriculum,
        starts_on=TODAY + dt.timedelta(days=14),
        ends_on=TODAY + dt.timedelta(days=15),
        region=tot.region,
        capacity=20,
    )


def _links(page: str) -> set[str]:
    return {link for link in LINK.findall(page) if link not in NOT_PAGES}


def _assert_every_link_opens(client, page: str) -> None:
    broken = {link: client.get(link).status_code for link in _links(page)}
    assert {link: status for link, status in broken.items() if status != 200} == {}


def _edit_post(cascade: Cohort, **changes) -> dict:
    data = {
        "title": cascade.title,
        "curriculum": cascade.curriculum_id,
        "lead_trainers": [member.pk for member in cascade.lead_trainers.all()],
        "starts_on": cascade.starts_on.isoformat(),
        "ends_on": cascade.ends_on.isoformat(),
        "region": cascade.region_id,
        "time_zone": cascade.time_zone,
        "capacity": cascade.capacity,
        "min_attendance_percent": cascade.min_attendance_percent,
    }
    return data | changes


def test_the_graduate_runs_their_cascade_through_the_cohort_pages(client, graduate, cascade):
    client.force_login(graduate.user)

    detail = client.get(_url("manage_detail", slug=cascade.slug)).content.decode()
    assert _url("my_trainings") in detail
    assert _url("duplicate", slug=cascade.slug) not in detail
    assert _url("manage") not in detail
    _assert_every_link_opens(client, detail)

    edit_url = _url("edit", slug=cascade.slug)
    assert "organizers" not in client.get(edit_url).context["form"].fields
    response = client.post(edit_url, _edit_post(cascade, title="Pelatihan PUK Sinar Jaya"))
    assert response.status_code == 302
    cascade.refresh_from_db()
    assert cascade.title == "Pelatihan PUK Sinar Jaya"
    assert list(cascade.lead_trainers.all()) == [graduate]

    response = client.post(
        _url("session_create", slug=cascade.slug),
        {
            "title": "Sesi 1: Dialog sosial",
            "day": cascade.starts_on.isoformat(),
            "start_time": "09:00",
            "end_time": "11:00",
            "trainers": [graduate.pk],
        },
    )
    assert response.status_code == 302
    session = Session.objects.get(cohort=cascade)
    assert list(session.trainers.all()) == [graduate]

    response = client.post(_url("transition", slug=cascade.slug), {"to_status": "open"})
    cascade.refresh_from_db()
    assert cascade.status == Cohort.Status.OPEN
    EnrollmentFactory(cohort=cascade, status=Enrollment.Status.CONFIRMED)
    cohort_transition(cohort=cascade, to_status=Cohort.Status.RUNNING, by=graduate.user)

    for page in (
        _url("registrations", slug=cascade.slug),
        _url("roll_call", pk=session.pk),
        _url("session_report", pk=session.pk),
        _url("completion", slug=cascade.slug),
        _url("manage_detail", slug=cascade.slug),
    ):
        response = client.get(page)
        assert response.status_code == 200, page
        _assert_every_link_opens(client, response.content.decode())


def test_the_graduate_may_not_copy_their_cascade_nor_open_the_tot(client, graduate, cascade, tot):
    client.force_login(graduate.user)

    assert client.get(_url("duplicate", slug=cascade.slug)).status_code == 404
    assert client.post(_url("duplicate", slug=cascade.slug), {}).status_code == 404
    for name in ("manage_detail", "edit", "registrations", "cascade_plans"):
        assert client.get(_url(name, slug=tot.slug)).status_code == 404, name
    assert client.get(_url("manage")).status_code == 404
    assert Cohort.objects.count() == 2


def test_the_tots_organizer_still_sees_organizer_links_on_the_cascade(client, cascade, kspi):
    organizer = UserFactory()
    OrganizationRoleFactory(user=organizer, organization=kspi, role="organizer")
    client.force_login(organizer)

    detail = client.get(_url("manage_detail", slug=cascade.slug)).content.decode()

    assert _url("duplicate", slug=cascade.slug) in detail
    assert _url("manage") in detail


def test_editing_keeps_the_graduate_to_the_cascade_curricula(client, graduate, cascade, tot):
    shorter = CurriculumFactory(cascade_of=tot.curriculum)
    unrelated = CurriculumFactory()
    client.force_login(graduate.user)
    url = _url("edit", slug=cascade.slug)

    choices = set(client.get(url).context["form"].fields["curriculum"].queryset)
    assert choices == {tot.curriculum, shorter}

    response = client.post(url, _edit_post(cascade, curriculum=unrelated.pk))
    assert response.status_code == 200
    assert "curriculum" in response.context["form"].errors
    assert client.post(url, _edit_post(cascade, curriculum=shorter.pk)).status_code == 302
    cascade.refresh_from_db()
    assert (cascade.curriculum, cascade.title) == (shorter, "Pelatihan PUK Sinar")


def test_the_service_refuses_an_unrelated_curriculum_to_the_graduate(graduate, cascade):
    with pytest.raises(ValidationError) as refused:
        cohort_update(cohort=cascade, by=graduate.user, curriculum=CurriculumFactory())
    assert "curriculum" in refused.value.message_dict


def test_fellow_graduates_may_co_facilitate(client, graduate, cascade, tot):
    fellow = MemberFactory(full_name="Sari Dewi")
    EnrollmentFactory(cohort=tot, member=fellow, status=COMPLETED)
    dropout = MemberFactory(full_name="Budi Santoso")
    EnrollmentFactory(cohort=tot, member=dropout, status=Enrollment.Status.INCOMPLETE)
    client.force_login(graduate.user)

    form = client.get(_url("session_create", slug=cascade.slug)).context["form"]

    candidates = set(form.fields["trainers"].queryset)
    assert {graduate, fellow} <= candidates
    assert dropout not in candidates


def test_the_started_cascade_shows_on_my_trainings(client, graduate, cascade):
    client.force_login(graduate.user)

    response = client.get(_url("my_trainings"))

    plan = CascadePlan.objects.get()
    page = response.content.decode()
    assert _url("manage_detail", slug=cascade.slug) in page
    assert "Run one more cascade training" in page  # the one planned training is started
    assert _url("cascade_start", pk=plan.pk) in page
    _assert_every_link_opens(client, page)
