"""Rows of the organizer's registration pages for the permission table in
tests/test_permissions.py (same shape).

The list, its export and the add page are for the cohort's organizers; another
organization's cohort answers 404 even to an organizer. The actions take POST only (their
404s for another organization are in tests/cohorts/test_registrations_manage.py).
"""

from cohorts.models import Cohort, Enrollment
from tests.cohorts.factories import CohortFactory, EnrollmentFactory

LOGIN = "login"
STAFF_ONLY = {"anonymous": LOGIN, "participant": 404, "trainer": 404, "organizer": 200}
NOBODY = {"anonymous": LOGIN, "participant": 404, "trainer": 404, "organizer": 404}
POST_ONLY = {"anonymous": LOGIN, "participant": 405, "trainer": 405, "organizer": 405}

# "own_cohort" and "other_cohort" are made by tests/cohorts/permission_rows.py.
REGISTRATION_PERMISSIONS = [
    ("cohorts:registrations", "own_cohort", STAFF_ONLY),
    ("cohorts:registrations", "other_cohort", NOBODY),
    ("cohorts:registrations_export", "own_cohort", STAFF_ONLY),
    ("cohorts:registrations_export", "other_cohort", NOBODY),
    ("cohorts:registration_add", "own_cohort", STAFF_ONLY),
    ("cohorts:registration_add", "other_cohort", NOBODY),
    ("cohorts:registrations_decide", "own_cohort", POST_ONLY),
    ("cohorts:registration_move", "own_registration", POST_ONLY),
    ("cohorts:registration_cancel", "own_registration", POST_ONLY),
]
REGISTRATION_TARGETS = {"own_registration"}


def registration_kwargs(target: str, *, organization, request) -> dict:
    cohort = CohortFactory(organizers=[organization], status=Cohort.Status.OPEN)
    enrollment = EnrollmentFactory(
        cohort=cohort, member__organization=organization, status=Enrollment.Status.WAITLISTED
    )
    return {"slug": cohort.slug, "pk": enrollment.pk}
