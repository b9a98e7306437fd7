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


def test_staff_organizer_sees_only_members_in_reach_in_the_admin(client):
    own_organization, other_organization = OrganizationFactory(), OrganizationFactory()
    own, other = (
        MemberFactory(organization=own_organization),
        MemberFactory(organization=other_organization),
    )
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_member"))
    OrganizationRoleFactory(user=staff, organization=own_organization)
    client.force_login(staff)

    listed = client.get(reverse("admin:members_member_changelist")).context["cl"].result_list

    assert list(listed) == [own]
    assert other not in listed
