"""Session reminders in the outbox, kept in step with registrations and the schedule.

Each (registration, session, offset) has one reminder row, keyed
``reminder:session:<id>:enrollment:<id>:<hours>h``; a new registration of the same member
is a new enrollment and so gets its own rows. Everything here runs inside the caller's
transaction, so a reminder exists exactly when the change that caused it committed.
"""

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from cohorts.models import Cohort, Enrollment, Notification, Session
from cohorts.services.notifications import UNSENT, notifications_cancel, outbox_add_new

REMINDABLE_COHORT_STATUSES = (Cohort.Status.OPEN, Cohort.Status.RUNNING)


def reminder_key(*, session_id: int, enrollment_id: int, hours: int) -> str:
    return f"reminder:session:{session_id}:enrollment:{enrollment_id}:{hours}h"


def _hours_of(cohort: Cohort) -> list[int]:
    return sorted({int(hours) for hours in cohort.reminder_hours or []}, reverse=True)


def reminders_schedule(
    *,
    cohort: Cohort,
    enrollments: Iterable[Enrollment],
    sessions: Iterable[Session],
    now: dt.datetime | None = None,
    new_registration: bool = False,
) -> int:
    """Create the reminders still ahead for these registrations and sessions; a time
    already past gets none, an existing row is left as it is."""
    now = now or timezone.now()
    if cohort.status not in REMINDABLE_COHORT_STATUSES:
        return 0
    hours_before = _hours_of(cohort)
    sessions = [session for session in sessions if session.status == Session.Status.SCHEDULED]
    rows = [
        Notification(
            member_id=enrollment.member_id,
            kind=Notification.Kind.SESSION_REMINDER,
            template=f"{hours}h",
            context={"hours": hours},
            cohort_id=cohort.pk,
            session_id=session.pk,
            enrollment_id=enrollment.pk,
            due_at=session.starts_at - dt.timedelta(hours=hours),
            dedupe_key=reminder_key(
                session_id=session.pk, enrollment_id=enrollment.pk, hours=hours
            ),
        )
        for enrollment in enrollments
        if enrollment.status == Enrollment.Status.CONFIRMED
        for session in sessions
        for hours in hours_before
        if session.starts_at - dt.timedelta(hours=hours) > now
    ]
    return outbox_add_new(rows, surely_new=new_registration)


def reminders_for_confirmed(
    *, enrollment: Enrollment, new_registration: bool = False, now: dt.datetime | None = None
) -> int:
    """``new_registration``: the enrollment was created in this transaction, so it has
    no reminder rows yet (this runs under the cohort's lock: one query less counts)."""
    cohort = enrollment.cohort
    upcoming = cohort.sessions.filter(
        status=Session.Status.SCHEDULED, starts_at__gt=now or timezone.now()
    )
    return reminders_schedule(
        cohort=cohort,
        enrollments=[enrollment],
        sessions=upcoming,
        now=now,
        new_registration=new_registration,
    )


def reminders_for_sessions(
    *, cohort: Cohort, sessions: Iterable[Session], now: dt.datetime | None = None
) -> int:
    """New or moved sessions: unsent reminders follow the new time (those now in the past
    are cancelled), and confirmed participants get any reminder still missing. Reminders
    already sent are history and stay as they are."""
    now = now or timezone.now()
    sessions = list(sessions)
    unsent = Notification.objects.filter(
        kind=Notification.Kind.SESSION_REMINDER,
        session__in=sessions,
        status__in=UNSENT,
    ).select_related("session")
    moved, passed = [], []
    for reminder in unsent:
        reminder.due_at = reminder.session.starts_at - dt.timedelta(hours=reminder.context["hours"])
        (moved if reminder.due_at > now else passed).append(reminder)
    Notification.objects.bulk_update(moved, ["due_at"])
    notifications_cancel(notifications=Notification.objects.filter(pk__in=[r.pk for r in passed]))
    confirmed = cohort.enrollments.filter(status=Enrollment.Status.CONFIRMED)
    return reminders_schedule(cohort=cohort, enrollments=confirmed, sessions=sessions, now=now)


def reminders_for_cohort(*, cohort: Cohort, now: dt.datetime | None = None) -> int:
    """After the cohort's reminder hours (or its zone) changed: reminders at hours no
    longer asked for are cancelled, the rest follow the sessions."""
    wanted = [f"{hours}h" for hours in _hours_of(cohort)]
    notifications_cancel(
        notifications=Notification.objects.filter(
            kind=Notification.Kind.SESSION_REMINDER, cohort=cohort
        ).exclude(template__in=wanted)
    )
    scheduled = cohort.sessions.filter(status=Session.Status.SCHEDULED)
    return reminders_for_sessions(cohort=cohort, sessions=scheduled, now=now)


def reminders_cancel(
    *, sessions: QuerySet[Session] | None = None, enrollment: Enrollment | None = None
) -> int:
    reminders = Notification.objects.filter(kind=Notification.Kind.SESSION_REMINDER)
    if sessions is not None:
        reminders = reminders.filter(session__in=sessions)
    if enrollment is not None:
        reminders = reminders.filter(enrollment=enrollment)
    return notifications_cancel(notifications=reminders)
