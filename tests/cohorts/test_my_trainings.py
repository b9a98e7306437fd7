"""A participant's own trainings: the list with statuses and waiting-list places, one
registration's page, cancelling (a freed seat goes to the first in line at once), the
personal calendar feed, the navbar, and the public cohort page's register button."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cohorts.ical import session_uid
from cohorts.models import Cohort, Enrollment
from cohorts.selectors.registration import member_enrollments
from cohorts.services.calendars import calendar_token_for
from tests.cohorts.factories import CohortFactory, EnrollmentFactory, SessionFactory
from tests.cohorts.test_registration import cohort_locked
from tests.members.factories import MemberFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Enrollment.Status
MY_TRAININGS = reverse("cohorts:my_trainings")


def open_cohort(**fields) -> Cohort:
    fields.setdefault("starts_on", timezone.localdate() + dt.timedelta(days=60))
    fields.setdefault("capacity", 2)
    return CohortFactory(**fields)


def queue(cohort: Cohort, count: int, *, start=None) -> list[Enrollment]:
    """``count`` people waiting, one minute apart."""
    start = start or timezone.now() - dt.timedelta(hours=1)
    return [
        EnrollmentFactory(
            cohort=cohort,
            status=Status.WAITLISTED,
            waitlisted_at=start + dt.timedelta(minutes=number),
        )
        for number in range(count)
    ]


def cancel_url(enrollment: Enrollment) -> str:
    return reverse("cohorts:enrollment_cancel_self", kwargs={"pk": enrollment.pk})


def detail_url(enrollment: Enrollment) -> str:
    return reverse("cohorts:my_training", kwargs={"pk": enrollment.pk})


# --- the list --------------------------------------------------------------------------------


def test_my_trainings_lists_only_my_enrollments_with_places_in_line(client, participant):
    me = participant.member
    seated = EnrollmentFactory(member=me, cohort=open_cohort())
    full = open_cohort(capacity=1)
    EnrollmentFactory(cohort=full)
    ahead = queue(full, 2)
    waiting = EnrollmentFactory(
        member=me,
        cohort=full,
        status=Status.WAITLISTED,
        waitlisted_at=ahead[-1].waitlisted_at + dt.timedelta(minutes=1),
    )
    EnrollmentFactory(cohort=full, status=Status.WAITLISTED)  # behind me
    EnrollmentFactory(member=MemberFactory(), cohort=open_cohort())  # someone else's
    client.force_login(participant)

    response = client.get(MY_TRAININGS)

    listed = {enrollment.pk: enrollment for enrollment in response.context["enrollments"]}
    assert set(listed) == {seated.pk, waiting.pk}
    assert listed[waiting.pk].waitlist_position == 3
    assert listed[seated.pk].waitlist_position is None
    page = response.content.decode()
    assert f'id="enrollment-{waiting.pk}"' in page
    assert reverse("cohorts:ticket", kwargs={"pk": seated.pk}) in page
    assert reverse("cohorts:ticket", kwargs={"pk": waiting.pk}) not in page
    assert page.count('class="enrollment-cancel') == 2


def test_waiting_list_places_break_ties_by_id(participant):
    cohort = open_cohort(capacity=1)
    same_moment = timezone.now()
    first, second, third = (
        EnrollmentFactory(cohort=cohort, status=Status.WAITLISTED, waitlisted_at=same_moment)
        for _ in range(3)
    )
    Enrollment.objects.filter(pk=second.pk).update(member=participant.member)

    positions = {
        enrollment.pk: enrollment.waitlist_position
        for enrollment in member_enrollments(member=participant.member)
    }

    assert first.pk < second.pk < third.pk
    assert positions == {second.pk: 2}


def test_my_trainings_without_member_record_explains(client, trainer):
    client.force_login(trainer)

    response = client.get(MY_TRAININGS)

    assert response.status_code == 200
    assert response.context["member"] is None
    assert b'id="my-trainings-no-member"' in response.content


@pytest.mark.parametrize("count", [2, 20])
def test_my_trainings_query_count_is_constant(
    client, participant, count, django_assert_max_num_queries
):
    cohorts = [open_cohort(capacity=1) for _ in range(count)]
    for cohort in cohorts[::2]:
        queue(cohort, 2)
    for number, cohort in enumerate(cohorts):
        status = Status.WAITLISTED if number % 2 == 0 else Status.CONFIRMED
        EnrollmentFactory(cohort=cohort, member=participant.member, status=status)
    client.force_login(participant)

    # session + user (2), member record (1), enrollments with cohorts, regions and
    # waiting-list places (1), navbar: reach (1) + member record (1), cascades: trainings
    # to cascade from (1), plans (1) and their cascades (1, none here), cascades led (1)
    with django_assert_max_num_queries(10):
        response = client.get(MY_TRAININGS)

    assert len(response.context["enrollments"]) == count
    assert {e.waitlist_position for e in response.context["enrollments"]} == {None, 3}


# --- one registration ------------------------------------------------------------------------


@pytest.mark.parametrize("waiting", [0, 20])
def test_my_training_page_query_count_is_constant(
    client, participant, waiting, django_assert_max_num_queries
):
    cohort = open_cohort(capacity=1)
    queue(cohort, waiting)
    mine = EnrollmentFactory(cohort=cohort, member=participant.member, status=Status.WAITLISTED)
    client.force_login(participant)

    # session + user (2), the enrollment with cohort, member and place in line (1),
    # navbar: reach (1) + member record (1)
    with django_assert_max_num_queries(5):
        response = client.get(detail_url(mine))

    assert response.context["enrollment"].waitlist_position == waiting + 1


def test_someone_elses_registration_page_is_404(client, participant):
    other = EnrollmentFactory(cohort=open_cohort())
    client.force_login(participant)

    assert client.get(detail_url(other)).status_code == 404


# --- cancelling ------------------------------------------------------------------------------


def test_cancel_own_registration(client, participant):
    mine = EnrollmentFactory(cohort=open_cohort(), member=participant.member)
    client.force_login(participant)

    response = client.post(cancel_url(mine))

    assert response.status_code == 302
    assert response["Location"] == MY_TRAININGS
    mine.refresh_from_db()
    assert mine.status == Status.CANCELLED
    assert mine.changes.get().changed_by == participant


def test_cancel_from_the_waiting_list(client, participant):
    cohort = open_cohort(capacity=1)
    EnrollmentFactory(cohort=cohort)
    mine = EnrollmentFactory(cohort=cohort, member=participant.member, status=Status.WAITLISTED)
    client.force_login(participant)

    client.post(cancel_url(mine))

    mine.refresh_from_db()
    assert mine.status == Status.CANCELLED


def test_cancel_someone_elses_registration_is_404(client, participant):
    other = EnrollmentFactory(cohort=open_cohort())
    client.force_login(participant)

    response = client.post(cancel_url(other))

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == Status.CONFIRMED


def test_cancel_needs_a_post(client, participant):
    mine = EnrollmentFactory(cohort=open_cohort(), member=participant.member)
    client.force_login(participant)

    assert client.get(cancel_url(mine)).status_code == 405
    mine.refresh_from_db()
    assert mine.status == Status.CONFIRMED


def test_cancelling_twice_says_so_and_changes_nothing(client, participant):
    mine = EnrollmentFactory(
        cohort=open_cohort(), member=participant.member, status=Status.CANCELLED
    )
    client.force_login(participant)

    response = client.post(cancel_url(mine), follow=True)

    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not mine.changes.exists()


def test_cancelling_a_seat_promotes_the_first_waiting_and_tells_them(
    client, participant, django_capture_on_commit_callbacks, mailoutbox
):
    cohort = open_cohort(capacity=1)
    mine = EnrollmentFactory(cohort=cohort, member=participant.member)
    first, second = queue(cohort, 2)
    Enrollment.objects.filter(pk=first.pk).update(member=MemberFactory(email="first@example.org"))
    client.force_login(participant)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(cancel_url(mine))

    statuses = dict(cohort.enrollments.values_list("pk", "status"))
    assert statuses == {
        mine.pk: Status.CANCELLED,
        first.pk: Status.CONFIRMED,
        second.pk: Status.WAITLISTED,
    }
    promoted = [message for message in mailoutbox if message.to == ["first@example.org"]]
    assert len(promoted) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks")
def test_cancelling_while_the_cohort_is_busy_answers_try_again(client, settings):
    settings.ENROLLMENT_LOCK_TIMEOUT = 0.2
    user = UserFactory()
    mine = EnrollmentFactory(cohort=open_cohort(), member=MemberFactory(user=user))
    client.force_login(user)

    with cohort_locked(mine.cohort):
        response = client.post(cancel_url(mine))

    assert response.status_code == 503
    assert b'id="registration-problem"' in response.content
    mine.refresh_from_db()
    assert mine.status == Status.CONFIRMED


# --- personal calendar feed ------------------------------------------------------------------


def feed_uids(client, user) -> set[str]:
    token = calendar_token_for(user=user).token
    response = client.get(reverse("cohorts:personal_feed", kwargs={"token": token}))
    return {str(event["UID"]) for event in Calendar.from_ical(response.content).walk("VEVENT")}


def test_personal_feed_holds_the_sessions_of_cohorts_i_have_a_seat_in(client, participant):
    me = participant.member
    seated, waiting, cancelled, draft = (open_cohort() for _ in range(4))
    Cohort.objects.filter(pk=draft.pk).update(status=Cohort.Status.DRAFT)
    EnrollmentFactory(cohort=seated, member=me)
    EnrollmentFactory(cohort=waiting, member=me, status=Status.WAITLISTED)
    EnrollmentFactory(cohort=cancelled, member=me, status=Status.CANCELLED)
    EnrollmentFactory(cohort=draft, member=me)
    sessions = {cohort.pk: SessionFactory(cohort=cohort) for cohort in (seated, waiting)}
    SessionFactory(cohort=cancelled)
    SessionFactory(cohort=draft)
    SessionFactory(cohort=open_cohort(), trainers=[MemberFactory()])  # not mine at all

    uids = feed_uids(client, participant)

    assert uids == {session_uid(sessions[seated.pk])}


def test_personal_feed_keeps_a_cancelled_cohorts_sessions_as_cancelled(client, participant):
    """As the cohort's cancellation leaves it: the cohort, its sessions and its enrollments
    all cancelled."""
    cohort = open_cohort(status=Cohort.Status.CANCELLED)
    session = SessionFactory(cohort=cohort, status="cancelled")
    EnrollmentFactory(cohort=cohort, member=participant.member, status=Status.CANCELLED)

    token = calendar_token_for(user=participant).token
    response = client.get(reverse("cohorts:personal_feed", kwargs={"token": token}))

    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [(str(e["UID"]), str(e["STATUS"])) for e in events] == [
        (session_uid(session), "CANCELLED")
    ]


# --- navbar and the public cohort page --------------------------------------------------------


def nav_urls(response) -> list[str]:
    return [item.url_name for item in response.context["navigation"]]


def test_navbar_offers_my_trainings_to_members_only(client, participant, organizer):
    client.force_login(participant)
    member_nav = nav_urls(client.get(reverse("members:dashboard")))
    client.force_login(organizer)
    organizer_nav = nav_urls(client.get(reverse("members:dashboard")))

    assert "cohorts:my_trainings" in member_nav
    assert "cohorts:my_trainings" not in organizer_nav


def detail(client, cohort: Cohort):
    return client.get(reverse("cohorts:detail", kwargs={"slug": cohort.slug}))


def test_cohort_page_offers_registration_with_seats_left(client):
    cohort = open_cohort(capacity=3)
    EnrollmentFactory(cohort=cohort)

    response = detail(client, cohort)

    assert response.context["seats_left"] == 2
    register = reverse("cohorts:register", kwargs={"slug": cohort.slug})
    assert f'href="{register}"' in response.content.decode()
    assert b'id="cohort-seats-left"' in response.content


def test_full_cohort_page_offers_the_waiting_list(client):
    cohort = open_cohort(capacity=1)
    EnrollmentFactory(cohort=cohort)

    with_english = client.get(
        "/en" + reverse("cohorts:detail", kwargs={"slug": cohort.slug}),
    )

    assert with_english.context["seats_left"] == 0
    assert "Join the waiting list" in with_english.content.decode()


def test_seats_wait_for_the_queue_first(client):
    """An organizer moved someone to the waiting list: the free seat is theirs to take."""
    cohort = open_cohort(capacity=2)
    EnrollmentFactory(cohort=cohort)
    queue(cohort, 1)

    assert detail(client, cohort).context["seats_left"] == 0


def test_closed_cohort_page_has_no_register_button(client):
    cohort = open_cohort(registration_closes_at=timezone.now() - dt.timedelta(minutes=1))

    response = detail(client, cohort)

    assert b'id="cohort-register-button"' not in response.content
    assert response.context["seats_left"] is None


def test_cohort_page_shows_my_registration_instead_of_the_button(client, participant):
    cohort = open_cohort()
    mine = EnrollmentFactory(cohort=cohort, member=participant.member, status=Status.WAITLISTED)
    client.force_login(participant)

    response = detail(client, cohort)

    assert response.context["enrollment"] == mine
    assert b'id="cohort-register-button"' not in response.content
    assert detail_url(mine) in response.content.decode()


@pytest.mark.parametrize("enrolled", [2, 20])
def test_cohort_page_query_count_for_a_member_is_constant(
    client, participant, enrolled, django_assert_max_num_queries
):
    cohort = open_cohort(capacity=50, organizers=[OrganizationFactory()])
    for _ in range(enrolled):
        EnrollmentFactory(cohort=cohort)
    SessionFactory(cohort=cohort)
    client.force_login(participant)

    # session + user (2), cohort + organizers + lead trainers (3), sessions + modules +
    # trainers (3), reach for "manage" (1), my enrollment (1), seats left (1), navbar:
    # reach (1) + member record (1)
    with django_assert_max_num_queries(13):
        response = detail(client, cohort)

    assert response.context["seats_left"] == 50 - enrolled


def test_account_without_member_sees_the_button_too(client):
    client.force_login(UserFactory())
    response = detail(client, open_cohort())

    assert b'id="cohort-register-button"' in response.content
