from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member
from members.permissions import organizations_managed_by
from members.validators import normalize_nik

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


def _ensure_may_manage(*, user: AbstractBaseUser, organization_id: int) -> None:
    if not organizations_managed_by(user).filter(pk=organization_id).exists():
        raise PermissionDenied


def _normalized(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "nik": normalize_nik(data["nik"])} if "nik" in data else data


def _full_clean(member: Member) -> None:
    """The model's rules (NIK, uniqueness) plus what every member needs here: a phone,
    because reminders and follow-ups go to it."""
    if not member.phone:
        raise ValidationError({"phone": _("Enter the member's phone number.")})
    member.full_clean()


@transaction.atomic
def member_create(*, data: dict[str, Any], created_by: AbstractBaseUser) -> Member:
    """``data`` is a form's cleaned_data; the organization must be in the creator's reach."""
    member = Member(**_normalized(data), created_by=created_by, updated_by=created_by)
    _ensure_may_manage(user=created_by, organization_id=member.organization_id)
    _full_clean(member)
    member.save()
    return member


# What someone without a union record fills in when they sign up for a training.
SELF_CREATE_FIELDS = (*SELF_EDITABLE_FIELDS, "organization")


def _ensure_not_known(member: Member) -> None:
    """One person, one record: a record someone makes for themself may not share its phone
    or e-mail with one the union has (linked to a login or not). Anyone can type someone
    else's number, so the answer says only that it cannot be used here — not that the
    union has such a member — and is the same whoever asks."""
    errors = {}
    if member.phone and Member.objects.filter(phone=member.phone).exists():
        errors["phone"] = _(
            "This phone number cannot be used for a new registration here. If you are "
            "already a union member, ask your organizer for an account link or log in."
        )
    if member.email and Member.objects.filter(email__iexact=member.email).exists():
        errors["email"] = _(
            "This e-mail address cannot be used for a new registration here. If you are "
            "already a union member, ask your organizer for an account link or log in."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def member_self_create(*, user: AbstractBaseUser, data: dict[str, Any]) -> Member:
    """Someone without a member record creates their own, linked to their account (e.g.
    when registering for a training). The union's fields (number, NIK, position) stay for
    the organizers to fill; the e-mail is the account's unless given."""
    if set(data) - set(SELF_CREATE_FIELDS):
        raise PermissionDenied
    if Member.objects.filter(user=user).exists():
        raise ValidationError(_("Your account already has a member record."))
    member = Member(**{"email": user.email, **data}, user=user, created_by=user, updated_by=user)
    _ensure_not_known(member)
    _full_clean(member)
    member.save()
    return member


@transaction.atomic
def member_update(*, member: Member, data: dict[str, Any], updated_by: AbstractBaseUser) -> Member:
    """An organizer's edit: any field, within their reach (also the new organization).

    Reach is checked against the stored organization, not ``member``'s, which a bound form
    may already have changed.
    """
    stored = Member.objects.values_list("organization_id", flat=True).get(pk=member.pk)
    _ensure_may_manage(user=updated_by, organization_id=stored)
    data = _normalized(data)
    for field, value in data.items():
        setattr(member, field, value)
    _ensure_may_manage(user=updated_by, organization_id=member.organization_id)
    member.updated_by = updated_by
    _full_clean(member)
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
    _full_clean(member)
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


def member_message_preferences_update(
    *, member: Member, channel: str, language: str, stop_reminders: bool
) -> Member:
    """From the link in a message: how to reach the member, in which language, and
    whether reminders and follow-ups stop (registration updates still come)."""
    if channel not in Member.Channel.values:
        raise ValidationError({"channel": _("Choose WhatsApp, SMS or e-mail.")})
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose a language.")})
    if channel == Member.Channel.EMAIL and not member.email:
        raise ValidationError(
            {"channel": _("We have no e-mail address for you; choose WhatsApp or SMS.")}
        )
    if channel != Member.Channel.EMAIL and not member.phone:
        raise ValidationError({"channel": _("We have no phone number for you; choose e-mail.")})
    member.preferred_channel = channel
    member.preferred_language = language
    if stop_reminders and member.reminders_stopped_at is None:
        member.reminders_stopped_at = timezone.now()
    elif not stop_reminders:
        member.reminders_stopped_at = None
    member.save(
        update_fields=[
            "preferred_channel",
            "preferred_language",
            "reminders_stopped_at",
            "updated_at",
        ]
    )
    return member
