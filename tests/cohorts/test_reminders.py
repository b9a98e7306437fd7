"""Session reminders follow registrations and the schedule, inside the same transaction:
a confirmed seat gets them, losing the seat cancels them, moving a session moves the
unsent ones, and nothing is ever due at a time already past."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cohorts.models import Cohort, Enrollment, Notification
from cohorts.services.cohorts import cohort_transition, cohort_update
from cohorts.services.enrollments import (
    enrollment_add,
    enrollment_cancel,
    enrollment_move,
    enrollment_register,
)
from cohorts.services.notifications import notification_deliver, notifications_claim_due
from cohorts.services.sessions import session_cancel, session_create, session_update
from tests.cohorts.factories import CohortFactory, SessionFactory
from tests.members.factories import MemberFactory, OrganizationRoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    return CohortFactory(
        status=Cohort.Status.OPEN,
        starts_on=timezone.localdate() + dt.timedelta(days=10),
        capacity=1,
    )


@pytest.fixture
def organizer_user(cohort):
    role = OrganizationRoleFactory()
    cohort.organizers.set([role.organization])
    return role.user


def _member():
    return MemberFactory(
        consent_given_at=timezone.now(),
        consent_text_version="1",
        email=f"m{MemberFactory._meta.model.objects.count()}@example.org",
        preferred_channel="email",
    )


def _reminders(**filters):
    return Notification.objects.filter(kind=Notification.Kind.SESSION_REMINDER, **filters)


def _due(session, hours):
    return session.starts_at - dt.timedelta(hours=hours)


def test_a_confirmed_seat_gets_a_reminder_24_and_2_hours_before_each_session(cohort):
    first = SessionFactory(cohort=cohort)
    second = SessionFactory(cohort=cohort, starts_at=first.starts_at + dt.timedelta(days=1))

    seat = enrollment_register(cohort=cohort, member=_member()).enrollment

    reminders = {(r.session_id, r.template): r for r in _reminders(enrollment=seat)}
    assert set(reminders) == {
        (first.pk, "24h"),
        (first.pk, "2h"),
        (second.pk, "24h"),
        (second.pk, "2h"),
    }
    assert reminders[(first.pk, "24h")].due_at == _due(first, 24)
    assert reminders[(second.pk, "2h")].due_at == _due(second, 2)
    assert reminders[(first.pk, "2h")].dedupe_key == (
        f"reminder:session:{first.pk}:enrollment:{seat.pk}:2h"
    )
    assert {r.status for r in reminders.values()} == {"scheduled"}


def test_a_late_registration_gets_no_reminder_for_a_time_already_past(cohort):
    soon = SessionFactory(
        cohort=cohort,
        starts_at=timezone.now() + dt.timedelta(hours=5),
        ends_at=timezone.now() + dt.timedelta(hours=6),
    )

    seat = enrollment_register(cohort=cohort, member=_member()).enrollment

    assert list(_reminders(enrollment=seat).values_list("session_id", "template")) == [
        (soon.pk, "2h")
    ]


def test_the_waiting_list_gets_reminders_only_once_promoted(cohort):
    session = SessionFactory(cohort=cohort)
    first = enrollment_register(cohort=cohort, member=_member()).enrollment
    second = enrollment_register(cohort=cohort, member=_member()).enrollment
    assert second.status == Enrollment.Status.WAITLISTED
    assert not _reminders(enrollment=second).exists()

    enrollment_cancel(enrollment=first, by=None)

    assert set(_reminders(enrollment=first).values_list("status", flat=True)) == {"cancelled"}
    assert _reminders(enrollment=second, session=session, status="scheduled").count() == 2


def test_rescheduling_after_the_24h_reminder_went_out_moves_only_the_2h_one(cohort):
    session = SessionFactory(cohort=cohort)
    seat = enrollment_register(cohort=cohort, member=_member()).enrollment
    sent_at = _due(session, 24)
    notifications_claim_due(now=sent_at)
    reminder_24h = _reminders(enrollment=seat, template="24h").get()
    assert notification_deliver(notification_id=reminder_24h.pk).status == "sent"

    later = session.starts_at + dt.timedelta(hours=3)
    session_update(
        session=session,
        title=session.title,
        starts_at=later,
        ends_at=later + dt.timedelta(hours=1),
    )

    reminder_24h.refresh_from_db()
    reminder_2h = _reminders(enrollment=seat, template="2h").get()
    assert reminder_24h.status == "sent"
    assert reminder_24h.due_at == sent_at
    assert reminder_2h.due_at == later - dt.timedelta(hours=2)
    assert reminder_2h.status == "scheduled"
    assert _reminders(enrollment=seat).count() == 2  # nothing new for the 24 h one
    claimed = notifications_claim_due(now=later)
    assert set(claimed) & set(_reminders().values_list("pk", flat=True)) == {reminder_2h.pk}


def test_moving_a_session_closer_cancels_reminders_now_in_the_past(cohort):
    session = SessionFactory(cohort=cohort)
    seat = enrollment_register(cohort=cohort, member=_member()).enrollment
    soon = timezone.now() + dt.timedelta(hours=5)
    cohort.starts_on = timezone.localdate()
    cohort.save()

    session_update(
        session=session, title=session.title, starts_at=soon, ends_at=soon + dt.timedelta(hours=1)
    )

    statuses = dict(_reminders(enrollment=seat).values_list("template", "status"))
    assert statuses == {"24h": "cancelled", "2h": "scheduled"}


def test_cancelling_a_session_or_the_cohort_cancels_its_reminders(cohort, organizer_user):
    kept = SessionFactory(cohort=cohort)
    dropped = SessionFactory(cohort=cohort, starts_at=kept.starts_at + dt.timedelta(days=1))
    seat = enrollment_register(cohort=cohort, member=_member()).enrollment

    session_cancel(session=dropped)

    assert set(_reminders(session=dropped).values_list("status", flat=True)) == {"cancelled"}
    assert set(_reminders(session=kept).values_list("status", flat=True)) == {"scheduled"}

    cohort_transition(cohort=cohort, to_status=Cohort.Status.CANCELLED, by=organizer_user)

    assert set(_reminders(enrollment=seat).values_list("status", flat=True)) == {"cancelled"}


def test_a_session_added_later_gets_reminders_for_everyone_confirmed(cohort):
    first = SessionFactory(cohort=cohort)
    seat = enrollment_add(cohort=cohort, member=_member(), by=None)

    added = session_create(
        cohort=cohort,
        title="Sesi tambahan",
        starts_at=first.starts_at + dt.timedelta(days=1),
        ends_at=first.starts_at + dt.timedelta(days=1, hours=1),
    )

    assert _reminders(enrollment=seat, session=added).count() == 2


def test_changing_the_cohorts_reminder_hours_follows_at_once(cohort, organizer_user):
    session = SessionFactory(cohort=cohort)
    seat = enrollment_register(cohort=cohort, member=_member()).enrollment

    cohort_update(cohort=cohort, by=organizer_user, reminder_hours=[48, 2])

    statuses = dict(_reminders(enrollment=seat).values_list("template", "status"))
    assert statuses == {"24h": "cancelled", "2h": "scheduled", "48h": "scheduled"}
    assert _reminders(enrollment=seat, template="48h").get().due_at == _due(session, 48)


@pytest.mark.parametrize(
    "hours", [[0], [24, 24], [1, 2, 3, 4, 5], ["24"], [24 * 15], "24"], ids=repr
)
def test_impossible_reminder_hours_are_refused_and_nothing_changes(cohort, organizer_user, hours):
    with pytest.raises(ValidationError) as refused:
        cohort_update(cohort=cohort, by=organizer_user, reminder_hours=hours)

    assert "reminder_hours" in refused.value.message_dict
    cohort.refresh_from_db()
    assert cohort.reminder_hours == [24, 2]


def test_a_seat_given_back_gets_its_reminders_again(cohort, organizer_user):
    SessionFactory(cohort=cohort)
    seat = enrollment_register(cohort=cohort, member=_member()).enrollment
    enrollment_move(enrollment=seat, to_status=Enrollment.Status.WAITLISTED, by=organizer_user)
    assert set(_reminders(enrollment=seat).values_list("status", flat=True)) == {"cancelled"}

    enrollment_move(enrollment=seat, to_status=Enrollment.Status.CONFIRMED, by=organizer_user)

    assert set(_reminders(enrollment=seat).values_list("status", flat=True)) == {"scheduled"}
    assert _reminders(enrollment=seat).count() == 2


def test_a_session_moved_away_and_back_gets_its_reminder_again(cohort):
    session = SessionFactory(cohort=cohort)
    planned = session.starts_at
    seat = enrollment_register(cohort=cohort, member=_member()).enrollment
    cohort.starts_on = timezone.localdate()
    cohort.save()
    soon = timezone.now() + dt.timedelta(hours=5)
    session_update(
        session=session, title=session.title, starts_at=soon, ends_at=soon + dt.timedelta(hours=1)
    )
    assert _reminders(enrollment=seat, template="24h").get().status == "cancelled"

    session_update(
        session=session,
        title=session.title,
        starts_at=planned,
        ends_at=planned + dt.timedelta(hours=1),
    )

    reminder = _reminders(enrollment=seat, template="24h").get()
    assert (reminder.status, reminder.due_at) == ("scheduled", _due(session, 24))
