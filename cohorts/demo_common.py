"""Building blocks the demo stories share: accounts with the demo password, a session
plan with trainers taking turns, participants seated in a training long past, its
sessions held with a roll call, and their log.

Demo data refuses to load in production (``load_demo_data`` needs DEBUG): the password
is printed on purpose.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone

from cohorts.models import (
    Attendance,
    Cohort,
    Enrollment,
    EnrollmentChange,
    Session,
    SessionReport,
)
from cohorts.services.attendance import attendance_mark, attendance_mark_all_present
from cohorts.services.planning import sessions_propose
from members.models import Member

DEMO_PASSWORD = "demo-tot-2026"  # noqa: S105 - printed on purpose; demo data refuses production

# Training days of 08:30-16:30 with a lunch break (tea breaks fall inside sessions), every
# day of the week: the TOT's eight modules fill three days.
DAY_START, DAY_END = dt.time(8, 30), dt.time(16, 30)
BREAKS = ((dt.time(12), dt.time(13)),)
EVERY_DAY = range(7)


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str


def demo_account(email: str, *, is_superuser: bool = False) -> AbstractBaseUser:
    user, _ = get_user_model().objects.update_or_create(
        username=email,
        defaults={
            "email": email,
            "is_staff": is_superuser,
            "is_superuser": is_superuser,
            "is_active": True,
        },
    )
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def planned_sessions(
    cohort: Cohort,
    trainers: Sequence[Member],
    *,
    start_date: dt.date | None = None,
    day_start: dt.time = DAY_START,
    day_end: dt.time = DAY_END,
    breaks: Sequence[tuple[dt.time, dt.time]] = BREAKS,
    weekdays: Iterable[int] = EVERY_DAY,
    room: str = "Ruang Utama",
) -> list[dict]:
    """The planning service's proposal for the cohort's curriculum, as the rows
    ``sessions_create_many`` takes; trainers take turns, module by module."""
    proposal = sessions_propose(
        cohort=cohort,
        start_date=start_date or cohort.starts_on,
        day_start=day_start,
        day_end=day_end,
        breaks=breaks,
        weekdays=weekdays,
        room=room,
    )
    return [
        {
            "title": proposed.title,
            "starts_at": proposed.starts_at,
            "ends_at": proposed.ends_at,
            "room": proposed.room,
            "modules": [proposed.module],
            "trainers": [trainers[proposed.module.position % len(trainers)]],
        }
        for proposed in proposal
    ]


def demo_session_reports_write(cohort: Cohort, *, by: AbstractBaseUser) -> None:
    """A finished cohort's sessions were logged while it ran: each past one gets a
    submitted report and is held. Written directly, as history (the report services
    refuse a cohort that is already completed); sessions that have a report keep it."""
    past = cohort.sessions.filter(ends_at__lt=timezone.now(), report__isnull=True).exclude(
        status=Session.Status.CANCELLED
    )
    sessions = list(past.prefetch_related("modules"))
    reports = SessionReport.objects.bulk_create(
        SessionReport(
            session=session,
            status=SessionReport.Status.SUBMITTED,
            submitted_at=session.ends_at + dt.timedelta(hours=2),
            written_by=by,
            went_well="Peserta aktif bertanya dan berbagi pengalaman dari tempat kerja.",
            challenges="Beberapa peserta datang terlambat karena lembur.",
            participant_questions="Bagaimana jika pengusaha menolak berunding?",
            follow_up_actions="Kirim materi ke grup WhatsApp peserta.",
        )
        for session in sessions
    )
    covered = SessionReport.modules_covered.through
    covered.objects.bulk_create(
        covered(sessionreport_id=report.pk, module_id=module.pk)
        for report, session in zip(reports, sessions, strict=True)
        for module in session.modules.all()
    )
    cohort.sessions.filter(report__status=SessionReport.Status.SUBMITTED).update(
        status=Session.Status.HELD
    )


def demo_sessions_hold(
    cohort: Cohort,
    *,
    by: AbstractBaseUser,
    until: dt.datetime,
    absent: Sequence[Enrollment] = (),
    missed: Callable[[int], bool] = bool,
) -> list[Session]:
    """The cohort's sessions that ended by ``until`` were held: a roll call for each,
    everyone present except ``absent``, who missed the sessions whose index (0 = the
    first) ``missed`` picks. Call while the cohort runs, before completing it."""
    sessions = list(
        cohort.sessions.exclude(status=Session.Status.CANCELLED)
        .filter(ends_at__lte=until)
        .order_by("starts_at")
    )
    Session.objects.filter(pk__in=[s.pk for s in sessions]).update(status=Session.Status.HELD)
    for index, session in enumerate(sessions):
        attendance_mark_all_present(session=session, by=by)
        for enrollment in absent if missed(index) else ():
            attendance_mark(
                session=session, enrollment=enrollment, status=Attendance.Status.ABSENT, by=by
            )
    return sessions


def demo_enrollments_add_as_history(
    cohort: Cohort, members: Sequence[Member], *, by: AbstractBaseUser, at: dt.datetime
) -> list[Enrollment]:
    """Members an organizer seated in a training long past, written as history: through
    ``enrollment_add`` each would queue a "you are registered" message today for a training
    held months ago (and cost a dozen queries a person). Seats never exceed the capacity;
    call it on a new cohort only."""
    if len(members) > cohort.capacity:
        raise ValueError(f"{len(members)} people do not fit in {cohort.capacity} seats")
    enrollments = Enrollment.objects.bulk_create(
        Enrollment(
            cohort=cohort,
            member=member,
            status=Enrollment.Status.CONFIRMED,
            source=Enrollment.Source.ORGANIZER,
        )
        for member in members
    )
    changes = EnrollmentChange.objects.bulk_create(
        EnrollmentChange(
            enrollment=enrollment,
            from_status="",
            to_status=Enrollment.Status.CONFIRMED,
            changed_by=by,
        )
        for enrollment in enrollments
    )
    Enrollment.objects.filter(pk__in=[e.pk for e in enrollments]).update(
        registered_at=at, status_changed_at=at
    )
    EnrollmentChange.objects.filter(pk__in=[c.pk for c in changes]).update(changed_at=at)
    return enrollments
