import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from members.models import Member
from members.services.members import (
    member_consent_give,
    member_consent_withdraw,
    member_create,
    member_profile_update,
    member_update,
)
from tests.members.factories import MemberFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_organizer_creates_a_member_in_their_reach(organizer, organization):
    member = member_create(
        data={
            "full_name": "Siti Rahmawati",
            "phone": "0812-3456-7890",
            "organization": organization,
        },
        created_by=organizer,
    )

    assert str(member.phone) == "+6281234567890"
    assert member.created_by == organizer


def test_creating_outside_the_reach_is_refused_and_writes_nothing(organizer):
    elsewhere = OrganizationFactory()

    with pytest.raises(PermissionDenied):
        member_create(
            data={"full_name": "Budi", "phone": "081234567890", "organization": elsewhere},
            created_by=organizer,
        )

    assert not Member.objects.exists()


def test_duplicate_phone_is_refused_with_a_clear_message(organizer, organization):
    MemberFactory(organization=organization, phone="+6281234567890")

    with pytest.raises(ValidationError) as refused:
        member_create(
            data={"full_name": "Budi", "phone": "+62 812-3456-7890", "organization": organization},
            created_by=organizer,
        )

    assert "Anggota lain sudah memakai nomor telepon ini." in str(refused.value)
    assert Member.objects.count() == 1


def test_moving_a_member_out_of_reach_is_refused(organizer, organization):
    member = MemberFactory(organization=organization)

    with pytest.raises(PermissionDenied):
        member_update(
            member=member, data={"organization": OrganizationFactory()}, updated_by=organizer
        )

    member.refresh_from_db()
    assert member.organization == organization


def test_trainer_cannot_update(trainer, organization):
    member = MemberFactory(organization=organization, full_name="Asli")

    with pytest.raises(PermissionDenied):
        member_update(member=member, data={"full_name": "Diubah"}, updated_by=trainer)

    member.refresh_from_db()
    assert member.full_name == "Asli"


def test_participant_corrects_only_their_own_contact_fields(participant):
    member = participant.member

    member_profile_update(member=member, data={"workplace": "PT Baru"}, user=participant)
    with pytest.raises(PermissionDenied):
        member_profile_update(
            member=member, data={"position": "confederation_officer"}, user=participant
        )

    member.refresh_from_db()
    assert member.workplace == "PT Baru"
    assert member.position == Member.Position.MEMBER


def test_consent_is_given_with_the_text_version_and_withdrawn(participant, settings):
    member = participant.member

    member_consent_give(member=member, user=participant)
    assert member.has_consent
    assert member.consent_text_version == settings.MEMBER_CONSENT_TEXT_VERSION

    member_consent_withdraw(member=member, user=participant)
    member.refresh_from_db()
    assert not member.has_consent
    assert member.consent_given_at is not None, "the record of the earlier consent stays"


def test_nobody_consents_for_someone_else(organizer, organization):
    member = MemberFactory(organization=organization)

    with pytest.raises(PermissionDenied):
        member_consent_give(member=member, user=organizer)


def test_a_member_needs_a_phone(organizer, organization):
    with pytest.raises(ValidationError) as refused:
        member_create(
            data={"full_name": "Tanpa Telepon", "organization": organization},
            created_by=organizer,
        )

    assert "phone" in refused.value.message_dict
    assert not Member.objects.exists()


def test_the_service_refuses_an_implausible_nik_without_any_form(organizer, organization):
    with pytest.raises(ValidationError) as refused:
        member_create(
            data={
                "full_name": "Budi",
                "phone": "081234567890",
                "organization": organization,
                "nik": "9999011708850001",
            },
            created_by=organizer,
        )

    assert "nik" in refused.value.message_dict
    assert not Member.objects.exists()


def test_reach_is_checked_on_the_stored_organization(organizer, organization):
    """A form may already have moved the instance into the editor's reach."""
    member = MemberFactory(organization=OrganizationFactory(), full_name="Asli")
    member.organization = organization

    with pytest.raises(PermissionDenied):
        member_update(member=member, data={"full_name": "Diubah"}, updated_by=organizer)

    member.refresh_from_db()
    assert member.full_name == "Asli"
