import pytest
from django.urls import reverse

from members.models import Member, Region
from tests.members.factories import MemberFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def many_members(organization, count: int) -> None:
    region = Region.objects.get(code="16.73")
    Member.objects.bulk_create(
        Member(
            full_name=f"Anggota {index:04d}",
            phone=f"+62813{index:08d}",
            organization=organization,
            region=region,
        )
        for index in range(count)
    )


@pytest.mark.parametrize("count", [10, 1000])
def test_member_list_query_count_is_constant(
    client, organizer, organization, count, django_assert_max_num_queries
):
    many_members(organization, count)
    client.force_login(organizer)

    # session + user (2), reach (1), count + page (2), organizations and regions of the
    # filter form (2), navbar: own member record (1)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("members:member_list"))

    assert response.context["page"].paginator.count == count


@pytest.mark.parametrize("count", [10, 1000])
def test_member_detail_query_count_is_constant(
    client, organizer, organization, count, django_assert_max_num_queries
):
    many_members(organization, count)
    member = Member.objects.last()
    member.user, member.created_by, member.updated_by = UserFactory(), organizer, organizer
    member.save(update_fields=["user", "created_by", "updated_by"])
    client.force_login(organizer)

    # session + user (2), member with organization, region, account, creator and editor
    # (1), reach (1), trainer path: completed, co-facilitated, led (3), navbar member (1)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("members:member_detail", kwargs={"pk": member.pk}))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [3, 40])
def test_organization_tree_query_count_is_constant(
    client, organizer, organization, count, django_assert_max_num_queries
):
    for _ in range(count):
        MemberFactory(organization=OrganizationFactory(parent=organization, kind="federation"))
    client.force_login(organizer)

    # session + user (2), reach (1), organizations with member counts (1), navbar (1)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("members:organization_tree"))

    assert response.content.decode().count("<details") == count + 1


@pytest.mark.parametrize("query", ["0812-3456-7890", "+62 812 3456 7890", "Rahma", "A-17"])
def test_search_by_phone_in_any_format_name_or_member_number(
    client, organizer, organization, query
):
    wanted = MemberFactory(
        organization=organization,
        full_name="Siti Rahmawati",
        phone="+6281234567890",
        member_number="A-17",
    )
    MemberFactory(organization=organization, full_name="Budi Santoso")
    client.force_login(organizer)

    page = client.get(reverse("members:member_list"), {"q": query}).context["page"]

    assert list(page.object_list) == [wanted]


def test_organization_filter_includes_sub_organizations(client, organizer, organization):
    federation = OrganizationFactory(parent=organization, kind="federation")
    workplace = OrganizationFactory(parent=federation, kind="workplace_union")
    deep = MemberFactory(organization=workplace)
    MemberFactory(organization=organization)
    client.force_login(organizer)

    page = client.get(reverse("members:member_list"), {"organization": federation.pk}).context[
        "page"
    ]

    assert list(page.object_list) == [deep]


def test_province_filter_includes_its_regencies(client, organizer, organization):
    in_lubuklinggau = MemberFactory(
        organization=organization, region=Region.objects.get(code="16.73")
    )
    MemberFactory(organization=organization, region=Region.objects.get(code="31.71"))
    client.force_login(organizer)

    province = Region.objects.get(code="16")
    page = client.get(reverse("members:member_list"), {"region": province.pk}).context["page"]

    assert list(page.object_list) == [in_lubuklinggau]


def test_member_list_is_paginated(client, organizer, organization):
    many_members(organization, 120)
    client.force_login(organizer)

    page = client.get(reverse("members:member_list"), {"page": 3}).context["page"]

    assert page.number == 3
    assert len(page.object_list) == 20


def test_bad_phone_on_edit_is_explained_and_changes_nothing(client, organizer, organization):
    member = MemberFactory(organization=organization, full_name="Asli")
    client.force_login(organizer)

    response = client.post(
        reverse("members:member_edit", kwargs={"pk": member.pk}),
        {
            "full_name": "Diubah",
            "phone": "12345",
            "organization": organization.pk,
            "position": "member",
            "preferred_language": "id",
            "preferred_channel": "whatsapp",
        },
    )

    assert response.status_code == 200
    assert "nomor telepon" in response.content.decode().lower()
    member.refresh_from_db()
    assert member.full_name == "Asli"


def test_organizer_adds_a_member_with_an_indonesian_phone(client, organizer, organization):
    client.force_login(organizer)

    response = client.post(
        reverse("members:member_create"),
        {
            "full_name": "Dewi Lestari",
            "phone": "0812-3456-7890",
            "organization": organization.pk,
            "nik": "16.7301.570885.0002",
            "position": "member",
            "preferred_language": "id",
            "preferred_channel": "whatsapp",
        },
    )

    member = Member.objects.get(full_name="Dewi Lestari")
    assert response["Location"] == reverse("members:member_detail", kwargs={"pk": member.pk})
    assert str(member.phone) == "+6281234567890"
    assert member.nik == "1673015708850002"


def test_participant_gives_and_withdraws_consent_from_the_profile(client, participant):
    client.force_login(participant)

    client.post(reverse("members:consent"), {"decision": "give"})
    participant.member.refresh_from_db()
    assert participant.member.has_consent

    response = client.post(reverse("members:consent"), {"decision": "withdraw"}, follow=True)
    participant.member.refresh_from_db()
    assert not participant.member.has_consent
    assert "Persetujuan Anda sudah ditarik." in response.content.decode()


def test_profile_edit_cannot_touch_union_fields(client, participant):
    member = participant.member
    client.force_login(participant)

    client.post(
        reverse("members:profile"),
        {
            "full_name": member.full_name,
            "phone": str(member.phone),
            "workplace": "PT Baru",
            "position": "confederation_officer",
            "preferred_language": "en",
            "preferred_channel": "sms",
        },
    )

    member.refresh_from_db()
    assert member.workplace == "PT Baru"
    assert member.preferred_channel == "sms"
    assert member.position == Member.Position.MEMBER
