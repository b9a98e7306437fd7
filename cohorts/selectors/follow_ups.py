"""What a graduate has done towards their cascade, read when a follow-up step is due."""

from django.db.models import QuerySet

from cohorts.models import CascadePlan, Cohort, Enrollment, FollowUpStep, Notification, Session
from members.models import Member

FOLLOW_UP_KINDS = (Notification.Kind.FOLLOW_UP, Notification.Kind.ESCALATION)


def _cascades_of(member: Member, tot: Cohort) -> QuerySet[Cohort]:
    return Cohort.objects.filter(
        kind=Cohort.Kind.CASCADE, parent=tot, lead_trainers=member
    ).exclude(status=Cohort.Status.CANCELLED)


def cascade_has_run(*, member: Member, tot: Cohort) -> bool:
    """A held session of one of the graduate's cascade trainings, or a plan they
    marked done: the cadence has done its job."""
    held = Session.objects.filter(
        cohort__in=_cascades_of(member, tot), status=Session.Status.HELD
    ).exists()
    return (
        held
        or CascadePlan.objects.filter(member=member, cohort=tot, done_at__isnull=False).exists()
    )


def follow_up_skip_reason(notification: Notification) -> str:
    """Why a due follow-up step should not go out (a ``SkipReason``), or "" when it should."""
    enrollment, member, tot = notification.enrollment, notification.member, notification.cohort
    if enrollment.status != Enrollment.Status.COMPLETED:
        return Notification.SkipReason.NOT_GRADUATE
    if cascade_has_run(member=member, tot=tot):
        return Notification.SkipReason.CASCADE_RAN
    step = notification.template
    if step == FollowUpStep.PLAN and CascadePlan.objects.filter(member=member, cohort=tot).exists():
        return Notification.SkipReason.PLANNED
    if step == FollowUpStep.SCHEDULE and _cascades_of(member, tot).exists():
        return Notification.SkipReason.SCHEDULED
    return ""
