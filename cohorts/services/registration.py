"""A participant's own registration: consent, a new member record when they have none,
and the seat — all in one transaction, through the one locked seat service."""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from cohorts.models import Cohort
from cohorts.services.enrollments import Registration, enrollment_register
from members.models import Member
from members.services.members import member_consent_give, member_self_create


@transaction.atomic
def enrollment_register_self(
    *,
    cohort: Cohort,
    member: Member,
    user: AbstractBaseUser,
    answers: dict[str, Any],
    consent: bool = False,
) -> Registration:
    """A member registers; ``consent`` records their agreement first (the registration
    form asks for it when their record has none). A refused seat undoes the consent too."""
    if consent and not member.has_consent:
        member_consent_give(member=member, user=user)
    return enrollment_register(cohort=cohort, member=member, answers=answers, by=user)


@transaction.atomic
def enrollment_register_new_member(
    *,
    cohort: Cohort,
    user: AbstractBaseUser,
    member_data: dict[str, Any],
    answers: dict[str, Any],
) -> Registration:
    """Someone with an account but no member record: their record (linked to the account,
    with consent, which the form requires) and their registration, or neither."""
    member = member_self_create(user=user, data=member_data)
    member_consent_give(member=member, user=user)
    return enrollment_register(cohort=cohort, member=member, answers=answers, by=user)
