"""Every seat in a cohort is given or freed here, and only here.

Each write locks the cohort's row first (Postgres ``SELECT … FOR UPDATE``, waiting at
most ``ENROLLMENT_LOCK_TIMEOUT``), counts the confirmed seats and writes in the same
transaction, so two registrations can never both take the last seat. Waiting longer
than the timeout answers "please try again" instead of piling up requests.
"""

import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Cohort, Enrollment, EnrollmentChange
from cohorts.selectors import registration_window
from cohorts.services.enrollment_messages import enrollment_notify
from cohorts.services.reminders import reminders_cancel, reminders_for_confirmed
from members.models import Member

Status = Enrollment.Status
_CAN_CANCEL = {Status.PENDING, Status.CONFIRMED, Status.WAITLISTED}


class RegistrationBusyError(ValidationError):
    """The cohort stayed locked longer than the timeout: many people register at once."""


LOCK_NOT_AVAILABLE = "55P03"  # Postgres: lock_timeout expired


def _set_lock_timeout(milliseconds: int | str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # SET takes no bound parameters; the value is a number or DEFAULT, never input.
            cursor.execute(f"SET LOCAL lock_timeout = {milliseconds}")


def lock_cohort(cohort_id: int) -> Cohort:
    """The cohort's row, locked until the surrounding transaction ends. Only this wait is
    capped; later locks in the same transaction wait as usual."""
    _set_lock_timeout(int(settings.ENROLLMENT_LOCK_TIMEOUT * 1000))
    cohorts = Cohort.objects.all()
    if settings.ENROLLMENT_LOCK_ENABLED:  # switched off only by the control test
        cohorts = cohorts.select_for_update()
    try:
        cohort = cohorts.get(pk=cohort_id)
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) != LOCK_NOT_AVAILABLE:
            raise
        raise RegistrationBusyError(
            _("Many people are registering right now. Please try again in a moment.")
        ) from error
    _set_lock_timeout("DEFAULT")
    return cohort


def _seats_taken(cohort: Cohort) -> int:
    taken = cohort.enrollments.filter(status=Status.CONFIRMED).count()
    if settings.ENROLLMENT_TEST_RACE_SLEEP:  # widens the race window in the control test
        time.sleep(settings.ENROLLMENT_TEST_RACE_SLEEP)
    return taken


def _move(
    enrollment: Enrollment,
    to_status: str,
    *,
    by: AbstractBaseUser | None,
    note: str = "",
    tell_as: str = "",
) -> Enrollment:
    """Change the status, record who and when, and tell the member (after commit)."""
    from_status = enrollment.status
    now = timezone.now()
    enrollment.status = to_status
    enrollment.status_changed_at = now
    fields = ["status", "status_changed_at"]
    if to_status == Status.WAITLISTED:
        enrollment.waitlisted_at = now
        fields.append("waitlisted_at")
    if enrollment.pk:
        enrollment.save(update_fields=fields)
    else:
        enrollment.save()
    change = EnrollmentChange.objects.create(
        enrollment=enrollment,
        from_status=from_status or "",
        to_status=to_status,
        changed_by=by,
        note=note,
    )
    if to_status == Status.CONFIRMED:
        reminders_for_confirmed(enrollment=enrollment, new_registration=not from_status)
    elif from_status == Status.CONFIRMED:
        reminders_cancel(enrollment=enrollment)
    enrollment_notify(enrollment=enrollment, change=change, kind=tell_as or to_status, note=note)
    return enrollment


def _seat_or_queue(
    cohort: Cohort, enrollment: Enrollment, *, by: AbstractBaseUser | None, note: str = ""
) -> Enrollment:
    """A free seat, unless people are already waiting for it (a seat an organizer freed
    by moving someone to the waiting list): then the newcomer queues behind them."""
    free = _seats_taken(cohort) < cohort.capacity
    queue = cohort.enrollments.filter(status=Status.WAITLISTED)
    status = Status.CONFIRMED if free and not queue.exists() else Status.WAITLISTED
    return _move(enrollment, status, by=by, note=note)


