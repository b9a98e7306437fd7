"""Telling a session's confirmed participants that it moved or was cancelled.

One message per change and person, written in the transaction of the change and keyed by
the session's SEQUENCE (the same number calendar apps follow); when two changes come in
quick succession, only the news of the latest goes out (``cohorts.services.notifications``
skips the older one as out of date)."""

from django.utils import timezone

from cohorts.models import Cohort, Enrollment, Notification, Session
from cohorts.services.notifications import notifications_dispatch_after_commit, outbox_add_new

MOVED = "session_moved"
CANCELLED = "session_cancelled"
TOLD_WHILE = (Cohort.Status.OPEN, Cohort.Status.RUNNING)


def session_news_schedule(*, session: Session, change: str) -> int:
    """Write the news of ``change`` (MOVED or CANCELLED) for everyone confirmed; nothing
    for a session already over or a cohort not open or running."""
    cohort = session.cohort
    if cohort.status not in TOLD_WHILE or session.ends_at <= timezone.now():
        return 0
    confirmed = cohort.enrollments.filter(status=Enrollment.Status.CONFIRMED).only(
        "pk", "member_id"
    )
    rows = [
        Notification(
            member_id=enrollment.member_id,
            kind=Notification.Kind.COHORT_CHANGED,
            template=change,
            context={"sequence": session.sequence},
            cohort_id=cohort.pk,
            session=session,
            enrollment=enrollment,
            due_at=timezone.now(),
            dedupe_key=f"session-news:{session.pk}:{session.sequence}:enrollment:{enrollment.pk}",
        )
        for enrollment in confirmed
    ]
    added = outbox_add_new(rows)
    if added:
        notifications_dispatch_after_commit()
    return added
