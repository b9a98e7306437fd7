"""Completion and certificate rows for the permission table in tests/test_permissions.py.

The completion page and its actions belong to the cohort's organizers; another
organization's cohort answers 404 even to an organizer. A participant downloads only their
own certificate (the organizer and trainer roles here have no registration of their own,
so the same address is a 404 to them). The verify page is public: no login, and an
unknown code is a 404 for everyone. The actions take POST only (their refusals are in
tests/cohorts/test_completion.py and test_certificates.py).
"""

import datetime as dt

from cohorts.models import Cohort, Enrollment
from cohorts.services.certificates import certificate_issue
from tests.cohorts.factories import CohortFactory, EnrollmentFactory
from tests.members.factories import OrganizationFactory

LOGIN = "login"
EVERYONE = {"anonymous": 200, "participant": 200, "trainer": 200, "organizer": 200}
STAFF_ONLY = {"anonymous": LOGIN, "participant": 404, "trainer": 404, "organizer": 200}
HOLDER_ONLY = {"anonymous": LOGIN, "participant": 200, "trainer": 404, "organizer": 404}
NOBODY = {"anonymous": LOGIN, "participant": 404, "trainer": 404, "organizer": 404}
POST_ONLY = {"anonymous": LOGIN, "participant": 405, "trainer": 405, "organizer": 405}

CERTIFICATE_PERMISSIONS = [
    ("cohorts:completion", "own_completed_cohort", STAFF_ONLY),
    ("cohorts:completion", "other_completed_cohort", NOBODY),
    ("cohorts:completion_recompute", "own_completed_cohort", POST_ONLY),
    ("cohorts:completion_override", "own_certified", POST_ONLY),
    ("cohorts:certificate_revoke", "own_certified", POST_ONLY),
    ("cohorts:completion_certificate", "own_certified", STAFF_ONLY),
    ("cohorts:completion_certificate", "other_certified", NOBODY),
    ("cohorts:certificate_download", "participants_certificate", HOLDER_ONLY),
    ("cohorts:certificate_download", "someone_elses_certificate", NOBODY),
    ("cohorts:verify", None, EVERYONE),
    ("cohorts:verify_code", "valid_code", EVERYONE),
    ("cohorts:verify_code", "unknown_code", dict.fromkeys(EVERYONE, 404)),
]
CERTIFICATE_TARGETS = {
    "own_completed_cohort",
    "other_completed_cohort",
    "own_certified",
    "other_certified",
    "participants_certificate",
    "someone_elses_certificate",
    "valid_code",
    "unknown_code",
}


def _completed_cohort(organization) -> Cohort:
    return CohortFactory(
        organizers=[organization], status=Cohort.Status.COMPLETED, starts_on=dt.date(2026, 11, 2)
    )


def _certified(cohort: Cohort, **fields) -> Enrollment:
    enrollment = EnrollmentFactory(cohort=cohort, status=Enrollment.Status.COMPLETED, **fields)
    certificate_issue(enrollment=enrollment, by=None)
    return enrollment


def certificate_kwargs(target: str, *, organization, request) -> dict:
    own = target.startswith(("own_", "participants_", "valid_"))
    cohort = _completed_cohort(organization if own else OrganizationFactory())
    if target.endswith("_cohort"):
        return {"slug": cohort.slug}
    if target == "participants_certificate":
        holder = request.getfixturevalue("participant").member
        return {"pk": _certified(cohort, member=holder).pk}
    if target == "someone_elses_certificate":
        return {"pk": _certified(cohort).pk}
    if target == "valid_code":
        return {"code": _certified(cohort).certificate.verification_code.lower()}
    if target == "unknown_code":
        return {"code": "NOTACODE22"}
    return {"slug": cohort.slug, "pk": _certified(cohort).pk}
