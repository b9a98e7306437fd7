import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.members.factories import (
    MemberFactory,
    OrganizationFactory,
    OrganizationRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ["region", "organization", "member", "organizationrole", "memberimport"]
)
def test_admin_lists_search_and_filter(client, model):
    MemberFactory()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    url = reverse(f"admin:members_{model}_changelist")

    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "16"}).status_code == 200


@pytest.mark.parametrize("model", ["organization", "member", "organizationrole", "memberimport"])
def test_staff_organizers_work_in_the_app_not_the_admin(client, model):
    """Admin forms would bypass reach, NIK masking and the services' rules."""
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="members"))
    OrganizationRoleFactory(user=staff, organization=OrganizationFactory())
    client.force_login(staff)

    assert client.get(reverse(f"admin:members_{model}_changelist")).status_code == 403
