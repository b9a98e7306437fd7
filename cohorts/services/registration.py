"""A participant's own registration: consent, a new member record when they have none, a
new account when they have none, and the seat — all in one transaction, through the one
locked seat service."""

from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort, RegistrationQuestion
from cohorts.services.enrollments import Registration, enrollment_register
from members.models import Member
from members.services.members import member_consent_give, member_self_create

SIGNUP_CLOSED = _("New accounts cannot be made now. Log in first.")


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


def _new_member_data(
    member_data: dict[str, Any], answers: dict[str, Any], language: str
) -> dict[str, Any]:
    """The record keeps the workplace they answered (asked once, not twice) and the
    language they registered in: their messages come in it."""
    data = {**member_data, "preferred_language": language}
    if RegistrationQuestion.WORKPLACE in answers:
        data["workplace"] = answers[RegistrationQuestion.WORKPLACE]
    return data


@transaction.atomic
def enrollment_register_new_member(
    *,
    cohort: Cohort,
    user: AbstractBaseUser,
    member_data: dict[str, Any],
    answers: dict[str, Any],
    language: str,
) -> Registration:
    """Someone with an account but no member record: their record (linked to the account,
    with consent, which the form requires) and their registration, or neither."""
    member = member_self_create(user=user, data=_new_member_data(member_data, answers, language))
    member_consent_give(member=member, user=user)
    return enrollment_register(cohort=cohort, member=member, answers=answers, by=user)


@transaction.atomic
def enrollment_register_new_account(
    *,
    request: HttpRequest,
    cohort: Cohort,
    signup_form: SignupForm,
    member_data: dict[str, Any],
    answers: dict[str, Any],
    language: str,
) -> Registration | None:
    """A new visitor: their account (made by allauth's own sign-up form and adapter, as on
    its sign-up page), member record and registration, or none of them.

    ``None``, with nothing written, when the e-mail already has an account: like allauth's
    own sign-up (``ACCOUNT_PREVENT_ENUMERATION``), the caller then mails the owner and
    answers as for a new account, so the form tells no one who has an account."""
    if not get_adapter(request).is_open_for_signup(request):
        raise ValidationError(SIGNUP_CLOSED)
    if signup_form.account_already_exists:
        return None
    user = signup_form.save(request)
    return enrollment_register_new_member(
        cohort=cohort, user=user, member_data=member_data, answers=answers, language=language
    )
