"""Roll call rows for the permission table in tests/test_permissions.py (same shape).

The roll call belongs to the session's trainers and the cohort's organizers; the trainer
and organizer roles here are both (the trainer trains the session). A session of another
organization's cohort, trained by someone else, answers 404 to all. The mark and
all-present actions take POST only (their refusals are in tests/cohorts/test_roll_call.py).
"""

from tests.cohorts.factories import CohortFactory, SessionFactory
from tests.members.factories import MemberFactory, OrganizationFactory

LOGIN = "login"
TAKERS = {"anonymous": LOGIN, "participant": 404, "trainer": 200, "organizer": 200}
NOBODY = {"anonymous": LOGIN, "participant": 404, "trainer": 404, "organizer": 404}
POST_ONLY = {"anonymous": LOGIN, "participant": 405, "trainer": 405, "organizer": 405}

ATTENDANCE_PERMISSIONS = [
    ("cohorts:roll_call", "trained_roll_call", TAKERS),
    ("cohorts:roll_call", "other_roll_call", NOBODY),
    ("cohorts:roll_call_mark", "trained_roll_call", POST_ONLY),
    ("cohorts:roll_call_all_present", "trained_roll_call", POST_ONLY),
]
ATTENDANCE_TARGETS = {"trained_roll_call", "other_roll_call"}


def attendance_kwargs(target: str, *, organization, request) -> dict:
    if target == "other_roll_call":
        cohort = CohortFactory(organizers=[OrganizationFactory()])
        return {"pk": SessionFactory(cohort=cohort, trainers=[MemberFactory()]).pk}
    trainer = MemberFactory(user=request.getfixturevalue("trainer"), organization=organization)
    cohort = CohortFactory(organizers=[organization])
    return {"pk": SessionFactory(cohort=cohort, trainers=[trainer]).pk}
