"""The registration page's forms: the cohort's questions, consent, and — for someone
without a member record or an account — who they are and their login."""

from collections.abc import Callable
from typing import Any

from allauth.account.forms import SignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort, RegistrationQuestion
from cohorts.selectors.registration import organization_choices, regency_choices
from members.models import Member, Organization, Region

# Hidden from people by CSS (not type=hidden, which bots skip); a filled one is a bot.
HONEYPOT_FIELD = "homepage"
TEXT_ANSWER_MAX_LENGTH = 2000


def _motivation(member: Member | None) -> forms.Field:
    return forms.CharField(
        label=RegistrationQuestion.MOTIVATION.label,
        max_length=TEXT_ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _union_position(member: Member | None) -> forms.Field:
    return forms.ChoiceField(
        label=RegistrationQuestion.UNION_POSITION.label,
        choices=Member.Position.choices,
        initial=member.position if member else Member.Position.MEMBER,
    )


def _workplace(member: Member | None) -> forms.Field:
    return forms.CharField(
        label=RegistrationQuestion.WORKPLACE.label,
        max_length=200,
        required=False,
        initial=member.workplace if member else "",
    )


def _experience(member: Member | None) -> forms.Field:
    return forms.CharField(
        label=RegistrationQuestion.EXPERIENCE.label,
        max_length=TEXT_ANSWER_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


QUESTION_FIELDS: dict[str, Callable[[Member | None], forms.Field]] = {
    RegistrationQuestion.MOTIVATION: _motivation,
    RegistrationQuestion.UNION_POSITION: _union_position,
    RegistrationQuestion.WORKPLACE: _workplace,
    RegistrationQuestion.EXPERIENCE: _experience,
}


class RegistrationAnswersForm(forms.Form):
    """The questions the organizer chose for this cohort, in their order."""

    def __init__(self, *args: Any, cohort: Cohort, member: Member | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in cohort.registration_questions or []:
            if key in QUESTION_FIELDS:
                self.fields[key] = QUESTION_FIELDS[key](member)

    def answers(self) -> dict[str, str]:
        return {key: self.cleaned_data[key] for key in self.fields}


class RegistrationConsentForm(forms.Form):
    consent = forms.BooleanField(
        label=_("I agree to the use of my data as described above."),
        error_messages={"required": _("Agree to the use of your data to register.")},
    )


def _empty_choice() -> tuple[str, str]:
    return ("", _("Choose…"))


class NewMemberForm(forms.Form):
    """Who someone is when the union has no record of them yet."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    phone = Member._meta.get_field("phone").formfield(
        required=True,
        help_text=_("For example 0812-3456-7890 or +62 812 3456 7890."),
    )
    organization = forms.ModelChoiceField(
        label=_("Your union"),
        queryset=Organization.objects.all(),
        help_text=_("Your workplace union, or the highest level you belong to."),
    )
    region = forms.ModelChoiceField(
        label=_("Regency or city where you live"),
        queryset=Region.objects.filter(level=Region.Level.REGENCY),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")
        self.fields["organization"].choices = [_empty_choice(), *organization_choices()]
        self.fields["region"].choices = [_empty_choice(), *regency_choices()]

    def member_data(self) -> dict[str, Any]:
        return {field: self.cleaned_data[field] for field in self.fields}


class RegistrationSignupForm(SignupForm):
    """allauth's own sign-up form (e-mail, password twice, its checks), so the account is
    made exactly as on the sign-up page."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _("Your login; the confirmation link goes there.")
