"""Rows of the organizer's outbox pages for the permission table in
tests/test_permissions.py (same shape): the cohort's organizers only; another
organization's cohort or message answers 404 even to an organizer. "Send again" takes
POST only (its 404 for another organization is in tests/cohorts/test_outbox_pages.py)."""

from django.utils import timezone

from cohorts.models import Cohort, Notification
from tests.cohorts.factories import CohortFactory, EnrollmentFactory

LOGIN = "login"
STAFF_ONLY = {"anonymous": LOGIN, "participant": 404, "trainer": 404, "organizer": 200}
NOBODY = {"anonymous": LOGIN, "participant": 404, "trainer": 404, "organizer": 404}
POST_ONLY = {"anonymous": LOGIN, "participant": 405, "trainer": 405, "organizer": 405}

# "own_cohort" and "other_cohort" are made by tests/cohorts/permission_rows.py.
MESSAGE_PERMISSIONS = [
    ("cohorts:messages", "own_cohort", STAFF_ONLY),
    ("cohorts:messages", "other_cohort", NOBODY),
    ("cohorts:message", "own_message", STAFF_ONLY),
    ("cohorts:message", "other_message", NOBODY),
    ("cohorts:message_resend", "own_message", POST_ONLY),
]
MESSAGE_TARGETS = {"own_message", "other_message"}


def message_kwargs(target: str, *, organization, request) -> dict:
    organizers = [organization] if target == "own_message" else []
    cohort = CohortFactory(organizers=organizers, status=Cohort.Status.OPEN)
    seat = EnrollmentFactory(cohort=cohort, member__organization=organization)
    notification = Notification.objects.create(
        member=seat.member,
        kind=Notification.Kind.REGISTRATION,
        template="confirmed",
        cohort=cohort,
        enrollment=seat,
        due_at=timezone.now(),
        dedupe_key=f"permission-row:{seat.pk}",
    )
    return {"slug": cohort.slug, "pk": notification.pk}
