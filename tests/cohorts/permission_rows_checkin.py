"""Check-in rows for the permission table in tests/test_permissions.py (same shape).

The check-in screen and the ticket scanner belong to the session's takers (its trainers
and the cohort's organizers), like the roll call; a session of another organization's
cohort answers 404 to all. A scanned check-in link is for a confirmed participant of the
session's cohort: the participant role here is one, and checks in only themself; the
trainer and organizer are not on the roll and are refused (403). A forged link is
refused to everyone. The service-level refusals are in tests/cohorts/test_checkin.py.
"""

import datetime as dt

from django.utils import timezone

from cohorts.checkin_tokens import checkin_code_at
from cohorts.models import Cohort
from members.models import Member
from tests.cohorts.factories import CohortFactory, EnrollmentFactory, SessionFactory
from tests.members.factories import MemberFactory, OrganizationFactory

LOGIN = "login"
TAKERS = {"anonymous": LOGIN, "participant": 404, "trainer": 200, "organizer": 200}
NOBODY = {"anonymous": LOGIN, "participant": 404, "trainer": 404, "organizer": 404}
POST_ONLY = {"anonymous": LOGIN, "participant": 405, "trainer": 405, "organizer": 405}
LOGGED_IN = {"anonymous": LOGIN, "participant": 200, "trainer": 200, "organizer": 200}
ONLY_THE_PARTICIPANT = {"anonymous": LOGIN, "participant": 200, "trainer": 403, "organizer": 403}
REFUSED = {"anonymous": LOGIN, "participant": 400, "trainer": 400, "organizer": 400}

CHECKIN_PERMISSIONS = [
    ("cohorts:checkin_code", "trained_checkin", TAKERS),
    ("cohorts:checkin_code", "other_checkin", NOBODY),
    ("cohorts:checkin_scan", "trained_checkin", TAKERS),
    ("cohorts:checkin_scan", "other_checkin", NOBODY),
    ("cohorts:checkin_scan_check", "trained_checkin", POST_ONLY),
    ("cohorts:checkin_typed", None, LOGGED_IN),
    ("cohorts:checkin", "participants_checkin_link", ONLY_THE_PARTICIPANT),
    ("cohorts:checkin", "forged_checkin_link", REFUSED),
]
CHECKIN_TARGETS = {
    "trained_checkin",
    "other_checkin",
    "participants_checkin_link",
    "forged_checkin_link",
}


def _session_now(cohort: Cohort, **extra):
    """A session that started ten minutes ago: check-in is open."""
    starts_at = timezone.now() - dt.timedelta(minutes=10)
    return SessionFactory(
        cohort=cohort, starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=2), **extra
    )


def checkin_kwargs(target: str, *, organization, request) -> dict:
    running = Cohort.Status.RUNNING
    if target == "other_checkin":
        cohort = CohortFactory(organizers=[OrganizationFactory()], status=running)
        return {"pk": _session_now(cohort, trainers=[MemberFactory()]).pk}
    cohort = CohortFactory(organizers=[organization], status=running)
    if target == "trained_checkin":
        trainer = MemberFactory(user=request.getfixturevalue("trainer"), organization=organization)
        return {"pk": _session_now(cohort, trainers=[trainer]).pk}
    session = _session_now(cohort)
    participant = Member.objects.get(user=request.getfixturevalue("participant"))
    EnrollmentFactory(cohort=cohort, member=participant)
    token = checkin_code_at(session_id=session.pk, now=timezone.now()).token
    if target == "forged_checkin_link":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    return {"token": token}
