"""Telling a member what happened to their registration, through the outbox.

One message per status change (keyed by the change's history row), written in the same
transaction as the change; the outbox sends it in the member's language by their channel
once the transaction commits (``cohorts.messages`` holds the text)."""

from django.utils import timezone

from cohorts.messages import ENROLLMENT_SUBJECTS
from cohorts.models import Enrollment, EnrollmentChange, Notification
from cohorts.services.notifications import (
    notification_schedule,
    notifications_dispatch_after_commit,
)


def enrollment_notify(
    *, enrollment: Enrollment, change: EnrollmentChange, kind: str, note: str = ""
) -> Notification:
    if kind not in ENROLLMENT_SUBJECTS:
        raise ValueError(f"unknown enrollment message {kind!r}")
    notification = notification_schedule(
        member=enrollment.member,
        kind=Notification.Kind.REGISTRATION,
        template=kind,
        due_at=timezone.now(),
        dedupe_key=f"registration:change:{change.pk}",
        cohort=enrollment.cohort,
        enrollment=enrollment,
        context={"note": note} if note else {},
    )
    notifications_dispatch_after_commit()
    return notification