def waitlist_promote(*, cohort: Cohort) -> list[Enrollment]:
    """Give free seats to the first on the waiting list (call with the cohort locked).

    Only while registration is open: once the training runs, a seat freed in it is of no
    use to someone told they are still waiting."""
    if cohort.status != Cohort.Status.OPEN:
        return []
    free = cohort.capacity - _seats_taken(cohort)
    if free <= 0:
        return []
    first = cohort.enrollments.filter(status=Status.WAITLISTED).order_by("waitlisted_at", "id")
    return [
        # Nobody chose this person: the waiting list did (so no one's name goes on it).
        _move(enrollment, Status.CONFIRMED, by=None, tell_as="promoted")
        for enrollment in first.select_related("member")[:free]
    ]


def _active_enrollment(cohort: Cohort, member: Member) -> Enrollment | None:
    return (
        Enrollment.objects.filter(
            cohort=cohort, member=member, status__in=Enrollment.ACTIVE_STATUSES
        )
        .select_related("cohort")
        .first()
    )


@dataclass(frozen=True)
class Registration:
    enrollment: Enrollment
    created: bool


def _check_open(cohort: Cohort) -> None:
    window = registration_window(cohort=cohort)
    if window.is_open:
        return
    reasons = {
        window.State.NOT_PUBLISHED: _("This training is not open for registration."),
        window.State.NOT_YET_OPEN: _("Registration for this training has not opened yet."),
        window.State.CLOSED: _("Registration for this training has closed."),
    }
    raise ValidationError(reasons[window.state])


@transaction.atomic
def enrollment_register(
    *,
    cohort: Cohort,
    member: Member,
    answers: dict[str, Any] | None = None,
    by: AbstractBaseUser | None = None,
) -> Registration:
    """A member registers themself. Registering twice answers with the existing
    enrollment; a full cohort puts them on the waiting list."""
    cohort = lock_cohort(cohort.pk)
    # Read afresh: consent may have been withdrawn since the caller loaded the member.
    if not Member.objects.get(pk=member.pk).has_consent:
        raise ValidationError(_("Agree to the use of your data before registering."))
    existing = _active_enrollment(cohort, member)
    if existing:
        return Registration(existing, created=False)
    _check_open(cohort)
    enrollment = Enrollment(cohort=cohort, member=member, answers=answers or {})
    if cohort.requires_approval:
        _move(enrollment, Status.PENDING, by=by)
    else:
        _seat_or_queue(cohort, enrollment, by=by)
    return Registration(enrollment, created=True)


@transaction.atomic
def enrollment_add(*, cohort: Cohort, member: Member, by: AbstractBaseUser) -> Enrollment:
    """An organizer adds an existing member: a seat if one is free, else the waiting list."""
    cohort = lock_cohort(cohort.pk)
    if cohort.status not in {Cohort.Status.OPEN, Cohort.Status.RUNNING}:
        raise ValidationError(_("Members can be added only while the cohort is open or running."))
    if Member.objects.filter(pk=member.pk, consent_withdrawn_at__isnull=False).exists():
        raise ValidationError(
            _("%(member)s has withdrawn consent to the use of their data; they cannot be added.")
            % {"member": member.full_name}
        )
    existing = _active_enrollment(cohort, member)
    if existing:
        raise ValidationError(
            _("%(member)s is already registered (%(status)s).")
            % {"member": member.full_name, "status": existing.get_status_display().lower()}
        )
    enrollment = Enrollment(cohort=cohort, member=member, source=Enrollment.Source.ORGANIZER)
    return _seat_or_queue(cohort, enrollment, by=by)


def _pending_of(cohort: Cohort, enrollment_ids: Iterable[int]) -> list[Enrollment]:
    return list(
        cohort.enrollments.filter(pk__in=list(enrollment_ids), status=Status.PENDING)
        .select_related("member")
        .order_by("registered_at", "id")
    )


