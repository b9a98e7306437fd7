"""Cohort management rows for the permission table in tests/test_permissions.py.

"own_*" objects belong to a cohort the table's ``organization`` organizes; "other_*" ones
to a cohort of another organization, so even the organizer gets a 404 — also when the URL
pairs an own cohort's slug with another cohort's session.
"""

from cohorts.models import Cohort
from tests.cohorts.factories import CohortFactory, SessionFactory
from tests.members.factories import OrganizationFactory

LOGIN = "login"
STAFF_ONLY = {"anonymous": LOGIN, "participant": 404, "trainer": 404, "organizer": 200}
NOBODY = {"anonymous": LOGIN, "participant": 404, "trainer": 404, "organizer": 404}
POST_ONLY = {"anonymous": LOGIN, "participant": 405, "trainer": 405, "organizer": 405}

COHORT_MANAGE_PERMISSIONS = [
    ("cohorts:create", None, STAFF_ONLY),
    ("cohorts:manage_detail", "own_cohort", STAFF_ONLY),
    ("cohorts:manage_detail", "other_cohort", NOBODY),
    ("cohorts:edit", "own_cohort", STAFF_ONLY),
    ("cohorts:edit", "other_cohort", NOBODY),
    ("cohorts:duplicate", "own_cohort", STAFF_ONLY),
    ("cohorts:duplicate", "other_cohort", NOBODY),
    ("cohorts:transition", "own_cohort", POST_ONLY),
    ("cohorts:session_create", "own_cohort", STAFF_ONLY),
    ("cohorts:session_create", "other_cohort", NOBODY),
    ("cohorts:session_edit", "own_session", STAFF_ONLY),
    ("cohorts:session_edit", "other_session", NOBODY),
    ("cohorts:session_edit", "own_slug_other_session", NOBODY),
    ("cohorts:session_cancel", "own_session", POST_ONLY),
]
COHORT_MANAGE_TARGETS = {
    "own_cohort",
    "other_cohort",
    "own_session",
    "other_session",
    "own_slug_other_session",
}


def cohort_manage_kwargs(target: str, *, organization, request) -> dict:
    if target == "own_slug_other_session":
        own = CohortFactory(organizers=[organization], status=Cohort.Status.DRAFT)
        foreign = SessionFactory(cohort=CohortFactory(organizers=[OrganizationFactory()]))
        return {"slug": own.slug, "pk": foreign.pk}
    organizer = organization if target.startswith("own_") else OrganizationFactory()
    cohort = CohortFactory(organizers=[organizer], status=Cohort.Status.DRAFT)
    if target.endswith("_session"):
        return {"slug": cohort.slug, "pk": SessionFactory(cohort=cohort).pk}
    return {"slug": cohort.slug}
