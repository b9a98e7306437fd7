"""Who may open which page: one row per URL x role; a meta-test keeps the table complete.

Every role here holds it for the same organization; the finer matrix across KSPI and KSBSI
trees lives in tests/members/test_member_permissions.py.
"""

import pytest
from django.urls import URLResolver, get_resolver, reverse

from cohorts.models import Cohort
from tests.cohorts.factories import CohortFactory
from tests.cohorts.permission_rows import (
    COHORT_MANAGE_PERMISSIONS,
    COHORT_MANAGE_TARGETS,
    cohort_manage_kwargs,
)
from tests.cohorts.permission_rows_assessments import (
    ASSESSMENT_PERMISSIONS,
    ASSESSMENT_TARGETS,
    assessment_kwargs,
)
from tests.cohorts.permission_rows_attendance import (
    ATTENDANCE_PERMISSIONS,
    ATTENDANCE_TARGETS,
    attendance_kwargs,
)
from tests.cohorts.permission_rows_calendars import (
    CALENDAR_PERMISSIONS,
    CALENDAR_TARGETS,
    calendar_kwargs,
)
from tests.cohorts.permission_rows_cascade import CASCADE_PERMISSIONS
from tests.cohorts.permission_rows_cascade_plans import (
    CASCADE_PLAN_PERMISSIONS,
    CASCADE_PLAN_TARGETS,
    cascade_plan_kwargs,
)
from tests.cohorts.permission_rows_certificates import (
    CERTIFICATE_PERMISSIONS,
    CERTIFICATE_TARGETS,
    certificate_kwargs,
)
from tests.cohorts.permission_rows_checkin import (
    CHECKIN_PERMISSIONS,
    CHECKIN_TARGETS,
    checkin_kwargs,
)
from tests.cohorts.permission_rows_dashboard import (
    DASHBOARD_PERMISSIONS,
    DASHBOARD_TARGETS,
    dashboard_kwargs,
)
from tests.cohorts.permission_rows_messages import (
    MESSAGE_PERMISSIONS,
    MESSAGE_TARGETS,
    message_kwargs,
)
from tests.cohorts.permission_rows_reach import REACH_PERMISSIONS
from tests.cohorts.permission_rows_registration import (
    SELF_REGISTRATION_PERMISSIONS,
    SELF_REGISTRATION_TARGETS,
    self_registration_kwargs,
)
from tests.cohorts.permission_rows_registrations import (
    REGISTRATION_PERMISSIONS,
    REGISTRATION_TARGETS,
    registration_kwargs,
)
from tests.cohorts.permission_rows_reports import (
    REPORTS_PERMISSIONS,
    REPORTS_TARGETS,
    reports_kwargs,
)
from tests.curriculum.permission_rows import (
    CURRICULUM_PERMISSIONS,
    CURRICULUM_TARGETS,
    curriculum_kwargs,
)
from tests.members.factories import MemberFactory
from tests.members.permission_rows_imports import IMPORT_EXPORT_PERMISSIONS, import_kwargs

OUR_NAMESPACES = {"cohorts", "curriculum", "members"}
ROLES = ["anonymous", "participant", "trainer", "organizer"]
LOGIN = "login"
STAFF_ONLY = {"anonymous": LOGIN, "participant": 404, "trainer": 404, "organizer": 200}
IN_REACH = {"anonymous": LOGIN, "participant": 404, "trainer": 200, "organizer": 200}
LOGGED_IN = {"anonymous": LOGIN, "participant": 200, "trainer": 200, "organizer": 200}

