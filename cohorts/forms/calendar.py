from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort
from members.permissions import organizations_managed_by


class CalendarFilterForm(forms.Form):
    """The organizer calendar's filters; a value that does not fit is simply not applied."""

    status = forms.ChoiceField(
        label=_("Cohort status"),
        required=False,
        choices=[("", _("All statuses")), *Cohort.Status.choices],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    organization = forms.ModelChoiceField(
        label=_("Organized by"),
        required=False,
        queryset=None,
        empty_label=_("All organizations"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args, user: AbstractBaseUser, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations_managed_by(user).order_by("name")

    def applied(self) -> dict:
        """The filters that passed validation, as keyword arguments for the selector."""
        self.is_valid()
        return {
            "cohort_status": self.cleaned_data.get("status") or "",
            "organization": self.cleaned_data.get("organization"),
        }
