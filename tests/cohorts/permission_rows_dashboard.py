"""Cohort dashboard rows for the permission table in tests/test_permissions.py.

The dashboard and its export belong to the cohort's organizers; its lead trainers may read
them too (read-only). "dash_led_cohort" is another organization's cohort that the table's
trainer leads: the trainer reads it, the table's organizer (not one of its organizers)
gets a 404. A trainer of one session who does not lead the cohort gets a 404
(tests/cohorts/test_dashboard.py).
"""

from tests.cohorts.factories import CohortFactory
from tests.members.factories import MemberFactory, OrganizationFactory

LOGIN = "login"
STAFF_ONLY = {"anonymous": LOGIN, "participant": 404, "trainer": 404, "organizer": 200}
LEAD_ONLY = {"anonymous": LOGIN, "participant": 404, "trainer": 200, "organizer": 404}
NOBODY = {"anonymous": LOGIN, "participant": 404, "trainer": 404, "organizer": 404}

DASHBOARD_PERMISSIONS = [
    ("cohorts:cohort_dashboard", "dash_own_cohort", STAFF_ONLY),
    ("cohorts:cohort_dashboard", "dash_led_cohort", LEAD_ONLY),
    ("cohorts:cohort_dashboard", "dash_other_cohort", NOBODY),
    ("cohorts:cohort_dashboard_export", "dash_own_cohort", STAFF_ONLY),
    ("cohorts:cohort_dashboard_export", "dash_led_cohort", LEAD_ONLY),
    ("cohorts:cohort_dashboard_export", "dash_other_cohort", NOBODY),
]
DASHBOARD_TARGETS = {"dash_own_cohort", "dash_led_cohort", "dash_other_cohort"}


def dashboard_kwargs(target: str, *, organization, request) -> dict:
    if target == "dash_own_cohort":
        return {"slug": CohortFactory(organizers=[organization]).slug}
    cohort = CohortFactory(organizers=[OrganizationFactory()])
    if target == "dash_led_cohort":
        lead = MemberFactory(user=request.getfixturevalue("trainer"), organization=organization)
        cohort.lead_trainers.add(lead)
    return {"slug": cohort.slug}
