"""Rows of the organizer's outbox pages for the permission table in
tests/test_permissions.py (same shape): the cohort's organizers only; another
organization's cohort or message answers 404 even to an organizer. "Send again" takes
POST only (its 404 for another organization is in tests/cohorts/test_outbox_pages.py)."""

from django.utils import timezone

from cohorts.models import Cohort, Notification
from members.message_links import preferences_token
from tests.cohorts.factories import CohortFactory, EnrollmentFactory
from tests.members.factories import MemberFactory

LOGIN = "login"
STAFF_ONLY = {"anonymous": LOGIN, "participant": 404, "trainer": 404, "organizer": 200}
NOBODY = {"anonymous": LOGIN, "participant": 404, "trainer": 404, "organizer": 404}
POST_ONLY = {"anonymous": LOGIN, "participant": 405, "trainer": 405, "organizer": 405}
EVERYONE = {"anonymous": 200, "participant": 200, "trainer": 200, "organizer": 200}

# "own_cohort" and "other_cohort" are made by tests/cohorts/permission_rows.py.
MESSAGE_PERMISSIONS = [
    ("cohorts:messages", "own_cohort", STAFF_ONLY),
    ("cohorts:messages", "other_cohort", NOBODY),
    ("cohorts:message", "own_message", STAFF_ONLY),
    ("cohorts:message", "other_message", NOBODY),
    ("cohorts:message_resend", "own_message", POST_ONLY),
    # The link in every message: the signed token is the permission, no login needed.
    ("members:message_preferences", "preferences_link", EVERYONE),
]
MESSAGE_TARGETS = {"own_message", "other_message", "preferences_link"}


def message_kwargs(target: str, *, organization, request) -> dict:
    if target == "preferences_link":
        return {"token": preferences_token(MemberFactory(organization=organization))}
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
