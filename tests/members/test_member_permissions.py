"""Reach across two confederations: KSPI > FSPMI > PUK, and KSBSI > DPC.

Nobody sees a member outside their reach (404, as for a missing page), and the NIK is
shown only to organizers whose reach holds the member's organization (and to the member).
"""

import pytest
from django.urls import reverse

from tests.members.factories import (
    MemberFactory,
    OrganizationFactory,
    OrganizationRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NIK = "1673011708850001"
MASKED = "1673********0001"


@pytest.fixture
def world():
    kspi = OrganizationFactory(short_name="KSPI")
    fspmi = OrganizationFactory(short_name="FSPMI", kind="federation", parent=kspi)
    puk = OrganizationFactory(short_name="PUK", kind="workplace_union", parent=fspmi)
    ksbsi = OrganizationFactory(short_name="KSBSI")
    dpc = OrganizationFactory(short_name="DPC", kind="regional_council", parent=ksbsi)
    own_account = UserFactory()
    users = {
        "participant": own_account,
        "trainer_fspmi": UserFactory(),
        "organizer_kspi": UserFactory(),
        "organizer_fspmi": UserFactory(),
        "organizer_ksbsi": UserFactory(),
        "staff": UserFactory(is_staff=True),
        "superuser": UserFactory(is_staff=True, is_superuser=True),
    }
    OrganizationRoleFactory(user=users["trainer_fspmi"], organization=fspmi, role="trainer")
    OrganizationRoleFactory(user=users["organizer_kspi"], organization=kspi)
    OrganizationRoleFactory(user=users["organizer_fspmi"], organization=fspmi)
    OrganizationRoleFactory(user=users["organizer_ksbsi"], organization=ksbsi)
    members = {
        "kspi_member": MemberFactory(organization=puk, nik=NIK, user=own_account),
        "ksbsi_member": MemberFactory(organization=dpc, nik="1673015708850002"),
    }
    return users, members


LOGIN = "login"
# who, url name, member ("kspi_member"/"ksbsi_member"/None), expected status
MATRIX = [
    ("anonymous", "members:member_list", None, LOGIN),
    ("anonymous", "members:member_detail", "kspi_member", LOGIN),
    ("participant", "members:member_list", None, 404),
    ("participant", "members:member_detail", "kspi_member", 200),
    ("participant", "members:member_detail", "ksbsi_member", 404),
    ("participant", "members:member_edit", "kspi_member", 404),
    ("participant", "members:profile", None, 200),
    ("trainer_fspmi", "members:member_list", None, 200),
    ("trainer_fspmi", "members:member_detail", "kspi_member", 200),
    ("trainer_fspmi", "members:member_detail", "ksbsi_member", 404),
    ("trainer_fspmi", "members:member_edit", "kspi_member", 404),
    ("trainer_fspmi", "members:member_create", None, 404),
    ("organizer_kspi", "members:member_detail", "kspi_member", 200),
    ("organizer_kspi", "members:member_edit", "kspi_member", 200),
    ("organizer_kspi", "members:member_detail", "ksbsi_member", 404),
    ("organizer_kspi", "members:member_edit", "ksbsi_member", 404),
    ("organizer_kspi", "members:member_create", None, 200),
    ("organizer_fspmi", "members:member_edit", "kspi_member", 200),
    ("organizer_ksbsi", "members:member_detail", "kspi_member", 404),
    ("organizer_ksbsi", "members:member_detail", "ksbsi_member", 200),
    ("staff", "members:member_list", None, 404),
    ("staff", "members:member_detail", "kspi_member", 404),
    ("staff", "members:profile", None, 404),
    ("superuser", "members:member_detail", "ksbsi_member", 200),
    ("superuser", "members:member_edit", "kspi_member", 200),
]


@pytest.mark.parametrize(("who", "url_name", "target", "expected"), MATRIX)
def test_member_pages_reach(client, world, who, url_name, target, expected):
    users, members = world
    kwargs = {"pk": members[target].pk} if target else {}
    if who != "anonymous":
        client.force_login(users[who])

    response = client.get(reverse(url_name, kwargs=kwargs))

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    ("who", "shows"),
    [
        ("participant", NIK),  # their own record
        ("trainer_fspmi", MASKED),
        ("organizer_kspi", NIK),  # organizer of the parent confederation
        ("organizer_fspmi", NIK),
        ("superuser", NIK),
    ],
)
def test_nik_is_masked_except_for_the_members_organizers(client, world, who, shows):
    users, members = world
    client.force_login(users[who])

    page = client.get(
        reverse("members:member_detail", kwargs={"pk": members["kspi_member"].pk})
    ).content.decode()

    nik_cell = page[page.index('id="nik"') :][:200]
    assert shows in nik_cell
    if shows == MASKED:
        assert NIK not in page


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("organizer_kspi", {"kspi_member"}),
        ("organizer_ksbsi", {"ksbsi_member"}),
        ("trainer_fspmi", {"kspi_member"}),
        ("superuser", {"kspi_member", "ksbsi_member"}),
    ],
)
def test_member_list_holds_only_the_reach(client, world, who, sees):
    users, members = world
    client.force_login(users[who])

    listed = set(client.get(reverse("members:member_list")).context["page"].object_list)

    assert listed == {members[name] for name in sees}


def test_organizer_cannot_edit_into_another_confederation(client, world):
    users, members = world
    member = members["kspi_member"]
    ksbsi = members["ksbsi_member"].organization
    client.force_login(users["organizer_kspi"])

    response = client.post(
        reverse("members:member_edit", kwargs={"pk": member.pk}),
        {
            "full_name": member.full_name,
            "phone": str(member.phone),
            "organization": ksbsi.pk,
            "position": "member",
            "preferred_language": "id",
            "preferred_channel": "whatsapp",
        },
    )

    assert response.status_code == 200
    assert "Masukkan pilihan yang valid" in response.content.decode()
    member.refresh_from_db()
    assert member.organization != ksbsi


@pytest.mark.parametrize(
    ("who", "sees", "hidden"),
    [("organizer_kspi", "KSPI", "KSBSI"), ("organizer_ksbsi", "KSBSI", "KSPI")],
)
def test_organization_tree_holds_only_the_reach(client, world, who, sees, hidden):
    users, _members = world
    client.force_login(users[who])

    page = client.get(reverse("members:organization_tree")).content.decode()

    assert f"<strong>{sees}</strong>" in page
    assert f"<strong>{hidden}</strong>" not in page


@pytest.mark.parametrize(
    ("who", "status", "exported"),
    [
        ("organizer_kspi", 200, "kspi_member"),
        ("organizer_ksbsi", 200, "ksbsi_member"),
        ("trainer_fspmi", 404, None),
        ("participant", 404, None),
        ("staff", 404, None),
    ],
)
def test_export_holds_only_the_reach(client, world, who, status, exported):
    users, members = world
    client.force_login(users[who])

    response = client.get(reverse("members:member_export"), {"format": "csv"})

    assert response.status_code == status
    if exported:
        content = b"".join(response.streaming_content).decode()
        for name, member in members.items():
            assert (member.full_name in content) == (name == exported)
