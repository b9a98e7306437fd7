"""The roll call page and its two actions: who reaches them, what a tap writes, and that the
page costs the same few queries for a class of 10 or 200.

Messages are read under /en/ (the English catalogue answers with the msgids)."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation

from cohorts.models import Attendance, Cohort, Enrollment, Session
from members.models import Member
from tests.cohorts.factories import CohortFactory, EnrollmentFactory, SessionFactory
from tests.members.factories import (
    MemberFactory,
    OrganizationFactory,
    OrganizationRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
NOT_ON_THE_ROLL = "This person is not a confirmed participant of the training."


def url(name: str, session: Session, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, kwargs={"pk": session.pk})


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def mark(client, session, enrollment, status="present", *, as_json=True, **fields):
    data = {"enrollment": enrollment.pk, "status": status, **fields}
    extra = JSON if as_json else {}
    return client.post(url("cohorts:roll_call_mark", session), data, **extra)


@pytest.fixture
def trainer_member(trainer, organization):
    return MemberFactory(user=trainer, organization=organization)


@pytest.fixture
def cohort(organization):
    return CohortFactory(
        organizers=[organization], status=Cohort.Status.RUNNING, time_zone="Asia/Makassar"
    )


@pytest.fixture
def session(cohort, trainer_member):
    return SessionFactory(
        cohort=cohort, trainers=[trainer_member], title="Dialog sosial", room="R2"
    )


@pytest.fixture
def seats(cohort):
    return [
        EnrollmentFactory(cohort=cohort, member__full_name=name)
        for name in ("Wayan", "Andi", "Siti")
    ]


@pytest.fixture
def as_trainer(client, trainer, trainer_member):
    client.force_login(trainer)
    return client


# --- who -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["trainer", "organizer"])
def test_the_sessions_trainer_and_the_cohorts_organizer_open_and_mark(
    client, request, role, trainer_member, session, seats
):
    user = request.getfixturevalue(role)
    client.force_login(user)

    page = client.get(url("cohorts:roll_call", session))
    response = mark(client, session, seats[0], "late")

    assert page.status_code == 200
    names = [entry.enrollment.member.full_name for entry in page.context["roll_call"].entries]
    assert names == ["Andi", "Siti", "Wayan"]
    assert response.status_code == 200
    assert response.json()["status"] == "late"
    assert response.json()["saved_at"]
    attendance = Attendance.objects.get()
    assert (attendance.enrollment, attendance.status) == (seats[0], "late")
    assert (attendance.method, attendance.recorded_by) == ("roll_call", user)


def _trainer_of_another_session(cohort, organization):
    user = UserFactory()
    OrganizationRoleFactory(user=user, organization=organization, role="trainer")
    SessionFactory(cohort=cohort, trainers=[MemberFactory(user=user, organization=organization)])
    return user


def _participant_of_the_cohort(cohort, organization):
    user = UserFactory()
    EnrollmentFactory(cohort=cohort, member=MemberFactory(user=user, organization=organization))
    return user


def _organizer_of_another_organization(cohort, organization):
    user = UserFactory()
    OrganizationRoleFactory(user=user, organization=OrganizationFactory(), role="organizer")
    return user


@pytest.mark.parametrize(
    "make_user",
    [_trainer_of_another_session, _participant_of_the_cohort, _organizer_of_another_organization],
)
def test_everyone_else_gets_404_and_writes_nothing(
    client, organization, cohort, session, seats, make_user
):
    client.force_login(make_user(cohort, organization))

    assert client.get(url("cohorts:roll_call", session)).status_code == 404
    assert mark(client, session, seats[0]).status_code == 404
    assert client.post(url("cohorts:roll_call_all_present", session)).status_code == 404
    assert not Attendance.objects.exists()


def test_an_unknown_session_is_404(as_trainer):
    assert as_trainer.get(reverse("cohorts:roll_call", kwargs={"pk": 999999})).status_code == 404


def test_anonymous_is_sent_to_log_in(client, session, seats):
    for response in (
        client.get(url("cohorts:roll_call", session)),
        mark(client, session, seats[0]),
        client.post(url("cohorts:roll_call_all_present", session)),
    ):
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    assert not Attendance.objects.exists()


# --- what a tap writes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "make_seat",
    [
        lambda cohort: EnrollmentFactory(cohort=CohortFactory(status=Cohort.Status.RUNNING)),
        lambda cohort: EnrollmentFactory(cohort=cohort, status=Enrollment.Status.WAITLISTED),
        lambda cohort: EnrollmentFactory(cohort=cohort, status=Enrollment.Status.CANCELLED),
    ],
    ids=["other cohort", "waitlisted", "cancelled"],
)
def test_someone_not_confirmed_here_is_refused_with_400(as_trainer, cohort, session, make_seat):
    response = mark(as_trainer, session, make_seat(cohort))

    assert response.status_code == 400
    assert response.json() == {"error": NOT_ON_THE_ROLL}
    assert not Attendance.objects.exists()


def test_an_unknown_enrollment_or_status_is_refused_with_400(as_trainer, session, seats):
    unknown = as_trainer.post(
        url("cohorts:roll_call_mark", session), {"enrollment": 999999, "status": "present"}, **JSON
    )
    bad_status = mark(as_trainer, session, seats[0], "asleep")

    assert unknown.status_code == 400
    assert unknown.json()["error"]
    assert bad_status.status_code == 400
    assert "asleep" in bad_status.json()["error"]
    assert not Attendance.objects.exists()


def test_a_refusal_is_in_the_users_language(as_trainer, cohort, session):
    waiting = EnrollmentFactory(cohort=cohort, status=Enrollment.Status.WAITLISTED)
    data = {"enrollment": waiting.pk, "status": "present"}

    english = as_trainer.post(url("cohorts:roll_call_mark", session), data, **JSON)
    indonesian = as_trainer.post(url("cohorts:roll_call_mark", session, "id"), data, **JSON)

    assert english.json()["error"] == NOT_ON_THE_ROLL
    with translation.override("id"):
        assert indonesian.json()["error"] == translation.gettext(NOT_ON_THE_ROLL)


def test_a_second_tap_changes_the_status_in_the_same_row(as_trainer, session, seats):
    mark(as_trainer, session, seats[0], "absent")

    response = mark(as_trainer, session, seats[0], "excused")

    assert response.json()["status"] == "excused"
    assert list(Attendance.objects.values_list("enrollment", "status")) == [
        (seats[0].pk, "excused")
    ]


def test_a_note_is_saved_and_a_later_tap_keeps_it(as_trainer, session, seats):
    mark(as_trainer, session, seats[0], "excused")

    saved = mark(as_trainer, session, seats[0], "excused", note="Sakit, surat dokter")
    mark(as_trainer, session, seats[0], "late")

    assert saved.json()["note"] == "Sakit, surat dokter"
    assert (Attendance.objects.get().status, Attendance.objects.get().note) == (
        "late",
        "Sakit, surat dokter",
    )


def test_mark_all_present_leaves_earlier_marks(as_trainer, session, seats):
    mark(as_trainer, session, seats[0], "absent")

    response = as_trainer.post(url("cohorts:roll_call_all_present", session))

    assert response.status_code == 302
    assert response["Location"] == url("cohorts:roll_call", session)
    assert texts(response) == ["2 people marked present."]
    marks = dict(Attendance.objects.values_list("enrollment", "status"))
    assert marks == {seats[0].pk: "absent", seats[1].pk: "present", seats[2].pk: "present"}


def test_a_cancelled_session_is_refused_with_a_message(as_trainer, session, seats):
    Session.objects.filter(pk=session.pk).update(status=Session.Status.CANCELLED)

    tap = mark(as_trainer, session, seats[0])
    all_present = as_trainer.post(url("cohorts:roll_call_all_present", session))

    assert tap.status_code == 400
    assert tap.json()["error"] == "This session was cancelled; it has no attendance."
    assert texts(all_present) == ["This session was cancelled; it has no attendance."]
    assert not Attendance.objects.exists()


def test_a_completed_cohort_is_refused_with_a_message(as_trainer, cohort, session, seats):
    Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.COMPLETED)
    refusal = "The training is “Completed”: attendance can no longer be changed."

    tap = mark(as_trainer, session, seats[0])
    all_present = as_trainer.post(url("cohorts:roll_call_all_present", session))

    assert tap.status_code == 400
    assert tap.json()["error"] == refusal
    assert texts(all_present) == [refusal]
    assert not Attendance.objects.exists()


# --- without the script ----------------------------------------------------------------------


def test_without_the_script_a_tap_posts_and_comes_back_to_the_row(as_trainer, session, seats):
    response = mark(as_trainer, session, seats[1], "present", as_json=False)

    assert response.status_code == 302
    assert response["Location"] == f"{url('cohorts:roll_call', session)}#person-{seats[1].pk}"
    assert Attendance.objects.get().status == "present"
    page = as_trainer.get(response["Location"])
    entry = next(e for e in page.context["roll_call"].entries if e.enrollment == seats[1])
    assert entry.status == "present"
    assert 'aria-pressed="true"' in page.content.decode()


def test_without_the_script_a_refusal_comes_back_as_a_message(as_trainer, cohort, session):
    waiting = EnrollmentFactory(cohort=cohort, status=Enrollment.Status.WAITLISTED)

    response = mark(as_trainer, session, waiting, as_json=False)

    assert response.status_code == 302
    assert texts(response) == [NOT_ON_THE_ROLL]
    assert not Attendance.objects.exists()


# --- the page --------------------------------------------------------------------------------


def test_the_page_shows_the_session_in_its_zone_the_counts_and_the_actions(
    as_trainer, session, seats
):
    mark(as_trainer, session, seats[0], "late")
    mark(as_trainer, session, seats[1], "late")

    response = as_trainer.get(url("cohorts:roll_call", session))

    page = response.content.decode()
    assert "09:00–10:30 WITA" in page
    assert "R2" in page
    counts = {item.status: item.count for item in response.context["roll_call"].counts}
    assert counts == {"present": 0, "late": 2, "absent": 0, "excused": 0}
    assert response.context["roll_call"].not_marked == 1
    assert url("cohorts:roll_call_mark", session) in page
    assert url("cohorts:roll_call_all_present", session) in page
    assert "js/roll-call" in page


def _bulk_seats(cohort: Cohort, count: int, session: Session) -> None:
    members = Member.objects.bulk_create(
        MemberFactory.build(organization=cohort.organizers.first()) for _ in range(count)
    )
    seats = Enrollment.objects.bulk_create(
        Enrollment(cohort=cohort, member=member, status=Enrollment.Status.CONFIRMED)
        for member in members
    )
    Attendance.objects.bulk_create(
        Attendance(enrollment=seat, session=session, status="present", method="roll_call")
        for seat in seats[::2]
    )


@pytest.mark.parametrize("count", [10, 200])
def test_the_page_costs_the_same_queries_for_10_or_200(
    as_trainer, cohort, session, count, django_assert_max_num_queries
):
    _bulk_seats(cohort, count, session)
    EnrollmentFactory(cohort=cohort, status=Enrollment.Status.WAITLISTED)

    # login session, user, session + cohort, is-trainer check, the roll (enrollments with
    # names, then this session's marks), and the navbar's two (roles in reach, trains any)
    with django_assert_max_num_queries(8):
        response = as_trainer.get(url("cohorts:roll_call", session))

    assert len(response.context["roll_call"].entries) == count
    assert response.context["roll_call"].not_marked == count // 2


def test_a_tap_is_a_few_queries(as_trainer, session, seats, django_assert_max_num_queries):
    mark(as_trainer, session, seats[0], "absent")

    # login session, user, session + cohort, is-trainer check, enrollment; then the write:
    # two savepoints (the service's, update_or_create's), select for update, update, releases
    with django_assert_max_num_queries(11):
        response = mark(as_trainer, session, seats[0], "present")

    assert response.status_code == 200


# --- entry points ----------------------------------------------------------------------------


def test_my_schedule_links_to_the_roll_call_of_upcoming_sessions(
    as_trainer, cohort, trainer_member
):
    starts_at = timezone.now() + dt.timedelta(days=1)
    ends_at = starts_at + dt.timedelta(hours=1)
    upcoming = SessionFactory(
        cohort=cohort, trainers=[trainer_member], starts_at=starts_at, ends_at=ends_at
    )
    cancelled = SessionFactory(
        cohort=cohort,
        trainers=[trainer_member],
        starts_at=starts_at,
        ends_at=ends_at,
        status=Session.Status.CANCELLED,
    )

    page = as_trainer.get(reverse("cohorts:my_sessions")).content.decode()

    assert reverse("cohorts:roll_call", kwargs={"pk": upcoming.pk}) in page
    assert reverse("cohorts:roll_call", kwargs={"pk": cancelled.pk}) not in page


def test_the_organizers_cohort_page_links_each_sessions_roll_call(
    client, organizer, cohort, session
):
    cancelled = SessionFactory(cohort=cohort, status=Session.Status.CANCELLED)
    client.force_login(organizer)

    page = client.get(reverse("cohorts:manage_detail", kwargs={"slug": cohort.slug}))

    assert reverse("cohorts:roll_call", kwargs={"pk": session.pk}) in page.content.decode()
    assert reverse("cohorts:roll_call", kwargs={"pk": cancelled.pk}) not in page.content.decode()


def test_the_public_cohort_page_has_no_roll_call_link(client, organizer, cohort, session):
    client.force_login(organizer)

    page = client.get(reverse("cohorts:detail", kwargs={"slug": cohort.slug}))

    assert reverse("cohorts:roll_call", kwargs={"pk": session.pk}) not in page.content.decode()
