"""Calendar feed rows for the permission table in tests/test_permissions.py (same shape).

Feeds are fetched by calendar apps that cannot log in: a public cohort's feed is open to
everyone, a personal feed to whoever holds its token, and nothing else answers.
"""

from cohorts.models import Cohort
from cohorts.services.calendars import calendar_token_for
from tests.cohorts.factories import CohortFactory
from tests.members.factories import UserFactory

LOGIN = "login"
ROLES = ["anonymous", "participant", "trainer", "organizer"]
EVERYONE = dict.fromkeys(ROLES, 200)
NOBODY = dict.fromkeys(ROLES, 404)
LOGGED_IN = {"anonymous": LOGIN, "participant": 200, "trainer": 200, "organizer": 200}
POST_ONLY = {"anonymous": LOGIN, "participant": 405, "trainer": 405, "organizer": 405}

CALENDAR_PERMISSIONS = [
    ("cohorts:cohort_feed", "open_cohort", EVERYONE),
    ("cohorts:cohort_feed", "draft_cohort", NOBODY),
    ("cohorts:cohort_feed", "cancelled_cohort", NOBODY),
    ("cohorts:personal_feed", "feed_token", EVERYONE),
    ("cohorts:personal_feed", "unknown_token", NOBODY),
    ("cohorts:calendar_subscription", None, LOGGED_IN),
    ("cohorts:calendar_token_reset", None, POST_ONLY),
]
CALENDAR_TARGETS = {"cancelled_cohort", "feed_token", "unknown_token"}


def calendar_kwargs(target: str, *, organization, request) -> dict:
    if target == "cancelled_cohort":
        cohort = CohortFactory(organizers=[organization], status=Cohort.Status.CANCELLED)
        return {"slug": cohort.slug}
    if target == "feed_token":
        return {"token": calendar_token_for(user=UserFactory()).token}
    return {"token": "no-such-calendar-token"}
