"""The cascade follow-up cadence: after a TOT completes, each graduate is reminded to plan,
schedule and hold a cascade training of their own; if nothing has happened by the last
step, the TOT's organizers are told.

All steps are written to the outbox when the TOT completes (keys
``follow-up:enrollment:<id>:<step>``). Whether a step still makes sense is decided when it
is due, from what the graduate has done by then (``cohorts.selectors.follow_ups``): a held
cascade session, or a plan marked done, ends the cadence; a plan already made skips the
"make your plan" step; a cascade already scheduled skips the "schedule" step.
"""

import datetime as dt

from django.utils import timezone

from cohorts import zones
from cohorts.models import Cohort, Enrollment, FollowUpStep, Notification
from cohorts.selectors.follow_ups import FOLLOW_UP_KINDS
from cohorts.services.notifications import notifications_cancel, outbox_add_new
from members.models import OrganizationRole

# The morning after N days, in the TOT's own zone: when people read their messages.
SEND_AT = dt.time(9, 0)


def follow_up_due(cohort: Cohort, days: int) -> dt.datetime:
    return zones.aware(cohort.ends_on + dt.timedelta(days=days), SEND_AT, cohort)


def _organizer_users(cohort: Cohort) -> list[int]:
    return list(
        OrganizationRole.objects.filter(
            organization__in=cohort.organizers.all(), role=OrganizationRole.Role.ORGANIZER
        )
        .values_list("user_id", flat=True)
        .distinct()
    )


MEMBER_STEPS = (FollowUpStep.PLAN, FollowUpStep.SCHEDULE, FollowUpStep.FIRST_SESSION)


def _cadence(
    cohort: Cohort, enrollment: Enrollment, days: dict[str, int], organizers: list[int]
) -> list[Notification]:
    base = {"member_id": enrollment.member_id, "cohort_id": cohort.pk, "enrollment": enrollment}
    key = f"follow-up:enrollment:{enrollment.pk}"
    steps = [
        Notification(
            **base,
            kind=Notification.Kind.FOLLOW_UP,
            template=step,
            due_at=follow_up_due(cohort, days[step]),
            dedupe_key=f"{key}:{step}",
        )
        for step in MEMBER_STEPS
        if step in days
    ]
    if FollowUpStep.ESCALATE in days:
        steps.extend(
            Notification(
                **base,
                recipient_user_id=user_id,
                kind=Notification.Kind.ESCALATION,
                template=FollowUpStep.ESCALATE,
                due_at=follow_up_due(cohort, days[FollowUpStep.ESCALATE]),
                dedupe_key=f"{key}:{FollowUpStep.ESCALATE}:user:{user_id}",
            )
            for user_id in organizers
        )
    return steps


def follow_ups_schedule(*, cohort: Cohort, now: dt.datetime | None = None) -> int:
    """Write every graduate's cadence of a completed TOT (inside the caller's
    transaction). Steps already past are not written; a second call adds nothing."""
    if cohort.kind != Cohort.Kind.TOT:
        return 0
    now = now or timezone.now()
    days = cohort.follow_up_days or {}
    organizers = _organizer_users(cohort)
    rows = [
        row
        for enrollment in cohort.enrollments.filter(status=Enrollment.Status.COMPLETED)
        for row in _cadence(cohort, enrollment, days, organizers)
        if row.due_at > now
    ]
    return outbox_add_new(rows)


def follow_ups_after_completion(*, cohort: Cohort, now: dt.datetime | None = None) -> int:
    """After completion is decided or changed: graduates get their cadence (taken up
    again if it was stopped), everyone else's unsent steps are cancelled."""
    notifications_cancel(
        notifications=Notification.objects.filter(cohort=cohort, kind__in=FOLLOW_UP_KINDS).exclude(
            enrollment__status=Enrollment.Status.COMPLETED
        )
    )
    return follow_ups_schedule(cohort=cohort, now=now)