@transaction.atomic
def enrollments_approve(
    *, cohort: Cohort, enrollment_ids: Iterable[int], by: AbstractBaseUser, message: str = ""
) -> list[Enrollment]:
    """Approve pending registrations in the order they came; beyond capacity they wait."""
    cohort = lock_cohort(cohort.pk)
    return [
        _seat_or_queue(cohort, enrollment, by=by, note=message)
        for enrollment in _pending_of(cohort, enrollment_ids)
    ]


@transaction.atomic
def enrollments_reject(
    *, cohort: Cohort, enrollment_ids: Iterable[int], by: AbstractBaseUser, message: str = ""
) -> list[Enrollment]:
    cohort = lock_cohort(cohort.pk)
    rejected = cohort.enrollments.filter(
        pk__in=list(enrollment_ids), status__in=[Status.PENDING, Status.WAITLISTED]
    ).select_related("member")
    return [_move(enrollment, Status.REJECTED, by=by, note=message) for enrollment in rejected]


@transaction.atomic
def enrollment_cancel(
    *, enrollment: Enrollment, by: AbstractBaseUser | None, note: str = ""
) -> Enrollment:
    """Cancel a registration (also from the waiting list); a freed seat goes at once to
    the first on the waiting list."""
    cohort = lock_cohort(enrollment.cohort_id)
    enrollment = Enrollment.objects.select_related("member").get(pk=enrollment.pk)
    if cohort.status not in {Cohort.Status.OPEN, Cohort.Status.RUNNING}:
        raise ValidationError(
            _("The training is “%(status)s”: its registrations can no longer be cancelled.")
            % {"status": cohort.get_status_display()}
        )
    if enrollment.status not in _CAN_CANCEL:
        raise ValidationError(
            _("A registration that is “%(status)s” cannot be cancelled.")
            % {"status": enrollment.get_status_display()}
        )
    held_a_seat = enrollment.status == Status.CONFIRMED
    _move(enrollment, Status.CANCELLED, by=by, note=note)
    if held_a_seat:
        waitlist_promote(cohort=cohort)
    return enrollment


@transaction.atomic
def enrollment_move(*, enrollment: Enrollment, to_status: str, by: AbstractBaseUser) -> Enrollment:
    """An organizer moves someone between the waiting list and a seat, within capacity."""
    cohort = lock_cohort(enrollment.cohort_id)
    enrollment = Enrollment.objects.select_related("member").get(pk=enrollment.pk)
    allowed = {Status.WAITLISTED: Status.CONFIRMED, Status.CONFIRMED: Status.WAITLISTED}
    if allowed.get(enrollment.status) != to_status:
        raise ValidationError(_("Only the waiting list and confirmed seats swap places."))
    if to_status == Status.CONFIRMED and _seats_taken(cohort) >= cohort.capacity:
        raise ValidationError(
            _("The cohort is full (%(capacity)d seats). Free a seat or raise the capacity first.")
            % {"capacity": cohort.capacity}
        )
    return _move(enrollment, to_status, by=by)


def enrollments_after_capacity_change(*, cohort: Cohort) -> list[Enrollment]:
    """Inside ``cohort_update``'s transaction, with the cohort locked: never fewer seats
    than confirmed people, and new seats go to the waiting list at once."""
    taken = _seats_taken(cohort)
    if cohort.capacity < taken:
        raise ValidationError(
            {
                "capacity": _(
                    "%(taken)d people are confirmed; the capacity cannot be lower. "
                    "Cancel or move registrations first."
                )
                % {"taken": taken}
            }
        )
    return waitlist_promote(cohort=cohort)


def enrollments_cancel_for_cohort(*, cohort: Cohort, by: AbstractBaseUser | None) -> int:
    """When the cohort is cancelled (inside the caller's transaction, cohort locked)."""
    active = cohort.enrollments.filter(status__in=_CAN_CANCEL).select_related("member")
    cancelled = [
        _move(enrollment, Status.CANCELLED, by=by, tell_as="cohort_cancelled")
        for enrollment in active
    ]
    return len(cancelled)
