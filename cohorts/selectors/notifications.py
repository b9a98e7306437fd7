"""Reading a cohort's outbox for its organizers."""

from django.db.models import Count, Q, QuerySet

from cohorts.models import Cohort, Notification


def cohort_notification_counts(*, cohort: Cohort) -> dict[str, int]:
    """How many of the cohort's messages are in each status, in one query."""
    return cohort.notifications.order_by().aggregate(
        **{status.value: Count("id", filter=Q(status=status)) for status in Notification.Status}
    )


def cohort_notifications(
    *, cohort: Cohort, status: str = "", kind: str = ""
) -> QuerySet[Notification]:
    """Newest first by when they are due; what failed is what organizers look for."""
    notifications = cohort.notifications.select_related("member", "session")
    if status:
        notifications = notifications.filter(status=status)
    if kind:
        notifications = notifications.filter(kind=kind)
    return notifications.order_by("-due_at", "-id")
