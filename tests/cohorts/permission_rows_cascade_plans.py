"""Cascade plan rows for the permission table in tests/test_permissions.py (same shape).

The graduate's pages answer only a member who completed the training ("graduated_*": the
table's ``participant`` completed a TOT of the table's ``organization``); a training they
did not complete, or someone else's plan, is a 404 for everyone. The plans of a TOT are
for its organizers. "led_cascade" is a cascade of another organization's TOT that the
participant leads: they run it on the organizer pages (but may not copy it), and the
table's organizer, who organizes neither, gets a 404.
"""

import datetime as dt

from cohorts.models import CascadePlan, Cohort, Enrollment
from tests.cohorts.factories import CohortFactory, EnrollmentFactory
from tests.members.factories import MemberFactory, OrganizationFactory

LOGIN = "login"
OWNER_ONLY = {"anonymous": LOGIN, "participant": 200, "trainer": 404, "organizer": 404}
LEAD_ONLY = OWNER_ONLY
STAFF_ONLY = {"anonymous": LOGIN, "participant": 404, "trainer": 404, "organizer": 200}
NOBODY = {"anonymous": LOGIN, "participant": 404, "trainer": 404, "organizer": 404}
POST_ONLY = {"anonymous": LOGIN, "participant": 405, "trainer": 405, "organizer": 405}

CASCADE_PLAN_PERMISSIONS = [
    ("cohorts:cascade_plan", "graduated_training", OWNER_ONLY),
    ("cohorts:cascade_plan", "unfinished_training", NOBODY),
    ("cohorts:cascade_start", "graduated_plan", OWNER_ONLY),
    ("cohorts:cascade_start", "other_graduates_plan", NOBODY),
    ("cohorts:cascade_plan_done", "graduated_plan", POST_ONLY),
    ("cohorts:cascade_plans", "plans_own_cohort", STAFF_ONLY),
    ("cohorts:cascade_plans", "plans_other_cohort", NOBODY),
    ("cohorts:cascade_plans", "led_cascade", LEAD_ONLY),
    # The organizer pages of a cascade its lead runs; copying needs an organizer's role.
    ("cohorts:manage_detail", "led_cascade", LEAD_ONLY),
    ("cohorts:edit", "led_cascade", LEAD_ONLY),
    ("cohorts:session_create", "led_cascade", LEAD_ONLY),
    ("cohorts:session_plan", "led_cascade", LEAD_ONLY),
    ("cohorts:registrations", "led_cascade", LEAD_ONLY),
    ("cohorts:cascade", "led_cascade", LEAD_ONLY),
    ("cohorts:duplicate", "led_cascade", NOBODY),
]
CASCADE_PLAN_TARGETS = {
    "graduated_training",
    "unfinished_training",
    "graduated_plan",
    "other_graduates_plan",
    "plans_own_cohort",
    "plans_other_cohort",
    "led_cascade",
}


def _tot(organization) -> Cohort:
    return CohortFactory(
        organizers=[organization],
        status=Cohort.Status.COMPLETED,
        starts_on=dt.date(2026, 1, 10),
    )


def _plan(member, tot: Cohort) -> CascadePlan:
    return CascadePlan.objects.create(
        member=member, cohort=tot, trainings_planned=2, due_on=dt.date(2027, 6, 30)
    )


def cascade_plan_kwargs(target: str, *, organization, request) -> dict:
    participant = request.getfixturevalue("participant").member
    if target in {"plans_own_cohort", "plans_other_cohort"}:
        owner = organization if target == "plans_own_cohort" else OrganizationFactory()
        tot = _tot(owner)
        _plan(EnrollmentFactory(cohort=tot, status=Enrollment.Status.COMPLETED).member, tot)
        return {"slug": tot.slug}
    if target == "led_cascade":
        tot = _tot(OrganizationFactory())
        EnrollmentFactory(cohort=tot, member=participant, status=Enrollment.Status.COMPLETED)
        cascade = CohortFactory(
            organizers=list(tot.organizers.all()),
            kind=Cohort.Kind.CASCADE,
            parent=tot,
            status=Cohort.Status.DRAFT,
        )
        cascade.lead_trainers.set([participant])
        return {"slug": cascade.slug}
    return _graduate_kwargs(target, organization=organization, participant=participant)


def _graduate_kwargs(target: str, *, organization, participant) -> dict:
    tot = _tot(organization)
    status = (
        Enrollment.Status.CONFIRMED
        if target == "unfinished_training"
        else Enrollment.Status.COMPLETED
    )
    EnrollmentFactory(cohort=tot, member=participant, status=status)
    if target in {"graduated_training", "unfinished_training"}:
        return {"slug": tot.slug}
    if target == "other_graduates_plan":
        other = MemberFactory(organization=organization)
        EnrollmentFactory(cohort=tot, member=other, status=Enrollment.Status.COMPLETED)
        return {"pk": _plan(other, tot).pk}
    return {"pk": _plan(participant, tot).pk}
