"""Telling a member what happened to their registration, through the outbox.

One message per status change (keyed by the change's history row), written in the same
transaction as the change; the outbox sends it in the member's language by their channel
once the transaction commits (``cohorts.messages`` holds the text)."""

from django.utils import timezone

from cohorts.messages import ENROLLMENT_SUBJECTS
from cohorts.models import Enrollment, EnrollmentChange, Notification
from cohorts.services.notifications import notifications_dispatch_after_commit


def enrollment_notify(
    *, enrollment: Enrollment, change: EnrollmentChange, kind: str, note: str = ""
) -> None:
    if kind not in ENROLLMENT_SUBJECTS:
        raise ValueError(f"unknown enrollment message {kind!r}")
    # One INSERT: this runs under the cohort's lock, where every query counts in a rush.
    # The key is new with every change, so there is nothing to look up first.
    message = Notification(
        member_id=enrollment.member_id,
        kind=Notification.Kind.REGISTRATION,
        template=kind,
        due_at=timezone.now(),
        dedupe_key=f"registration:change:{change.pk}",
        cohort_id=enrollment.cohort_id,
        enrollment=enrollment,
        context={"note": note} if note else {},
    )
    Notification.objects.bulk_create([message], ignore_conflicts=True)
    notifications_dispatch_after_commit()
