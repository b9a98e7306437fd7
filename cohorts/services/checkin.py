"""Check-in at the door: a participant scans the session's code (or types its six digits),
or a trainer scans the participant's e-ticket. Either marks the person present, or late
after the cohort's ``late_after_minutes``, and never changes a mark already given: what a
trainer decided on the roll call stays.

Check-in is open from ``CHECKIN_OPENS_MINUTES_BEFORE`` minutes before a session starts
until it ends. Every refusal is a ``CheckinError`` with a message for the person, and
writes nothing. ``now`` is always passed in, so the rules are tested with any clock.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cohorts import zones
from cohorts.checkin_tokens import short_code_matches
from cohorts.models import Attendance, Enrollment, Session
from cohorts.services.attendance import ON_THE_ROLL
from cohorts.services.attendance import _check_session as check_session_takes_attendance

ATTENDED = (Attendance.Status.PRESENT, Attendance.Status.LATE)
NOT_ON_THE_ROLL = "not_on_the_roll"


class CheckinError(ValidationError):
    """Check-in was refused; nothing was written. ``messages`` says why."""


@dataclass(frozen=True)
class CheckIn:
    attendance: Attendance
    # False when the person was already marked: that mark was kept and nothing was written.
    recorded: bool

    @property
    def enrollment(self) -> Enrollment:
        return self.attendance.enrollment


def checkin_window(session: Session) -> tuple[dt.datetime, dt.datetime]:
    opens = session.starts_at - dt.timedelta(minutes=settings.CHECKIN_OPENS_MINUTES_BEFORE)
    return opens, session.ends_at


def checkin_is_open(session: Session, *, now: dt.datetime) -> bool:
    opens, closes = checkin_window(session)
    return opens <= now <= closes


def checkin_status_at(session: Session, *, now: dt.datetime) -> str:
    """Present up to and including ``late_after_minutes`` after the start, late after."""
    late_from = session.starts_at + dt.timedelta(minutes=session.cohort.late_after_minutes)
    return Attendance.Status.LATE if now > late_from else Attendance.Status.PRESENT


def _local_time(moment: dt.datetime, session: Session) -> str:
    local = zones.local(moment, session.cohort)
    return f"{local:%H:%M} {zones.abbreviation_of(session.cohort)}"


def _refuse_unless_open(session: Session, now: dt.datetime) -> None:
    try:
        check_session_takes_attendance(session)
    except ValidationError as error:
        raise CheckinError(error.messages) from error
    opens, closes = checkin_window(session)
    if now < opens:
        raise CheckinError(
            _("Check-in for this session opens at %(time)s on %(day)s.")
            % {
                "time": _local_time(opens, session),
                "day": f"{zones.local(opens, session.cohort):%d-%m-%Y}",
            }
        )
    if now > closes:
        raise CheckinError(
            _("Check-in for this session closed when it ended at %(time)s.")
            % {"time": _local_time(closes, session)}
        )


def _keep_or_record(
    *, session: Session, enrollment: Enrollment, method: str, by, now: dt.datetime
) -> CheckIn:
    # get_or_create, not attendance_mark's update_or_create: a trainer's mark written
    # a moment earlier (the unique constraint catches the race) must not be overwritten.
    attendance, created = Attendance.objects.get_or_create(
        enrollment=enrollment,
        session=session,
        defaults={
            "status": checkin_status_at(session, now=now),
            "method": method,
            "recorded_by": by,
        },
    )
    attendance.enrollment, attendance.session = enrollment, session
    return CheckIn(attendance=attendance, recorded=created)


def self_check_in_enrollment(
    *, session: Session, user: AbstractBaseUser, now: dt.datetime
) -> Enrollment:
    """The user's seat that a self check-in to ``session`` (cohort loaded) would mark;
    ``CheckinError`` (code ``not_on_the_roll`` when it is the person) if it would be
    refused. Writes nothing: the confirmation page asks this before the button."""
    _refuse_unless_open(session, now)
    enrollment = (
        Enrollment.objects.select_related("member")
        .filter(cohort_id=session.cohort_id, member__user=user, status__in=ON_THE_ROLL)
        .first()
    )
    if enrollment is None:
        raise CheckinError(
            _("You are not a confirmed participant of this training."), code=NOT_ON_THE_ROLL
        )
    return enrollment


@transaction.atomic
def attendance_self_check_in(
    *, session: Session, user: AbstractBaseUser, now: dt.datetime
) -> CheckIn:
    """The logged-in participant checks themself in to ``session`` (cohort loaded)."""
    enrollment = self_check_in_enrollment(session=session, user=user, now=now)
    return _keep_or_record(
        session=session, enrollment=enrollment, method=Attendance.Method.QR_SELF, by=user, now=now
    )


def _sessions_open_for(user: AbstractBaseUser, now: dt.datetime) -> list[Session]:
    opens_before = dt.timedelta(minutes=settings.CHECKIN_OPENS_MINUTES_BEFORE)
    return list(
        Session.objects.active()
        .filter(
            cohort__enrollments__member__user=user,
            cohort__enrollments__status__in=ON_THE_ROLL,
            starts_at__lte=now + opens_before,
            ends_at__gte=now,
        )
        .select_related("cohort")
        .distinct()
    )


@transaction.atomic
def attendance_self_check_in_by_code(
    *, code: str, user: AbstractBaseUser, now: dt.datetime
) -> CheckIn:
    """The six digits from the trainer's screen, for one of the user's open sessions."""
    sessions = _sessions_open_for(user, now)
    if not sessions:
        raise CheckinError(_("You have no session open for check-in right now."))
    code = "".join(code.split())
    for session in sessions:
        if short_code_matches(code, session_id=session.pk, now=now):
            return attendance_self_check_in(session=session, user=user, now=now)
    raise CheckinError(
        _("This code does not match your session. Check the six digits on the trainer's screen.")
    )


def _refuse_ticket_unless_on_the_roll(session: Session, enrollment: Enrollment) -> None:
    name = enrollment.member.full_name
    if enrollment.cohort_id != session.cohort_id:
        raise CheckinError(
            _("%(name)s's ticket is for another training: %(cohort)s.")
            % {"name": name, "cohort": enrollment.cohort.title}
        )
    if enrollment.status not in ON_THE_ROLL:
        raise CheckinError(
            _("%(name)s's registration is not confirmed (%(status)s).")
            % {"name": name, "status": enrollment.get_status_display()}
        )


@transaction.atomic
def attendance_ticket_check_in(
    *, session: Session, enrollment: Enrollment, by: AbstractBaseUser, now: dt.datetime
) -> CheckIn:
    """A trainer scanned ``enrollment``'s e-ticket at ``session``. A ticket names its
    enrollment whatever became of it, so the seat is checked here."""
    _refuse_unless_open(session, now)
    _refuse_ticket_unless_on_the_roll(session, enrollment)
    return _keep_or_record(
        session=session,
        enrollment=enrollment,
        method=Attendance.Method.TICKET_SCAN,
        by=by,
        now=now,
    )
