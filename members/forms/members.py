from django import forms
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from members.models import Member, Region
from members.permissions import organizations_managed_by
from members.services.members import SELF_EDITABLE_FIELDS
from members.validators import normalize_nik


class _RegionChoiceMixin:
    def _limit_region_choices(self) -> None:
        self.fields["region"].queryset = Region.objects.select_related("parent")
        self.fields["region"].label_from_instance = lambda region: f"{region.code} {region.name}"


class MemberForm(_RegionChoiceMixin, forms.ModelForm):
    """An organizer's form: the organization must be one they manage."""

    # Longer than the stored 16 digits: people type it with dots (16.7301.170885.0001).
    nik = forms.CharField(
        label=_("NIK"),
        required=False,
        max_length=24,
        help_text=_("16 digits, as on the KTP. Optional."),
    )

    class Meta:
        model = Member
        fields = [
            "full_name",
            "phone",
            "email",
            "organization",
            "member_number",
            "nik",
            "position",
            "gender",
            "birth_year",
            "workplace",
            "sector",
            "region",
            "preferred_language",
            "preferred_channel",
        ]
        help_texts = {
            "phone": _("For example 0812-3456-7890 or +62 812 3456 7890."),
        }

    def __init__(self, *args, user: AbstractBaseUser, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations_managed_by(user)
        self.fields["phone"].required = True
        self._limit_region_choices()

    def clean_nik(self) -> str:
        # Compact before the model's NIK validator sees it; the rule itself lives there.
        return normalize_nik(self.cleaned_data.get("nik", ""))


class ProfileForm(_RegionChoiceMixin, forms.ModelForm):
    """What participants may correct on their own record."""

    class Meta:
        model = Member
        fields = list(SELF_EDITABLE_FIELDS)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].required = True
        self._limit_region_choices()


class ConsentForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("give", _("I agree")), ("withdraw", _("I withdraw my consent"))],
        widget=forms.HiddenInput,
    )


class MessagePreferencesForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Send my messages by"), choices=Member.Channel.choices, widget=forms.RadioSelect
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=settings.LANGUAGES, widget=forms.RadioSelect
    )
    stop_reminders = forms.BooleanField(
        label=_("Stop session reminders and cascade follow-ups"),
        required=False,
        help_text=_(
            "You will still hear when your registration changes or a training is cancelled."
        ),
    )