# url name, object the URL points at, {role: expected status}
PERMISSIONS = [
    ("cohorts:home", None, dict.fromkeys(ROLES, 200)),
    ("cohorts:detail", "open_cohort", dict.fromkeys(ROLES, 200)),
    ("cohorts:detail", "draft_cohort", dict.fromkeys(ROLES, 404)),
    ("cohorts:manage", None, STAFF_ONLY),
    ("cohorts:calendar", None, STAFF_ONLY),
    # Anyone logged in; someone who trains nothing sees an explanation, not an error.
    ("cohorts:my_sessions", None, LOGGED_IN),
    ("cohorts:session_plan", "own_cohort", STAFF_ONLY),
    ("cohorts:session_plan", "other_cohort", {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], 404)),
    ("members:dashboard", None, LOGGED_IN),
    ("members:member_list", None, IN_REACH),
    ("members:member_create", None, STAFF_ONLY),
    ("members:member_detail", "member", IN_REACH),
    ("members:member_edit", "member", STAFF_ONLY),
    ("members:organization_tree", None, IN_REACH),
    ("members:profile", None, LOGGED_IN | {"trainer": 404, "organizer": 404}),
    ("members:consent", None, {"anonymous": LOGIN} | dict.fromkeys(ROLES[1:], 405)),
    *IMPORT_EXPORT_PERMISSIONS,
    *CURRICULUM_PERMISSIONS,
    *CALENDAR_PERMISSIONS,
    *SELF_REGISTRATION_PERMISSIONS,
    *COHORT_MANAGE_PERMISSIONS,
    *REGISTRATION_PERMISSIONS,
    *ATTENDANCE_PERMISSIONS,
    *CERTIFICATE_PERMISSIONS,
    *MESSAGE_PERMISSIONS,
    *CASCADE_PERMISSIONS,
    *REACH_PERMISSIONS,
    *CASCADE_PLAN_PERMISSIONS,
    *CHECKIN_PERMISSIONS,
    *ASSESSMENT_PERMISSIONS,
    *DASHBOARD_PERMISSIONS,
    *REPORTS_PERMISSIONS,
]


# Each rows module's own targets, and how it makes the object its URLs point at.
TARGET_BUILDERS = [
    ({"own_import", "other_import"}, import_kwargs),
    (COHORT_MANAGE_TARGETS, cohort_manage_kwargs),
    (CALENDAR_TARGETS, calendar_kwargs),
    (SELF_REGISTRATION_TARGETS, self_registration_kwargs),
    (REGISTRATION_TARGETS, registration_kwargs),
    (ATTENDANCE_TARGETS, attendance_kwargs),
    (MESSAGE_TARGETS, message_kwargs),
    (ASSESSMENT_TARGETS, assessment_kwargs),
    (REPORTS_TARGETS, reports_kwargs),
    (CURRICULUM_TARGETS, curriculum_kwargs),
    (CERTIFICATE_TARGETS, certificate_kwargs),
    (CHECKIN_TARGETS, checkin_kwargs),
    (DASHBOARD_TARGETS, dashboard_kwargs),
    (CASCADE_PLAN_TARGETS, cascade_plan_kwargs),
]


def url_kwargs(target: str | None, organization, request) -> dict:
    for targets, build in TARGET_BUILDERS:
        if target in targets:
            return build(target, organization=organization, request=request)
    if target == "open_cohort":
        return {"slug": CohortFactory(organizers=[organization]).slug}
    if target == "draft_cohort":
        return {"slug": CohortFactory(organizers=[organization], status=Cohort.Status.DRAFT).slug}
    if target == "member":
        return {"pk": MemberFactory(organization=organization).pk}
    return {}


def app_url_names(resolver=None, namespace="") -> set[str]:
    """Every named URL of our own apps, however deeply included (i18n_patterns nests them)."""
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            names |= app_url_names(entry, entry.namespace or namespace)
        elif entry.name and namespace in OUR_NAMESPACES:
            names.add(f"{namespace}:{entry.name}")
    return names


def test_every_app_url_is_in_the_permission_table():
    assert app_url_names() == {name for name, _, _ in PERMISSIONS}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("url_name", "target", "expected"), PERMISSIONS)
def test_permission_table(client, role, url_name, target, expected, organization, request):
    url = reverse(url_name, kwargs=url_kwargs(target, organization, request))
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))

    response = client.get(url)
    response.close()  # a file download streams; release its file handle

    if expected[role] == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected[role]
