"""Recording who was at a session. Only confirmed participants of the session's cohort
are on the roll; each person has one record per session, changed in place."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cohorts.models import Attendance, Cohort, Enrollment, Session

ON_THE_ROLL = (Enrollment.Status.CONFIRMED, Enrollment.Status.COMPLETED)
_TAKING_ATTENDANCE = (Cohort.Status.OPEN, Cohort.Status.RUNNING)


def ensure_session_takes_attendance(session: Session) -> None:
    if session.status == Session.Status.CANCELLED:
        raise ValidationError(_("This session was cancelled; it has no attendance."))
    if session.cohort.status not in _TAKING_ATTENDANCE:
        raise ValidationError(
            _("The training is “%(status)s”: attendance can no longer be changed.")
            % {"status": session.cohort.get_status_display()}
        )


@transaction.atomic
def attendance_mark(
    *,
    session: Session,
    enrollment: Enrollment,
    status: str,
    by: AbstractBaseUser | None,
    method: str = Attendance.Method.ROLL_CALL,
    note: str | None = None,
) -> Attendance:
    """Set one participant's status for a session (a second tap changes it)."""
    ensure_session_takes_attendance(session)
    if enrollment.cohort_id != session.cohort_id or enrollment.status not in ON_THE_ROLL:
        raise ValidationError(_("This person is not a confirmed participant of the training."))
    if status not in Attendance.Status.values:
        raise ValidationError(_("Choose present, late, absent or excused."))
    defaults = {"status": status, "method": method, "recorded_by": by}
    if note is not None:
        defaults["note"] = note
    attendance, _created = Attendance.objects.update_or_create(
        enrollment=enrollment, session=session, defaults=defaults
    )
    return attendance


@transaction.atomic
def attendance_mark_all_present(
    *,
    session: Session,
    by: AbstractBaseUser | None,
    method: str = Attendance.Method.ROLL_CALL,
) -> int:
    """Everyone on the roll not yet marked becomes present; marks already given stay."""
    ensure_session_takes_attendance(session)
    unmarked = session.cohort.enrollments.filter(status__in=ON_THE_ROLL).exclude(
        attendances__session=session
    )
    created = Attendance.objects.bulk_create(
        Attendance(
            enrollment=enrollment,
            session=session,
            status=Attendance.Status.PRESENT,
            method=method,
            recorded_by=by,
        )
        for enrollment in unmarked
    )
    return len(created)
