"""Who may open which page: one row per URL × role; a meta-test keeps the table complete."""

import pytest
from django.urls import URLResolver, get_resolver, reverse

from cohorts.models import Cohort
from tests.cohorts.factories import CohortFactory

OUR_NAMESPACES = {"cohorts", "members"}
ROLES = ["anonymous", "participant", "trainer", "organizer"]
LOGIN_REDIRECT = "login"

# url name, kwargs builder, {role: expected status}
PERMISSIONS = [
    ("cohorts:home", None, dict.fromkeys(ROLES, 200)),
    ("cohorts:detail", "open", dict.fromkeys(ROLES, 200)),
    ("cohorts:detail", "draft", dict.fromkeys(ROLES, 404)),
    (
        "cohorts:manage",
        None,
        {"anonymous": LOGIN_REDIRECT, "participant": 404, "trainer": 404, "organizer": 200},
    ),
    ("members:dashboard", None, {"anonymous": LOGIN_REDIRECT} | dict.fromkeys(ROLES[1:], 200)),
]


def app_url_names(resolver=None, namespace="") -> set[str]:
    """Every named URL of our own apps, however deeply included (i18n_patterns nests them)."""
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            names |= app_url_names(entry, inner)
        elif entry.name and namespace in OUR_NAMESPACES:
            names.add(f"{namespace}:{entry.name}")
    return names


def test_every_app_url_is_in_the_permission_table():
    assert app_url_names() == {name for name, _, _ in PERMISSIONS}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("url_name", "cohort_state", "expected"), PERMISSIONS)
def test_permission_table(client, role, url_name, cohort_state, expected, organization, request):
    statuses = {"open": Cohort.Status.OPEN, "draft": Cohort.Status.DRAFT}
    kwargs = {}
    if cohort_state:
        cohort = CohortFactory(status=statuses[cohort_state], organizers=[organization])
        kwargs = {"slug": cohort.slug}
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))

    response = client.get(reverse(url_name, kwargs=kwargs))

    if expected[role] == LOGIN_REDIRECT:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected[role]
