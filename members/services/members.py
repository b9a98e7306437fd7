from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from members.models import Member
from members.permissions import can_change_member, organizations_managed_by

# What a participant may correct on their own record; the rest is the union's to keep.
SELF_EDITABLE_FIELDS = (
    "full_name",
    "phone",
    "email",
    "gender",
    "birth_year",
    "workplace",
    "sector",
    "region",
    "preferred_language",
    "preferred_channel",
)


def _ensure_may_manage(*, user: AbstractBaseUser, member: Member) -> None:
    if not organizations_managed_by(user).filter(pk=member.organization_id).exists():
        raise PermissionDenied


@transaction.atomic
def member_create(*, data: dict[str, Any], created_by: AbstractBaseUser) -> Member:
    """``data`` is a form's cleaned_data; the organization must be in the creator's reach."""
    member = Member(**data, created_by=created_by, updated_by=created_by)
    _ensure_may_manage(user=created_by, member=member)
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def member_update(*, member: Member, data: dict[str, Any], updated_by: AbstractBaseUser) -> Member:
    """An organizer's edit: any field, within their reach (also the new organization)."""
    if not can_change_member(updated_by, member):
        raise PermissionDenied
    for field, value in data.items():
        setattr(member, field, value)
    _ensure_may_manage(user=updated_by, member=member)
    member.updated_by = updated_by
    member.full_clean()
    member.save(update_fields=[*data, "updated_by", "updated_at"])
    return member


@transaction.atomic
def member_profile_update(
    *, member: Member, data: dict[str, Any], user: AbstractBaseUser
) -> Member:
    """A participant corrects their own record; fields the union keeps are refused."""
    if member.user_id != user.pk or set(data) - set(SELF_EDITABLE_FIELDS):
        raise PermissionDenied
    for field, value in data.items():
        setattr(member, field, value)
    member.updated_by = user
    member.full_clean()
    member.save(update_fields=[*data, "updated_by", "updated_at"])
    return member


def member_consent_give(*, member: Member, user: AbstractBaseUser) -> Member:
    """Record consent to the current consent text (its version is kept with it)."""
    if member.user_id != user.pk:
        raise PermissionDenied
    member.consent_given_at = timezone.now()
    member.consent_text_version = settings.MEMBER_CONSENT_TEXT_VERSION
    member.consent_withdrawn_at = None
    member.updated_by = user
    member.save(
        update_fields=[
            "consent_given_at",
            "consent_text_version",
            "consent_withdrawn_at",
            "updated_by",
            "updated_at",
        ]
    )
    return member


def member_consent_withdraw(*, member: Member, user: AbstractBaseUser) -> Member:
    if member.user_id != user.pk:
        raise PermissionDenied
    member.consent_withdrawn_at = timezone.now()
    member.updated_by = user
    member.save(update_fields=["consent_withdrawn_at", "updated_by", "updated_at"])
    return member
