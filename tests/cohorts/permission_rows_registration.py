"""Participant registration rows for the permission table in tests/test_permissions.py.

Anyone may open an open cohort's register page (an anonymous visitor makes their account
there) and its "check your e-mail" page; "my trainings" needs a login; an enrollment's
pages answer only its own member ("own_*" belong to the table's ``participant``), everyone
else gets a 404.
"""

from cohorts.models import Enrollment
from tests.cohorts.factories import CohortFactory, EnrollmentFactory

LOGIN = "login"
ROLES = ["anonymous", "participant", "trainer", "organizer"]
EVERYONE = dict.fromkeys(ROLES, 200)
LOGGED_IN = {"anonymous": LOGIN, "participant": 200, "trainer": 200, "organizer": 200}
OWNER_ONLY = {"anonymous": LOGIN, "participant": 200, "trainer": 404, "organizer": 404}
NOBODY = {"anonymous": LOGIN, "participant": 404, "trainer": 404, "organizer": 404}
POST_ONLY = {"anonymous": LOGIN, "participant": 405, "trainer": 405, "organizer": 405}

SELF_REGISTRATION_PERMISSIONS = [
    ("cohorts:register", "open_cohort", EVERYONE),
    ("cohorts:register", "draft_cohort", dict.fromkeys(ROLES, 404)),
    ("cohorts:register_sent", "open_cohort", EVERYONE),
    ("cohorts:register_sent", "draft_cohort", dict.fromkeys(ROLES, 404)),
    ("cohorts:my_trainings", None, LOGGED_IN),
    ("cohorts:my_training", "own_enrollment", OWNER_ONLY),
    ("cohorts:my_training", "other_enrollment", NOBODY),
    ("cohorts:ticket", "own_enrollment", OWNER_ONLY),
    ("cohorts:ticket", "other_enrollment", NOBODY),
    # The owner's waiting-list place has no ticket: only a confirmed seat has one.
    ("cohorts:ticket", "own_waitlisted_enrollment", NOBODY),
    ("cohorts:enrollment_cancel_self", "own_enrollment", POST_ONLY),
]
SELF_REGISTRATION_TARGETS = {"own_enrollment", "other_enrollment", "own_waitlisted_enrollment"}


def self_registration_kwargs(target: str, *, organization, request) -> dict:
    cohort = CohortFactory(organizers=[organization])
    if target == "other_enrollment":
        return {"pk": EnrollmentFactory(cohort=cohort).pk}
    member = request.getfixturevalue("participant").member
    status = (
        Enrollment.Status.WAITLISTED
        if target == "own_waitlisted_enrollment"
        else Enrollment.Status.CONFIRMED
    )
    return {"pk": EnrollmentFactory(cohort=cohort, member=member, status=status).pk}
