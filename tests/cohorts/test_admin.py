import pytest
from django.urls import reverse

from cohorts.models import CascadePlan, Cohort
from tests.cohorts.factories import CohortFactory, SessionFactory
from tests.members.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_admin_lists_and_opens_cohorts_with_sessions_and_history_read_only(client):
    cohort = CohortFactory(status=Cohort.Status.DRAFT)
    SessionFactory(cohort=cohort)
    cohort.status_changes.create(from_status="", to_status=Cohort.Status.DRAFT)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    changelist = client.get(reverse("admin:cohorts_cohort_changelist"), {"q": "TOT"})
    change = client.get(reverse("admin:cohorts_cohort_change", args=[cohort.pk]))

    assert changelist.status_code == 200
    assert change.status_code == 200
    page = change.content.decode()
    assert cohort.sessions.get().title in page
    assert 'name="_save"' not in page, "changes go through the services"
    assert "admin/cohorts/cohort/add/" not in changelist.content.decode()


def test_admin_lists_and_opens_cascade_plans_read_only(client):
    plan = CascadePlan.objects.create(
        member=MemberFactory(full_name="Andi Saputra"), cohort=CohortFactory(), note="PUK Sinar"
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    changelist = client.get(reverse("admin:cohorts_cascadeplan_changelist"), {"q": "Andi"})
    change = client.get(reverse("admin:cohorts_cascadeplan_change", args=[plan.pk]))

    assert changelist.status_code == 200
    assert "Andi Saputra" in changelist.content.decode()
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
