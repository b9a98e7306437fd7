"""Pre- and post-test rows for the permission table in tests/test_permissions.py.

A test page and a result belong to the enrollment's own member ("own_*" targets belong to
the table's ``participant``); everyone else — the cohort's organizer and trainer
included — gets a 404, as for another member's enrollment. Sending answers (POST) and its
refusals are in tests/cohorts/test_assessments_views.py.
"""

from cohorts.models import AssessmentAttempt
from tests.cohorts.factories import CohortFactory, EnrollmentFactory
from tests.curriculum.factories import full_curriculum

LOGIN = "login"
OWNER_ONLY = {"anonymous": LOGIN, "participant": 200, "trainer": 404, "organizer": 404}
NOBODY = {"anonymous": LOGIN, "participant": 404, "trainer": 404, "organizer": 404}

ASSESSMENT_PERMISSIONS = [
    ("cohorts:assessment_take", "own_test", OWNER_ONLY),
    ("cohorts:assessment_take", "other_test", NOBODY),
    ("cohorts:assessment_result", "own_test_result", OWNER_ONLY),
    ("cohorts:assessment_result", "other_test_result", NOBODY),
]
ASSESSMENT_TARGETS = {"own_test", "other_test", "own_test_result", "other_test_result"}


def assessment_kwargs(target: str, *, organization, request) -> dict:
    cohort = CohortFactory(organizers=[organization], curriculum=full_curriculum(questions=3))
    if target.startswith("own"):
        member = request.getfixturevalue("participant").member
        enrollment = EnrollmentFactory(cohort=cohort, member=member)
    else:
        enrollment = EnrollmentFactory(cohort=cohort)
    if target.endswith("result"):
        AssessmentAttempt.objects.create(
            enrollment=enrollment,
            kind=AssessmentAttempt.Kind.PRE,
            correct_count=2,
            question_count=3,
            score_percent="66.7",
        )
        return {"pk": enrollment.pk, "kind": "pre", "number": 1}
    return {"pk": enrollment.pk, "kind": "pre"}
